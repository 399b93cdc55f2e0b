/**
 * One harness per PSA mock, so the engine's sync scenarios run unchanged against Autotask and ConnectWise:
 * start a generated tenant, the connector settings that point the engine at it, and the few mutations and
 * observations the scenarios need (new and completed tickets, a renamed choice, write-backs, faults).
 */
import { startAutotaskMock, type AutotaskMock } from '../../connectors/autotask/mock-server';
import { startConnectWiseMock, type ConnectWiseMock } from '../../connectors/connectwise/mock-server';
import type { ConnectorInput } from '../../engine/client/engine-client';
import { generateDemoTenant } from '../../engine/demo';

/** Short waits so retries stay fast in tests; production uses the clients' defaults. */
const TEST_HTTP = { baseDelayMs: 5, timeoutMs: 2000, maxRetries: 3 };

export interface Write {
  kind: 'update' | 'note';
  ticket: string;
  /** The fields an update set (tenant field names for Autotask's PATCH keys / ConnectWise's patch paths). */
  keys: string[];
}

export interface PsaHarness {
  kind: 'autotask' | 'connectwise';
  connectorInput: ConnectorInput;
  secretValues: string[];
  ticketCount(): number;
  /** Adds an open ticket with no field set, as it arrives from an end user; returns its id. */
  addOpenTicket(title: string, description: string): string;
  /** Completes a ticket with the given final values for the field named by `field` (others unchanged). */
  completeTicket(id: string): void;
  /** Renames one choice of the issue-type-like field; returns the tenant field name and value. */
  renameAChoice(): { field: string; value: string };
  writes(): Write[];
  /** The next `count` requests for ticket lists (after `skip` that go through) answer with this fault. */
  faultTicketPages(kind: '429' | '500' | 'slow' | 'drop', count: number, skip?: number): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const newTexts = generateDemoTenant({ count: 200, seed: 99 }).tickets;
let textIndex = 0;
export const nextDemoText = () => newTexts[textIndex++ % newTexts.length];

export async function startAutotaskHarness(tickets = 600): Promise<PsaHarness> {
  const mock: AutotaskMock = await startAutotaskMock({ tenant: { tickets, seed: 5 } });
  const AT_FIELDS: Record<string, string> = {
    tickettype: 'ticket_type', issuetype: 'issue_type', subissuetype: 'sub_issue_type',
    priority: 'priority', queueid: 'queue', billingcodeid: 'billing_code',
  };
  return {
    kind: 'autotask',
    connectorInput: {
      kind: 'autotask',
      config: { username: mock.credentials.username, discoveryUrl: mock.url, http: TEST_HTTP },
      secrets: { secret: mock.credentials.secret, integrationCode: mock.credentials.integrationCode },
    },
    secretValues: [mock.credentials.secret, mock.credentials.integrationCode],
    ticketCount: () => mock.state.tickets.rows.length,
    addOpenTicket: (title, description) => String(mock.state.addTicket({ title, description, priority: null }).id),
    completeTicket: (id) => void mock.state.completeTicket(Number(id)),
    renameAChoice: () => {
      const entry = mock.state.picklist('issueType').find((p) => p.isActive)!;
      mock.state.renamePicklistValue('issueType', Number(entry.value), `${entry.label} (renamed)`);
      return { field: 'issue_type', value: String(entry.value) };
    },
    writes: () =>
      mock.state.requests
        .filter((r) => (r.method === 'PATCH' && /\/tickets$/i.test(r.path)) || (r.method === 'POST' && /\/notes$/i.test(r.path)))
        .filter((r) => r.status < 300)
        .map((r) => {
          const body = r.body as Record<string, unknown>;
          if (r.method === 'POST') return { kind: 'note' as const, ticket: /tickets\/(\d+)/i.exec(r.path)![1], keys: [] };
          return {
            kind: 'update' as const,
            ticket: String(body.id),
            keys: Object.keys(body).filter((k) => k !== 'id').map((k) => AT_FIELDS[k.toLowerCase()] ?? k),
          };
        }),
    // 'Tickets/query' also matches the count the sync asks for first (Tickets/query/count): skip it too.
    faultTicketPages: (kind, count, skip = 0) =>
      mock.faults.inject({ kind, count, skip: skip ? skip + 1 : 0, match: 'Tickets/query', retryAfterS: 0, delayMs: 3000 }),
    clearFaults: () => mock.faults.clear(),
    close: () => mock.close(),
  };
}

export async function startConnectWiseHarness(tickets = 600): Promise<PsaHarness> {
  const mock: ConnectWiseMock = await startConnectWiseMock({ tenant: { tickets, seed: 5 } });
  const CW_FIELDS: Record<string, string> = { board: 'board', type: 'type', subtype: 'subtype', item: 'item', priority: 'priority' };
  return {
    kind: 'connectwise',
    connectorInput: {
      kind: 'connectwise',
      config: { site: mock.url, companyId: mock.credentials.companyId, publicKey: mock.credentials.publicKey, http: TEST_HTTP },
      secrets: { privateKey: mock.credentials.privateKey, clientId: mock.credentials.clientId },
    },
    secretValues: [mock.credentials.privateKey, mock.credentials.clientId],
    ticketCount: () => mock.state.ticketIds.length,
    addOpenTicket: (title, description) => String(mock.state.addTicket({ summary: title.slice(0, 100), description }).id),
    completeTicket: (id) => void mock.state.closeTicket(Number(id)),
    renameAChoice: () => {
      const type = [...mock.state.types.values()].find((t) => !t.inactiveFlag)!;
      mock.state.rename('type', type.id, `${type.name} (renamed)`);
      return { field: 'type', value: String(type.id) };
    },
    writes: () =>
      mock.requests
        .filter((r) => (r.method === 'PATCH' && /\/service\/tickets\/\d+$/.test(r.target)) || (r.method === 'POST' && /\/notes$/.test(r.target)))
        .map((r) => {
          const ticket = /tickets\/(\d+)/.exec(r.target)![1];
          if (r.method === 'POST') return { kind: 'note' as const, ticket, keys: [] };
          const ops = r.body as { path: string }[];
          return { kind: 'update' as const, ticket, keys: ops.map((o) => CW_FIELDS[o.path.replace(/^\//, '').toLowerCase()] ?? o.path) };
        }),
    faultTicketPages: (kind, count, skip = 0) => mock.faults.inject({ kind, count, skip, match: '/service/tickets?', retryAfterS: 0, delayMs: 3000 }),
    clearFaults: () => mock.faults.clear(),
    close: () => mock.close(),
  };
}
