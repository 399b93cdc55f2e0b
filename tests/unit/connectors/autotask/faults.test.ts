import { describe, expect, it } from 'vitest';
import { AutotaskError } from '../../../../connectors/autotask';
import { defaultSleep } from '../../../../connectors/shared/http';
import { caught, collect, connectorFor, startMock } from './helpers';

/** Records every backoff the client asks for, and waits only a moment, so Retry-After is checked without timing. */
function recordingSleep() {
  const waits: number[] = [];
  const sleep = (ms: number, signal?: AbortSignal) => {
    waits.push(ms);
    return defaultSleep(Math.min(ms, 5), signal);
  };
  return { waits, sleep };
}

const allIds = (mock: Awaited<ReturnType<typeof startMock>>) => mock.state.tickets.rows.map((r) => r.id);

describe('Autotask client under faults', () => {
  it('retries a 429 after the Retry-After the API asked for', async () => {
    const mock = await startMock({ tenant: { tickets: 250 } });
    const { waits, sleep } = recordingSleep();
    // maxDelayMs bounds Retry-After in the HTTP layer (3×); raise it so the header is honoured as sent.
    const c = connectorFor(mock, { http: { sleep, maxDelayMs: 10_000 } });
    mock.faults.inject({ kind: '429', count: 2, match: '/tickets/query', retryAfterS: 2 });
    const pages = await collect(c, { pageSize: 100 });
    expect(pages.flat().map((t) => Number(t.externalId))).toEqual(allIds(mock));
    expect(waits).toEqual([2000, 2000]);
    expect(c.stats.retries).toBe(2);
    expect(mock.state.requests.filter((r) => r.fault === '429')).toHaveLength(2);
  });

  it('retries a 500', async () => {
    const mock = await startMock({ tenant: { tickets: 250 } });
    const c = connectorFor(mock);
    mock.faults.inject({ kind: '500', count: 2, match: 'query/next' });
    const pages = await collect(c, { pageSize: 100 });
    expect(pages.flat().map((t) => Number(t.externalId))).toEqual(allIds(mock));
    expect(mock.state.counters.byStatus[500]).toBe(2);
    expect(c.stats.retries).toBe(2);
  });

  it('retries a response slower than the client timeout', async () => {
    const mock = await startMock({ tenant: { tickets: 50 } });
    const c = connectorFor(mock, { http: { timeoutMs: 150 } });
    mock.faults.inject({ kind: 'slow', match: 'entityInformation/fields', delayMs: 1000 });
    const schemas = await c.fetchFieldSchemas();
    expect(schemas).toHaveLength(6);
    expect(c.stats.retries).toBe(1);
    expect(mock.faults.pending).toBe(0);
  });

  it('retries a page whose connection dropped mid-body, losing and repeating nothing', async () => {
    const mock = await startMock({ tenant: { tickets: 450 } });
    const c = connectorFor(mock);
    mock.faults.inject({ kind: 'drop', match: 'query/next' });
    const pages = await collect(c, { pageSize: 100 });
    expect(pages.flat().map((t) => Number(t.externalId))).toEqual(allIds(mock));
    expect(mock.state.requests.filter((r) => r.fault === 'drop')).toHaveLength(1);
    expect(c.stats.retries).toBe(1);
  });

  it('never sends a note twice after a 500 or a dropped connection, but retries it after a 429', async () => {
    const mock = await startMock({ tenant: { tickets: 10 } });
    const c = connectorFor(mock);
    const id = mock.state.tickets.rows[0].id;
    const notesPath = `/Tickets/${id}/Notes`;
    mock.faults.inject({ kind: '500', match: notesPath });
    expect(((await caught(c.addNote(String(id), 'one'))) as AutotaskError).code).toBe('api');
    mock.faults.inject({ kind: 'drop', match: notesPath });
    expect(((await caught(c.addNote(String(id), 'two'))) as AutotaskError).code).toBe('unreachable');
    // The dropped one was stored before its answer was cut: exactly one copy, as on a real service.
    expect(mock.state.notes.rows.map((n) => n.description)).toEqual(['two']);
    mock.faults.inject({ kind: '429', match: notesPath, retryAfterS: 0 });
    await c.addNote(String(id), 'three');
    expect(mock.state.notes.rows.map((n) => n.description)).toEqual(['two', 'three']);
    expect(mock.state.requests.filter((r) => r.method === 'POST' && r.path.endsWith(notesPath))).toHaveLength(4);
  });

  it('retries a dropped zone lookup', async () => {
    const mock = await startMock({ tenant: { tickets: 10 } });
    const c = connectorFor(mock);
    mock.faults.inject({ kind: 'drop', match: 'ZoneInformation' });
    await c.connect();
    expect(mock.state.counters.zoneLookups).toBe(2);
  });

  it('retries the thread-limit 429 when more than 3 requests hit one endpoint at once', async () => {
    const mock = await startMock({ tenant: { tickets: 50 }, latencyMs: 40 });
    // A client that ignores the thread limit (6 at once) meets the mock's 3-thread cap.
    const c = connectorFor(mock, { http: { maxConcurrent: 6, maxRetries: 8 } });
    const counts = await Promise.all(Array.from({ length: 6 }, () => c.countTickets({ since: null, afterId: null })));
    expect(counts).toEqual(Array(6).fill(50));
    expect(mock.state.counters.threadRejections).toBeGreaterThan(0);
    const rejected = mock.state.requests.find((r) => r.status === 429)!;
    expect(rejected.path).toContain('/Tickets/query/count');
    expect(c.stats.retries).toBe(mock.state.counters.threadRejections);
  });

  it('stays under the thread limit with the default client (3 in flight)', async () => {
    const mock = await startMock({ tenant: { tickets: 50 }, latencyMs: 20 });
    const c = connectorFor(mock);
    await Promise.all(Array.from({ length: 9 }, () => c.countTickets({ since: null, afterId: null })));
    expect(mock.state.counters.threadRejections).toBe(0);
  });

  it('gives up with a clear error when the hourly threshold stays exceeded', async () => {
    const mock = await startMock({ tenant: { tickets: 10 }, hourlyThreshold: 2 });
    const c = connectorFor(mock, { http: { maxRetries: 2 } });
    await c.connect();
    await c.thresholdInformation();
    const err = await caught(c.thresholdInformation());
    expect((err as AutotaskError).code).toBe('rate-limited');
    expect(err.message).toMatch(/threshold of 2 requests per hour/);
    expect(mock.state.counters.thresholdRejections).toBe(3);
  });
});
