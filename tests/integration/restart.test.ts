import { afterEach, describe, expect, it } from 'vitest';
import { generateDemoTenant } from '../../engine/demo';
import { startEngine, tempDataDir, type EngineProcess } from '../helpers/engine-process';

/** A run survives the engine: killed mid-training, it is marked interrupted and resumes to completion. */
describe('runs across an engine restart', () => {
  let engine: EngineProcess | undefined;
  afterEach(async () => {
    await engine?.stop('SIGKILL');
    engine = undefined;
  });

  async function tenantWithData(dataDir: string, args: string[] = []) {
    const e = await startEngine({ dataDir, args });
    await e.client.createTenant('big');
    const demo = generateDemoTenant({ count: 3000, seed: 3 });
    const file = demo.tickets.map(({ createdAt: _c, ...t }) => ({ id: t.id, title: t.title, description: t.description, ...t.fields }));
    await e.client.importFile('big', Buffer.from(JSON.stringify(file)), { filename: 'big.json' });
    return e;
  }

  async function killDuringTraining(e: EngineProcess, maxEpochs = 8) {
    const run = await e.client.startRun('big', { kind: 'train', tier: 'fast', params: { maxEpochs } });
    const controller = new AbortController();
    // Wait for the first progress event of the training proper, then kill the engine as a crash would.
    await e.client
      .followRun('big', run.id, (ev) => {
        if (ev.kind === 'progress' && typeof ev.data.step === 'number') controller.abort();
      }, controller.signal)
      .catch(() => {});
    expect((await e.client.getRun('big', run.id)).status).toBe('running');
    await e.stop('SIGKILL');
    return run.id;
  }

  it('SIGKILL mid-run: the restarted engine marks it interrupted, resumes it, and stores exactly one checkpoint', async () => {
    const dataDir = tempDataDir();
    engine = await tenantWithData(dataDir);
    const runId = await killDuringTraining(engine);

    engine = await startEngine({ dataDir });
    const final = await engine.client.followRun('big', runId, () => {});
    expect(final).toMatchObject({ status: 'succeeded', attempts: 2 });
    const events = await engine.client.runEvents('big', runId);
    const messages = events.map((e) => String(e.data.message ?? ''));
    expect(messages.some((m) => /stopped while this run was running/.test(m))).toBe(true);
    expect(messages.some((m) => /resumed/.test(m))).toBe(true);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const checkpoints = (await engine.client.listCheckpoints('big')).filter((c) => c.runId === runId);
    expect(checkpoints).toHaveLength(1);
    expect((await engine.client.getTenant('big')).tickets).toBe(3000);
  });

  it('with resumption off, an interrupted run waits for an explicit resume', async () => {
    const dataDir = tempDataDir();
    engine = await tenantWithData(dataDir, ['--no-resume']);
    const runId = await killDuringTraining(engine, 3);

    engine = await startEngine({ dataDir, args: ['--no-resume'] });
    expect(await engine.client.getRun('big', runId)).toMatchObject({ status: 'interrupted' });
    await engine.client.resumeRun('big', runId);
    expect((await engine.client.followRun('big', runId, () => {})).status).toBe('succeeded');
  });
});
