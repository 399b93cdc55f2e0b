import { z } from 'zod';
import { ok, pct } from '../results';
import { tenantArg, uris } from '../shapes';
import { defineTool } from './define-tool';

const Checkpoint = z.object({
  id: z.number(),
  tier: z.string(),
  runId: z.number().nullable(),
  datasetId: z.number().nullable(),
  createdAt: z.string(),
  deployed: z.boolean(),
  fields: z.array(z.string()),
  accuracy: z.record(z.string(), z.number()).describe('Held-out (test split) accuracy per field, 0..1'),
  report: z.string().describe('URI of the full evaluation report resource'),
});
const Output = z.object({ tenant: z.string(), checkpoints: z.array(Checkpoint) });

export const listCheckpoints = defineTool({
  name: 'list_checkpoints',
  title: 'List checkpoints',
  description:
    "Lists the tenant's trained checkpoints, newest first, with held-out accuracy per field and which one is deployed. Compare them, " +
    'then deploy_checkpoint the best one; read the report resource for macro-F1, calibration and the confusion matrix.',
  input: z.object({ tenant: tenantArg }),
  output: Output,
  annotations: { readOnlyHint: true },
  async run({ tenant }, ctx) {
    const checkpoints = (await ctx.client.listCheckpoints(tenant)).map((c) => ({
      id: c.id,
      tier: c.tier,
      runId: c.runId,
      datasetId: c.datasetId,
      createdAt: c.createdAt,
      deployed: c.deployed,
      fields: c.fields,
      accuracy: c.accuracy,
      report: uris.report(tenant, c.id),
    }));
    const lines = checkpoints.map(
      (c) => `- checkpoint ${c.id} (${c.tier})${c.deployed ? ' [deployed]' : ''}: ${Object.entries(c.accuracy).map(([f, a]) => `${f} ${pct(a)}`).join(', ') || 'no report'}`,
    );
    const text = checkpoints.length ? `${checkpoints.length} checkpoint(s) of ${tenant}:\n${lines.join('\n')}` : `No checkpoints yet; train one with start_training.`;
    return ok(Output, { tenant, checkpoints }, text);
  },
});
