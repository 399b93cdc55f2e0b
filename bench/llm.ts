/**
 * `npm run bench -- llm`: the LLM tier's serving speed on whatever hardware runs it.
 *   1. Per ticket at batch 1: the engine's choice search (constrained, with probabilities), free generation under
 *      the answer grammar, and unconstrained generation of the same answer (the baseline: what the prototype did
 *      before mapping free text to choices): p50/p99 latency, tokens per ticket, answers valid within the choices.
 *   2. Tickets per second by batch size: tickets decoded concurrently in parallel sequences of one context.
 *   3. With --profile: what one search step costs (k tokens after the prompt, base model and adapter).
 * Options: --model GGUF (default: the tiny fixture) --adapter GGUF|none --tickets N --choices N (largest field)
 *          --batches 1,8,32,128 --gpu auto|off --context N (tokens per sequence) --json FILE
 *          --widths 1,4 (choice search at each search width; default: the runtime's) --gen-tickets N (tickets for
 *          the two generation modes, which are slow on a 7B model) --modes search,grammar,free --flash-attention
 *          --profile --stock-addon (node-llama-cpp's prebuilt addon even where the candidate-logits build is installed)
 *          --contexts N (the largest batch's sequences split over N llama.cpp contexts of the adapter)
 *          --engine-shape (the engine's own contexts, sequences, context size and KV cache for the backend, as it
 *          serves: runtime.ts SERVING_DEFAULTS; batches larger than its sequences wait for free ones)
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemoTenant } from '../engine/demo/generate';
import { generateAnswer } from '../engine/models/llm/generate';
import { llmTriage } from '../engine/models/llm/llm-triage';
import { gpuBatchSize, LlmRuntime } from '../engine/models/llm/runtime';
import { allowedChoices } from '../engine/triage/decode-choices';
import { choiceTexts, promptMessages } from '../engine/triage/prompt';
import { promptTokens } from '../engine/models/llm/chat-render';
import type { FieldSchema, TicketText } from '../engine/triage/types';
import { benchSchema } from './llm-schema';
import { markdownTable } from './fast-table';
import { profileSteps } from './llm-profile';
import { quantile } from './quantile';
import { DecodeMeter, type DecodeStats } from './llm-decode-stats';

const TINY = path.resolve(import.meta.dirname, '../tests/fixtures/llm/tiny');

/** Whether a generated answer is JSON with every field one of its allowed choice texts. */
function validAnswer(text: string, schema: FieldSchema[]): boolean {
  try {
    const answer = JSON.parse(text) as Record<string, unknown>;
    return schema.every((f) => {
      const texts = choiceTexts(f.choices);
      return allowedChoices(f, undefined).some((c) => texts.get(c.value) === answer[f.name]);
    });
  } catch {
    return false;
  }
}

interface ModeResult {
  mode: string;
  tickets: number;
  p50: number;
  p99: number;
  tokensPerTicket: number;
  /** Choice search only: sequential model calls per ticket. */
  stepsPerTicket?: number;
  valid: number;
}

async function timeMode(mode: string, tickets: TicketText[], one: (t: TicketText) => Promise<{ tokens: number; steps?: number; valid: boolean }>): Promise<ModeResult> {
  await one(tickets[0]); // warm-up: context creation and first-use costs stay out of the numbers
  const ms: number[] = [];
  let tokens = 0;
  let steps = 0;
  let valid = 0;
  for (const t of tickets) {
    const start = performance.now();
    const r = await one(t);
    ms.push(performance.now() - start);
    tokens += r.tokens;
    steps += r.steps ?? 0;
    valid += r.valid ? 1 : 0;
  }
  ms.sort((a, b) => a - b);
  const n = tickets.length;
  return { mode, tickets: n, p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), tokensPerTicket: tokens / n, ...(steps ? { stepsPerTicket: steps / n } : {}), valid: valid / n };
}

