/**
 * A faithful ConnectWise Manage mock on node:http (facts Part E, ConnectWise list): companyinfo without auth,
 * Basic auth + clientId on `/{codebase}apis/3.0/`, tickets, notes, reference data and callbacks, the versioned
 * Content-Type and `api-current-version`, errors always `{code, message, errors?}`; plus fault injection, an
 * optional constant latency and an optional token-bucket rate limit. node:http (not hono) because a dropped
 * connection must be cut halfway through a body, which needs the raw socket.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockFaults } from '../shared/mock-faults';
import { TokenBucket, type RateLimit } from './mock-throttle';
import { referenceRoutes } from './mock-routes-reference';
import { ticketRoutes, type RouteRequest } from './mock-routes-tickets';
import { MockState } from './mock-state';
import { populateTenant, type MockTenantOptions } from './mock-tenant';
import { cwError, type MockResponse } from './mock-types';

export interface StartMockOptions {
  tenant?: MockTenantOptions;
  /** Added to every request (benchmarks). */
  latencyMs?: number;
  rateLimit?: RateLimit;
  /** Initial codebase (default 'v4_6_release/'). */
  codebase?: string;
  port?: number;
}

export interface MockCredentials {
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
}

export interface LoggedRequest {
  method: string;
  /** Path and query as sent. */
  target: string;
  headers: Record<string, string | undefined>;
  body: unknown;
}

export interface ConnectWiseMock {
  /** The site base, e.g. http://127.0.0.1:PORT. */
  url: string;
  credentials: MockCredentials;
  /** The current codebase (see setCodebase). */
  readonly codebase: string;
  /** Moves the tenant to another codebase, as hosted ConnectWise does on upgrades: old API paths then 404. */
  setCodebase(codebase: string): void;
  state: MockState;
  faults: MockFaults;
  /** The most recent requests (at most 5,000), oldest first. */
  requests: LoggedRequest[];
  close(): Promise<void>;
}

export const CURRENT_API_VERSION = '2025.8';
const LOG_LIMIT = 5000;

