import { api, type EvalReport } from '$lib/api';
import type { PageLoad } from './$types';

export const load = (async ({ params, parent, depends }) => {
  depends('app:tenant');
  const { tenant } = await parent();
  const [connector, settings, live] = await Promise.all([
    api.getConnector(params.tenant),
    api.getTriageSettings(params.tenant),
    api.liveAccuracy(params.tenant, 90),
  ]);
  // The deployed model's own thresholds (95% precision on its test split) are the defaults.
  let suggested: Record<string, number | null> = {};
  if (tenant.deployment) {
    const ckpt = await api.getCheckpoint(params.tenant, tenant.deployment.checkpointId);
    const test = (ckpt.metrics as { test?: EvalReport } | null)?.test;
    suggested = Object.fromEntries((test?.fields ?? []).map((f) => [f.field, f.autoApply.threshold]));
  }
  return { connector, settings, live, suggested };
}) satisfies PageLoad;
