import { api, type Run, type RunStatus } from '$lib/api';
import type { PageLoad } from './$types';

export const load = (async ({ url, depends }) => {
  depends('app:runs');
  const tenant = url.searchParams.get('tenant') || undefined;
  const status = (url.searchParams.get('status') || undefined) as RunStatus | undefined;
  const kind = (url.searchParams.get('kind') || undefined) as Run['kind'] | undefined;
  const [tenants, runs, gpu] = await Promise.all([api.listTenants(), api.listRuns({ tenant, status, kind, limit: 200 }), api.gpuQueue()]);
  return { tenants, runs, gpu, filtered: Boolean(tenant || status || kind) };
}) satisfies PageLoad;
