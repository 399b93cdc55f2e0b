/**
 * `npm run bench -- load [--clients N] [--seconds S] [--quick] [--rounds R] [--sync-tickets N] [--latency MS]`:
 * predict latency and throughput of a real engine over HTTP under N concurrent keep-alive clients (default 64),
 * alone and while the engine trains or syncs. Four phases, S seconds of load each (default 30; --quick: 16
 * clients, 5 s, one round):
 *   1. baseline: GET /api/health under the same load (the floor the HTTP stack sets),
 *   2. predict alone,
 *   3. predict while a fast training run is in progress (restarted whenever one finishes; cancelled at the end),
 *   4. predict while a sync from an Autotask mock is in progress (a new tenant is connected and synced whenever
 *      one finishes; cancelled at the end).
 * Throughput is reported as a ratio of the predict-alone phase and of the baseline, both measured in this run:
 * the machine is shared, so absolute numbers are noise and only ratios mean something. To keep a slow minute on
 * the machine from landing on one phase only, the phases run in R interleaved rounds (default 3) of S / R
 * seconds each (the predict phases in a rotating order), each slice after a short warm-up, and each row pools
 * its slices. A few seconds of unmeasured predict load come first, so V8's warm-up lands on no phase.
 *
 * The load generator and the PSA mock run in worker threads (through the engine's own worker boot), so the
 * engine's event loop does the engine's work only; the engine itself runs in this thread, as `triage serve`
 * would run it.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parentPort, type Worker } from 'node:worker_threads';
import { startAutotaskMock } from '../connectors/autotask/mock-server';
import { EngineClient, EngineError } from '../engine/client/engine-client';
import { resolveConfig } from '../engine/config';
import { generateDemoTenant } from '../engine/demo';
import { createEngine, type Engine } from '../engine/engine';
import { createLogger } from '../engine/logger';
import { listen, type RunningServer } from '../engine/server';
import { bootstrapDemoTenant, DEMO_TENANT } from '../engine/services/demo-tenant';
import { getRunById, type Run } from '../engine/store/runs';
import { startWorker, type WorkerMessage } from '../engine/training/worker-host';

// ---------------------------------------------------------------------------------------------------------------
// Options

interface Options {
  clients: number;
  /** Seconds of measured load per phase, over all rounds. */
  seconds: number;
  /** The phases run in this many interleaved rounds of seconds / rounds each, so drift hits them all alike. */
  rounds: number;
  /** Before each slice; not measured. */
  warmupSeconds: number;
  syncTickets: number;
  latencyMs: number;
}

function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const num = (name: string, fallback: number, min: number): number => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const raw = argv[i + 1];
    const value = Number(raw);
    if (raw === undefined || !Number.isFinite(value) || value < min) {
      throw new Error(`--${name} needs a number of at least ${min}, got ${raw === undefined ? 'nothing' : JSON.stringify(raw)}`);
    }
    return value;
  };
  const clients = Math.round(num('clients', quick ? 16 : 64, 1));
  const seconds = num('seconds', quick ? 5 : 30, 1);
  const rounds = Math.round(num('rounds', quick ? 1 : 3, 1));
  return {
    clients,
    seconds,
    rounds,
    warmupSeconds: Math.min(3, Math.max(1, seconds / rounds / 10)),
    syncTickets: Math.round(num('sync-tickets', 20_000, 1)),
    latencyMs: num('latency', 50, 0),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Worker side: the load generator and the PSA mock. engine/training/worker-boot.mjs imports this module in a
// worker thread and runs its default export.

interface LoadJob {
  role: 'load';
  url: string;
  method: 'GET' | 'POST';
  path: string;
  /** Request bodies, cycled through (each client starts at another offset); none for GET. */
  bodies: string[];
  /** A 2xx body must start with this to count as a success. */
  expectPrefix: string;
  clients: number;
  warmupSeconds: number;
  seconds: number;
}

interface MockJob {
  role: 'mock';
  tickets: number;
  seed: number;
  latencyMs: number;
}

type WorkerJob = LoadJob | MockJob;

interface LoadResult {
  /** Latency of every successful request that completed inside the measured window. */
  latenciesMs: Float64Array;
  /** The measured window, in epoch milliseconds. */
  windowStart: number;
  windowEnd: number;
  /** From the start until every client had its first answer (on its new connection); not in latenciesMs. */
  rampMs: number;
  /** Failures over the whole phase (warm-up and drain included), by "status: body" or network error. */
  errors: Record<string, number>;
  errorCount: number;
}

interface MockReady {
  url: string;
  credentials: { username: string; secret: string; integrationCode: string };
}

type Post = (message: WorkerMessage) => void;

function nextMessage(type: string): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('bench/load.ts: worker code run outside a worker thread');
  return new Promise((resolve) => {
    const onMessage = (m: { type?: string }) => {
      if (m?.type !== type) return;
      port.off('message', onMessage);
      resolve();
    };
    port.on('message', onMessage);
  });
}

