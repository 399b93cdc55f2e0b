/**
 * A faithful local Autotask REST service for tests and benchmarks (facts Part E). It serves zone discovery
 * without auth at `{url}V1.0/ZoneInformation`, and the tenant's zone at `http://host:port/zone{ci}/ATServicesRest/`
 * (a path prefix stands in for the zone's own host, so a zone move is testable: the old base answers 401).
 * Every other call needs the three auth headers, counts against the hourly threshold and the per-endpoint
 * thread limit, and may meet an injected fault. Errors are always `{"errors":[string]}`.
 */
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ActiveFault, type FaultSpec, MockFaults } from '../shared/mock-faults';
import { HourlyCounter, ThreadLimiter } from './mock-limits';
import { methodNotAllowed, noResource, routeEntity } from './mock-router';
import { MockState } from './mock-state';
import { type MockTenantOptions, populateTenant } from './mock-tenant';
import { HEADER, MockApiError } from './mock-types';

export type { MockTenantOptions } from './mock-tenant';
export type { FaultSpec, FaultKind } from '../shared/mock-faults';

export interface AutotaskMockOptions {
  /** The generated tenant (default 2000 tickets); `{ tickets: 0 }` for an empty one. */
  tenant?: MockTenantOptions;
  /** Faults queued before the first request. */
  faults?: FaultSpec[];
  /** Added to every authenticated request while it holds its thread slot (server work time). */
  latencyMs?: number;
  /** API users (default: one generated user). The first one is `credentials`. */
  users?: { username: string; secret: string }[];
  integrationCode?: string;
  zone?: { name?: string; ci?: number };
  /** Concurrent requests per (integration code, endpoint) (default 3, facts A10). */
  threadLimit?: number;
  /** Requests per rolling hour (default 10,000). */
  hourlyThreshold?: number;
  /** Port on 127.0.0.1 (default 0: any free port; tests always use 0). */
  port?: number;
}

export interface AutotaskMock {
  /** The discovery base, e.g. http://127.0.0.1:PORT/ATServicesRest/ (pass as discoveryUrl). */
  url: string;
  /** The tenant's current zone API base (what ZoneInformation answers). */
  readonly zoneUrl: string;
  credentials: { username: string; secret: string; integrationCode: string };
  state: MockState;
  faults: MockFaults;
  hourly: HourlyCounter;
  /** Moves the tenant to another zone: requests to the old zone base answer 401 from now on. */
  moveZone(ci: number, name?: string): void;
  close(): Promise<void>;
}

const THREAD_MESSAGE = (n: number) => `Thread Threshold Exceeded — The Autotask API thread threshold of ${n} threads has been exceeded.`;

