import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectWiseError } from '../../../../connectors/connectwise/errors';
import type { ConnectWiseMock } from '../../../../connectors/connectwise/mock-server';
import { defaultSleep, type HttpOptions } from '../../../../connectors/shared/http';
import { collect, connectorFor, startMock } from './helpers';

let mock: ConnectWiseMock;
beforeAll(async () => {
  mock = await startMock({ tenant: { tickets: 50 } });
});
afterAll(() => mock.close());
afterEach(() => mock.faults.clear());

/** Records every backoff the client asks for, but only naps briefly, so tests stay fast and untimed. */
function recordingSleep() {
  const asked: number[] = [];
  const sleep: HttpOptions['sleep'] = (ms, signal) => {
    asked.push(ms);
    return defaultSleep(Math.min(ms, 5), signal);
  };
  return { asked, sleep };
}

const LIST = '/service/tickets?';

async function sweepIds(http: HttpOptions = {}) {
  const connector = connectorFor(mock, { http });
  const ids = (await collect(connector, { pageSize: 10 })).flat().map((t) => t.externalId);
  return { ids, connector };
}

let baseline: string[];
beforeAll(async () => {
  baseline = (await sweepIds()).ids;
  expect(baseline.length).toBeGreaterThan(30);
});

describe('faults', () => {
  it('waits out 429 Retry-After and then reads everything', async () => {
    const { asked, sleep } = recordingSleep();
    mock.faults.inject({ kind: '429', count: 2, match: LIST, retryAfterS: 2 });
    const { ids, connector } = await sweepIds({ sleep, maxDelayMs: 1000 });
    expect(ids).toEqual(baseline);
    expect(mock.faults.fired['429']).toBeGreaterThanOrEqual(2);
    expect(asked.filter((ms) => ms === 2000)).toHaveLength(2);
    expect(connector.stats.retries).toBe(2);
  });

  it('retries 500s', async () => {
    mock.faults.inject({ kind: '500', count: 3, match: '/notes' });
    const { ids, connector } = await sweepIds();
    expect(ids).toEqual(baseline);
    expect(connector.stats.retries).toBe(3);
  });

  it('retries a response slower than the timeout', async () => {
    mock.faults.inject({ kind: 'slow', count: 1, match: LIST, delayMs: 3000 });
    const { ids, connector } = await sweepIds({ timeoutMs: 200 });
    expect(ids).toEqual(baseline);
    expect(mock.faults.fired.slow).toBeGreaterThanOrEqual(1);
    expect(connector.stats.retries).toBe(1);
  });

  it('retries a connection dropped mid-page without losing or repeating tickets', async () => {
    const before = mock.faults.fired.drop;
    mock.faults.inject({ kind: 'drop', count: 2, match: LIST });
    const { ids, connector } = await sweepIds();
    expect(ids).toEqual(baseline);
    expect(mock.faults.fired.drop - before).toBe(2);
    expect(connector.stats.retries).toBe(2);
  });

  it('retries a dropped description read too', async () => {
    mock.faults.inject({ kind: 'drop', count: 1, match: '/notes' });
    const { ids } = await sweepIds();
    expect(ids).toEqual(baseline);
  });

  it('gives up after the retries with the API error, worded', async () => {
    mock.faults.inject({ kind: '500', count: 10, match: LIST });
    const err = await collect(connectorFor(mock, { http: { maxRetries: 2 } })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConnectWiseError);
    expect((err as ConnectWiseError).status).toBe(500);
    expect((err as ConnectWiseError).message).toMatch(/GET \/service\/tickets answered HTTP 500 InternalServerError/);
  });

  it('gives up on a connection that keeps dropping with a network error', async () => {
    mock.faults.inject({ kind: 'drop', count: 10, match: LIST });
    const err = await collect(connectorFor(mock, { http: { maxRetries: 1 } })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConnectWiseError);
    expect((err as ConnectWiseError).code).toBe('NetworkError');
  });
});
