/**
 * `npm run bench -- llm-tenants`: several tenants' adapters triaging at once on CPU, with the runtime's shared thread
 * budget (each context gets at least one thread, all of them together at most max(threads, cores)) against the old
 * behaviour, where every busy context spins its full `threads` whatever the others do. Each tenant sends its tickets
 * one after another; the tenants run concurrently. Rows alternate so the machine's drift falls on both.
 * Options: --model GGUF --adapters A,B[,…] (default: the tiny fixture and its two adapters) --threads N (per context,
 *          default: the cores) --tickets N (per tenant, default 10) --rounds N (default 2)
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemoTenant } from '../engine/demo/generate';
import { llmTriage } from '../engine/models/llm/llm-triage';
import { LlmRuntime } from '../engine/models/llm/runtime';
import { markdownTable } from './fast-table';
import { benchSchema } from './llm-schema';
import { quantile } from './quantile';

const TINY = path.resolve(import.meta.dirname, '../tests/fixtures/llm/tiny');

async function measure(model: string, adapters: string[], threads: number, tickets: number, budget: boolean) {
  const runtime = await LlmRuntime.load({ model, gpu: false, maxAdapters: adapters.length + 1, contextSize: 1024, threads, threadBudget: budget });
  try {
    const schema = benchSchema(200);
    const texts = generateDemoTenant({ count: adapters.length * tickets + 1, seed: 5 }).tickets.map((t) => ({ title: t.title, description: t.description }));
    for (const adapterFile of adapters) await llmTriage(runtime, texts[0]!, schema, { adapterFile }); // load and warm
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      adapters.map(async (adapterFile, k) => {
        for (let i = 0; i < tickets; i++) {
          const s = performance.now();
          await llmTriage(runtime, texts[1 + k * tickets + i]!, schema, { adapterFile });
          latencies.push(performance.now() - s);
        }
      }),
    );
    const wall = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return { wall, p50: quantile(latencies, 0.5), p90: quantile(latencies, 0.9), maxThreads: runtime.llama.maxThreads };
  } finally {
    await runtime.dispose();
  }
}

export async function runLlmTenantsBench(argv = process.argv.slice(3)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string', default: path.join(TINY, 'tiny-qwen2.gguf') },
      adapters: { type: 'string', default: `${path.join(TINY, 'adapter-0.gguf')},${path.join(TINY, 'adapter-1.gguf')}` },
      threads: { type: 'string', default: String(os.availableParallelism()) },
      tickets: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '2' },
    },
  });
  const adapters = values.adapters.split(',').map((a) => path.resolve(a));
  const threads = Number(values.threads);
  const tickets = Number(values.tickets);
  const rows: string[][] = [];
  const walls: Record<string, number[]> = { budget: [], none: [] };
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const budget of [false, true]) {
      const r = await measure(values.model, adapters, threads, tickets, budget);
      walls[budget ? 'budget' : 'none']!.push(r.wall);
      rows.push([
        budget ? `shared budget (at most ${r.maxThreads} threads)` : `no budget (${threads} thread${threads > 1 ? 's' : ''} per busy context)`,
        String(round + 1),
        r.wall.toFixed(2),
        (adapters.length * tickets / r.wall).toFixed(1),
        r.p50.toFixed(0),
        r.p90.toFixed(0),
      ]);
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  process.stdout.write(
    `${path.basename(values.model)}, ${adapters.length} tenants at once (one adapter each), ${tickets} tickets each, ${threads} threads per context, ${os.availableParallelism()} cores\n\n` +
      `${markdownTable(['threads', 'round', 'wall s', 'tickets/s', 'p50 ms', 'p90 ms'], rows)}\n\n` +
      `no budget / shared budget, mean wall time: ${(mean(walls.none!) / mean(walls.budget!)).toFixed(2)}×\n`,
  );
}
