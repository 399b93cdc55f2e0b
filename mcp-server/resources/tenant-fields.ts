import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpContext } from '../context';
import { uris } from '../shapes';
import { jsonContents, readOrExplain, variable } from './read-json';

/** triage://tenants/{tenant}/fields: the tenant's field schema, listed for every tenant the caller may use. */
export function registerTenantFields(server: McpServer, ctx: McpContext): void {
  const template = new ResourceTemplate('triage://tenants/{tenant}/fields', {
    list: async () => ({
      resources: (await ctx.client.listTenants()).map((t) => ({
        uri: uris.fields(t.id),
        name: `${t.id}-fields`,
        title: `Fields of ${t.name}`,
        mimeType: 'application/json',
      })),
    }),
  });
  server.registerResource(
    'tenant-fields',
    template,
    {
      title: "A tenant's field schema",
      description: 'Every label field of the tenant with its choices {value, label, active, parent} and parent field.',
      mimeType: 'application/json',
    },
    (uri, vars) =>
      readOrExplain(ctx, async () => {
        const tenant = variable(vars, 'tenant');
        return jsonContents(uri, { tenant, fields: await ctx.client.getFields(tenant) });
      }),
  );
}
