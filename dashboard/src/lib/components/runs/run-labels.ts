import type { Run } from '$lib/api';

/** Run kinds as a technician would say them. */
export const KIND_LABELS: Record<Run['kind'], string> = { train: 'Training', evaluate: 'Evaluation', sync: 'PSA sync' };

export const isActive = (run: Pick<Run, 'status'>) => run.status === 'queued' || run.status === 'running';

export const runHref = (run: Pick<Run, 'tenantId' | 'id'>) => `/runs/${encodeURIComponent(run.tenantId)}/${run.id}`;

/** The run's held-out accuracy per field: from a training result, or an evaluation's report. */
export function runAccuracy(run: Run): Record<string, number> | null {
  const result = run.result as { accuracy?: Record<string, number>; report?: { fields?: { field: string; accuracy: number }[] } } | null;
  if (result?.accuracy) return result.accuracy;
  if (result?.report?.fields) return Object.fromEntries(result.report.fields.map((f) => [f.field, f.accuracy]));
  return null;
}
