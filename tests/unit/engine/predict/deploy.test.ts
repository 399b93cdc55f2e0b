import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../../engine/engine';
import { createLogger } from '../../../../engine/logger';
import { deployCheckpoint, rollbackDeployment } from '../../../../engine/predict/deploy';
import { predictTickets } from '../../../../engine/predict/predict';
import { importFile } from '../../../../engine/services/import-file';
import { startRun } from '../../../../engine/services/start-run';
import { requireCheckpoint } from '../../../../engine/store/checkpoints';
import { getRunById } from '../../../../engine/store/runs';
import { createTenant } from '../../../../engine/store/tenants';
import { sampleTickets, tempDataDir } from '../../../helpers/engine-process';

const quiet = createLogger({ quiet: true });

async function trainedEngine(dataDir = tempDataDir()) {
  const engine = createEngine({ dataDir, maxConcurrentRuns: 1 }, quiet);
  createTenant(engine.db, { id: 'a' });
  importFile(engine, 'a', Buffer.from(JSON.stringify(sampleTickets(300))), { filename: 'a.json' });
  const first = startRun(engine, 'a', { kind: 'train', tier: 'fast', deploy: true });
  const second = startRun(engine, 'a', { kind: 'train', tier: 'fast', params: { seed: 3 } });
  await engine.runner.idle();
  const ids = [first, second].map((r) => Number(getRunById(engine.db, r.id)!.result!.checkpointId));
  return { engine, ids, dataDir };
}

describe('deployments in the running engine', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  it('a checkpoint whose artifact is corrupt is refused, and the live model keeps serving', async () => {
    const t = await trainedEngine();
    engine = t.engine;
    const [live, other] = t.ids;
    const artifact = path.join(t.dataDir, requireCheckpoint(engine.db, 'a', other).artifact);
    fs.appendFileSync(artifact, 'garbage');
    await expect(deployCheckpoint(engine!, 'a', other)).rejects.toThrow(/cannot be loaded: .*corrupt/);
    expect(engine.registry.get('a')!.checkpoint.id).toBe(live);
    expect((await predictTickets(engine, 'a', [{ title: 'printer jam', description: '' }]))[0].model.checkpointId).toBe(live);
  });

  it('the deployed model is loaded again after a restart, and every prediction is stored', async () => {
    const t = await trainedEngine();
    await deployCheckpoint(t.engine, 'a', t.ids[1]);
    await predictTickets(t.engine, 'a', [
      { id: 'x1', title: 'vpn down', description: '' },
      { id: 'x2', title: 'toner', description: '' },
    ]);
    await t.engine.close();

    engine = createEngine({ dataDir: t.dataDir }, quiet);
    expect((await engine.registry.whenLoaded('a'))!.checkpoint.id).toBe(t.ids[1]);
    const rows = engine.db.$client.prepare('SELECT ticket_external_id, checkpoint_id, output FROM predictions ORDER BY id').all() as {
      ticket_external_id: string;
      checkpoint_id: number;
      output: string;
    }[];
    expect(rows.map((r) => r.ticket_external_id)).toEqual(['x1', 'x2']);
    expect(rows.every((r) => r.checkpoint_id === t.ids[1])).toBe(true);
    expect(JSON.parse(rows[0].output).category.value).toBe('Network');
    // Rollback walks back to the first deployment.
    expect((await rollbackDeployment(engine, 'a')).checkpointId).toBe(t.ids[0]);
    expect(engine.registry.get('a')!.checkpoint.id).toBe(t.ids[0]);
  });

  it('deploys and rollbacks of one tenant run one at a time, in the order asked, even when a load is slow', async () => {
    const t = await trainedEngine();
    engine = t.engine;
    const [first, second] = t.ids;
    // A slow artifact (as an LLM's is): without a queue the later, faster deploy would finish first and then be
    // overwritten by the earlier one.
    const load = engine.registry.loadPredictor.bind(engine.registry);
    engine.registry.loadPredictor = async (checkpoint) => {
      if (checkpoint.id === second) await new Promise((r) => setTimeout(r, 300));
      return load(checkpoint);
    };
    const [slow, fast] = await Promise.all([deployCheckpoint(engine, 'a', second), deployCheckpoint(engine, 'a', first)]);
    expect(fast.previousId).toBe(slow.id);
    expect(engine.registry.get('a')!.checkpoint.id).toBe(first);
    const back = await rollbackDeployment(engine, 'a');
    expect(back.checkpointId).toBe(second);
    expect(engine.registry.get('a')!.checkpoint.id).toBe(second);
  });

  it('a checkpoint of another tenant cannot be deployed', async () => {
    const t = await trainedEngine();
    engine = t.engine;
    createTenant(engine.db, { id: 'b' });
    await expect(deployCheckpoint(engine!, 'b', t.ids[0])).rejects.toThrow(/checkpoint "\d+" was not found/);
    expect(engine.registry.get('b')).toBeNull();
  });
});
