import { describe, expect, it } from 'vitest';
import { AutotaskError } from '../../../../connectors/autotask';
import { caught, connectorFor, everythingIn, startMock } from './helpers';

describe('Autotask client: zone discovery and auth', () => {
  it('discovers the zone without credentials, then calls the zone with the three auth headers', async () => {
    const mock = await startMock();
    const c = connectorFor(mock);
    await c.connect();
    expect((await c.zone()).url).toBe(mock.zoneUrl);
    const [lookup, check] = mock.state.requests;
    expect(lookup.path).toMatch(/^\/ATServicesRest\/V1\.0\/ZoneInformation\?user=/);
    expect(lookup.headers.username).toBeUndefined();
    expect(lookup.headers.secret).toBeUndefined();
    expect(check.path).toBe('/zone3/ATServicesRest/V1.0/Tickets/entityInformation');
    expect(check.headers).toMatchObject({ username: mock.credentials.username, secret: '***', apiintegrationcode: '***' });
    expect(check.status).toBe(200);
  });

  it('caches the zone across calls, and looks it up again once the cache expires', async () => {
    const mock = await startMock();
    const cached = connectorFor(mock);
    await cached.connect();
    await cached.fetchFieldSchemas();
    await cached.thresholdInformation();
    expect(mock.state.counters.zoneLookups).toBe(1);

    const uncached = connectorFor(mock, { zoneCacheMs: 0 });
    await uncached.connect();
    await uncached.thresholdInformation();
    expect(mock.state.counters.zoneLookups).toBe(3);
  });

  it('re-discovers the zone once on a 401 and retries the call in the new zone', async () => {
    const mock = await startMock();
    const c = connectorFor(mock);
    await c.connect();
    mock.moveZone(7, 'EMEA 7');
    const info = await c.thresholdInformation();
    expect(info.threshold).toBe(10_000);
    expect(mock.state.counters.zoneLookups).toBe(2);
    const last = mock.state.requests.slice(-3).map((r) => [r.path.split('?')[0], r.status]);
    expect(last).toEqual([
      ['/zone3/ATServicesRest/V1.0/ThresholdInformation', 401],
      ['/ATServicesRest/V1.0/ZoneInformation', 200],
      ['/zone7/ATServicesRest/V1.0/ThresholdInformation', 200],
    ]);
    expect((await c.zone()).name).toBe('EMEA 7');
  });

  it('says an unknown user has no zone', async () => {
    const mock = await startMock();
    const c = connectorFor(mock, { username: 'nobody@example.test' });
    const err = await caught(c.connect());
    expect(err).toBeInstanceOf(AutotaskError);
    expect((err as AutotaskError).code).toBe('unknown-user');
    expect(err.message).toContain('zone information could not be determined for user "nobody@example.test"');
    // A permanent 500: not retried.
    expect(mock.state.counters.byStatus[500]).toBe(1);
  });

  it('says the integration code is invalid, without retrying and without echoing it', async () => {
    const mock = await startMock();
    const c = connectorFor(mock, { integrationCode: 'WRONG-CODE-123456' });
    const err = await caught(c.connect());
    expect((err as AutotaskError).code).toBe('invalid-integration-code');
    expect(err.message).toMatch(/integration code/);
    expect(everythingIn(err)).not.toContain('WRONG-CODE-123456');
    expect(mock.state.counters.byStatus[500]).toBe(1);
  });

  it('says the credentials were refused on a bad secret (after one re-discovery), never showing the secret', async () => {
    const mock = await startMock();
    const secret = 'very-secret-value-0xDEADBEEF';
    const c = connectorFor(mock, { secret });
    const err = await caught(c.connect());
    expect((err as AutotaskError).code).toBe('unauthorized');
    expect(err.message).toContain('refused the credentials of API user');
    expect(mock.state.counters.byStatus[401]).toBe(2);
    expect(mock.state.counters.zoneLookups).toBe(2);
    expect(everythingIn(err)).not.toContain(secret);
    expect(everythingIn(err)).not.toContain(mock.credentials.integrationCode);
  });

  it('keeps secrets out of errors even when the API echoes them back', async () => {
    const mock = await startMock();
    const { secret, integrationCode } = mock.credentials;
    const echo: typeof fetch = async (input, init) => {
      if (String(input).includes('ThresholdInformation')) {
        return new Response(JSON.stringify({ errors: [`Forbidden for secret ${secret} and code ${integrationCode}`] }), { status: 403 });
      }
      return fetch(input, init);
    };
    const c = connectorFor(mock, { http: { fetch: echo } });
    const err = await caught(c.thresholdInformation());
    expect((err as AutotaskError).code).toBe('forbidden');
    expect(everythingIn(err)).not.toContain(secret);
    expect(everythingIn(err)).not.toContain(integrationCode);
    expect(err.message).toContain('***');
  });

  it('reads the threshold information and counts tickets', async () => {
    const mock = await startMock();
    const c = connectorFor(mock);
    await c.connect();
    const t = await c.thresholdInformation();
    expect(t).toEqual({ threshold: 10_000, timeframeMinutes: 60, current: 2 });
    expect(await c.countTickets({ since: null, afterId: null })).toBe(mock.state.tickets.rows.length);
    expect(c.stats.requests).toBe(4);
  });
});
