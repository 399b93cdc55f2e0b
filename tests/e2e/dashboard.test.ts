/**
 * The dashboard end to end, in a real browser: Debian's chromium (never a downloaded one) driven by
 * playwright-core, against the real engine serving the built dashboard. The engine requires a token, so the walk
 * starts at the sign-in form. Screenshots of every page land in test-artifacts/dashboard/.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../engine/client/engine-client';
import { generateDemoTenant } from '../../engine/demo';
import { startEngine, type EngineProcess } from '../helpers/engine-process';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const BUILD_INDEX = path.join(ROOT, 'dashboard/build/index.html');
const ARTIFACTS = path.join(ROOT, 'test-artifacts/dashboard');
const TENANT = 'acme-corp';

// The callbacks passed to page.evaluate run in the browser. The project compiles without the DOM library, so the
// little of it they touch is declared here.
interface El {
  textContent: string | null;
  getAttribute(name: string): string | null;
}
declare const window: { __samples: [number, string][]; innerWidth: number };
declare const document: { querySelector(selector: string): El | null; activeElement: El | null; documentElement: { scrollWidth: number } };
declare const localStorage: { getItem(key: string): string | null };

/** Realistic MSP tickets (six fields) in the upload format: one object per ticket, one key per field. */
function ticketFile(count: number) {
  return generateDemoTenant({ count, seed: 7 }).tickets.map((t) => ({ id: t.id, title: t.title, description: t.description, ...t.fields }));
}

