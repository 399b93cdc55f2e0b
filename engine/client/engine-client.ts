/**
 * A typed client of the engine's HTTP API, for the CLI (and later the MCP server and scripts). Response types
 * come from the same zod schemas that validate the API and write its OpenAPI document.
 */
import type { z } from '@hono/zod-openapi';
import type * as S from '../api/schemas';
import type { LiveAccuracy } from '../eval/types';

export type TenantSummary = z.infer<typeof S.TenantSummary>;
export type FieldSchema = z.infer<typeof S.FieldSchema>;
export type Run = z.infer<typeof S.Run>;
export type RunEvent = z.infer<typeof S.RunEvent>;
export type Checkpoint = z.infer<typeof S.Checkpoint>;
export type Deployment = z.infer<typeof S.Deployment>;
export type Dataset = z.infer<typeof S.Dataset>;
export type Prediction = z.infer<typeof S.Prediction>;
export type ImportSummary = z.infer<typeof S.ImportSummary>;
export type StartRun = z.input<typeof S.StartRun>;
export type TicketToTriage = z.input<typeof S.TicketToTriage>;
export type ConnectorInput = z.input<typeof S.ConnectorInput>;
export type Connector = z.infer<typeof S.Connector>;
export type TriageSettings = z.infer<typeof S.TriageSettings>;
export type GpuQueue = z.infer<typeof S.GpuQueue>;
export type { LiveAccuracy };

/** An error answer of the engine, with its code and details (e.g. the rows of an invalid import). */
export class EngineError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export class EngineClient {
  private readonly fetch: typeof fetch;

