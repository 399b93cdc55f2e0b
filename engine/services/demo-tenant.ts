import type { EngineContext } from '../context';
import { generateDemoTenant } from '../demo';
import { mergeFieldSchemas } from '../store/fields';
import { createTenant, listTenants } from '../store/tenants';
import { storeImport } from '../store/tickets';
import { startRun } from './start-run';
import type { Run } from '../store/runs';

export const DEMO_TENANT = 'demo';

/**
 * On an empty engine, creates a demo tenant from the project's own generated MSP tickets (issue and sub-issue
 * types with parent links, queues, priorities, billing codes) and queues a fast training run that deploys its
 * checkpoint. Returns null when the engine already has tenants: the demo never touches real data.
 */
export function bootstrapDemoTenant(ctx: EngineContext, opts: { count?: number } = {}): Run | null {
  if (listTenants(ctx.db).length > 0) return null;
  const demo = generateDemoTenant({ count: opts.count ?? 4000, seed: 42 });
  createTenant(ctx.db, { id: DEMO_TENANT, name: 'Demo MSP client (generated tickets)' });
  // The picklists come first, as a connector would sync them: parent links and the inactive choice included.
  mergeFieldSchemas(ctx.db, DEMO_TENANT, demo.fields, 'demo');
  storeImport(ctx.db, DEMO_TENANT, {
    format: 'generated',
    filename: 'demo',
    sha256: 'generated-seed-42',
    fields: demo.fields.map((f) => f.name),
    tickets: demo.tickets,
    schemas: [],
  });
  return startRun(ctx, DEMO_TENANT, { kind: 'train', tier: 'fast', deploy: true, params: { seed: 1 } });
}
