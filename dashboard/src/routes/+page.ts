import { api } from '$lib/api';
import type { PageLoad } from './$types';

export const load = (async ({ depends }) => {
  depends('app:overview');
  const [tenants, running, queued] = await Promise.all([
    api.listTenants(),
    api.listRuns({ status: 'running', limit: 50 }),
    api.listRuns({ status: 'queued', limit: 50 }),
  ]);
  const details = await Promise.all(
    tenants.map(async (tenant) => {
      const [live, connector] = await Promise.all([api.liveAccuracy(tenant.id, 90), api.getConnector(tenant.id)]);
      return { tenant, live, connector };
    }),
  );
  return { tenants: details, active: [...running, ...queued].sort((a, b) => a.id - b.id) };
}) satisfies PageLoad;
