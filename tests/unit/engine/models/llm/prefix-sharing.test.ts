import path from 'node:path';
import type { Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchSchema } from '../../../../../bench/llm-schema';
import { generateDemoTenant } from '../../../../../engine/demo/generate';
import { promptTokens } from '../../../../../engine/models/llm/chat-render';
import { SequenceCursor } from '../../../../../engine/models/llm/choice-search';
import { llmTriage } from '../../../../../engine/models/llm/llm-triage';
import { adoptPrefix, commonPrefixLength } from '../../../../../engine/models/llm/prefix-sharing';
import { LlmRuntime } from '../../../../../engine/models/llm/runtime';
import { promptMessages } from '../../../../../engine/triage/prompt';

const TINY = path.resolve('tests/fixtures/llm/tiny');
const ADAPTER = path.join(TINY, 'adapter-0.gguf');

describe('prompt prefixes shared between the sequences of a context (tiny model, CPU)', () => {
  const schema = benchSchema(60);
  const tickets = generateDemoTenant({ count: 12, seed: 5 }).tickets.map((t) => ({ title: t.title, description: t.description }));
  let shared: LlmRuntime;
  let separate: LlmRuntime;

  beforeAll(async () => {
    const opts = { model: path.join(TINY, 'tiny-qwen2.gguf'), gpu: false as const, sequencesPerContext: 4, contextSize: 2048 };
    shared = await LlmRuntime.load(opts);
    separate = await LlmRuntime.load({ ...opts, sharePrefixes: false });
  });
  afterAll(async () => {
    await shared?.dispose();
    await separate?.dispose();
  });

  it('a fresh sequence copies the system message from one that holds it, and then scores as if it had evaluated it', async () => {
    const prompt = (i: number) => promptTokens(shared.model, promptMessages(tickets[i]!, schema));
    const holder = await shared.acquire(ADAPTER);
    const fresh = await shared.acquire(ADAPTER);
    try {
      const candidates = [...new Set(prompt(0).slice(0, 12))] as Token[];
      await new SequenceCursor(holder.sequence).logitsAfter(prompt(0), candidates);
      const common = commonPrefixLength(prompt(0), prompt(1));
      expect(common).toBeGreaterThan(100); // the system message: the schema's fields and choices

      expect(fresh.sequence.contextTokens).toHaveLength(0);
      expect(await fresh.adoptPrefix(prompt(1))).toBe(common);
      expect(fresh.sequence.contextTokens).toEqual(prompt(1).slice(0, common));
      // Asked again, there is nothing left to gain.
      expect(await fresh.adoptPrefix(prompt(1))).toBe(0);

      const before = fresh.sequence.tokenMeter.usedInputTokens;
      const copiedThenEvaluated = await new SequenceCursor(fresh.sequence).logitsAfter(prompt(1), candidates);
      expect(fresh.sequence.tokenMeter.usedInputTokens - before).toBeLessThanOrEqual(prompt(1).length - common);

      await fresh.sequence.clearHistory();
      const evaluated = await new SequenceCursor(fresh.sequence).logitsAfter(prompt(1), candidates);
      expect([...copiedThenEvaluated.keys()]).toEqual([...evaluated.keys()]);
      for (const [token, value] of evaluated) expect(copiedThenEvaluated.get(token)).toBeCloseTo(value, 3);
    } finally {
      holder.release();
      fresh.release();
    }
  });

  it('copies nothing for a short gain, from another context, or when the runtime is told not to', async () => {
    const prompt = promptTokens(shared.model, promptMessages(tickets[2]!, schema));
    const a = await shared.acquire(ADAPTER);
    const b = await shared.acquire(ADAPTER);
    const base = await shared.acquire(null);
    try {
      await Promise.all([a, b, base].map((l) => l.sequence.clearHistory()));
      await new SequenceCursor(a.sequence).logitsAfter(prompt.slice(0, 40), [prompt[40]!]);
      // 40 tokens to gain: under a threshold of 64 nothing is copied, over one of 32 all 40 are.
      expect(await adoptPrefix(b.sequence, [a.sequence], prompt, 64)).toBe(0);
      expect(b.sequence.contextTokens).toHaveLength(0);
      expect(await adoptPrefix(b.sequence, [a.sequence], prompt, 32)).toBe(40);
      // The base model's context has sequences of its own, none holding this prompt: nothing to copy.
      expect(await base.adoptPrefix(prompt)).toBe(0);
      expect(base.sequence.contextTokens).toHaveLength(0);
    } finally {
      a.release();
      b.release();
      base.release();
    }
    const off = await separate.acquire(ADAPTER);
    const other = await separate.acquire(ADAPTER);
    try {
      await new SequenceCursor(off.sequence).logitsAfter(prompt, [prompt[0]!]);
      expect(await other.adoptPrefix(prompt)).toBe(0);
    } finally {
      off.release();
      other.release();
    }
  });

  it('gives the same answers with and without sharing, with less prompt evaluated once a sequence holds it', async () => {
    // Prompt tokens the adapter context's four sequences have evaluated so far; `clear` empties them first.
    const inputTokens = async (runtime: LlmRuntime, clear = false) => {
      const leases = await Promise.all([0, 1, 2, 3].map(() => runtime.acquire(ADAPTER)));
      if (clear) await Promise.all(leases.map((l) => l.sequence.clearHistory()));
      const n = leases.reduce((sum, l) => sum + l.sequence.tokenMeter.usedInputTokens, 0);
      for (const l of leases) l.release();
      return n;
    };
    const run = async (runtime: LlmRuntime) => {
      const start = await inputTokens(runtime, true);
      // One ticket alone, then seven on the four sequences: three of them start empty while one holds the prompt's
      // system message. (Requests that all start on empty sequences at once have nothing to copy from.)
      const first = await llmTriage(runtime, tickets[0]!, schema, { adapterFile: ADAPTER });
      const rest = await Promise.all(tickets.slice(1, 8).map((t) => llmTriage(runtime, t, schema, { adapterFile: ADAPTER })));
      return { fields: [first, ...rest].map((r) => r.fields), evaluated: (await inputTokens(runtime)) - start };
    };
    const { fields: a, evaluated: withSharing } = await run(shared);
    const { fields: b, evaluated: without } = await run(separate);
    // Without sharing each of the three evaluates the system message; with it, they copy it.
    const systemMessage = commonPrefixLength(promptTokens(shared.model, promptMessages(tickets[0]!, schema)), promptTokens(shared.model, promptMessages(tickets[1]!, schema)));
    expect(without - withSharing).toBeGreaterThanOrEqual(3 * systemMessage);
    for (let i = 0; i < a.length; i++) {
      for (const [field, p] of Object.entries(a[i]!)) {
        expect(p.value, `ticket ${i} ${field}`).toBe(b[i]![field]!.value);
        expect(p.confidence).toBeCloseTo(b[i]![field]!.confidence, 2);
      }
    }
  });
});
