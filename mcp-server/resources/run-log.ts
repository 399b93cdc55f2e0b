import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpContext } from '../context';
import { allEvents, runView } from '../run-view';
import { uris } from '../shapes';
import { idVariable, jsonContents, readOrExplain, variable } from './read-json';

const LISTED_RUNS = 50;

/** triage://tenants/{tenant}/runs/{run}: a run with its log lines and metrics; the newest runs are listed. */
export function registerRunLog(server: McpServer, ctx: McpContext): void {
  const template = new ResourceTemplate('triage://tenants/{tenant}/runs/{run}', {
    list: async () => ({
      resources: (await ctx.client.listRuns()).slice(0, LISTED_RUNS).map((r) => ({
        uri: uris.run(r.tenantId, r.id),
        name: `${r.tenantId}-run-${r.id}`,
        title: `Run ${r.id} (${r.kind}) of ${r.tenantId}: ${r.status}`,
        mimeType: 'application/json',
      })),
    }),
  });
  server.registerResource(
    'run',
    template,
    {
      title: "A run's log and metrics",
      description: 'A training, evaluation or sync run: its status and result, every log line and error, and the metrics it reported.',
      mimeType: 'application/json',
    },
    (uri, vars) =>
      readOrExplain(ctx, async () => {
        const tenant = variable(vars, 'tenant');
        const id = idVariable(vars, 'run');
        const [run, events] = await Promise.all([ctx.client.getRun(tenant, id), allEvents(ctx.client, tenant, id)]);
        const view = runView(run, events);
        const log = events
          .filter((e) => e.kind === 'log' || e.kind === 'error' || e.kind === 'done')
          .map((e) => ({ seq: e.seq, at: e.at, kind: e.kind, message: typeof e.data.message === 'string' ? e.data.message : (e.data.status ?? null) }));
        return jsonContents(uri, { run: view, log, metrics: view.metrics, params: run.params, events: events.length });
      }),
  );
}
