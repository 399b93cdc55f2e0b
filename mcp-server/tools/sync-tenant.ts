import { z } from 'zod';
import { followOrReturn, WaitedRun } from '../run-result';
import { tenantArg, waitArgs } from '../shapes';
import { defineTool } from './define-tool';

export const syncTenant = defineTool({
  name: 'sync_tenant',
  title: 'Sync a tenant from its PSA',
  description:
    "Pulls the tenant's new and changed tickets and picklists from its PSA (Autotask or ConnectWise) as a background run, triages new " +
    'tickets with the deployed model (writing back above the threshold) and scores completed ones for live accuracy. Returns the run id ' +
    'at once; set wait: true to block until it is done. Needs a PSA connection set up for the tenant (CLI `triage connect`).',
  input: z.object({ tenant: tenantArg, ...waitArgs }),
  output: WaitedRun,
  async run(args, ctx, extra) {
    const run = await ctx.client.startRun(args.tenant, { kind: 'sync' });
    return followOrReturn(ctx, run, args, extra, (v) => {
      const r = (v.result ?? {}) as Record<string, unknown>;
      return `Fetched ${String(r.fetched ?? 0)} tickets (${String(r.inserted ?? 0)} new, ${String(r.updated ?? 0)} updated), triaged ${String(r.triaged ?? 0)}.`;
    });
  },
});
