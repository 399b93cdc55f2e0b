import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, type RunEvent } from '../../engine/client/engine-client';
import { bodyOf, sampleTickets, startEngine, type EngineProcess } from '../helpers/engine-process';

/** The whole loop over real HTTP: upload → train (live events) → evaluate → deploy → predict → rollback. */
describe('engine end to end', () => {
  let engine: EngineProcess;
  const tenant = 'acme';

  beforeAll(async () => {
    engine = await startEngine();
    await engine.client.createTenant(tenant, 'Acme Corp');
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('imports a JSON file and derives the choice lists from the labels', async () => {
    const file = Buffer.from(JSON.stringify(sampleTickets(600)));
    const summary = await engine.client.importFile(tenant, file, { filename: 'acme.json' });
    expect(summary).toMatchObject({ tickets: 600, inserted: 600, updated: 0, format: 'json' });
    expect(summary.fields.sort()).toEqual(['category', 'urgency']);
    const fields = await engine.client.getFields(tenant);
    const category = fields.find((f) => f.name === 'category')!;
    expect(category.choices.map((c) => c.value).sort()).toEqual(['Email', 'Network', 'Printing']);
    // Importing the same file again updates instead of duplicating.
    const again = await engine.client.importFile(tenant, file, { filename: 'acme.json' });
    expect(again).toMatchObject({ inserted: 0, updated: 600 });
    expect((await engine.client.getTenant(tenant)).tickets).toBe(600);
  });

  let checkpointId = 0;
  it('trains in the background with progress events streamed over SSE, then stores a checkpoint with metrics', async () => {
    const run = await engine.client.startRun(tenant, { kind: 'train', tier: 'fast' });
    expect(run.status).toBe('queued');
    // The server stays responsive while the worker thread trains.
    expect((await engine.client.health()).ok).toBe(true);
    const events: RunEvent[] = [];
    const final = await engine.client.followRun(tenant, run.id, (e) => events.push(e));
    expect(final.status).toBe('succeeded');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const progress = events.filter((e) => e.kind === 'progress');
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.some((e) => typeof e.data.loss === 'number')).toBe(true);
    expect(progress.some((e) => typeof e.data.etaS === 'number')).toBe(true);
    expect(events.at(-1)).toMatchObject({ kind: 'done', data: { status: 'succeeded' } });
    checkpointId = Number(final.result?.checkpointId);
    const checkpoint = await engine.client.getCheckpoint(tenant, checkpointId);
    expect(checkpoint.accuracy.category).toBeGreaterThan(0.9);
    const test = (checkpoint.metrics as { test: { fields: { field: string; macroF1: number; ece: number; confusion: unknown; autoApply: unknown }[] } }).test;
    const category = test.fields.find((f) => f.field === 'category')!;
    expect(category).toMatchObject({ confusion: expect.any(Object), autoApply: expect.any(Object) });
    expect(category.ece).toBeGreaterThanOrEqual(0);
  });

  it('replays a finished run as server-sent events with ids, names and JSON data', async () => {
    const runs = await engine.client.listRuns(tenant);
    const res = await fetch(`${engine.url}/api/tenants/${tenant}/runs/${runs[0].id}/events/stream`, { headers: { 'last-event-id': '1' } });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text();
    expect(text).not.toMatch(/^id: 1$/m); // resumed after event 1
    expect(text).toMatch(/^id: 2$/m);
    expect(text).toMatch(/^event: progress$/m);
    const last = text.trim().split('\n\n').at(-1)!;
    expect(last).toMatch(/^event: done$/m);
    expect(JSON.parse(/^data: (.*)$/m.exec(last)![1])).toMatchObject({ run: runs[0].id, kind: 'done', data: { status: 'succeeded' } });
  });

  it('refuses to predict before a deployment, with a message that says what to do', async () => {
    const err = await engine.client.predict(tenant, { title: 'printer jam' }).catch((e) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err).toMatchObject({ status: 409, code: 'no_deployment' });
    expect(err.message).toMatch(/deploy/);
  });

  it('deploys a checkpoint and predicts within the choices with calibrated confidence and alternatives', async () => {
    await engine.client.deploy(tenant, checkpointId);
    const p = await engine.client.predict(tenant, { title: 'Outlook mailbox full', description: 'My inbox does not receive mail.' });
    expect(p.model).toMatchObject({ tier: 'fast', checkpointId });
    expect(p.fields.category).toMatchObject({ status: 'predicted', value: 'Email' });
    expect(p.fields.category.confidence).toBeGreaterThan(0.5);
    expect(p.fields.category.confidence).toBeLessThanOrEqual(1);
    expect(p.fields.category.alternatives.length).toBe(2);
    expect(p.latencyMs).toBeGreaterThan(0);
  });

  it('honours request choices and reports fields it cannot predict instead of inventing a value', async () => {
    const restricted = await engine.client.predict(tenant, { title: 'Outlook mailbox full' }, { category: ['Printing', 'Network'] });
    expect(['Printing', 'Network']).toContain(restricted.fields.category.value);
    const unseen = await engine.client.predict(tenant, { title: 'Outlook mailbox full' }, { category: ['Telephony', 'Facilities'] });
    expect(unseen.fields.category).toMatchObject({ status: 'unpredictable', value: null });
    expect(unseen.fields.category.reason).toMatch(/Telephony/);
  });

  it('predicts a batch, and accepts the prototype request shape', async () => {
    const batch = await engine.client.predictBatch(tenant, [
      { id: 'a', title: 'wifi down' },
      { id: 'b', title: 'toner empty', description: 'printer out of toner' },
    ]);
    expect(batch.map((p) => p.ticketId)).toEqual(['a', 'b']);
    expect(batch[1].fields.category.value).toBe('Printing');
    const res = await fetch(`${engine.url}/api/tenants/${tenant}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input: { title: 'vpn broken', description: '' }, choices: { urgency: ['high', 'normal'] } }),
    });
    expect(res.status).toBe(200);
    expect((await bodyOf(res)).prediction.fields.category.value).toBe('Network');
  });

  it('evaluates a checkpoint as a run and stores the report', async () => {
    const run = await engine.client.startRun(tenant, { kind: 'evaluate', checkpointId, split: 'validation' });
    const final = await engine.client.followRun(tenant, run.id, () => {});
    expect(final.status).toBe('succeeded');
    const report = final.result?.report as { split: string; fields: { field: string; accuracy: number }[] };
    expect(report.split).toBe('validation');
    expect(report.fields.map((f) => f.field).sort()).toEqual(['category', 'urgency']);
    const res = await fetch(`${engine.url}/api/tenants/${tenant}/checkpoints/${checkpointId}/evaluations`);
    const { evaluations } = await bodyOf(res);
    expect(evaluations.map((e: { split: string }) => e.split)).toEqual(expect.arrayContaining(['validation', 'test']));
  });

  it('swaps deployments atomically and rolls back to the previous one', async () => {
    const second = await engine.client.startRun(tenant, { kind: 'train', tier: 'fast', params: { seed: 9 } });
    const done = await engine.client.followRun(tenant, second.id, () => {});
    const secondCheckpoint = Number(done.result?.checkpointId);
    expect(secondCheckpoint).not.toBe(checkpointId);
    // Predictions keep flowing while the deployment changes: none fails, each names one of the two models.
    const during = Array.from({ length: 40 }, () => engine.client.predict(tenant, { title: 'printer jam' }));
    await engine.client.deploy(tenant, secondCheckpoint);
    const answers = await Promise.all(during);
    for (const a of answers) expect([checkpointId, secondCheckpoint]).toContain(a.model.checkpointId);
    expect((await engine.client.predict(tenant, { title: 'printer jam' })).model.checkpointId).toBe(secondCheckpoint);

    const back = await engine.client.rollback(tenant);
    expect(back).toMatchObject({ checkpointId, reason: 'rollback', active: true });
    expect((await engine.client.predict(tenant, { title: 'printer jam' })).model.checkpointId).toBe(checkpointId);
    const history = await engine.client.listDeployments(tenant);
    expect(history.filter((d) => d.active)).toHaveLength(1);
    const err = await engine.client.rollback(tenant).catch((e) => e);
    expect(err).toMatchObject({ status: 409, code: 'nothing_to_roll_back_to' });
  });

  it('cancels a queued or running run', async () => {
    const run = await engine.client.startRun(tenant, { kind: 'train', tier: 'fast', params: { maxEpochs: 50 } });
    const cancelled = await engine.client.cancelRun(tenant, run.id);
    expect(['cancelled', 'running']).toContain(cancelled.status);
    const final = await engine.client.followRun(tenant, run.id, () => {});
    expect(final.status).toBe('cancelled');
    const err = await engine.client.cancelRun(tenant, run.id).catch((e) => e);
    expect(err).toMatchObject({ status: 409, code: 'run_not_cancellable' });
  });
});
