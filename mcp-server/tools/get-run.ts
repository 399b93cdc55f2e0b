import { z } from 'zod';
import { ok } from '../results';
import { describeRun, loadRunView, RunView } from '../run-view';
import { runArg, tenantArg } from '../shapes';
import { defineTool } from './define-tool';

export const getRun = defineTool({
  name: 'get_run',
  title: 'Get a run',
  description:
    'Returns one run (training, evaluation or sync) as it is now: status, progress 0..1, phase, last loss, ETA in seconds, the metrics ' +
    'reported so far and, once done, its result (checkpoint id, accuracy, sync counts, report summary). Does not wait: use wait_for_run for that.',
  input: z.object({ tenant: tenantArg, run: runArg }),
  output: RunView,
  annotations: { readOnlyHint: true },
  async run({ tenant, run }, ctx) {
    const view = await loadRunView(ctx.client, tenant, run);
    return ok(RunView, view, describeRun(view));
  },
});
