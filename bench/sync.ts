/**
 * `npm run bench -- sync [--tickets N] [--latency MS] [--psa autotask|connectwise]`: sync speed against each PSA mock with a per-request
 * latency. For each PSA: a first full sync of N tickets and an incremental sync (1% of tickets changed, 1% new),
 * in tickets per minute and API calls per 1,000 tickets. The baseline, measured in the same run, is the client
 * alone paging through the same tickets with nothing stored: the floor the PSA's API sets.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { startAutotaskMock } from '../connectors/autotask/mock-server';
import { createAutotaskConnector } from '../connectors/autotask';
import { startConnectWiseMock } from '../connectors/connectwise/mock-server';
import { createConnectWiseConnector } from '../connectors/connectwise';
import type { PsaConnector } from '../connectors/types';
import { createEngine } from '../engine/engine';
import { createLogger } from '../engine/logger';
import { startRun } from '../engine/services/start-run';
import { getRunById } from '../engine/store/runs';
import { createTenant } from '../engine/store/tenants';
import { upsertConnector } from '../engine/store/connectors';

interface Row {
  psa: string;
  what: string;
  tickets: number;
  seconds: number;
  perMinute: number;
  calls: number;
  callsPer1000: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function rawPaging(connector: PsaConnector): Promise<{ tickets: number; seconds: number }> {
  const started = performance.now();
  let tickets = 0;
  await connector.connect();
  for await (const page of connector.fetchTickets({ since: null, afterId: null })) tickets += page.length;
  return { tickets, seconds: (performance.now() - started) / 1000 };
}

async function engineSync(engine: ReturnType<typeof createEngine>, tenant: string) {
  const started = performance.now();
  const run = startRun(engine, tenant, { kind: 'sync' });
  await engine.runner.idle();
  const done = getRunById(engine.db, run.id)!;
  if (done.status !== 'succeeded') throw new Error(`sync ${done.status}: ${done.error}`);
  const r = done.result as { fetched: number; apiRequests: number };
  return { tickets: r.fetched, seconds: (performance.now() - started) / 1000, calls: r.apiRequests };
}

function row(psa: string, what: string, tickets: number, seconds: number, calls: number): Row {
  return { psa, what, tickets, seconds, perMinute: (tickets / seconds) * 60, calls, callsPer1000: (calls / Math.max(tickets, 1)) * 1000 };
}

interface PsaSetup {
  config: Record<string, unknown>;
  secrets: Record<string, string>;
  baseline: PsaConnector;
  /** Touches `n` existing tickets and adds `n` new ones, as a day of helpdesk work would. */
  change(n: number): void;
  close(): Promise<void>;
}

async function setUp(psa: 'autotask' | 'connectwise', count: number, latencyMs: number): Promise<PsaSetup> {
  if (psa === 'autotask') {
    const mock = await startAutotaskMock({ tenant: { tickets: count, seed: 11 }, latencyMs });
    const { username, secret, integrationCode } = mock.credentials;
    return {
      config: { username, discoveryUrl: mock.url },
      secrets: { secret, integrationCode },
      baseline: createAutotaskConnector({ username, secret, integrationCode, discoveryUrl: mock.url }),
      change(n) {
        const ids = mock.state.tickets.rows.map((r) => Number(r.id));
        for (let i = 0; i < n; i++) mock.state.touchTicket(ids[(i * 97) % ids.length]);
        for (let i = 0; i < n; i++) mock.state.addTicket({ title: `New ticket ${i}`, description: 'Printer offline again' });
      },
      close: () => mock.close(),
    };
  }
  const mock = await startConnectWiseMock({ tenant: { tickets: count, seed: 11 }, latencyMs });
  const { companyId, publicKey, privateKey, clientId } = mock.credentials;
  // ConnectWise needs one notes call per ticket for its description, so a large backfill meets the client's
  // default budget of 10,000 requests an hour (50,000 tickets: ~5 hours). The mock has no such limit: lift the
  // budget here to measure throughput, and read the budget-bound time off the calls per 1,000 tickets.
  const http = { hourlyBudget: 10_000_000 };
  return {
    config: { site: mock.url, companyId, publicKey, http },
    secrets: { privateKey, clientId },
    baseline: createConnectWiseConnector({ site: mock.url, companyId, publicKey, privateKey, clientId, http }),
    change(n) {
      for (let i = 0; i < n; i++) mock.state.touchTicket(mock.state.ticketIds[(i * 97) % mock.state.ticketIds.length]);
      for (let i = 0; i < n; i++) mock.state.addTicket({ summary: `New ticket ${i}`, description: 'Printer offline again' });
    },
    close: () => mock.close(),
  };
}

export async function runSyncBench(): Promise<void> {
  const count = arg('tickets', 50_000);
  const latencyMs = arg('latency', 20);
  process.stdout.write(`Sync benchmark: ${count} tickets per PSA mock, ${latencyMs} ms latency per request\n`);
  const rows: Row[] = [];
  const only = process.argv.indexOf('--psa') >= 0 ? process.argv[process.argv.indexOf('--psa') + 1] : null;
  for (const psa of (['autotask', 'connectwise'] as const).filter((p) => !only || p === only)) {
    process.stdout.write(`${psa}: generating the tenant…\n`);
    const setup = await setUp(psa, count, latencyMs);
    const baseline = setup.baseline;
    process.stdout.write(`${psa}: client paging alone (baseline)…\n`);
    const raw = await rawPaging(baseline);
    rows.push(row(psa, 'baseline: client paging only', raw.tickets, raw.seconds, baseline.stats.requests));

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-bench-sync-'));
    const engine = createEngine({ dataDir }, createLogger({ quiet: true }));
    createTenant(engine.db, { id: 'bench' });
    upsertConnector(engine.db, 'bench', { kind: psa, config: setup.config, secrets: engine.secrets.seal(setup.secrets), scheduleMinutes: 0 });
    process.stdout.write(`${psa}: first full sync through the engine…\n`);
    const full = await engineSync(engine, 'bench');
    rows.push(row(psa, 'first full sync', full.tickets, full.seconds, full.calls));

    const changed = Math.max(1, Math.round(count / 100));
    setup.change(changed);
    process.stdout.write(`${psa}: incremental sync…\n`);
    const incremental = await engineSync(engine, 'bench');
    rows.push(row(psa, `incremental sync (${changed} changed + ${changed} new)`, incremental.tickets, incremental.seconds, incremental.calls));
    await engine.close();
    await setup.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const header = ['psa', 'what', 'tickets', 'seconds', 'tickets/min', 'API calls', 'calls/1000 tickets', 'x baseline time'];
  const lines = rows.map((r) => {
    const base = rows.find((b) => b.psa === r.psa && b.what.startsWith('baseline'))!;
    const ratio = r === base ? 1 : r.seconds / (base.seconds * (r.tickets / Math.max(base.tickets, 1)));
    return [r.psa, r.what, String(r.tickets), r.seconds.toFixed(1), Math.round(r.perMinute).toLocaleString('en-US'), String(r.calls), r.callsPer1000.toFixed(1), ratio.toFixed(2)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  process.stdout.write(['', fmt(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...lines.map(fmt), ''].join('\n') + '\n');
  process.stdout.write('x baseline time: seconds per ticket relative to the client paging alone (1.00 = no engine overhead).\n');
}
