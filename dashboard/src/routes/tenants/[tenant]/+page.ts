import { api } from '$lib/api';
import type { PageLoad } from './$types';

export const load = (async ({ params, depends }) => {
  depends('app:tenant');
  const [checkpoints, deployments, runs, flags] = await Promise.all([
    api.listCheckpoints(params.tenant),
    api.listDeployments(params.tenant),
    api.listRuns({ tenant: params.tenant, limit: 10 }),
    api.modelFlags(params.tenant),
  ]);
  return { checkpoints, deployments, runs, flags };
}) satisfies PageLoad;
