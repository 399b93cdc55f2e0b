import { z } from 'zod';
import { ok } from '../results';
import { defineTool } from './define-tool';

const Tenant = z.object({
  id: z.string(),
  name: z.string(),
  tickets: z.number(),
  fields: z.array(z.string()),
  deployment: z.object({ id: z.number(), checkpointId: z.number(), tier: z.string(), createdAt: z.string() }).nullable(),
});
const Output = z.object({ tenants: z.array(Tenant) });

export const listTenants = defineTool({
  name: 'list_tenants',
  title: 'List tenants',
  description:
    'Lists the tenants (MSP customers) this caller may use, with their ticket count, their own label fields and the deployed model, if any. ' +
    'Start here: every other tool takes one of these tenant ids.',
  input: z.object({}),
  output: Output,
  annotations: { readOnlyHint: true },
  async run(_args, ctx) {
    const tenants = await ctx.client.listTenants();
    const lines = tenants.map(
      (t) => `- ${t.id} (${t.name}): ${t.tickets} tickets, fields ${t.fields.join(', ') || 'none yet'}, ${t.deployment ? `checkpoint ${t.deployment.checkpointId} deployed` : 'no model deployed'}`,
    );
    return ok(Output, { tenants }, tenants.length ? `${tenants.length} tenant(s):\n${lines.join('\n')}` : 'No tenants are visible to this caller.');
  },
});