function ensureDashboardBuilt() {
  if (fs.existsSync(BUILD_INDEX)) return;
  const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: path.join(ROOT, 'dashboard'), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the dashboard failed:\n${r.stdout}\n${r.stderr}`);
}

let engine: EngineProcess;
let api: EngineClient;
let token: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

async function shot(name: string) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Waits until the page shows no "Loading…"-style text and the network is quiet (charts drawn). */
async function settle() {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(150);
}

describe('dashboard in chromium', () => {
  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`Chromium is missing at ${CHROMIUM}: install Debian's package with \`apt-get update && apt-get install -y chromium\` (this test never downloads a browser).`);
    }
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    ensureDashboardBuilt();
    // Two GPUs declared (none are used: every run here is fast-tier), so the runs page shows its GPU queue card.
    engine = await startEngine({ args: ['--require-token'], env: { TRIAGE_GPUS: '2' } });
    token = fs.readFileSync(path.join(engine.dataDir, 'admin-token'), 'utf8').trim();
    api = new EngineClient(engine.url, token);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: engine.url });
    page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      // The browser itself logs every 4xx answer; those are expected here (sign-in, a missing tenant).
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`);
    });
    page.on('dialog', (dialog) => void dialog.accept());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await engine?.stop();
  });

  it('asks for a token, then shows the empty overview with what to do next', async () => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot('01-sign-in');
    await page.getByLabel('API token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The engine did not accept this token').waitFor();
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('No tenants yet').waitFor();
    await expect(page.evaluate(() => localStorage.getItem('ticket-triage.token'))).resolves.toBeTruthy();
    await shot('02-overview-empty');
  });

  it('shows each invalid row of an upload, then previews and imports the fixed file', async () => {
    await page.getByRole('link', { name: 'Upload tickets' }).first().click();
    await page.getByLabel('Customer name').fill('Acme Corp');
    await expect(page.getByLabel('Short id').inputValue()).resolves.toBe(TENANT);
    await page.getByRole('button', { name: 'Create tenant' }).click();

    const tickets = ticketFile(800);
    const broken = tickets.map((t, i) => (i === 6 ? { ...t, priority: undefined } : i === 11 ? { ...t, title: 42 } : t));
    await page.setInputFiles('#ticket-file', { name: 'acme-export.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
    await page.getByText('acme-export.json cannot be imported').waitFor();
    await expect(page.locator('tr[data-row="7"]').textContent()).resolves.toContain('priority');
    await expect(page.locator('tr[data-row="12"]').count()).resolves.toBe(1);
    await shot('03-upload-errors');

    // A PSA's CSV export names its columns its own way: the mapping says which hold the title and description.
    await page.getByText('CSV with other column names?').click();
    await page.getByLabel('Title column').fill('Subject');
    await page.getByLabel('Description column').fill('Body');
    const csv = 'Subject,Body,Prio\nVPN down,Cannot connect from home,High\nNew laptop,Please order one,Low\n';
    await page.setInputFiles('#ticket-file', { name: 'psa-export.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByText('The file is valid: 2 tickets (CSV)').waitFor();
    await page.getByText('Prio', { exact: true }).first().waitFor();

    await page.setInputFiles('#ticket-file', { name: 'acme-export.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tickets)) });
    await page.getByText('The file is valid: 800 tickets').waitFor();
    for (const field of ['issue_type', 'sub_issue_type', 'priority']) await page.getByText(field, { exact: true }).first().waitFor();
    await shot('04-upload-preview');
    await page.getByRole('button', { name: /^Import 800 tickets/ }).click();
    await page.getByText('Imported 800 tickets into acme-corp').waitFor();
    expect((await api.getTenant(TENANT)).tickets).toBe(800);
    await shot('05-upload-done');
  });

  it('starts a training run and its loss chart grows live over SSE', async () => {
    await page.getByRole('link', { name: 'Train a model' }).click();
    await page.getByRole('heading', { name: 'Train a new model' }).waitFor();
    // Sample the loss chart and the status as the page sees them, across the client-side navigation.
    await page.evaluate(() => {
      const w = window;
      w.__samples = [];
      setInterval(() => {
        const chart = document.querySelector('section[aria-labelledby="loss-title"] [data-chart]');
        const status = document.querySelector('h1 [data-status]')?.getAttribute('data-status') ?? '';
        w.__samples.push([Number(chart?.getAttribute('data-points') ?? 0), status]);
      }, 40);
    });
    await page.getByRole('button', { name: 'Train a model' }).click();
    await page.waitForURL(/\/runs\/acme-corp\/\d+$/);
    await page.waitForFunction(() => {
      const chart = document.querySelector('section[aria-labelledby="loss-title"] [data-chart]');
      return Number(chart?.getAttribute('data-points') ?? 0) >= 4 && document.querySelector('h1 [data-status="running"]');
    }, undefined, { timeout: 30_000 });
    await shot('06-run-live');
    await page.locator('h1 [data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await page.getByRole('heading', { name: 'Accuracy per field' }).waitFor();

    const samples = await page.evaluate(() => window.__samples);
    const whileRunning = new Set(samples.filter(([n, s]) => s === 'running' && n > 0).map(([n]) => n));
    expect(whileRunning.size, 'the loss chart gained points while the run was running').toBeGreaterThanOrEqual(2);
    const final = Math.max(...samples.map(([n]) => n));
    expect(final).toBeGreaterThan(Math.min(...whileRunning));
    // The heat map and the calibration curve of the first field are drawn by chart.js.
    await expect(page.locator('[data-chart="heatmap"] canvas').count()).resolves.toBe(1);
    await expect(page.locator('[data-chart="heatmap"]').getAttribute('data-cells')).resolves.not.toBe('0');
    await expect(page.locator('#field-panel [data-chart="line"] canvas').count()).resolves.toBe(1);
  });

  it('deploys the checkpoint from the run page; field tabs work with the keyboard', async () => {
    await page.getByRole('button', { name: 'Deploy this model' }).click();
    await page.getByText('Deployed: answering predictions').waitFor();
    expect((await api.getTenant(TENANT)).deployment?.checkpointId).toBe(1);

    const first = page.getByRole('tab').first();
    await first.focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab').nth(1).getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('role'))).resolves.toBe('tab');
    await settle();
    await shot('07-run-finished');
  });

  it('triages a ticket in the playground: answer, confidence, alternatives, model and latency', async () => {
    await page.getByRole('link', { name: 'Try a prediction' }).first().click();
    await page.getByLabel('Title').fill('Printer on the 2nd floor keeps jamming');
    await page.getByLabel('Description').fill('The HP printer near reception jams on every print job since this morning; the whole office cannot print.');
    await page.getByRole('button', { name: 'Triage this ticket' }).click();
    await page.getByTestId('prediction-model').waitFor();
    await expect(page.getByTestId('prediction-model').innerText()).resolves.toMatch(/checkpoint #1 \(fast tier, deployment #\d+\) in [\d.]+ ms/);
    await expect(page.locator('[data-field="issue_type"] .answer').textContent()).resolves.toMatch(/print/i);
    await expect(page.locator('[data-field="issue_type"]').getByText('Alternatives').count()).resolves.toBe(1);
    await shot('08-predict');
  });

  it('deploys a second model, then rolls back to the first from the tenant page', async () => {
    await page.goto(`/tenants/${TENANT}`);
    await page.getByLabel('Deploy it as soon as it finishes').check();
    await page.getByText('Advanced settings').click();
    await page.getByLabel('Maximum passes over the tickets').fill('3');
    await page.getByRole('button', { name: 'Train a model' }).click();
    await page.waitForURL(/\/runs\/acme-corp\/\d+$/);
    await page.locator('h1 [data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await page.getByText('Deployed: answering predictions').waitFor();
    expect((await api.getTenant(TENANT)).deployment?.checkpointId).toBe(2);

    await page.getByRole('link', { name: 'acme-corp' }).first().click();
    await page.getByRole('button', { name: 'Roll back to checkpoint #1' }).click();
    await page.getByText('Live now: checkpoint #1').waitFor();
    expect((await api.getTenant(TENANT)).deployment?.checkpointId).toBe(1);
    await settle();
    await shot('09-tenant-model');
  });

  it('shows the tenant tabs, the runs table, the overview and a missing page', async () => {
    await page.getByRole('link', { name: 'Fields', exact: true }).click();
    await page.getByText('sub_issue_type').first().waitFor();
    await shot('10-tenant-fields');

    await page.getByRole('link', { name: 'Tickets', exact: true }).click();
    await page.getByLabel('Search tickets').fill('printer');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText(/matching "printer"/).waitFor();
    await shot('11-tenant-tickets');

    await page.getByRole('link', { name: 'Datasets', exact: true }).click();
    await page.getByRole('cell', { name: /^#1/ }).waitFor();
    await shot('12-tenant-datasets');

    await page.getByRole('link', { name: 'PSA & auto-apply' }).click();
    await page.getByText('No PSA connected').waitFor();
    await page.getByLabel('Issue type', { exact: true }).fill('90');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved. New tickets').waitFor();
    expect((await api.getTriageSettings(TENANT)).thresholds?.issue_type).toBe(0.9);
    await shot('13-tenant-connector');

    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.locator('tr[data-run]').nth(1).waitFor();
    await page.getByLabel('Status').selectOption('succeeded');
    await page.waitForURL(/status=succeeded/);
    await expect(page.locator('tr[data-run]').count()).resolves.toBe(2);
    // Fast-tier runs never wait for a GPU: the queue card shows the engine's two GPUs, idle.
    const gpuCard = page.getByRole('region', { name: 'GPU queue' });
    await gpuCard.getByText('2 GPU(s).').waitFor();
    await expect(gpuCard.locator('ol.gpu-queue li').allTextContents()).resolves.toEqual(['idle']);
    await expect(api.gpuQueue()).resolves.toEqual({ gpus: 2, running: [], queued: [] });
    await shot('14-runs');

    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Acme Corp' }).waitFor();
    await settle();
    await shot('15-overview');

    await page.goto('/tenants/ghost');
    await page.getByRole('alert').getByText('tenant "ghost"').waitFor();
    await shot('16-not-found');
  });

  it('fits a tablet and is keyboard navigable', async () => {
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.goto('/runs/acme-corp/1');
    await page.getByRole('heading', { name: 'Accuracy per field' }).waitFor();
    await settle();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'no horizontal scrolling at tablet width').toBeLessThanOrEqual(0);
    await shot('17-tablet-run');

    await page.goto('/upload');
    await page.getByRole('heading', { name: 'Upload tickets' }).waitFor();
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Ticket triage');
    await shot('18-tablet-upload');
    expect(problems).toEqual([]);
  });
});
