import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, sampleTickets, startEngine, tempDataDir, type EngineProcess } from '../helpers/engine-process';

/** The `triage` CLI against a real engine: each command's output is what a user reads. */
describe('triage CLI', () => {
  let engine: EngineProcess;
  let cli: (...args: string[]) => ReturnType<typeof runCli>;
  const dir = tempDataDir('triage-cli-');

  beforeAll(async () => {
    engine = await startEngine();
    cli = (...args) => runCli([...args, '--url', engine.url]);
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('import reports every problem of an invalid file by row and stores nothing', async () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify([{ title: 'a', description: 'b', queue: 'Q' }, { title: '', description: '', queue: 'Q' }, { title: 'c', description: 'd', queue: [1] }]));
    const r = await cli('import', 'shop', bad, '--create');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/row 2/);
    expect(r.stderr).toMatch(/row 3.*queue|queue.*row 3/);
    expect((await engine.client.getTenant('shop')).tickets).toBe(0);
  });

  it('import, train with a progress bar and an accuracy report, predict, eval, checkpoints, runs, deploy, rollback', async () => {
    const file = path.join(dir, 'shop.json');
    fs.writeFileSync(file, JSON.stringify(sampleTickets(450)));
    const imp = await cli('import', 'shop', file, '--create');
    expect(imp.stdout).toMatch(/Imported 450 tickets into shop \(450 new/);

    const train = await cli('train', 'shop', '--deploy');
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toMatch(/train shop \[/); // the progress bar
    expect(train.stdout).toMatch(/Checkpoint \d+ \(deployed\)/);
    expect(train.stdout).toMatch(/category/);
    expect(train.stdout).toMatch(/urgency/);

    const predict = await cli('predict', 'shop', '--title', 'printer paper jam', '--choices', 'urgency=high,normal');
    expect(predict.code, predict.stderr).toBe(0);
    expect(predict.stdout).toMatch(/category\s+Printing/);
    expect(predict.stdout).toMatch(/model: fast checkpoint \d+/);

    const json = await cli('predict', 'shop', '--title', 'vpn drops', '--json');
    expect(JSON.parse(json.stdout).fields.category.value).toBe('Network');

    const evaluation = await cli('eval', 'shop');
    expect(evaluation.code, evaluation.stderr).toBe(0);
    expect(evaluation.stdout).toMatch(/on the test split/);
    expect(evaluation.stdout).toMatch(/category/);

    const train2 = await cli('train', 'shop', '--seed', '5');
    expect(train2.code).toBe(0);
    const checkpoints = await cli('checkpoints', 'shop');
    const ids = [...checkpoints.stdout.matchAll(/^(\d+)\s+fast/gm)].map((m) => Number(m[1]));
    expect(ids.length).toBe(2);
    const newest = Math.max(...ids);
    expect((await cli('deploy', 'shop', String(newest))).stdout).toMatch(`Deployed checkpoint ${newest}`);
    expect((await cli('rollback', 'shop')).stdout).toMatch(`Rolled back shop to checkpoint ${Math.min(...ids)}`);

    const runs = await cli('runs', 'shop');
    expect(runs.stdout.match(/succeeded/g)?.length).toBe(3);
    expect((await cli('tenants')).stdout).toMatch(/shop\s+shop\s+450/);
  }, 180_000); // a dozen CLI processes, each starting Node with tsx: slow on a busy 2-core machine

  it('says where the engine is missing, and exits non-zero', async () => {
    const r = await runCli(['tenants', '--url', 'http://127.0.0.1:9']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot reach the engine at http:\/\/127\.0\.0\.1:9/);
  });
});
