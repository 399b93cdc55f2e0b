/** The result of a tool that starts or follows a run: the run at once, or, with wait, the run once it is done. */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Run } from '../engine/client/engine-client';
import type { McpContext } from './context';
import { ok } from './results';
import { describeRun, runView, RunView, type RunView as RunViewT } from './run-view';
import { waitForRun, type Extra } from './wait-for-run';

export const WaitedRun = RunView.extend({
  waited: z.boolean().describe('Whether this call waited for the run'),
  timedOut: z.boolean().describe('true when the wait ended before the run did; call wait_for_run to wait again'),
});

export async function followOrReturn(
  ctx: McpContext,
  run: Run,
  opts: { wait: boolean; timeoutSeconds: number },
  extra: Extra,
  /** Extra text once the run succeeded (e.g. what a sync did). */
  more: (view: RunViewT) => string = () => '',
): Promise<CallToolResult> {
  if (!opts.wait) {
    const view = runView(run, []);
    const text = `Started run ${run.id} (${run.kind}, ${run.tier}) for tenant ${run.tenantId}; it is ${run.status}. Follow it with wait_for_run or get_run (run ${run.id}).`;
    return ok(WaitedRun, { ...view, waited: false, timedOut: false }, text);
  }
  const { view, timedOut } = await waitForRun(ctx, run.tenantId, run.id, extra, opts.timeoutSeconds);
  const extraText = view.status === 'succeeded' ? more(view) : '';
  const tail = timedOut ? ` Still ${view.status} after ${opts.timeoutSeconds} s; call wait_for_run to keep waiting.` : '';
  return ok(WaitedRun, { ...view, waited: true, timedOut }, `${describeRun(view)}${extraText ? ` ${extraText}` : ''}${tail}`);
}
