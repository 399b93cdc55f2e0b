import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAutotaskMock } from '../../connectors/autotask/mock-server';
import { generateDemoTenant } from '../../engine/demo';
import { runCli, sampleTickets, startEngine, tempDataDir, type EngineProcess } from '../helpers/engine-process';

/** SIGKILL at the worst moments: whatever the engine acknowledged is there after a restart, nothing twice. */
describe('durability under SIGKILL', () => {
  let engine: EngineProcess | undefined;
  afterEach(async () => {
    await engine?.stop('SIGKILL');
    engine = undefined;
  });

  const db = (dataDir: string) => new Database(path.join(dataDir, 'triage.db'), { readonly: true });
  const count = (dataDir: string, sql: string, ...args: unknown[]) => {
    const d = db(dataDir);
    try {
      return (d.prepare(sql).get(...args) as { n: number }).n;
    } finally {
      d.close();
    }
  };

  it('an import killed mid-way stores all of it or none of it', async () => {
    const demo = generateDemoTenant({ count: 30_000, seed: 8 });
    const file = Buffer.from(JSON.stringify(demo.tickets.map((t) => ({ id: t.id, title: t.title, description: t.description, ...t.fields }))));
    for (const delayMs of [150, 600, 1200]) {
      const dataDir = tempDataDir();
      engine = await startEngine({ dataDir });
      await engine.client.createTenant('imp');
      const upload = engine.client.importFile('imp', file, { filename: 'big.json' }).catch((e) => e);
      await new Promise((r) => setTimeout(r, delayMs));
      await engine.stop('SIGKILL');
      const acknowledged = !((await upload) instanceof Error);
      engine = await startEngine({ dataDir });
      const tickets = (await engine.client.getTenant('imp')).tickets;
      expect([0, 30_000], `killed after ${delayMs} ms`).toContain(tickets);
      if (acknowledged) expect(tickets).toBe(30_000);
      expect(count(dataDir, 'SELECT count(*) AS n FROM ticket_labels l JOIN tickets t ON t.id = l.ticket_id')).toBe(tickets * 6);
      await engine.stop('SIGKILL');
    }
  });

  it('a sync killed mid-way resumes from its cursor after the restart: every ticket once', async () => {
    const mock = await startAutotaskMock({ tenant: { tickets: 3000, seed: 4 }, latencyMs: 40 });
    try {
      const dataDir = tempDataDir();
      const env = { TRIAGE_SYNC_PAGE_SIZE: '100' };
      engine = await startEngine({ dataDir, env });
      await engine.client.createTenant('s');
      await engine.client.setConnector('s', {
        kind: 'autotask',
        config: { username: mock.credentials.username, discoveryUrl: mock.url },
        secrets: { secret: mock.credentials.secret, integrationCode: mock.credentials.integrationCode },
      });
      const run = await engine.client.startRun('s', { kind: 'sync' });
      const stop = new AbortController();
      await engine.client
        .followRun('s', run.id, (e) => {
          if (e.kind === 'progress' && Number(e.data.step) >= 500) stop.abort();
        }, stop.signal)
        .catch(() => {});
      await engine.stop('SIGKILL');
      const stored = count(dataDir, 'SELECT count(*) AS n FROM tickets');
      expect(stored).toBeGreaterThanOrEqual(500);
      expect(stored).toBeLessThan(3000);

      engine = await startEngine({ dataDir, env });
      const final = await engine.client.followRun('s', run.id, () => {});
      expect(final.status, final.error ?? '').toBe('succeeded');
      expect(count(dataDir, 'SELECT count(*) AS n FROM tickets')).toBe(3000);
      expect(count(dataDir, 'SELECT count(DISTINCT external_id) AS n FROM tickets')).toBe(3000);
      const events = await engine.client.runEvents('s', run.id);
      expect(events.some((e) => /resuming the interrupted sync after ticket \d+/.test(String(e.data.message)))).toBe(true);
    } finally {
      await mock.close();
    }
  });

  it('a deployment killed mid-way leaves the old or the new model live, never none and never both', async () => {
    const dataDir = tempDataDir();
    engine = await startEngine({ dataDir });
    await engine.client.createTenant('d');
    await engine.client.importFile('d', Buffer.from(JSON.stringify(sampleTickets(240))), { filename: 'd.json' });
    const ids: number[] = [];
    for (const seed of [1, 2]) {
      const r = await engine.client.startRun('d', { kind: 'train', tier: 'fast', params: { seed } });
      ids.push(Number((await engine.client.followRun('d', r.id, () => {})).result!.checkpointId));
    }
    let acknowledged = 0;
    const flip = (async () => {
      for (let i = 0; ; i++) {
        const d = await engine!.client.deploy('d', ids[i % 2]).catch(() => null);
        if (!d) return;
        acknowledged = d.checkpointId;
      }
    })();
    await new Promise((r) => setTimeout(r, 400));
    await engine.stop('SIGKILL');
    await flip;
    expect(count(dataDir, 'SELECT count(*) AS n FROM deployments WHERE active = 1')).toBe(1);
    engine = await startEngine({ dataDir });
    const live = (await engine.client.getTenant('d')).deployment!;
    expect(ids).toContain(live.checkpointId);
    const p = await engine.client.predict('d', { title: 'printer jam' });
    expect(p.model.checkpointId).toBe(live.checkpointId);
    // The last acknowledged deploy, or one after it that committed just before the kill.
    expect(acknowledged).toBeGreaterThan(0);
  });

  it('triage backup copies a consistent database and the models while the engine works, and the copy serves', async () => {
    const dataDir = tempDataDir();
    engine = await startEngine({ dataDir });
    await engine.client.createTenant('b');
    await engine.client.importFile('b', Buffer.from(JSON.stringify(sampleTickets(300))), { filename: 'b.json' });
    const run = await engine.client.startRun('b', { kind: 'train', tier: 'fast', deploy: true });
    await engine.client.followRun('b', run.id, () => {});
    const more = generateDemoTenant({ count: 20_000, seed: 3 }).tickets.map((t) => ({ title: t.title, description: t.description, category: 'Email', urgency: 'normal' }));
    const busy = engine.client.importFile('b', Buffer.from(JSON.stringify(more)), { filename: 'more.json' });
    const dest = path.join(tempDataDir('triage-backup-'), 'copy');
    const backup = await runCli(['backup', dest, '--data-dir', dataDir]);
    await busy;
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/integrity ok/);
    const copied = count(dest, 'SELECT count(*) AS n FROM tickets');
    expect([300, 20_300]).toContain(copied);
    expect(fs.existsSync(path.join(dest, 'models', 'b'))).toBe(true);
    await engine.stop();
    engine = await startEngine({ dataDir: dest });
    expect((await engine.client.predict('b', { title: 'printer jam' })).fields.category.value).toBe('Printing');
  });
});

