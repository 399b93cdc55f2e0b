import { z } from 'zod';
import { ok } from '../results';
import { tenantArg, uris } from '../shapes';
import { defineTool } from './define-tool';

const Choice = z.object({ value: z.string(), label: z.string(), active: z.boolean(), parent: z.string().nullable() });
const Field = z.object({ name: z.string(), label: z.string(), parentField: z.string().nullable(), choices: z.array(Choice) });
const Output = z.object({ tenant: z.string(), fields: z.array(Field), resource: z.string() });

export const getTenantFields = defineTool({
  name: 'get_tenant_fields',
  title: "Get a tenant's fields and choices",
  description:
    "Returns the tenant's label fields (e.g. issue type, sub-issue type, queue, priority) with every allowed choice {value, label, active, parent}. " +
    "A choice's `parent` is a value of the field named by `parentField` (a sub-issue type belongs to one issue type). " +
    "Use these values for triage_ticket's `choices`; predictions never leave them.",
  input: z.object({
    tenant: tenantArg,
    field: z.string().optional().describe('Only this field (by name); all fields when absent'),
  }),
  output: Output,
  annotations: { readOnlyHint: true },
  async run({ tenant, field }, ctx) {
    const all = await ctx.client.getFields(tenant);
    const fields = field ? all.filter((f) => f.name === field) : all;
    if (field && !fields.length) throw new Error(`tenant "${tenant}" has no field "${field}"; its fields are: ${all.map((f) => f.name).join(', ') || 'none yet'}`);
    const shaped = fields.map((f) => ({
      name: f.name,
      label: f.label,
      parentField: f.parentField ?? null,
      choices: f.choices.map((c) => ({ value: c.value, label: c.label, active: c.active, parent: c.parent ?? null })),
    }));
    const lines = shaped.map((f) => `- ${f.name}: ${f.choices.filter((c) => c.active).length} active choices${f.parentField ? ` (children of ${f.parentField})` : ''}`);
    return ok(Output, { tenant, fields: shaped, resource: uris.fields(tenant) }, `Fields of ${tenant}:\n${lines.join('\n') || '(none yet: import labelled tickets first)'}`);
  },
});