const CREDENTIALS: MockCredentials = {
  companyId: 'examplemsp',
  publicKey: 'Pub7xQmockKey01',
  privateKey: 'Priv9ZsecretMockKey42',
  clientId: '3f2b7c1e-9d4a-4e8b-a1c6-5f0e2d9b7a10',
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Never echoes what was sent: a wrong key must not appear in a response or a log. */
function checkAuth(req: IncomingMessage, creds: MockCredentials): MockResponse | null {
  const header = req.headers.authorization ?? '';
  const m = /^Basic\s+(.+)$/i.exec(header);
  if (!m) return cwError(401, 'Unauthorized', 'Authorization header with Basic credentials is required');
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const plus = user.indexOf('+');
  const company = plus < 0 ? '' : user.slice(0, plus);
  const ok =
    colon >= 0 &&
    company.toLowerCase() === creds.companyId.toLowerCase() &&
    user.slice(plus + 1) === creds.publicKey &&
    decoded.slice(colon + 1) === creds.privateKey;
  if (!ok) return cwError(401, 'Unauthorized', 'UserNotAuthenticated: the company, public key or private key is not valid');
  const clientId = req.headers.clientid;
  if (!clientId) return cwError(401, 'Unauthorized', 'A clientId header is required (register one at developer.connectwise.com)');
  if (clientId !== creds.clientId) return cwError(401, 'Unauthorized', 'The clientId is not valid');
  return null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function startConnectWiseMock(opts: StartMockOptions = {}): Promise<ConnectWiseMock> {
  const state = new MockState(opts.codebase ?? 'v4_6_release/', CURRENT_API_VERSION);
  populateTenant(state, opts.tenant);
  const faults = new MockFaults(5000);
  const bucket = opts.rateLimit ? new TokenBucket(opts.rateLimit) : null;
  const creds = { ...CREDENTIALS };
  const requests: LoggedRequest[] = [];

  function route(req: IncomingMessage, url: URL, body: unknown): MockResponse {
    const info = /^\/login\/companyinfo\/([^/]+)\/?$/.exec(url.pathname);
    if (info) {
      if (req.method !== 'GET') return cwError(405, 'MethodNotAllowed', 'companyinfo is read-only');
      if (decodeURIComponent(info[1]).toLowerCase() !== creds.companyId.toLowerCase()) {
        return cwError(404, 'NotFound', 'Company was not found');
      }
      const v = state.apiVersion;
      return {
        status: 200,
        body: { CompanyName: 'Example MSP', Codebase: state.codebase, VersionCode: `v${v}`, VersionNumber: `v4.6.${v.replace('.', '')}`, CompanyID: creds.companyId, IsCloud: true, SiteUrl: url.host },
      };
    }
    const api = /^\/([^/]+\/)apis\/3\.0\/(.*)$/.exec(url.pathname);
    if (!api) return cwError(404, 'NotFound', `${url.pathname} was not found`);
    if (api[1] !== state.codebase) return cwError(404, 'NotFound', `codebase ${api[1]} is not served here`);
    const denied = checkAuth(req, creds);
    if (denied) return denied;
    const r: RouteRequest = {
      method: req.method ?? 'GET',
      segments: api[2].split('/').filter(Boolean),
      query: url.searchParams,
      body,
      forwardOnlyAsked: String(req.headers['pagination-type'] ?? '').toLowerCase() === 'forward-only',
      list: {
        query: url.searchParams,
        self: url,
        forwardOnly: false,
        linkHeader: state.settings.linkHeader,
        defaultPageSize: state.settings.defaultPageSize,
      },
    };
    return ticketRoutes(state, r) ?? referenceRoutes(state, r) ?? cwError(404, 'NotFound', `${api[2]} was not found`);
  }

  function send(req: IncomingMessage, res: ServerResponse, out: MockResponse, drop = false): void {
    if (res.destroyed) return;
    const version = /version=([\w.]+)/i.exec(req.headers.accept ?? '')?.[1] ?? state.apiVersion;
    res.setHeader('api-current-version', state.apiVersion);
    for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
    if (out.status === 204 || out.body === undefined) {
      res.writeHead(out.status).end();
      return;
    }
    const payload = Buffer.from(JSON.stringify(out.body));
    res.setHeader('content-type', `application/vnd.connectwise.com+json; version=${version}`);
    res.setHeader('content-length', payload.length);
    res.writeHead(out.status);
    if (!drop) {
      res.end(payload);
      return;
    }
    // Half the body, then the connection dies: the client sees a truncated response, not an HTTP error.
    res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.socket?.destroy());
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const raw = await readBody(req);
    let body: unknown;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(req, res, cwError(400, 'InvalidObject', 'The request body is not valid JSON'));
      }
    }
    requests.push({
      method: req.method ?? 'GET',
      target: url.pathname + url.search,
      headers: { accept: req.headers.accept, 'pagination-type': req.headers['pagination-type'] as string | undefined },
      body,
    });
    if (requests.length > LOG_LIMIT) requests.splice(0, requests.length - LOG_LIMIT);
    if (opts.latencyMs) await sleep(opts.latencyMs);
    const fault = faults.take(url.pathname + url.search);
    if (fault?.kind === '429') {
      return send(req, res, { ...cwError(429, 'TooManyRequests', 'Request volume exceeds capacity limits; retry later'), headers: { 'retry-after': String(fault.retryAfterS) } });
    }
    if (fault?.kind === '500') return send(req, res, cwError(500, 'InternalServerError', 'An unexpected error occurred'));
    if (fault?.kind === 'slow') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, fault.delayMs);
        res.on('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const wait = bucket?.take() ?? 0;
    if (wait > 0) {
      return send(req, res, { ...cwError(429, 'TooManyRequests', 'Request volume exceeds capacity limits; retry later'), headers: { 'retry-after': String(wait) } });
    }
    send(req, res, route(req, url, body), fault?.kind === 'drop');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(req, res, cwError(500, 'InternalServerError', err instanceof Error ? err.message : 'unexpected error'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    credentials: creds,
    get codebase() {
      return state.codebase;
    },
    setCodebase(codebase: string) {
      state.codebase = codebase.endsWith('/') ? codebase : `${codebase}/`;
    },
    state,
    faults,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
