/** Shared test setup: a mock tenant, a connector pointed at it with fast retries, and raw authenticated calls. */
import { createConnectWiseConnector, type ConnectWiseConnectorOptions } from '../../../../connectors/connectwise/client';
import { startConnectWiseMock, type ConnectWiseMock, type StartMockOptions } from '../../../../connectors/connectwise/mock-server';
import type { HttpOptions } from '../../../../connectors/shared/http';
import type { PsaConnector, PsaTicket, TicketQuery } from '../../../../connectors/types';

export const FAST_HTTP: HttpOptions = { baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 5000, maxRetries: 4 };

export async function startMock(opts: StartMockOptions = {}): Promise<ConnectWiseMock> {
  return startConnectWiseMock({ ...opts, tenant: { tickets: 120, ...opts.tenant } });
}

export function connectorFor(
  mock: ConnectWiseMock,
  extra: Partial<ConnectWiseConnectorOptions> = {},
): PsaConnector {
  return createConnectWiseConnector({ site: mock.url, ...mock.credentials, ...extra, http: { ...FAST_HTTP, ...extra.http } });
}

export async function collect(connector: PsaConnector, query: Partial<TicketQuery> = {}): Promise<PsaTicket[][]> {
  const pages: PsaTicket[][] = [];
  for await (const page of connector.fetchTickets({ since: null, afterId: null, ...query })) pages.push(page);
  return pages;
}

export function authHeaders(mock: ConnectWiseMock): Record<string, string> {
  const { companyId, publicKey, privateKey, clientId } = mock.credentials;
  return {
    authorization: `Basic ${Buffer.from(`${companyId}+${publicKey}:${privateKey}`).toString('base64')}`,
    clientId,
  };
}

/** A raw call to the mock's API, for checking the mock itself. */
export async function api(
  mock: ConnectWiseMock,
  method: string,
  path: string,
  opts: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const res = await fetch(`${mock.url}/${mock.codebase}apis/3.0${path}`, {
    method,
    headers: { ...authHeaders(mock), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}
