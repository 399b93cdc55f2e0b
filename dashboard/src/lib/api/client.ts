/**
 * The engine's HTTP API as the dashboard uses it; mirrors engine/client/engine-client.ts with the browser's
 * fetch, the signed-in token and relative URLs (the dashboard is served by the engine it talks to).
 */
import { ApiError } from './errors';
import { request } from './request';
import type {
  Checkpoint,
  Connector,
  Dataset,
  Deployment,
  Evaluation,
  FieldSchema,
  GpuQueue,
  ImportSummary,
  LiveAccuracy,
  ModelFlag,
  Prediction,
  Run,
  RunEvent,
  RunStatus,
  StartRun,
  TenantSummary,
  Ticket,
  TicketToTriage,
  TriageSettings,
} from './types';

/** Which CSV columns hold the title and the description (the other columns are fields). */
export interface CsvMapping {
  title?: string;
  description?: string;
}

const t = (tenant: string) => `/api/tenants/${encodeURIComponent(tenant)}`;

/** Expected absence is a value: a tenant without a PSA connection has no connector. */
async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export const api = {
  listTenants: () => request<{ tenants: TenantSummary[] }>('GET', '/api/tenants').then((r) => r.tenants),
  getTenant: (tenant: string) => request<TenantSummary>('GET', t(tenant)),
  createTenant: (id: string, name?: string) => request<TenantSummary>('POST', '/api/tenants', { body: { id, name } }),
  getFields: (tenant: string) => request<{ fields: FieldSchema[] }>('GET', `${t(tenant)}/fields`).then((r) => r.fields),

  importFile: (tenant: string, file: Blob, opts: { filename?: string; dryRun?: boolean; mapping?: CsvMapping } = {}) => {
    const q = new URLSearchParams();
    if (opts.filename) q.set('filename', opts.filename);
    if (opts.mapping && Object.keys(opts.mapping).length) q.set('mapping', JSON.stringify(opts.mapping));
    if (opts.dryRun) q.set('dryRun', 'true');
    return request<ImportSummary>('POST', `${t(tenant)}/imports?${q}`, { raw: file });
  },
  listTickets: (tenant: string, q: { q?: string; limit?: number; offset?: number } = {}) => {
    const qs = new URLSearchParams();
    if (q.q) qs.set('q', q.q);
    qs.set('limit', String(q.limit ?? 50));
    qs.set('offset', String(q.offset ?? 0));
    return request<{ total: number; tickets: Ticket[] }>('GET', `${t(tenant)}/tickets?${qs}`);
  },
  listDatasets: (tenant: string) => request<{ datasets: Dataset[] }>('GET', `${t(tenant)}/datasets`).then((r) => r.datasets),

  listRuns: (filter: { tenant?: string; status?: RunStatus; kind?: Run['kind']; limit?: number } = {}) => {
    const qs = new URLSearchParams({ limit: String(filter.limit ?? 100) });
    if (filter.status) qs.set('status', filter.status);
    if (filter.kind) qs.set('kind', filter.kind);
    const base = filter.tenant ? `${t(filter.tenant)}/runs` : '/api/runs';
    return request<{ runs: Run[] }>('GET', `${base}?${qs}`).then((r) => r.runs);
  },
  getRun: (tenant: string, run: number) => request<Run>('GET', `${t(tenant)}/runs/${run}`),
  gpuQueue: () => request<GpuQueue>('GET', '/api/gpu-queue'),
  startRun: (tenant: string, body: StartRun) => request<Run>('POST', `${t(tenant)}/runs`, { body }),
  cancelRun: (tenant: string, run: number) => request<Run>('POST', `${t(tenant)}/runs/${run}/cancel`),
  resumeRun: (tenant: string, run: number) => request<Run>('POST', `${t(tenant)}/runs/${run}/resume`),
  runEvents: (tenant: string, run: number, after = 0) =>
    request<{ events: RunEvent[] }>('GET', `${t(tenant)}/runs/${run}/events?after=${after}`).then((r) => r.events),

  listCheckpoints: (tenant: string) =>
    request<{ checkpoints: Checkpoint[] }>('GET', `${t(tenant)}/checkpoints`).then((r) => r.checkpoints),
  getCheckpoint: (tenant: string, id: number) => request<Checkpoint>('GET', `${t(tenant)}/checkpoints/${id}`),
  evaluations: (tenant: string, checkpoint: number) =>
    request<{ evaluations: Evaluation[] }>('GET', `${t(tenant)}/checkpoints/${checkpoint}/evaluations`).then((r) => r.evaluations),
  listDeployments: (tenant: string) =>
    request<{ deployments: Deployment[] }>('GET', `${t(tenant)}/deployments`).then((r) => r.deployments),
  deploy: (tenant: string, checkpointId: number) => request<Deployment>('POST', `${t(tenant)}/deployments`, { body: { checkpointId } }),
  rollback: (tenant: string) => request<Deployment>('POST', `${t(tenant)}/deployments/rollback`),

  predict: (tenant: string, ticket: TicketToTriage, choices?: Record<string, string[]>) =>
    request<{ prediction: Prediction }>('POST', `${t(tenant)}/predict`, { body: { ticket, choices } }).then((r) => r.prediction),

  getConnector: (tenant: string) => orNull(request<Connector>('GET', `${t(tenant)}/connector`)),
  getTriageSettings: (tenant: string) => request<TriageSettings>('GET', `${t(tenant)}/triage-settings`),
  setTriageSettings: (tenant: string, body: TriageSettings) => request<TriageSettings>('PUT', `${t(tenant)}/triage-settings`, { body }),
  liveAccuracy: (tenant: string, days = 90) => request<LiveAccuracy>('GET', `${t(tenant)}/live-accuracy?days=${days}`),
  modelFlags: (tenant: string) => request<{ flags: ModelFlag[] }>('GET', `${t(tenant)}/model-flags`).then((r) => r.flags),
};
