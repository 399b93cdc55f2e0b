import { z } from 'zod';
import { followOrReturn, WaitedRun } from '../run-result';
import { tenantArg, waitArgs } from '../shapes';
import { defineTool } from './define-tool';

export const startTraining = defineTool({
  name: 'start_training',
  title: 'Train a model',
  description:
    "Trains a model of the tenant's imported tickets as a background run and returns its run id at once. tier \"fast\" (the default) " +
    'trains on CPU in seconds; tier "llm" builds a checkpoint on a base LLM configured on the engine (params.baseModel), calibrated on ' +
    'the validation split, each field group served by whichever tier is more accurate on held-out tickets. The held-out test accuracy per field is in the run result once it succeeds; with deploy: true the new ' +
    'checkpoint is deployed right away, otherwise use list_checkpoints and deploy_checkpoint. Set wait: true to block until it is done ' +
    '(progress notifications with step, loss and ETA when you pass a progressToken).',
  input: z.object({
    tenant: tenantArg,
    tier: z.enum(['fast', 'llm']).default('fast').describe('Model tier: "fast" (CPU, seconds) or "llm" (a base LLM with an optional LoRA adapter)'),
    deploy: z.boolean().default(false).describe('Deploy the new checkpoint when training succeeds'),
    datasetId: z.number().int().positive().optional().describe('Train on this frozen dataset; a new one (split of all labelled tickets) when absent'),
    params: z
      .object({
        seed: z.number().int().optional().describe('Random seed (same data + seed = same model)'),
        maxEpochs: z.number().int().min(1).max(100).optional().describe('Upper bound on epochs (early stopping may stop sooner)'),
        baseModel: z.string().optional().describe('llm tier: name of a base model configured on the engine'),
        retrievalK: z.number().int().min(0).max(16).optional().describe('llm tier: similar past tickets shown in the prompt'),
        maxValidation: z.number().int().min(1).optional().describe('llm tier: validation tickets decoded for calibration'),
        maxTest: z.number().int().min(1).optional().describe('llm tier: test tickets decoded for the report'),
        mixTiers: z.boolean().optional().describe('llm tier: serve each field group by the more accurate tier (default true)'),
        adapter: z.string().optional().describe('llm tier, admin token only: a LoRA adapter on the engine machine (GGUF file or PEFT directory)'),
        train: z
          .object({
            device: z.enum(['cuda', 'cpu']).optional().describe('cuda (default) or cpu for tiny models'),
            gpus: z.number().int().min(1).optional().describe('GPUs to train on (default: all the engine has)'),
            epochs: z.number().int().min(1).max(100).optional(),
            maxSteps: z.number().int().min(1).optional(),
            learningRate: z.number().positive().max(1).optional(),
            rank: z.number().int().min(1).max(512).optional().describe('LoRA rank'),
          })
          .optional()
          .describe('llm tier: first train a LoRA adapter on this tenant with the GPU trainer (queued for the GPU; see the run\'s events)'),
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
      tier: args.tier,
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
