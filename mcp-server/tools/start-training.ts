import { z } from 'zod';
import { followOrReturn, WaitedRun } from '../run-result';
import { tenantArg, waitArgs } from '../shapes';
import { defineTool } from './define-tool';

export const startTraining = defineTool({
  name: 'start_training',
  title: 'Train a model',
  description:
    "Trains a model of the tenant's imported tickets as a background run and returns its run id at once. tier \"fast\" (the default) " +
    'trains on CPU in seconds. The held-out test accuracy per field is in the run result once it succeeds; with deploy: true the new ' +
    'checkpoint is deployed right away, otherwise use list_checkpoints and deploy_checkpoint. Set wait: true to block until it is done ' +
    '(progress notifications with step, loss and ETA when you pass a progressToken).',
  input: z.object({
    tenant: tenantArg,
    tier: z.string().default('fast').describe('Model tier: "fast" (CPU, seconds). Other tiers only where the engine supports them.'),
    deploy: z.boolean().default(false).describe('Deploy the new checkpoint when training succeeds'),
    datasetId: z.number().int().positive().optional().describe('Train on this frozen dataset; a new one (split of all labelled tickets) when absent'),
    params: z
      .object({
        seed: z.number().int().optional().describe('Random seed (same data + seed = same model)'),
        maxEpochs: z.number().int().min(1).max(100).optional().describe('Upper bound on epochs (early stopping may stop sooner)'),
        split: z
          .object({
            strategy: z.enum(['hash', 'time']).optional().describe('hash: stable random split; time: newest tickets held out'),
            seed: z.number().int().optional(),
            validation: z.number().min(0).max(0.5).optional().describe('Share held out for calibration, e.g. 0.1'),
            test: z.number().min(0).max(0.5).optional().describe('Share held out for the accuracy report, e.g. 0.1'),
          })
          .optional(),
      })
      .default({})
      .describe('Training parameters'),
    ...waitArgs,
  }),
  output: WaitedRun,
  async run(args, ctx, extra) {
    const run = await ctx.client.startRun(args.tenant, {
      kind: 'train',
      tier: args.tier as 'fast',
      deploy: args.deploy,
      datasetId: args.datasetId,
      params: args.params,
    });
    return followOrReturn(ctx, run, args, extra, (v) => {
      const id = v.result?.checkpointId;
      return id ? `Checkpoint ${String(id)}${args.deploy ? ' is deployed' : ': deploy it with deploy_checkpoint'}.` : '';
    });
  },
});
