import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient, type Run } from '../../engine/client/engine-client';
import { createEngine, type Engine } from '../../engine/engine';
import type { Logger } from '../../engine/logger';
import { listen, type RunningServer } from '../../engine/server';
import { SyncScheduler } from '../../engine/sync/scheduler';
import { tempDataDir } from '../helpers/engine-process';
import { nextDemoText, startAutotaskHarness, startConnectWiseHarness, type PsaHarness } from '../helpers/psa-mocks';

/**
 * The sync loop against each faithful PSA mock, with the engine serving its real HTTP API: picklists and tickets
 * pulled incrementally, faults survived, an interrupted sync resumed from its cursor, triage written back only
 * above threshold (and never in shadow mode), live accuracy from completed tickets, and secrets kept secret.
 */
describe.each([
  ['autotask', startAutotaskHarness],
  ['connectwise', startConnectWiseHarness],
] as const)('sync with %s', (_name, startHarness) => {
  let psa: PsaHarness;
  let engine: Engine;
  let server: RunningServer;
  let client: EngineClient;
  const logs: string[] = [];
  const tenant = 'msp';

  beforeAll(async () => {
    psa = await startHarness(600);
    const capture = (level: string) => (m: string) => void logs.push(`${level} ${m}`);
    const log: Logger = { info: capture('info'), warn: capture('warn'), error: capture('error') };
    engine = createEngine({ dataDir: tempDataDir('triage-sync-'), port: 0 }, log);
    server = await listen(engine);
    client = new EngineClient(server.url);
    await client.createTenant(tenant);
    await client.setConnector(tenant, psa.connectorInput);
  });
  afterAll(async () => {
    await server?.close();
    await engine?.close();
    await psa?.close();
  });

  async function sync(): Promise<Run> {
    const run = await client.startRun(tenant, { kind: 'sync' });
    return client.followRun(tenant, run.id, () => {});
  }
  const storedTickets = () => (engine.db.$client.prepare('SELECT count(*) AS n, count(DISTINCT external_id) AS d FROM tickets WHERE tenant_id = ?').get(tenant) as { n: number; d: number });

  it('a first sync stores every ticket once, the picklists with parent links, and a time-ordered dataset', async () => {
    psa.faultTicketPages('429', 1);
    psa.faultTicketPages('500', 1);
    psa.faultTicketPages('drop', 1);
    const run = await sync();
    expect(run.status, run.error ?? '').toBe('succeeded');
    expect(storedTickets()).toEqual({ n: psa.ticketCount(), d: psa.ticketCount() });
    expect(run.result).toMatchObject({ fetched: psa.ticketCount(), inserted: psa.ticketCount() });
    expect(Number(run.result!.apiRetries)).toBeGreaterThanOrEqual(3);
    const fields = await client.getFields(tenant);
    const child = fields.find((f) => f.parentField)!;
    const parent = fields.find((f) => f.name === child.parentField)!;
    const parentValues = new Set(parent.choices.map((c) => c.value));
    expect(child.choices.every((c) => c.parent && parentValues.has(c.parent))).toBe(true);
    const datasets = await client.listDatasets(tenant);
    expect(datasets[0]).toMatchObject({ strategy: 'time' });
    expect(datasets[0].counts.train).toBeGreaterThan(100);
    const connector = await client.getConnector(tenant);
    expect(connector.cursor).toMatchObject({ afterId: null });
    expect(connector.cursor.since).toEqual(expect.any(String));
  });

  it('an interrupted sync resumes from its cursor: nothing lost, nothing duplicated', async () => {
    const before = psa.ticketCount();
    for (let i = 0; i < 30; i++) psa.addOpenTicket(`${nextDemoText().title} ${i}`, nextDemoText().description);
    // Make the next sync read everything again in small pages: the first page goes through, then every
    // retry of the second fails and the run fails.
    engine.db.$client.prepare(`UPDATE connectors SET cursor = '{"since":null,"afterId":null}' WHERE tenant_id = ?`).run(tenant);
    process.env.TRIAGE_SYNC_PAGE_SIZE = '100';
    psa.faultTicketPages('500', 50, 1);
    const failed = await sync();
    expect(failed.status).toBe('failed');
    const cursor = (await client.getConnector(tenant)).cursor;
    expect(cursor.afterId).not.toBeNull();
    expect(storedTickets().n).toBeGreaterThanOrEqual(100);
    psa.clearFaults();
    const resumed = await sync();
    delete process.env.TRIAGE_SYNC_PAGE_SIZE;
    expect(resumed.status, resumed.error ?? '').toBe('succeeded');
    expect(storedTickets()).toEqual({ n: before + 30, d: before + 30 });
    const events = await client.runEvents(tenant, resumed.id);
    expect(events.some((e) => String(e.data.message).includes(`resuming the interrupted sync after ticket ${cursor.afterId}`))).toBe(true);
    // The resumed sync read only what came after the cursor.
    // The resumed sync read only what came after the cursor: everything but the first page of 100.
    expect(Number(resumed.result!.fetched)).toBe(before + 30 - 100);
  });

  it('triage in shadow mode stores suggestions and writes nothing to the PSA', async () => {
    const train = await client.startRun(tenant, { kind: 'train', tier: 'fast', deploy: true });
    expect((await client.followRun(tenant, train.id, () => {})).status).toBe('succeeded');
    const writesBefore = psa.writes().length;
    for (let i = 0; i < 10; i++) {
      const t = nextDemoText();
      psa.addOpenTicket(t.title, t.description);
    }
    await client.setTriageSettings(tenant, { mode: 'shadow', defaultThreshold: 0 });
    const run = await sync();
    expect(run.status, run.error ?? '').toBe('succeeded');
    expect(Number(run.result!.triaged)).toBe(10);
    expect(Number(run.result!.shadow)).toBe(10);
    expect(psa.writes().length).toBe(writesBefore);
  });

  it('apply mode writes back only the fields at or above their threshold, with a note', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const t = nextDemoText();
      ids.push(psa.addOpenTicket(t.title, t.description));
    }
    const fields = (await client.getFields(tenant)).map((f) => f.name);
    const thresholds = Object.fromEntries(fields.map((f, i) => [f, i % 2 === 0 ? 0 : 0.999]));
    await client.setTriageSettings(tenant, { mode: 'apply', thresholds, note: true });
    const run = await sync();
    expect(run.status, run.error ?? '').toBe('succeeded');
    const res = await fetch(`${server.url}/api/tenants/${tenant}/triage?limit=10`);
    const { triage } = (await res.json()) as { triage: { ticketId: string; applyStatus: string; applied: Record<string, { value: string; confidence: number }>; fields: Record<string, { status: string; confidence: number }> }[] };
    expect(triage.map((t) => t.ticketId).sort()).toEqual([...ids].sort());
    const writes = psa.writes();
    for (const t of triage) {
      for (const [field, p] of Object.entries(t.fields)) {
        const applied = field in (t.applied ?? {});
        if (applied) expect(p.confidence).toBeGreaterThanOrEqual(thresholds[field]);
        if (p.status === 'predicted' && p.confidence < thresholds[field]) expect(applied).toBe(false);
      }
      const updates = writes.filter((w) => w.kind === 'update' && w.ticket === t.ticketId);
      if (Object.keys(t.applied ?? {}).length) {
        expect(t.applyStatus).toBe('applied');
        expect(updates).toHaveLength(1);
        expect(updates[0].keys.sort()).toEqual(Object.keys(t.applied).sort());
        expect(writes.filter((w) => w.kind === 'note' && w.ticket === t.ticketId)).toHaveLength(1);
      } else {
        expect(updates).toHaveLength(0);
      }
    }
    expect(triage.some((t) => t.applyStatus === 'applied')).toBe(true);
  });

  it('completed tickets score the predictions: live accuracy per field', async () => {
    const { triage } = (await (await fetch(`${server.url}/api/tenants/${tenant}/triage?limit=20`)).json()) as { triage: { ticketId: string }[] };
    for (const t of triage) psa.completeTicket(t.ticketId);
    const run = await sync();
    expect(run.status, run.error ?? '').toBe('succeeded');
    expect(Number(run.result!.scored)).toBeGreaterThan(0);
    const live = await client.liveAccuracy(tenant);
    expect(live.fields.length).toBeGreaterThan(0);
    for (const f of live.fields) {
      expect(f.n).toBeGreaterThan(0);
      expect(f.accuracy).toBeCloseTo(f.correct / f.n, 6);
    }
    expect(live.daily.length).toBeGreaterThan(0);
  });

  it('a renamed choice flags the deployed model', async () => {
    const changed = psa.renameAChoice();
    const run = await sync();
    expect(run.status, run.error ?? '').toBe('succeeded');
    const { flags } = (await (await fetch(`${server.url}/api/tenants/${tenant}/model-flags`)).json()) as { flags: { field: string; change: string; value: string; checkpointId: number }[] };
    const deployed = (await client.getTenant(tenant)).deployment!.checkpointId;
    expect(flags).toContainEqual(expect.objectContaining({ field: changed.field, change: 'renamed', value: changed.value, checkpointId: deployed }));
    const choice = (await client.getFields(tenant)).find((f) => f.name === changed.field)!.choices.find((c) => c.value === changed.value)!;
    expect(choice.label).toMatch(/\(renamed\)$/);
  });

  it('runs on a schedule', async () => {
    await client.setConnector(tenant, { ...psa.connectorInput, scheduleMinutes: 5 });
    const scheduler = new SyncScheduler(engine);
    expect(scheduler.tick(Date.now() + 6 * 60_000)).toEqual([tenant]);
    expect(scheduler.tick(Date.now() + 6 * 60_000)).toEqual([]); // one is already queued or running
    await engine.runner.idle();
  });

  it('never shows the PSA secrets: not in logs, API answers, or the database file', async () => {
    const connector = await client.getConnector(tenant);
    expect(connector.secrets.sort()).toEqual(Object.keys(psa.connectorInput.secrets).sort());
    const everything = [
      logs.join('\n'),
      JSON.stringify(connector),
      JSON.stringify(await client.listRuns(tenant)),
      ...fs.readdirSync(engine.config.dataDir).filter((f) => f.startsWith('triage.db')).map((f) => fs.readFileSync(path.join(engine.config.dataDir, f)).toString('latin1')),
    ].join('\n');
    for (const secret of psa.secretValues) expect(everything).not.toContain(secret);
  });
});