function send(agent: http.Agent, target: URL, job: LoadJob, body: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const req = http.request(
      { host: target.hostname, port: target.port, path: job.path, method: job.method, agent, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error('no answer within 60 s')));
    req.on('error', reject);
    req.end(body);
  });
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  return code ? `${code} ${err.message}` : err.message;
}

async function driveLoad(job: LoadJob, post: Post): Promise<LoadResult> {
  const target = new URL(job.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.clients });
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let errorCount = 0;
  const fail = (what: string) => {
    errorCount++;
    errors[what] = (errors[what] ?? 0) + 1;
  };
  post({ type: 'ready' });
  await nextMessage('go');

  // Every client opens its own connection now. A busy engine answers the first request of a new connection only
  // after serving the connections it already has, so the last of N clients may wait seconds for its first answer:
  // the window starts once every client has had one (reported as rampMs) and the warm-up has passed.
  const go = performance.now();
  let windowStart = Infinity;
  let end = Infinity;
  let answered = 0;
  let rampMs = NaN;
  let allAnswered!: () => void;
  const ramp = new Promise<void>((resolve) => (allAnswered = resolve));
  const client = async (index: number) => {
    let k = (index * 7919) % Math.max(job.bodies.length, 1);
    let first = true;
    while (performance.now() < end) {
      const body = job.bodies.length ? job.bodies[k++ % job.bodies.length] : undefined;
      const started = performance.now();
      try {
        const res = await send(agent, target, job, body);
        const finished = performance.now();
        if (res.status < 200 || res.status >= 300) fail(`HTTP ${res.status}: ${res.body.slice(0, 400)}`);
        else if (!res.body.startsWith(job.expectPrefix)) fail(`HTTP ${res.status} with an unexpected body: ${res.body.slice(0, 400)}`);
        else if (finished >= windowStart && finished <= end) latencies.push(finished - started);
      } catch (err) {
        fail(`network error: ${describeError(err)}`);
      }
      if (first && ++answered === job.clients) allAnswered();
      first = false;
    }
  };
  const clients = Promise.all(Array.from({ length: job.clients }, (_, i) => client(i)));
  await ramp;
  rampMs = performance.now() - go;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, go + job.warmupSeconds * 1000 - performance.now())));
  windowStart = performance.now();
  end = windowStart + job.seconds * 1000;
  // Requests still in flight then are drained, not counted: the host stops watching the engine here.
  const windowEnd = setTimeout(() => post({ type: 'window-end' }), end - performance.now());
  await clients;
  clearTimeout(windowEnd);
  agent.destroy();
  return {
    latenciesMs: Float64Array.from(latencies),
    windowStart: performance.timeOrigin + windowStart,
    windowEnd: performance.timeOrigin + end,
    rampMs,
    errors,
    errorCount,
  };
}