  /**
   * @param fetchImpl replaces the network: the engine's own /mcp endpoint passes its app's fetch, so the MCP
   * server goes through the same routes, auth and tenant checks without a socket.
   */
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
    fetchImpl?: typeof fetch,
  ) {
    this.fetch = fetchImpl ?? fetch;
  }

  /** Any route, for the few the typed methods do not cover (admin endpoints). */
  rawRequest<T>(method: string, path: string, body?: unknown): Promise<T> {
    return this.request<T>(method, path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown, init: { raw?: Uint8Array; contentType?: string } = {}): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let payload: Uint8Array | string | undefined;
    if (init.raw) {
      payload = init.raw;
      headers['content-type'] = init.contentType ?? 'application/octet-stream';
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    let res: Response;
    try {
      res = await this.fetch(new URL(path, this.baseUrl), { method, headers, body: payload });
    } catch (err) {
      throw new EngineError(0, 'unreachable', `cannot reach the engine at ${this.baseUrl} (${(err as Error).cause ?? (err as Error).message}); is it running? start it with \`npx triage serve\``);
    }
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const e = json?.error ?? {};
      throw new EngineError(res.status, e.code ?? 'http_error', e.message ?? `HTTP ${res.status}`, e.details);
    }
    return json as T;
  }

  private t(tenant: string) {
    return `/api/tenants/${encodeURIComponent(tenant)}`;
  }

  health = () => this.request<{ ok: boolean }>('GET', '/api/health');
  listTenants = () => this.request<{ tenants: TenantSummary[] }>('GET', '/api/tenants').then((r) => r.tenants);
  getTenant = (tenant: string) => this.request<TenantSummary>('GET', this.t(tenant));
  createTenant = (id: string, name?: string) => this.request<TenantSummary>('POST', '/api/tenants', { id, name });
  getFields = (tenant: string) => this.request<{ fields: FieldSchema[] }>('GET', `${this.t(tenant)}/fields`).then((r) => r.fields);

  importFile = (tenant: string, bytes: Uint8Array, opts: { filename?: string; format?: string; mapping?: unknown; dryRun?: boolean } = {}) => {
    const q = new URLSearchParams();
    if (opts.filename) q.set('filename', opts.filename);
    if (opts.format) q.set('format', opts.format);
    if (opts.mapping) q.set('mapping', JSON.stringify(opts.mapping));
    if (opts.dryRun) q.set('dryRun', 'true');
    return this.request<ImportSummary>('POST', `${this.t(tenant)}/imports?${q}`, undefined, { raw: bytes });
  };

  listDatasets = (tenant: string) => this.request<{ datasets: Dataset[] }>('GET', `${this.t(tenant)}/datasets`).then((r) => r.datasets);
  startRun = (tenant: string, body: StartRun) => this.request<Run>('POST', `${this.t(tenant)}/runs`, body);
  getRun = (tenant: string, run: number) => this.request<Run>('GET', `${this.t(tenant)}/runs/${run}`);
  listRuns = (tenant?: string) =>
    this.request<{ runs: Run[] }>('GET', tenant ? `${this.t(tenant)}/runs` : '/api/runs').then((r) => r.runs);
  gpuQueue = () =>
    this.request<GpuQueue>('GET', '/api/gpu-queue');
  cancelRun = (tenant: string, run: number) => this.request<Run>('POST', `${this.t(tenant)}/runs/${run}/cancel`);
  resumeRun = (tenant: string, run: number) => this.request<Run>('POST', `${this.t(tenant)}/runs/${run}/resume`);
  runEvents = (tenant: string, run: number, after = 0) =>
    this.request<{ events: RunEvent[] }>('GET', `${this.t(tenant)}/runs/${run}/events?after=${after}`).then((r) => r.events);
  listCheckpoints = (tenant: string) =>
    this.request<{ checkpoints: Checkpoint[] }>('GET', `${this.t(tenant)}/checkpoints`).then((r) => r.checkpoints);
  getCheckpoint = (tenant: string, id: number) => this.request<Checkpoint>('GET', `${this.t(tenant)}/checkpoints/${id}`);
  listDeployments = (tenant: string) =>
    this.request<{ deployments: Deployment[] }>('GET', `${this.t(tenant)}/deployments`).then((r) => r.deployments);
  deploy = (tenant: string, checkpointId: number) => this.request<Deployment>('POST', `${this.t(tenant)}/deployments`, { checkpointId });
  rollback = (tenant: string) => this.request<Deployment>('POST', `${this.t(tenant)}/deployments/rollback`);
  predict = (tenant: string, ticket: TicketToTriage, choices?: Record<string, string[]>) =>
    this.request<{ prediction: Prediction }>('POST', `${this.t(tenant)}/predict`, { ticket, choices }).then((r) => r.prediction);
  predictBatch = (tenant: string, tickets: TicketToTriage[], choices?: Record<string, string[]>) =>
    this.request<{ predictions: Prediction[] }>('POST', `${this.t(tenant)}/predict`, { tickets, choices }).then((r) => r.predictions);

  setConnector = (tenant: string, body: ConnectorInput) => this.request<Connector>('PUT', `${this.t(tenant)}/connector`, body);
  getConnector = (tenant: string) => this.request<Connector>('GET', `${this.t(tenant)}/connector`);
  getTriageSettings = (tenant: string) => this.request<TriageSettings>('GET', `${this.t(tenant)}/triage-settings`);
  setTriageSettings = (tenant: string, body: TriageSettings) => this.request<TriageSettings>('PUT', `${this.t(tenant)}/triage-settings`, body);
  liveAccuracy = (tenant: string, days = 90) => this.request<LiveAccuracy>('GET', `${this.t(tenant)}/live-accuracy?days=${days}`);

  /**
   * Follows a run's events over SSE until it is done; calls `onEvent` for each. Resolves with the final run.
   * Reconnects with Last-Event-ID if the stream drops, so no event is missed or repeated.
   */
  async followRun(tenant: string, run: number, onEvent: (e: RunEvent) => void, signal?: AbortSignal): Promise<Run> {
    let last = 0;
    for (let attempt = 0; attempt < 20 && !signal?.aborted; attempt++) {
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream' };
        if (this.token) headers.authorization = `Bearer ${this.token}`;
        if (last) headers['last-event-id'] = String(last);
        const res = await this.fetch(new URL(`${this.t(tenant)}/runs/${run}/events/stream`, this.baseUrl), { headers, signal });
        if (!res.ok || !res.body) throw new EngineError(res.status, 'stream_failed', `event stream answered HTTP ${res.status}`);
        for await (const event of parseSse(res.body)) {
          last = event.seq;
          onEvent(event);
        }
        const final = await this.getRun(tenant, run);
        if (!['queued', 'running'].includes(final.status)) return final;
      } catch (err) {
        if (signal?.aborted || (err instanceof EngineError && err.status >= 400 && err.status < 500)) throw err;
        await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** attempt, 4000)));
      }
    }
    return this.getRun(tenant, run);
  }
}

/** Minimal SSE reader: `data:` lines of one event are joined, events end at a blank line. */
async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<RunEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (line === '') {
        if (data.length) yield JSON.parse(data.join('\n')) as RunEvent;
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).trimStart());
      }
    }
  }
}
