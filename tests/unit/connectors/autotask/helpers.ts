/** Shared setup for the Autotask tests: a real mock on 127.0.0.1:0 and the real client with short backoffs. */
import { afterEach } from 'vitest';
import { type AutotaskConnector, type AutotaskConnectorOptions, createAutotaskConnector } from '../../../../connectors/autotask';
import { type AutotaskMock, type AutotaskMockOptions, startAutotaskMock } from '../../../../connectors/autotask/mock-server';
import type { HttpOptions } from '../../../../connectors/shared/http';
import type { PsaTicket, TicketQuery } from '../../../../connectors/types';

const open: AutotaskMock[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((m) => m.close()));
});

/** A mock closed after the test; small tenant unless asked otherwise. */
export async function startMock(opts: AutotaskMockOptions = {}): Promise<AutotaskMock> {
  const mock = await startAutotaskMock({ ...opts, tenant: { tickets: 300, ...opts.tenant } });
  open.push(mock);
  return mock;
}

export const FAST_HTTP: HttpOptions = { baseDelayMs: 5, maxDelayMs: 20, maxRetries: 3, timeoutMs: 5_000 };

export function connectorFor(
  mock: AutotaskMock,
  opts: Partial<AutotaskConnectorOptions> = {},
): AutotaskConnector {
  return createAutotaskConnector({
    ...mock.credentials,
    discoveryUrl: mock.url,
    ...opts,
    http: { ...FAST_HTTP, ...opts.http },
  });
}

export async function collect(c: AutotaskConnector, query: Partial<TicketQuery> = {}): Promise<PsaTicket[][]> {
  const pages: PsaTicket[][] = [];
  for await (const page of c.fetchTickets({ since: null, afterId: null, ...query })) pages.push(page);
  return pages;
}

/** Raw calls to the mock's zone with valid credentials, for the mock's own behaviour. */
export function rawClient(mock: AutotaskMock) {
  const headers = {
    ApiIntegrationCode: mock.credentials.integrationCode,
    UserName: mock.credentials.username,
    Secret: mock.credentials.secret,
    'content-type': 'application/json',
  };
  return async (method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}) => {
    const url = /^https?:/.test(path) ? path : `${mock.zoneUrl}V1.0/${path}`;
    const res = await fetch(url, { method, headers: { ...headers, ...extraHeaders }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as any };
  };
}

/** Every value an error can show: message, stack, and its JSON form. */
export function everythingIn(err: unknown): string {
  const e = err as Error;
  return [String(err), e?.message, e?.stack, JSON.stringify(err), JSON.stringify((err as { cause?: unknown })?.cause ?? null)].join('\n');
}

export async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}