async function serveMock(job: MockJob, post: Post): Promise<{ requests: number }> {
  const mock = await startAutotaskMock({ tenant: { tickets: job.tickets, seed: job.seed }, latencyMs: job.latencyMs });
  const ready: MockReady = { url: mock.url, credentials: mock.credentials };
  post({ type: 'ready', ...ready });
  await nextMessage('close');
  const requests = mock.state.counters.requests;
  await mock.close();
  return { requests };
}

/** The worker entry (see engine/training/worker-boot.mjs): not for the dispatcher, which calls runLoadBench. */
export default function loadBenchWorker(job: WorkerJob, post: Post): Promise<unknown> {
  return job.role === 'mock' ? serveMock(job, post) : driveLoad(job, post);
}

// ---------------------------------------------------------------------------------------------------------------
// Host side

interface BenchWorker<R> {
  ready: Promise<WorkerMessage>;
  result: Promise<R>;
  send(type: string): void;
  /** Calls fn when the worker posts a message of this type (other than ready, result and error). */
  on(type: string, fn: () => void): void;
  terminate(): Promise<void>;
}

function spawn<R>(job: WorkerJob): BenchWorker<R> {
  const worker: Worker = startWorker(new URL(import.meta.url), job);
  const listeners = new Map<string, () => void>();
  let readyOk!: (m: WorkerMessage) => void;
  let readyFail!: (e: Error) => void;
  let resultOk!: (v: R) => void;
  let resultFail!: (e: Error) => void;
  const ready = new Promise<WorkerMessage>((res, rej) => ((readyOk = res), (readyFail = rej)));
  const result = new Promise<R>((res, rej) => ((resultOk = res), (resultFail = rej)));
  // Whoever awaits them sees the failure; these only keep an unawaited one from crashing the process.
  ready.catch(() => undefined);
  result.catch(() => undefined);
  const failBoth = (e: Error) => {
    readyFail(e);
    resultFail(e);
  };
  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'ready') readyOk(m);
    else if (m.type === 'result') resultOk(m.value as R);
    else if (m.type === 'error') failBoth(new Error(`${job.role} worker failed: ${String(m.message)}`));
    else listeners.get(m.type)?.();
  });
  worker.on('error', (err) => failBoth(err));
  worker.on('exit', (code) => failBoth(new Error(`${job.role} worker exited with code ${code} before it finished`)));
  return {
    ready,
    result,
    send: (type) => worker.postMessage({ type }),
    on: (type, fn) => void listeners.set(type, fn),
    terminate: async () => void (await worker.terminate()),
  };
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

/** Resolves with the run once it is in a terminal state (the bus says when; a slow poll guards against a miss). */
function waitForRun(engine: Engine, id: number): Promise<Run> {
  return new Promise((resolve) => {
    let stop = () => {};
    const check = () => {
      const run = getRunById(engine.db, id);
      if (run && TERMINAL.has(run.status)) {
        stop();
        resolve(run);
      }
    };
    const off = engine.bus.subscribe(id, (e) => {
      if (e.kind === 'done') check();
    });
    const poll = setInterval(check, 1000);
    stop = () => {
      off();
      clearInterval(poll);
    };
    check();
  });
}

interface LoopRun {
  tenant: string;
  id: number;
  final: Run | null;
}

interface RunLoop {
  runs: LoopRun[];
  failure(): string | null;
  /** Cancels the run in progress, if any, and resolves when it has ended. */
  stop(): Promise<void>;
}

/**
 * Keeps one run of a kind going: starts one, and whenever it finishes starts the next, until stopped; then
 * cancels the one still running. A run that does not succeed stops the loop (reported, never retried).
 */
