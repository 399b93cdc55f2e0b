/** Zod fragments that several tools share: common arguments and the shapes of what they return. */
import { z } from 'zod';

export const tenantArg = z
  .string()
  .min(1)
  .max(63)
  .describe('Tenant id exactly as list_tenants shows it, e.g. "acme"');

export const runArg = z.number().int().positive().describe('Run id, as returned by start_training, sync_tenant, evaluate or list_runs');

export const checkpointArg = z.number().int().positive().describe('Checkpoint id, as list_checkpoints shows it');

/** The `wait` option of the tools that start long work. */
export const waitArgs = {
  wait: z
    .boolean()
    .default(false)
    .describe(
      'false (default): return the run id at once and let the run go on in the background. true: block until the run is done ' +
        '(progress notifications are sent when the request has a progressToken) or until timeoutSeconds pass.',
    ),
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(600)
    .describe('With wait: true, stop waiting after this many seconds and return the run as it is then (it keeps running).'),
};

export const Deployment = z.object({
  id: z.number(),
  checkpointId: z.number(),
  previousId: z.number().nullable(),
  reason: z.string(),
  active: z.boolean(),
  createdAt: z.string(),
});

export const FieldAccuracy = z.object({
  field: z.string(),
  n: z.number(),
  accuracy: z.number(),
  macroF1: z.number().nullable(),
  ece: z.number().nullable(),
  predictable: z.number().nullable(),
  autoApply: z
    .object({ targetPrecision: z.number(), threshold: z.number().nullable(), coverage: z.number(), precision: z.number() })
    .nullable(),
});

/** The per-field figures of an evaluation report; the full report (confusion matrix, calibration) is a resource. */
export const ReportSummary = z.object({ split: z.string(), n: z.number(), fields: z.array(FieldAccuracy) });
export type ReportSummary = z.infer<typeof ReportSummary>;

/** Cuts a stored evaluation report down to its per-field figures. */
export function summarizeReport(report: unknown): ReportSummary | null {
  const r = report as { split?: unknown; n?: unknown; fields?: unknown } | null | undefined;
  if (!r || !Array.isArray(r.fields)) return null;
  const num = (x: unknown) => (typeof x === 'number' ? x : null);
  return {
    split: String(r.split ?? ''),
    n: Number(r.n ?? 0),
    fields: r.fields.map((f: Record<string, unknown>) => {
      const a = f.autoApply as Record<string, unknown> | undefined;
      return {
        field: String(f.field),
        n: Number(f.n ?? 0),
        accuracy: Number(f.accuracy ?? 0),
        macroF1: num(f.macroF1),
        ece: num(f.ece),
        predictable: num(f.predictable),
        autoApply: a
          ? { targetPrecision: Number(a.targetPrecision), threshold: num(a.threshold), coverage: Number(a.coverage), precision: Number(a.precision) }
          : null,
      };
    }),
  };
}

/** URIs of the resources, so tool results can point at them. */
export const uris = {
  fields: (tenant: string) => `triage://tenants/${encodeURIComponent(tenant)}/fields`,
  run: (tenant: string, run: number) => `triage://tenants/${encodeURIComponent(tenant)}/runs/${run}`,
  report: (tenant: string, checkpoint: number) => `triage://tenants/${encodeURIComponent(tenant)}/checkpoints/${checkpoint}/report`,
};
