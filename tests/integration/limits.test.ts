import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, sampleTickets, startEngine, type EngineProcess } from '../helpers/engine-process';

/** Each limit answers with its own status and a message that says which limit, and the engine stays up. */
describe('limits', () => {
  let engine: EngineProcess;
  const post = (path: string, body: unknown) =>
    fetch(`${engine.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    engine = await startEngine({
      env: { TRIAGE_MAX_BODY_BYTES: String(3 * 1024 * 1024), TRIAGE_PREDICT_RATE: '20', TRIAGE_MAX_RUNS_PER_TENANT: '2', TRIAGE_MAX_TEXT_CHARS: '5000' },
    });
    await engine.client.createTenant('lim');
    await engine.client.importFile('lim', Buffer.from(JSON.stringify(sampleTickets(240))), { filename: 'lim.json' });
    const run = await engine.client.startRun('lim', { kind: 'train', tier: 'fast', deploy: true });
    await engine.client.followRun('lim', run.id, () => {});
  });
  afterAll(async () => {
    if (process.env.DEBUG_ENGINE) console.log(engine.output());
    await engine?.stop();
  });

  it('a 1 MB description is truncated with a warning, not refused and not a crash', async () => {
    const description = 'The printer on floor 2 is jammed again. '.repeat(26_000); // ~1 MB
    const res = await post('/api/tenants/lim/predict', { ticket: { title: 'printer', description } });
    expect(res.status).toBe(200);
    const { prediction } = await bodyOf(res);
    expect(prediction.warnings).toEqual([`description truncated from ${description.length} to 5000 characters`]);
    expect(prediction.fields.category.value).toBe('Printing');
  });

  it('a body over the limit answers 413 with the limit in the message', async () => {
    const res = await post('/api/tenants/lim/predict', { ticket: { title: 'x', description: 'y'.repeat(4 * 1024 * 1024) } });
    expect(res.status).toBe(413);
    expect((await bodyOf(res)).error).toMatchObject({ code: 'body_too_large', message: expect.stringContaining(String(3 * 1024 * 1024)) });
  });

  it('a batch over 1,000 tickets answers 400 naming the field', async () => {
    const tickets = Array.from({ length: 1001 }, (_, i) => ({ title: `t${i}` }));
    const res = await post('/api/tenants/lim/predict', { tickets });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).error.message).toMatch(/tickets/);
  });

  it('too many runs for one tenant answers 429', async () => {
    const a = await engine.client.startRun('lim', { kind: 'train', tier: 'fast', params: { maxEpochs: 40 } });
    const b = await engine.client.startRun('lim', { kind: 'train', tier: 'fast', params: { maxEpochs: 40 } });
    const err = await engine.client.startRun('lim', { kind: 'train', tier: 'fast' }).catch((e) => e);
    expect(err).toMatchObject({ status: 429, code: 'too_many_runs' });
    expect(err.message).toMatch(/limit is 2/);
    await engine.client.cancelRun('lim', b.id);
    await engine.client.cancelRun('lim', a.id).catch(() => {});
    await engine.client.followRun('lim', a.id, () => {});
  });

  it('predict is rate limited per token with 429 and Retry-After, and recovers', async () => {
    const answers = await Promise.all(Array.from({ length: 80 }, () => post('/api/tenants/lim/predict', { ticket: { title: 'vpn' } })));
    const limited = answers.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(answers.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(40); // the burst
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await bodyOf(limited[0])).error.code).toBe('rate_limited');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await post('/api/tenants/lim/predict', { ticket: { title: 'vpn' } })).status).toBe(200);
    expect((await fetch(`${engine.url}/api/health`)).status).toBe(200);
  });
});