async function keepRunning(engine: Engine, client: EngineClient, launch: () => Promise<LoopRun>): Promise<RunLoop> {
  const runs: LoopRun[] = [];
  let stopping = false;
  let failure: string | null = null;
  const next = () => launch().then((r) => (runs.push(r), r));
  let launching = next();
  await launching;
  const loop = (async () => {
    for (;;) {
      const current = runs[runs.length - 1];
      current.final = await waitForRun(engine, current.id);
      if (stopping) return;
      if (current.final.status !== 'succeeded') {
        failure = `${current.final.kind} run ${current.id} ${current.final.status}: ${current.final.error ?? ''}`;
        return;
      }
      launching = next();
      await launching;
    }
  })();
  // Awaited by stop(); this only keeps a failure before then from being an unhandled rejection.
  loop.catch(() => undefined);
  return {
    runs,
    failure: () => failure,
    async stop() {
      stopping = true;
      await launching;
      const last = runs[runs.length - 1];
      if (!last.final) {
        try {
          await client.cancelRun(last.tenant, last.id);
        } catch (err) {
          // It may have finished between the check and the request: only that is expected.
          if (!(err instanceof EngineError && err.status === 409)) throw err;
        }
      }
      await loop;
    },
  };
}

/** Milliseconds of the window during which one of the loop's runs was running (from the runs' own start/finish times). */
function busyMs(runs: LoopRun[], windowStart: number, windowEnd: number): number {
  let busy = 0;
  for (const r of runs) {
    const run = r.final;
    if (!run?.startedAt) continue;
    const from = Math.max(Date.parse(run.startedAt), windowStart);
    const to = Math.min(run.finishedAt ? Date.parse(run.finishedAt) : windowEnd, windowEnd);
    if (to > from) busy += to - from;
  }
  return busy;
}

/** What the background did during one slice, or summed over a phase's slices. */
interface BackgroundStats {
  kind: 'train' | 'sync';
  runs: number;
  finished: number;
  cancelled: number;
  busyMs: number;
  /** Sync only: tickets the sync tenants hold at the end. */
  tickets: number;
}

interface Background {
  stop(windowStart: number, windowEnd: number): Promise<BackgroundStats>;
}

interface PhaseSpec {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  bodies: string[];
  expectPrefix: string;
  /** Starts the background work just before the clients go. */
  background?: () => Promise<Background>;
}

/** One slice of a phase: S / rounds seconds of load. */
interface Sample {
  latenciesMs: Float64Array;
  windowMs: number;
  errors: Record<string, number>;
  errorCount: number;
  loopDelayMaxMs: number;
  rampMs: number;
  background: BackgroundStats | null;
}

async function runSlice(server: RunningServer, opts: Options, spec: PhaseSpec, seconds: number): Promise<Sample> {
  const load = spawn<LoadResult>({
    role: 'load',
    url: server.url,
    method: spec.method,
    path: spec.path,
    bodies: spec.bodies,
    expectPrefix: spec.expectPrefix,
    clients: opts.clients,
    warmupSeconds: opts.warmupSeconds,
    seconds,
  });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let background: Background | null = null;
  try {
    await load.ready;
    background = spec.background ? await spec.background() : null;
    // From the start of the warm-up (a request counted in the window may have been sent before it) to the end of
    // the window (not the drain after it).
    load.on('window-end', () => delay.disable());
    delay.enable();
    load.send('go');
    const result = await load.result;
    delay.disable();
    const started = background;
    background = null;
    const stats = started ? await started.stop(result.windowStart, result.windowEnd) : null;
    return {
      latenciesMs: result.latenciesMs,
      windowMs: result.windowEnd - result.windowStart,
      errors: result.errors,
      errorCount: result.errorCount,
      loopDelayMaxMs: delay.max / 1e6,
      rampMs: result.rampMs,
      background: stats,
    };
  } finally {
    delay.disable();
    // On a failure mid-slice, whatever was started in the background is stopped before the error goes up.
    if (background) await background.stop(Date.now(), Date.now() + 1).catch(() => undefined);
    await load.terminate();
  }
}

