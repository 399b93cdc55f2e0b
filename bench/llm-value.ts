/**
 * `npm run bench -- llm-value`: what each part of the LLM tier adds, on held-out tickets of the demo tenant.
 *   zero-shot      the base model alone, answering within the choices
 *   retrieval      + the k most similar training tickets with their labels in the prompt (the engine's ExampleIndex)
 *   adapter        + the tenant's LoRA adapter (trained by the engine's Python trainer), no examples
 *   adapter + retrieval
 * and the fast tier trained on the same split, for reference. Accuracy per field and mean, plus latency per ticket.
 *
 * The base model must match the adapter: bench/gpu/adapter_value_train.py trains on the HF form of
 * `engine/models/llm/tiny/write-fixtures.ts DIR --small` and this bench loads its GGUF form.
 * Options: --model GGUF (default .device/small/tiny-qwen2.gguf) --adapter DIR|GGUF (a PEFT checkpoint directory is
 *          converted like the engine does; default .device/adapter-value/adapter) --tickets N (test tickets, default
 *          all) --k N (examples, default 4) --json FILE
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { convertPeftAdapter } from '../engine/models/llm/formats/lora-gguf';
import { llmTriage } from '../engine/models/llm/llm-triage';
import { ExampleIndex } from '../engine/models/llm/retrieval';
import { LlmRuntime } from '../engine/models/llm/runtime';
import { trainFastModel } from '../engine/models/fast/train';
import { ticketText, type FieldSchema } from '../engine/triage/types';
import type { LabeledTicket } from '../engine/triage/types';
import { demoSplits } from './demo-splits';
import { markdownTable } from './fast-table';

interface ConfigResult {
  config: string;
  accuracy: Record<string, number>;
  mean: number;
  msPerTicket: number;
}

function accuracyOf(schema: FieldSchema[], tickets: LabeledTicket[], predicted: Record<string, string | null>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of schema) {
    let n = 0;
    let right = 0;
    tickets.forEach((t, i) => {
      const truth = t.fields[f.name];
      if (truth === undefined || truth === null || truth === '') return;
      n++;
      if (predicted[i][f.name] === truth) right++;
    });
    out[f.name] = n ? right / n : NaN;
  }
  return out;
}

const mean = (acc: Record<string, number>) => {
  const v = Object.values(acc).filter((x) => !Number.isNaN(x));
  return v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
};

function adapterGguf(adapter: string): string {
  if (fs.statSync(adapter).isFile()) return adapter;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'llm-value-')), 'adapter.gguf');
  fs.writeFileSync(out, convertPeftAdapter(adapter).bytes);
  return out;
}

export async function runLlmValueBench(argv = process.argv.slice(3)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string', default: '.device/small/tiny-qwen2.gguf' },
      adapter: { type: 'string', default: '.device/adapter-value/adapter' },
      tickets: { type: 'string' },
      k: { type: 'string', default: '4' },
      json: { type: 'string' },
    },
  });
  for (const [what, file] of [['model', values.model], ['adapter', values.adapter]] as const) {
    if (!fs.existsSync(file)) {
      throw new Error(`${what} ${file} does not exist: see bench/README.md ("What the LLM tier's parts add") for how to make it`);
    }
  }
  const k = Number(values.k);
  const demo = demoSplits();
  const schema = demo.schema;
  const test = values.tickets ? demo.test.slice(0, Number(values.tickets)) : demo.test;
  const adapterFile = adapterGguf(values.adapter);
  const runtime = await LlmRuntime.load({ model: values.model, gpu: false, sequencesPerContext: 1, contextSize: 4096, maxAdapters: 2 });
  const index = new ExampleIndex(demo.train.map((t) => ({ title: t.title, description: t.description, fields: t.fields })));
  process.stdout.write(
    `model ${values.model} (${runtime.backend().gpu || 'CPU'}), adapter ${values.adapter}; demo tenant: ${demo.train.length} train, ${test.length} test tickets; k = ${k}\n\n`,
  );

  const configs = [
    { config: 'zero-shot (base model, choices only)', adapter: null, k: 0 },
    { config: `retrieval (base model + ${k} similar tickets)`, adapter: null, k },
    { config: 'adapter (LoRA, no examples)', adapter: adapterFile, k: 0 },
    { config: `adapter + retrieval (${k} similar tickets)`, adapter: adapterFile, k },
  ];
  const bar = new SingleBar({ format: '{config} [{bar}] {value}/{total} | ETA {eta}s', hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000, stream: process.stderr });
  const results: ConfigResult[] = [];
  for (const c of configs) {
    const predicted: Record<string, string | null>[] = [];
    bar.start(test.length, 0, { config: c.config });
    const start = performance.now();
    for (const t of test) {
      const r = await llmTriage(runtime, t, schema, { adapterFile: c.adapter, examples: c.k ? index.nearest(ticketText(t), c.k) : [] });
      predicted.push(Object.fromEntries(Object.entries(r.fields).map(([f, p]) => [f, p.value])));
      bar.increment();
    }
    bar.stop();
    const accuracy = accuracyOf(schema, test, predicted);
    results.push({ config: c.config, accuracy, mean: mean(accuracy), msPerTicket: (performance.now() - start) / test.length });
  }

  // The fast tier on the same split: what the LLM tier competes with per field (llm runs pick the better per field).
  const data = (rows: LabeledTicket[]) => ({
    texts: rows.map((t) => ticketText(t)),
    labels: Object.fromEntries(schema.map((f) => [f.name, rows.map((t) => t.fields[f.name] ?? null)])),
  });
  const fastStart = performance.now();
  const fast = trainFastModel(data(demo.train), data(demo.validation));
  const fastTrainS = (performance.now() - fastStart) / 1000;
  const probs = fast.predictProbaBatch(test.map((t) => ticketText(t)));
  const fastPredicted = probs.map((p) => Object.fromEntries(schema.map((f) => [f.name, [...(p[f.name] ?? new Map()).entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null])));
  const fastAccuracy = accuracyOf(schema, test, fastPredicted);
  results.push({ config: `fast tier (reference; trained in ${fastTrainS.toFixed(1)} s)`, accuracy: fastAccuracy, mean: mean(fastAccuracy), msPerTicket: NaN });

  const zero = results[0].mean;
  process.stdout.write(
    `${markdownTable(
      ['configuration', ...schema.map((f) => f.name), 'mean', 'Δ mean vs zero-shot', 'ms / ticket'],
      results.map((r) => [
        r.config,
        ...schema.map((f) => (r.accuracy[f.name] * 100).toFixed(1)),
        (r.mean * 100).toFixed(1),
        `${r.mean >= zero ? '+' : ''}${((r.mean - zero) * 100).toFixed(1)}`,
        Number.isNaN(r.msPerTicket) ? '-' : r.msPerTicket.toFixed(0),
      ]),
    )}\n`,
  );
  if (values.json) fs.writeFileSync(values.json, JSON.stringify({ model: values.model, adapter: values.adapter, k, tickets: test.length, results }, null, 2));
  await runtime.dispose();
}
