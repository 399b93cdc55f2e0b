/**
 * What an agent needs to know about a run at a glance: status, progress, the last loss, the ETA and the metrics
 * so far, built from the run and its stored events.
 */
import { z } from 'zod';
import type { EngineClient, Run, RunEvent } from '../engine/client/engine-client';
import { pct } from './results';
import { summarizeReport, uris } from './shapes';

export const RunMetric = z.object({
  split: z.string().nullable(),
  field: z.string(),
  accuracy: z.number(),
  macroF1: z.number().nullable(),
  ece: z.number().nullable(),
});

export const RunSummary = z.object({
  id: z.number(),
  tenant: z.string(),
  kind: z.string(),
  tier: z.string(),
  status: z.string(),
  done: z.boolean().describe('true once the run is succeeded, failed, cancelled or interrupted'),
  progress: z.number().describe('0..1'),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const RunView = RunSummary.extend({
  phase: z.string().nullable(),
  lastLoss: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  startedAt: z.string().nullable(),
  metrics: z.array(RunMetric),
  result: z.record(z.string(), z.unknown()).nullable().describe('What the run produced (checkpointId, accuracy, sync counts, report summary)'),
  resource: z.string().describe('URI of the resource with the full log and metrics of this run'),
});
export type RunView = z.infer<typeof RunView>;

export const isDone = (run: Run) => !['queued', 'running'].includes(run.status);

export function runSummary(run: Run): z.infer<typeof RunSummary> {
  return {
    id: run.id,
    tenant: run.tenantId,
    kind: run.kind,
    tier: run.tier,
    status: run.status,
    done: isDone(run),
    progress: run.progress,
    error: run.error,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
  };
}

/** Every stored event of a run, page by page (the engine answers at most a few thousand at a time). */
export async function allEvents(client: EngineClient, tenant: string, run: number): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for (let page = 0; page < 50; page++) {
    const batch = await client.runEvents(tenant, run, events.at(-1)?.seq ?? 0);
    if (!batch.length) break;
    events.push(...batch);
  }
  return events;
}

const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : null);

export function runView(run: Run, events: RunEvent[]): RunView {
  const progress = events.filter((e) => e.kind === 'progress');
  const lastProgress = progress.at(-1);
  const lastLoss = [...progress].reverse().find((e) => num(e.data.loss) !== null);
  // The latest metric per split and field: a resumed run may report a field again.
  const metrics = new Map<string, z.infer<typeof RunMetric>>();
  for (const e of events) {
    if (e.kind !== 'metric' || typeof e.data.field !== 'string' || num(e.data.accuracy) === null) continue;
    const split = typeof e.data.split === 'string' ? e.data.split : null;
    metrics.set(`${split}\u0000${e.data.field}`, { split, field: e.data.field, accuracy: Number(e.data.accuracy), macroF1: num(e.data.macroF1), ece: num(e.data.ece) });
  }
  const result = run.result ? { ...run.result } : null;
  if (result && 'report' in result) result.report = summarizeReport(result.report);
  return {
    ...runSummary(run),
    phase: typeof lastProgress?.data.phase === 'string' ? lastProgress.data.phase : null,
    lastLoss: lastLoss ? Number(lastLoss.data.loss) : null,
    etaSeconds: isDone(run) ? null : num(lastProgress?.data.etaS),
    startedAt: run.startedAt,
    metrics: [...metrics.values()],
    result,
    resource: uris.run(run.tenantId, run.id),
  };
}

export async function loadRunView(client: EngineClient, tenant: string, run: number): Promise<RunView> {
  const [r, events] = await Promise.all([client.getRun(tenant, run), allEvents(client, tenant, run)]);
  return runView(r, events);
}

/** One line for the text part of a result. */
export function describeRun(v: RunView): string {
  const head = `Run ${v.id} (${v.kind}, ${v.tier}) of tenant ${v.tenant}: ${v.status}`;
  if (!v.done) {
    const bits = [pct(v.progress), v.phase, v.lastLoss !== null ? `loss ${v.lastLoss.toFixed(4)}` : null, v.etaSeconds !== null ? `ETA ${v.etaSeconds} s` : null];
    return `${head}, ${bits.filter(Boolean).join(', ')}.`;
  }
  if (v.status !== 'succeeded') return `${head}${v.error ? `: ${v.error}` : ''}.`;
  const test = v.metrics.filter((m) => m.split === 'test' || m.split === null);
  const shown = test.length ? test : v.metrics;
  if (!shown.length) return `${head}.`;
  const label = shown[0].split ? `${shown[0].split} accuracy` : 'accuracy';
  return `${head}; ${label}: ${shown.map((m) => `${m.field} ${pct(m.accuracy)}`).join(', ')}.`;
}