interface PhaseRow {
  name: string;
  requests: number;
  perSecond: number;
  perRound: number[];
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  errorSamples: Record<string, number>;
  loopDelayMaxMs: number;
  rampMaxMs: number;
  background: string;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtMs = (n: number) => (Number.isNaN(n) ? '-' : n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
const fmtRatio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '-');
const pct = (x: number) => `${Math.round(x * 100)}%`;

function describeBackground(samples: Sample[]): string {
  const stats = samples.map((s) => s.background).filter((b): b is BackgroundStats => b !== null);
  if (stats.length === 0) return '-';
  const sum = (f: (b: BackgroundStats) => number) => stats.reduce((a, b) => a + f(b), 0);
  const windowMs = samples.reduce((a, s) => a + s.windowMs, 0);
  const runs = sum((b) => b.runs);
  const what = stats[0].kind === 'train' ? 'train' : 'sync';
  const tickets = what === 'sync' ? `, ${fmtInt(sum((b) => b.tickets))} tickets stored` : '';
  return `${runs} ${what} run(s): ${sum((b) => b.finished)} finished, ${sum((b) => b.cancelled)} cancelled${tickets}; busy ${pct(sum((b) => b.busyMs) / windowMs)} of the window`;
}

function aggregate(name: string, samples: Sample[]): PhaseRow {
  const total = samples.reduce((n, s) => n + s.latenciesMs.length, 0);
  const sorted = new Float64Array(total);
  let at = 0;
  for (const s of samples) {
    sorted.set(s.latenciesMs, at);
    at += s.latenciesMs.length;
  }
  sorted.sort();
  const errorSamples: Record<string, number> = {};
  for (const s of samples) for (const [what, n] of Object.entries(s.errors)) errorSamples[what] = (errorSamples[what] ?? 0) + n;
  const windowMs = samples.reduce((a, s) => a + s.windowMs, 0);
  return {
    name,
    requests: total,
    perSecond: total / (windowMs / 1000),
    perRound: samples.map((s) => s.latenciesMs.length / (s.windowMs / 1000)),
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: total ? sorted[total - 1] : NaN,
    errors: samples.reduce((a, s) => a + s.errorCount, 0),
    errorSamples,
    loopDelayMaxMs: Math.max(...samples.map((s) => s.loopDelayMaxMs)),
    rampMaxMs: Math.max(...samples.map((s) => s.rampMs)),
    background: describeBackground(samples),
  };
}

function table(rows: PhaseRow[], rounds: number): string {
  const predict = rows.find((r) => r.name === 'predict alone');
  const baseline = rows[0];
  const header = ['phase', 'requests', 'req/s', ...(rounds > 1 ? ['req/s by round'] : []), 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'errors',
    'x predict alone', 'x baseline', 'engine loop stall max ms', 'all connected after ms', 'background'];
  const lines = rows.map((r) => [
    r.name,
    fmtInt(r.requests),
    fmtInt(r.perSecond),
    ...(rounds > 1 ? [r.perRound.map(fmtInt).join(' / ')] : []),
    fmtMs(r.p50),
    fmtMs(r.p90),
    fmtMs(r.p99),
    fmtMs(r.max),
    String(r.errors),
    predict ? fmtRatio(r.perSecond, predict.perSecond) : '-',
    fmtRatio(r.perSecond, baseline.perSecond),
    fmtMs(r.loopDelayMaxMs),
    fmtMs(r.rampMaxMs),
    r.background,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [fmt(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...lines.map(fmt)].join('\n');
}

export async function runLoadBench(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const out = (line: string) => process.stdout.write(line + '\n');
  const defaultRate = resolveConfig().predictRatePerSecond;
  const slice = opts.seconds / opts.rounds;
  out(
    `Load benchmark: ${opts.clients} concurrent keep-alive clients, ${opts.seconds} s of load per phase` +
      (opts.rounds > 1 ? ` in ${opts.rounds} interleaved rounds of ${slice} s` : '') +
      ` (each after ${opts.warmupSeconds} s of warm-up, and once every client has connected), ${os.cpus().length} CPU cores shared with other work: compare ratios, not absolute numbers`,
  );
  out(
    `Predict rate limit: DISABLED for this benchmark (predictRatePerSecond: 0). The engine's setting here is ${defaultRate} requests/s per token ` +
      `(burst ${defaultRate * 2}), and all ${opts.clients} clients are one principal (the local admin), so it would answer 429 instead of measuring the engine.`,
  );

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-bench-load-'));
  const engine = createEngine({ dataDir, host: '127.0.0.1', port: 0, predictRatePerSecond: 0, maxConcurrentRuns: 1 }, createLogger({ quiet: true }));
  let server: RunningServer | null = null;
  // The mock generates its tickets in its own thread while the model trains.
  const mock = spawn<{ requests: number }>({ role: 'mock', tickets: opts.syncTickets, seed: 11, latencyMs: opts.latencyMs });
  try {
    server = await listen(engine);
    const client = new EngineClient(server.url);

    out(`setup: demo tenant of 5,000 generated tickets, training the fast model with deploy…`);
    const trainStarted = performance.now();
    const boot = bootstrapDemoTenant(engine, { count: 5000 });
    if (!boot) throw new Error('the fresh data directory already had tenants');
    const trained = await waitForRun(engine, boot.id);
    if (trained.status !== 'succeeded') throw new Error(`training the demo model ${trained.status}: ${trained.error}`);
    const accuracy = Object.entries((trained.result?.accuracy ?? {}) as Record<string, number>)
      .map(([f, a]) => `${f} ${a.toFixed(2)}`)
      .join(', ');
    out(`setup: trained and deployed in ${((performance.now() - trainStarted) / 1000).toFixed(1)} s (test accuracy: ${accuracy})`);

    const texts = generateDemoTenant({ count: 1000, seed: 2024 }).tickets;
    const bodies = texts.map((t) => JSON.stringify({ ticket: { title: t.title, description: t.description } }));
    await client.predict(DEMO_TENANT, { title: texts[0].title, description: texts[0].description });
    const predictPath = `/api/tenants/${DEMO_TENANT}/predict`;

    const ready = (await mock.ready) as WorkerMessage & MockReady;
    out(`setup: Autotask mock with ${fmtInt(opts.syncTickets)} tickets and ${opts.latencyMs} ms latency per request, in its own thread`);

    const stats = (kind: BackgroundStats['kind'], loop: RunLoop, windowStart: number, windowEnd: number, tickets: number): BackgroundStats => {
      const failure = loop.failure();
      if (failure) throw new Error(`the background ${kind} failed: ${failure}`);
      const finished = loop.runs.filter((r) => r.final?.status === 'succeeded').length;
      return { kind, runs: loop.runs.length, finished, cancelled: loop.runs.length - finished, busyMs: busyMs(loop.runs, windowStart, windowEnd), tickets };
    };

    const training = async (): Promise<Background> => {
      const loop = await keepRunning(engine, client, async () => {
        const run = await client.startRun(DEMO_TENANT, { kind: 'train', tier: 'fast', deploy: false, params: { maxEpochs: 100 } });
        return { tenant: DEMO_TENANT, id: run.id, final: null };
      });
      return {
        async stop(windowStart, windowEnd) {
          await loop.stop();
          return stats('train', loop, windowStart, windowEnd, 0);
        },
      };
    };

    let syncTenants = 0;
    const syncing = async (): Promise<Background> => {
      const loop = await keepRunning(engine, client, async () => {
        const tenant = `psa-${++syncTenants}`;
        await client.createTenant(tenant, `Autotask mock (sync ${syncTenants})`);
        await client.setConnector(tenant, {
          kind: 'autotask',
          config: { username: ready.credentials.username, discoveryUrl: ready.url },
          secrets: { secret: ready.credentials.secret, integrationCode: ready.credentials.integrationCode },
        });
        const run = await client.startRun(tenant, { kind: 'sync' });
        return { tenant, id: run.id, final: null };
      });
      return {
        async stop(windowStart, windowEnd) {
          await loop.stop();
          let tickets = 0;
          for (const r of loop.runs) tickets += (await client.getTenant(r.tenant)).tickets;
          return stats('sync', loop, windowStart, windowEnd, tickets);
        },
      };
    };

    const phases: PhaseSpec[] = [
      { name: 'baseline: GET /api/health', method: 'GET', path: '/api/health', bodies: [], expectPrefix: '{"ok":true' },
      { name: 'predict alone', method: 'POST', path: predictPath, bodies, expectPrefix: '{"prediction"' },
      { name: 'predict during training', method: 'POST', path: predictPath, bodies, expectPrefix: '{"prediction"', background: training },
      { name: 'predict during sync', method: 'POST', path: predictPath, bodies, expectPrefix: '{"prediction"', background: syncing },
    ];
    // The predict path is still being optimised by V8 at first: the first measured slice would pay for it.
    const jitSeconds = Math.min(5, slice);
    out(`warm-up: ${jitSeconds + opts.warmupSeconds} s of predict load, not measured…`);
    const warm = await runSlice(server, opts, phases[1], jitSeconds);
    if (warm.errorCount) throw new Error(`predict failed during the warm-up: ${Object.keys(warm.errors).join('; ')}`);

    const samples: Sample[][] = phases.map(() => []);
    for (let round = 0; round < opts.rounds; round++) {
      // The baseline first, then the predict phases in an order that rotates each round, so that no phase always
      // follows the same one (a training run just cancelled, a database just grown by a sync).
      const order = [0, ...[1, 2, 3].map((_, k) => 1 + ((k + round) % 3))];
      for (const i of order) {
        const spec = phases[i];
        const sample = await runSlice(server, opts, spec, slice);
        samples[i].push(sample);
        const perSecond = sample.latenciesMs.length / (sample.windowMs / 1000);
        const errors = sample.errorCount ? `, ${sample.errorCount} ERRORS` : '';
        const ramp = `all ${opts.clients} connections answered after ${fmtMs(sample.rampMs)} ms`;
        out(`${opts.rounds > 1 ? `round ${round + 1}/${opts.rounds}: ` : ''}${spec.name}: ${fmtInt(perSecond)} req/s (${ramp})${errors}`);
      }
    }
    const rows = phases.map((spec, i) => aggregate(spec.name, samples[i]));

    out('');
    out(table(rows, opts.rounds));
    out('');
    out('req/s: successful requests completed in the measured window per second' + (opts.rounds > 1 ? ', pooled over the rounds (by round: each slice alone, which shows the noise)' : '') + '.');
    out('x predict alone, x baseline: that throughput as a ratio of the predict-alone phase and of GET /api/health, both measured above.');
    out('Latency: per request, at the client, over keep-alive connections.');
    out("engine loop stall: the longest the engine's event loop was blocked in a slice, warm-up included (every request waits behind it).");
    out('all connected after: the slowest slice, from its start until each client had its first answer on the new connection it opens');
    out('then (a busy engine serves the connections it has first); the window starts after that and the warm-up.');
    out('background: the runs kept going during the phase (a finished one is followed by the next, the last one cancelled) and the share');
    out('of the measured window they covered.');
    const failed = rows.filter((r) => r.errors > 0);
    if (failed.length) {
      out('');
      out('ERRORS (must be 0):');
      for (const r of failed) {
        for (const [what, count] of Object.entries(r.errorSamples).sort((a, b) => b[1] - a[1])) out(`  ${r.name}: ${count} x ${what}`);
      }
    }
  } finally {
    mock.send('close');
    await Promise.race([mock.result.catch(() => undefined), new Promise((r) => setTimeout(r, 5000).unref())]);
    await mock.terminate();
    if (server) await server.close();
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
