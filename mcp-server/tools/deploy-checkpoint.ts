import { z } from 'zod';
import { ok } from '../results';
import { checkpointArg, Deployment, tenantArg } from '../shapes';
import { defineTool } from './define-tool';

export const deployCheckpoint = defineTool({
  name: 'deploy_checkpoint',
  title: 'Deploy a checkpoint',
  description:
    "Makes a checkpoint the tenant's live model: it is swapped into the running engine at once (no downtime) and triage_ticket and " +
    'syncs use it from then on. The previous deployment is kept, so rollback_deployment can undo this.',
  input: z.object({ tenant: tenantArg, checkpoint: checkpointArg }),
  output: Deployment,
  annotations: { destructiveHint: false, idempotentHint: false },
  async run({ tenant, checkpoint }, ctx) {
    const d = await ctx.client.deploy(tenant, checkpoint);
    return ok(Deployment, d, `Deployed checkpoint ${d.checkpointId} for ${tenant} (deployment ${d.id}${d.previousId ? `, replacing deployment ${d.previousId}` : ''}).`);
  },
});
