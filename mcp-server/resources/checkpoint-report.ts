import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpContext } from '../context';
import { uris } from '../shapes';
import { idVariable, jsonContents, readOrExplain, variable } from './read-json';

const LISTED_PER_TENANT = 20;

interface Evaluation {
  id: number;
  split: string;
  datasetId: number;
  runId: number | null;
  report: Record<string, unknown>;
  createdAt: string;
}

/**
 * triage://tenants/{tenant}/checkpoints/{checkpoint}/report: a checkpoint's full evaluation reports (per field:
 * accuracy, macro-F1, confusion matrix, calibration, auto-apply share), from training and from later evaluate runs.
 */
export function registerCheckpointReport(server: McpServer, ctx: McpContext): void {
  const template = new ResourceTemplate('triage://tenants/{tenant}/checkpoints/{checkpoint}/report', {
    list: async () => {
      const tenants = await ctx.client.listTenants();
      const perTenant = await Promise.all(
        tenants.map(async (t) =>
          (await ctx.client.listCheckpoints(t.id)).slice(0, LISTED_PER_TENANT).map((c) => ({
            uri: uris.report(t.id, c.id),
            name: `${t.id}-checkpoint-${c.id}-report`,
            title: `Report of checkpoint ${c.id} (${c.tier}) of ${t.id}${c.deployed ? ', deployed' : ''}`,
            mimeType: 'application/json',
          })),
        ),
      );
      return { resources: perTenant.flat() };
    },
  });
  server.registerResource(
    'checkpoint-report',
    template,
    {
      title: "A checkpoint's evaluation report",
      description: 'Accuracy, macro-F1, confusion matrix, calibration (ECE) and the auto-apply share per field, for each evaluated split.',
      mimeType: 'application/json',
    },
    (uri, vars) =>
      readOrExplain(ctx, async () => {
        const tenant = variable(vars, 'tenant');
        const id = idVariable(vars, 'checkpoint');
        const checkpoint = await ctx.client.getCheckpoint(tenant, id);
        const { evaluations } = await ctx.client.rawRequest<{ evaluations: Evaluation[] }>(
          'GET',
          `/api/tenants/${encodeURIComponent(tenant)}/checkpoints/${id}/evaluations`,
        );
        const { metrics: _metrics, ...summary } = checkpoint;
        return jsonContents(uri, { checkpoint: summary, evaluations });
      }),
  );
}