describe('the audit log', () => {
  it('records deploys and rollbacks with who did them, and refuses edits', async () => {
    const engine = await startEngine();
    try {
      await engine.client.createTenant('au');
      await engine.client.importFile('au', Buffer.from(JSON.stringify(sampleTickets(240))), { filename: 'au.json' });
      const r = await engine.client.startRun('au', { kind: 'train', tier: 'fast', deploy: true });
      const first = Number((await engine.client.followRun('au', r.id, () => {})).result!.checkpointId);
      const r2 = await engine.client.startRun('au', { kind: 'train', tier: 'fast', params: { seed: 4 } });
      const second = Number((await engine.client.followRun('au', r2.id, () => {})).result!.checkpointId);
      await engine.client.deploy('au', second);
      await engine.client.rollback('au');
      const { entries } = await engine.client.rawRequest<{ entries: { action: string; actor: string; tenantId: string; detail: { checkpointId: number } }[] }>('GET', '/api/audit');
      const mine = entries.filter((e) => e.tenantId === 'au').reverse();
      expect(mine.map((e) => [e.action, e.actor, e.detail.checkpointId])).toEqual([
        ['deploy', `run ${r.id}`, first],
        ['deploy', 'local', second],
        ['rollback', 'local', first],
      ]);
      const d = new Database(path.join(engine.dataDir, 'triage.db'));
      expect(() => d.prepare('UPDATE audit_log SET actor = ?').run('someone else')).toThrow(/append-only/);
      expect(() => d.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
      d.close();
    } finally {
      await engine.stop();
    }
  });
});
