import { z } from 'zod';
import { ok } from '../results';
import { describeRun } from '../run-view';
import { WaitedRun } from '../run-result';
import { runArg, tenantArg } from '../shapes';
import { waitForRun } from '../wait-for-run';
import { defineTool } from './define-tool';

export const waitForRunTool = defineTool({
  name: 'wait_for_run',
  title: 'Wait for a run',
  description:
    'Blocks until the run is done (or timeoutSeconds pass) and returns it like get_run. While it waits, a request with a progressToken ' +
    'receives notifications/progress (progress out of 100, with phase, loss and ETA). A finished run returns at once.',
  input: z.object({
    tenant: tenantArg,
    run: runArg,
    timeoutSeconds: z.number().int().min(1).max(3600).default(600).describe('Stop waiting after this many seconds (the run keeps going)'),
  }),
  output: WaitedRun,
  annotations: { readOnlyHint: true },
  async run({ tenant, run, timeoutSeconds }, ctx, extra) {
    const { view, timedOut } = await waitForRun(ctx, tenant, run, extra, timeoutSeconds);
    const tail = timedOut ? ` Still ${view.status} after ${timeoutSeconds} s; call wait_for_run again.` : '';
    return ok(WaitedRun, { ...view, waited: true, timedOut }, `${describeRun(view)}${tail}`);
  },
});