export async function startAutotaskMock(opts: AutotaskMockOptions = {}): Promise<AutotaskMock> {
  const users = (opts.users ?? [{ username: 'triage-api@mock-msp.example', secret: `at-secret-${randomBytes(9).toString('base64url')}` }]).map(
    (u, i) => ({ ...u, resourceId: 29_684_100 + i }),
  );
  const integrationCode = opts.integrationCode ?? `MOCK${randomBytes(8).toString('hex').toUpperCase()}`;
  const state = new MockState(integrationCode, users, { name: opts.zone?.name ?? 'America East 3', ci: opts.zone?.ci ?? 3 });
  populateTenant(state, opts.tenant);
  const faults = new MockFaults(1000);
  for (const f of opts.faults ?? []) faults.inject(f);
  const hourly = new HourlyCounter(opts.hourlyThreshold ?? 10_000);
  const threads = new ThreadLimiter(opts.threadLimit ?? 3);
  const closing = new AbortController();
  let origin = '';

  const ctx: HandlerContext = { state, faults, hourly, threads, latencyMs: opts.latencyMs ?? 0, closing: closing.signal, origin: () => origin };
  const server: Server = createServer((req, res) => {
    handle(ctx, req, res).catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) send(res, 500, { errors: [`Mock failure: ${(err as Error).message}`] });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/ATServicesRest/`,
    get zoneUrl() {
      return zoneBase(origin, state.zone.ci);
    },
    credentials: { username: users[0].username, secret: users[0].secret, integrationCode },
    state,
    faults,
    hourly,
    moveZone(ci, name) {
      state.zone = { ci, name: name ?? `Zone ${ci}` };
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface HandlerContext {
  state: MockState;
  faults: MockFaults;
  hourly: HourlyCounter;
  threads: ThreadLimiter;
  latencyMs: number;
  closing: AbortSignal;
  origin(): string;
}

const zoneBase = (origin: string, ci: number) => `${origin}/zone${ci}/ATServicesRest/`;

async function handle(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { state } = ctx;
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', ctx.origin());
  const rawBody = await readBody(req);
  const entry = { at: new Date().toISOString(), method, path: url.pathname + url.search, headers: redactHeaders(req), body: parseLogged(rawBody), status: 0, fault: undefined as string | undefined };
  state.counters.requests++;
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}, drop = false) => {
    entry.status = status;
    state.counters.byStatus[status] = (state.counters.byStatus[status] ?? 0) + 1;
    state.log(entry);
    send(res, status, body, headers, drop);
  };

  const fault: ActiveFault | null = ctx.faults.take(entry.path);
  if (fault) {
    entry.fault = fault.kind;
    state.counters.faultsApplied++;
    if (fault.kind === '429') return reply(429, { errors: ['Too many requests. Please retry later.'] }, { 'retry-after': String(fault.retryAfterS) });
    if (fault.kind === '500') return reply(500, { errors: ['An unexpected error has occurred. Please try again.'] });
    if (fault.kind === 'slow' && !(await pause(fault.delayMs, ctx.closing))) return void res.destroy();
  }
  const drop = fault?.kind === 'drop';

  let release: (() => void) | null = null;
  try {
    const segs = url.pathname.split('/').filter(Boolean);
    const zoneMatch = /^zone(\d+)$/i.exec(segs[0] ?? '');
    const requestZone = zoneMatch ? Number(zoneMatch[1]) : null;
    if (zoneMatch) segs.shift();
    if ((segs.shift() ?? '').toLowerCase() !== 'atservicesrest') throw noResource(url.pathname);
    const version = (segs.shift() ?? '').toLowerCase();
    if (version === 'versioninformation' && segs.length === 0) return reply(200, { apiVersions: ['1.0'] });
    if (version !== 'v1.0' || segs.length === 0) throw noResource(url.pathname);
    const endpoint = segs[0].toLowerCase();

    if (endpoint === 'zoneinformation' && segs.length === 1) {
      // No auth and no thread limit here (facts A3); an unknown user is a 500, not a 401 (facts A2).
      if (method !== 'GET') throw methodNotAllowed(method);
      state.counters.zoneLookups++;
      const user = url.searchParams.get('user')?.trim().toLowerCase();
      if (!user || !state.users.some((u) => u.username.toLowerCase() === user)) throw new MockApiError(500, 'Zone information could not be determined');
      const { ci, name } = state.zone;
      return reply(200, { zoneName: name, url: zoneBase(ctx.origin(), ci), webUrl: `${ctx.origin()}/ww${ci}/`, ci }, {}, drop);
    }

    const user = authenticate(state, req, requestZone);
    if (!ctx.hourly.tryCount()) {
      state.counters.thresholdRejections++;
      throw new MockApiError(429, `The request threshold of ${ctx.hourly.threshold} requests per hour for this database has been exceeded. Requests are refused until usage falls.`);
    }
    release = ctx.threads.tryAcquire(`${state.integrationCode}|${endpoint}`);
    if (!release) {
      state.counters.threadRejections++;
      throw new MockApiError(429, THREAD_MESSAGE(ctx.threads.limit));
    }
    res.once('close', release);
    if (ctx.latencyMs > 0 && !(await pause(ctx.latencyMs, ctx.closing))) return void res.destroy();

    if (endpoint === 'thresholdinformation' && segs.length === 1) {
      if (method !== 'GET') throw methodNotAllowed(method);
      return reply(200, {
        externalRequestThreshold: ctx.hourly.threshold,
        requestThresholdTimeframe: 60,
        currentTimeframeRequestCount: ctx.hourly.current(),
      }, {}, drop);
    }
    const impersonation = Number(req.headers[HEADER.impersonation]);
    const result = routeEntity(state, {
      method,
      segments: segs,
      query: url.searchParams,
      body: parseBody(rawBody),
      zoneBase: zoneBase(ctx.origin(), requestZone ?? state.zone.ci),
      actor: { resourceId: user.resourceId, impersonationResourceId: Number.isInteger(impersonation) && impersonation > 0 ? impersonation : null },
    });
    return reply(result.status, result.body, {}, drop);
  } catch (err) {
    if (!(err instanceof MockApiError)) throw err;
    return reply(err.status, { errors: [err.message] }, {}, drop);
  } finally {
    if (res.destroyed) release?.();
  }
}

/** Wrong user or secret, or the wrong zone's base: 401. A bad integration code: 500 (facts A2, A11). */
function authenticate(state: MockState, req: IncomingMessage, requestZone: number | null) {
  const header = (name: string) => {
    const v = req.headers[name];
    return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
  };
  const userName = header(HEADER.userName).toLowerCase();
  const user = state.users.find((u) => u.username.toLowerCase() === userName);
  if (!user || header(HEADER.secret) !== user.secret || requestZone !== state.zone.ci) {
    throw new MockApiError(401, 'Authorization has been denied for this request.');
  }
  if (header(HEADER.integrationCode) !== state.integrationCode) throw new MockApiError(500, 'IntegrationCode is invalid.');
  return user;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string): unknown {
  if (!raw.trim()) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new MockApiError(500, 'The request body is not valid JSON.');
  }
}

function parseLogged(raw: string): unknown {
  try {
    return raw.trim() ? JSON.parse(raw) : undefined;
  } catch {
    return raw;
  }
}

/** The request log must never hold credentials. */
function redactHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k] = k === HEADER.secret || k === HEADER.integrationCode ? '***' : Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

/** Resolves true after ms, or false at once when the mock is closing. */
function pause(ms: number, closing: AbortSignal): Promise<boolean> {
  if (closing.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      closing.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    closing.addEventListener('abort', onAbort, { once: true });
  });
}

/** Writes JSON; `drop` sends the headers and half the body, then cuts the connection. */
function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, drop = false): void {
  if (res.destroyed || res.headersSent) return;
  const buf = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(buf.length), ...headers });
  if (drop) {
    res.write(buf.subarray(0, Math.max(1, buf.length >> 1)), () => res.destroy());
    return;
  }
  res.end(buf);
}
