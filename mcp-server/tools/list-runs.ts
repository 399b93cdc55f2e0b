import { z } from 'zod';
import { ok, pct } from '../results';
import { RunSummary, runSummary } from '../run-view';
import { tenantArg } from '../shapes';
import { defineTool } from './define-tool';

const Output = z.object({ runs: z.array(RunSummary) });

export const listRuns = defineTool({
  name: 'list_runs',
  title: 'List runs',
  description:
    "Lists runs (training, evaluation, sync), newest first: of one tenant, or of every tenant this caller may use when tenant is absent. " +
    'Filter by status or kind. Use get_run for one run\'s loss, ETA and metrics.',
  input: z.object({
    tenant: tenantArg.optional(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']).optional(),
    kind: z.enum(['train', 'evaluate', 'sync']).optional(),
    limit: z.number().int().min(1).max(100).default(20),
  }),
  output: Output,
  annotations: { readOnlyHint: true },
  async run(args, ctx) {
    const runs = (await ctx.client.listRuns(args.tenant))
      .filter((r) => (!args.status || r.status === args.status) && (!args.kind || r.kind === args.kind))
      .slice(0, args.limit)
      .map(runSummary);
    const lines = runs.map((r) => `- run ${r.id} ${r.tenant} ${r.kind}/${r.tier}: ${r.status}${r.done ? '' : ` ${pct(r.progress)}`}`);
    return ok(Output, { runs }, runs.length ? `${runs.length} run(s):\n${lines.join('\n')}` : 'No runs match.');
  },
});
