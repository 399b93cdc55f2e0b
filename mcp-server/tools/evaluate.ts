import { z } from 'zod';
import { followOrReturn, WaitedRun } from '../run-result';
import { ReportSummary, tenantArg, uris, waitArgs } from '../shapes';
import { defineTool } from './define-tool';

export const evaluate = defineTool({
  name: 'evaluate',
  title: 'Evaluate a checkpoint',
  description:
    "Scores a checkpoint (default: the deployed one) on a split of its dataset (default: the held-out test split) as a background run. " +
    'With wait: true it returns the accuracy report per field (accuracy, macro-F1, calibration error, the share that could be written ' +
    'back automatically at 95% precision) in result.report; otherwise the run id at once. The full report is the checkpoint\'s report resource.',
  input: z.object({
    tenant: tenantArg,
    checkpoint: z.number().int().positive().optional().describe('Checkpoint id; the deployed one when absent'),
    split: z.enum(['train', 'validation', 'test']).default('test'),
    datasetId: z.number().int().positive().optional().describe("Another dataset of the tenant; the checkpoint's own when absent"),
    ...waitArgs,
  }),
  output: WaitedRun,
  async run(args, ctx, extra) {
    let checkpointId = args.checkpoint;
    if (!checkpointId) {
      const t = await ctx.client.getTenant(args.tenant);
      if (!t.deployment) throw new Error(`tenant "${args.tenant}" has no deployed model; pass checkpoint (see list_checkpoints)`);
      checkpointId = t.deployment.checkpointId;
    }
    const run = await ctx.client.startRun(args.tenant, { kind: 'evaluate', checkpointId, split: args.split, datasetId: args.datasetId });
    return followOrReturn(ctx, run, args, extra, (v) => {
      // describeRun already lists the accuracy per field; add the size of the split and where the full report is.
      const report = ReportSummary.safeParse(v.result?.report);
      const scored = report.success ? `Checkpoint ${checkpointId} scored on ${report.data.n} ${report.data.split} tickets. ` : '';
      return `${scored}Full report: ${uris.report(args.tenant, checkpointId!)}`;
    });
  },
});