export async function runLlmBench(argv = process.argv.slice(3)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string', default: path.join(TINY, 'tiny-qwen2.gguf') },
      adapter: { type: 'string', default: path.join(TINY, 'adapter-0.gguf') },
      tickets: { type: 'string', default: '40' },
      choices: { type: 'string', default: '200' },
      batches: { type: 'string', default: '1,8,32' },
      gpu: { type: 'string', default: 'auto' },
      context: { type: 'string', default: '1024' },
      json: { type: 'string' },
      widths: { type: 'string' },
      'gen-tickets': { type: 'string' },
      modes: { type: 'string', default: 'search,grammar,free' },
      'flash-attention': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'stock-addon': { type: 'boolean', default: false },
      contexts: { type: 'string', default: '1' },
      'engine-shape': { type: 'boolean', default: false },
    },
  });
  const modeNames = new Set(values.modes.split(','));
  const batches = values.batches.split(',').map(Number).filter((b) => b > 0);
  const maxBatch = Math.max(...batches, 1);
  const schema = benchSchema(Number(values.choices));
  const tickets = generateDemoTenant({ count: Math.max(Number(values.tickets), maxBatch * 2), seed: 99 }).tickets.map((t) => ({ title: t.title, description: t.description }));
  const adapterFile = values.adapter === 'none' ? null : path.resolve(values.adapter);
  const started = performance.now();
  // The largest batch's sequences, split over --contexts contexts of the adapter.
  const contexts = Math.max(1, Math.min(maxBatch, Number(values.contexts)));
  const shape = values['engine-shape']
    ? {}
    : {
        sequencesPerContext: Math.ceil(maxBatch / contexts),
        contextsPerAdapter: contexts,
        contextSize: Number(values.context),
        batchSize: gpuBatchSize(Math.ceil(maxBatch / contexts)),
      };
  const runtime = await LlmRuntime.load({
    model: values.model,
    gpu: values.gpu === 'off' ? false : 'auto',
    ...shape,
    maxAdapters: 2,
    ...(values['flash-attention'] ? { flashAttention: true } : {}),
    stockAddon: values['stock-addon'],
  });
  const loadSeconds = (performance.now() - started) / 1000;
  // Before the first context is made: contexts are created on first use.
  const meter = new DecodeMeter(runtime.llama);
  const backend = runtime.backend();
  const prompt = promptTokens(runtime.model, promptMessages(tickets[0], schema));
  const promptLength = prompt.length;
  const serving = runtime.serving;
  const flash = `flash attention ${serving.flashAttention === null ? "node-llama-cpp's default" : serving.flashAttention ? 'on' : 'off'}`;
  process.stdout.write(
    `model ${path.basename(values.model)} on ${backend.gpu || 'CPU'} (${backend.gpuLayers}/${backend.totalLayers} layers on the GPU, ${backend.candidateLogits ? 'candidate-logits addon' : 'stock addon'}), loaded in ${loadSeconds.toFixed(1)} s; ` +
      `adapter ${adapterFile ? path.basename(adapterFile) : 'none'}; ${flash}; search width ${runtime.searchWidth}; ` +
      `${values['engine-shape'] ? "the engine's shape: " : ''}${runtime.describeShape()}${backend.kvUnified ? ', one KV cache each' : ''}, batch ${serving.batchSize ?? 'default'}; ` +
      `schema: ${schema.map((f) => `${f.name} ${f.choices.length}`).join(', ')}; prompt ~${promptLength} tokens\n\n`,
  );

  let profile: Awaited<ReturnType<typeof profileSteps>> | null = null;
  if (values.profile) {
    profile = await profileSteps(runtime, adapterFile, prompt);
    process.stdout.write(
      `${markdownTable(
        ['one search step: evaluate', 'base model ms', 'with the adapter ms'],
        profile.map((p) => [p.what, p.base.toFixed(2), p.adapter === null ? '-' : p.adapter.toFixed(2)]),
      )}\n\n`,
    );
  }

  const perTicket = tickets.slice(0, Number(values.tickets));
  const genTickets = tickets.slice(0, Number(values['gen-tickets'] ?? values.tickets));
  const widths = values.widths ? values.widths.split(',').map(Number).filter((w) => w > 0) : [runtime.searchWidth];
  const modes: ModeResult[] = [];
  if (modeNames.has('search')) {
    for (const width of widths) {
      modes.push(
        await timeMode(`choice search, width ${width} (engine: constrained, with probabilities)`, perTicket, async (t) => {
          const r = await llmTriage(runtime, t, schema, { adapterFile, searchWidth: width });
          return { tokens: r.evaluations, steps: r.steps, valid: validAnswer(r.answer, schema) };
        }),
      );
    }
  }
  let grammarTokens = 256;
  if (modeNames.has('grammar')) {
    const grammar = await timeMode('generation under the answer grammar', genTickets, async (t) => {
      const r = await generateAnswer(runtime, t, schema, { adapterFile, grammar: true, maxTokens: 512 });
      return { tokens: r.tokens, valid: validAnswer(r.text, schema) };
    });
    grammarTokens = grammar.tokensPerTicket;
    modes.push(grammar);
  }
  let free: ModeResult | undefined;
  if (modeNames.has('free')) {
    free = await timeMode('unconstrained generation (baseline)', genTickets, async (t) => {
      const r = await generateAnswer(runtime, t, schema, { adapterFile, grammar: false, maxTokens: Math.ceil(grammarTokens * 1.5) + 8 });
      return { tokens: r.tokens, valid: validAnswer(r.text, schema) };
    });
    modes.push(free);
  }
  process.stdout.write(
    `${markdownTable(
      ['mode (batch 1)', 'tickets', 'p50 ms', 'p99 ms', 'tokens / ticket', 'steps / ticket', 'valid answers', '× baseline p50'],
      modes.map((m) => [
        m.mode,
        String(m.tickets),
        m.p50.toFixed(1),
        m.p99.toFixed(1),
        m.tokensPerTicket.toFixed(1),
        m.stepsPerTicket?.toFixed(1) ?? '-',
        `${(m.valid * 100).toFixed(0)}%`,
        free ? (free.p50 / m.p50).toFixed(2) : '-',
      ]),
    )}\n\n`,
  );
  process.stdout.write(
    'tokens / ticket: branches the search scored (one per branching point), tokens generated by the two generation modes; ' +
      'steps / ticket: model calls one after another (a wider search scores several branches per call)\n\n',
  );

  const throughput: { batch: number; tickets: number; seconds: number; perSecond: number; p50: number; decode: DecodeStats }[] = [];
  for (const batch of batches) {
    const work = tickets.slice(0, Math.max(batch * 2, Math.min(tickets.length, 16)));
    await Promise.all(work.slice(0, batch).map((t) => llmTriage(runtime, t, schema, { adapterFile }))); // warm the sequences
    let next = 0;
    const ms: number[] = [];
    meter.take();
    const start = performance.now();
    await Promise.all(
      Array.from({ length: batch }, async () => {
        while (next < work.length) {
          const t = work[next++];
          const s = performance.now();
          await llmTriage(runtime, t, schema, { adapterFile });
          ms.push(performance.now() - s);
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    ms.sort((a, b) => a - b);
    throughput.push({ batch, tickets: work.length, seconds, perSecond: work.length / seconds, p50: quantile(ms, 0.5), decode: meter.take() });
  }
  const base = throughput[0]?.perSecond ?? 1;
  const decodeColumns = (d: DecodeStats, seconds: number) =>
    meter.active && d.decodes > 0
      ? [String(d.decodes), (d.tokens / d.decodes).toFixed(1), (d.decodeMs / d.decodes).toFixed(1), `${((d.decodeMs / 1000 / seconds) * 100).toFixed(0)}%`, (d.logitReadMs / Math.max(1, d.logitReads)).toFixed(2)]
      : ['-', '-', '-', '-', '-'];
  process.stdout.write(
    `${markdownTable(
      ['batch (tickets at once)', 'tickets', 'seconds', 'tickets/s', 'p50 ms / ticket', '× batch 1', 'decodes', 'tokens / decode', 'ms / decode', 'decoding / wall', 'ms / logit read'],
      throughput.map((t) => [String(t.batch), String(t.tickets), t.seconds.toFixed(2), t.perSecond.toFixed(1), t.p50.toFixed(1), (t.perSecond / base).toFixed(2), ...decodeColumns(t.decode, t.seconds)]),
    )}\n`,
  );
  process.stdout.write('decodes: llama.cpp batches (llama_decode calls) during the timed run; decoding / wall: their summed time over the run\'s (above 100% when contexts decode at once)\n');
  if (values.json) fs.writeFileSync(values.json, JSON.stringify({ backend, serving, engineShape: values['engine-shape'], adapter: adapterFile ? path.basename(adapterFile) : 'none', loadSeconds, promptLength, flashAttention: serving.flashAttention === true, searchWidth: runtime.searchWidth, profile, modes, throughput }, null, 2));
  await runtime.dispose();
}
