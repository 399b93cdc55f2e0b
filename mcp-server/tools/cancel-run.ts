import { z } from 'zod';
import { ok } from '../results';
import { RunSummary, runSummary } from '../run-view';
import { runArg, tenantArg } from '../shapes';
import { defineTool } from './define-tool';

export const cancelRun = defineTool({
  name: 'cancel_run',
  title: 'Cancel a run',
  description:
    'Cancels a queued or running run. A running one stops at its next safe point, so it may still show "running" for a moment; ' +
    'wait_for_run then shows "cancelled". A run that is already done cannot be cancelled.',
  input: z.object({ tenant: tenantArg, run: runArg }),
  output: RunSummary,
  annotations: { destructiveHint: true, idempotentHint: false },
  async run({ tenant, run }, ctx) {
    const r = runSummary(await ctx.client.cancelRun(tenant, run));
    const text = r.status === 'cancelled' ? `Run ${r.id} is cancelled.` : `Run ${r.id} is stopping (status ${r.status}).`;
    return ok(RunSummary, r, text);
  },
});
