import { z } from 'zod';
import { ok } from '../results';
import { Deployment, tenantArg } from '../shapes';
import { defineTool } from './define-tool';

export const rollbackDeployment = defineTool({
  name: 'rollback_deployment',
  title: 'Roll back a deployment',
  description:
    "Goes back to the tenant's deployment before the active one (e.g. when a new checkpoint triages worse); swapped in at once. " +
    'Fails with a clear message when there is nothing to go back to.',
  input: z.object({ tenant: tenantArg }),
  output: Deployment,
  annotations: { destructiveHint: false, idempotentHint: false },
  async run({ tenant }, ctx) {
    const d = await ctx.client.rollback(tenant);
    return ok(Deployment, d, `Rolled back ${tenant} to checkpoint ${d.checkpointId} (deployment ${d.id}).`);
  },
});
