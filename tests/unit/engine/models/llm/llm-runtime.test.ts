import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoTenant } from '../../../../../engine/demo/generate';
import { buildChoiceTrie } from '../../../../../engine/models/llm/choice-trie';
import { BranchScorer, SequenceCursor, searchChoices } from '../../../../../engine/models/llm/choice-search';
import { llmTriage } from '../../../../../engine/models/llm/llm-triage';
import { LlmRuntime, SERVING_DEFAULTS } from '../../../../../engine/models/llm/runtime';
import { KV_UNIFIED_ENV } from '../../../../../engine/models/llm/native/candidate-logits-options.mjs';
import { benchSchema } from '../../../../../bench/llm-schema';

const TINY = path.resolve('tests/fixtures/llm/tiny');
const MODEL = path.join(TINY, 'tiny-qwen2.gguf');
const ADAPTERS = [path.join(TINY, 'adapter-0.gguf'), path.join(TINY, 'adapter-1.gguf')];

describe('LLM runtime on the tiny model (CPU)', () => {
  let runtime: LlmRuntime;
  const demo = generateDemoTenant({ count: 40, seed: 11 });

  beforeAll(async () => {
    runtime = await LlmRuntime.load({ model: MODEL, gpu: false, maxAdapters: 3 });
  });
  afterAll(async () => {
    await runtime?.dispose();
  });

  it('says which backend it runs on, and loads the candidate-logits addon wherever one is installed', () => {
    const b = runtime.backend();
    expect(b.gpu).toBe(false);
    expect(b.totalLayers).toBeGreaterThan(0);
    const probe = JSON.parse(execFileSync(process.execPath, ['tests/helpers/logits-probe.mjs', 'candidate'], { encoding: 'utf8' })) as { buildType: string };
    expect(b.candidateLogits).toBe(probe.buildType === 'localBuild');
    // One KV cache per context only where asked for (TICKET_TRIAGE_KV_UNIFIED=1), which this test run does not.
    expect(b.kvUnified).toBe(false);
  });

  it.each([1, 4])('finds the exact top choices in order, as scoring every choice from scratch does (search width %i)', async (width) => {
    const model = runtime.model;
    const prefix = model.tokenize('<|im_start|>user\nMy laptop screen is flickering<|im_end|>\n<|im_start|>assistant\n{"issue_type": "', true);
    const choices = ['Hardware', 'Hardware Failure', 'Network', 'Email', 'Printing', 'Security', 'Software', 'User Lifecycle'];
    const end = model.tokenize('", ', false)[0];
    const seqs = choices.map((c) => [...model.tokenize(c, false), end]);
    const trie = buildChoiceTrie(seqs);
    const lease = await runtime.acquire(null);
    try {
      const scorer = width === 1 ? BranchScorer.single(lease.sequence) : new BranchScorer(lease, width);
      const result = await searchChoices(scorer, prefix, trie, { topK: choices.length, maxEvaluations: 1000 });
      if (width > 1) expect(result.steps).toBeLessThan(result.evaluations); // several branches per step really happened
      // Brute force: each choice's path scored from an empty sequence, softmax over the trie children at each step.
      const brute: number[] = [];
      for (const seq of seqs) {
        let logProb = 0;
        let node = trie;
        for (let i = 0; i < seq.length; i++) {
          const children = [...node.children.keys()];
          if (children.length > 1) {
            await lease.sequence.clearHistory();
            const cursor = new SequenceCursor(lease.sequence);
            const logits = await cursor.logitsAfter([...prefix, ...seq.slice(0, i)] as Token[], children);
            const max = Math.max(...children.map((t) => logits.get(t)!));
            const lse = max + Math.log(children.reduce((s, t) => s + Math.exp(logits.get(t)! - max), 0));
            logProb += logits.get(seq[i])! - lse;
          }
          node = node.children.get(seq[i])!;
        }
        brute.push(logProb);
      }
      const expected = brute.map((lp, choice) => ({ choice, lp })).sort((a, b) => b.lp - a.lp);
      expect(result.top.map((t) => t.choice)).toEqual(expected.map((e) => e.choice));
      result.top.forEach((t, i) => expect(t.logProb).toBeCloseTo(expected[i].lp, 4));
      expect(brute.reduce((s, lp) => s + Math.exp(lp), 0)).toBeCloseTo(1, 5);
      expect(result.residual).toBeLessThan(1e-5);
    } finally {
      lease.release();
    }
  });

  it('stops early when asked for the top three: fewer evaluations than a full walk, same winners', async () => {
    const fields = demo.fields;
    const full = await llmTriage(runtime, demo.tickets[0], fields, { adapterFile: null, topK: 50, maxEvaluations: 10_000 });
    const quick = await llmTriage(runtime, demo.tickets[0], fields, { adapterFile: null });
    expect(quick.answer).toBe(full.answer);
    expect(quick.evaluations).toBeLessThan(full.evaluations);
    expect(quick.scores.sub_issue_type.logProbs[0]).toBeCloseTo(full.scores.sub_issue_type.logProbs[0], 5);
  });

  it('a wider search answers the same in fewer steps, scoring more branches', async () => {
    let steps = [0, 0];
    let evaluations = [0, 0];
    // The bench's schema: up to 200 choices a field, many sharing first tokens, so branches wait side by side.
    const schema = benchSchema(200);
    for (const t of demo.tickets.slice(0, 6)) {
      const narrow = await llmTriage(runtime, t, schema, { adapterFile: ADAPTERS[0], searchWidth: 1 });
      const wide = await llmTriage(runtime, t, schema, { adapterFile: ADAPTERS[0], searchWidth: 4 });
      expect(wide.answer).toBe(narrow.answer);
      for (const [field, s] of Object.entries(wide.scores)) {
        expect(s.values).toEqual(narrow.scores[field].values);
        s.logProbs.forEach((lp, j) => expect(Math.abs(lp - narrow.scores[field].logProbs[j])).toBeLessThan(0.05)); // batch-order float noise
      }
      expect(narrow.steps).toBe(narrow.evaluations);
      steps = [steps[0] + narrow.steps, steps[1] + wide.steps];
      evaluations = [evaluations[0] + narrow.evaluations, evaluations[1] + wide.evaluations];
    }
    expect(steps[1]).toBeLessThan(steps[0]);
    expect(evaluations[1]).toBeGreaterThanOrEqual(evaluations[0]);
  }, 60_000);

  it('searches alternatives only while one could reach the probability floor', async () => {
    const t = demo.tickets[3];
    const all = await llmTriage(runtime, t, demo.fields, { adapterFile: null, minAlternativeProbability: 0 });
    const floor = 0.2;
    const few = await llmTriage(runtime, t, demo.fields, { adapterFile: null, minAlternativeProbability: floor });
    expect(few.answer).toBe(all.answer);
    expect(few.evaluations).toBeLessThan(all.evaluations);
    for (const [field, s] of Object.entries(few.scores)) {
      // Uncalibrated (temperature 1), so these are the search's own probabilities among the allowed choices.
      s.logProbs.slice(1).forEach((lp) => expect(Math.exp(lp)).toBeGreaterThanOrEqual(floor));
      expect(s.values[0]).toBe(all.scores[field].values[0]);
      expect(s.logProbs[0]).toBeCloseTo(all.scores[field].logProbs[0], 5);
    }
  });

  it('lends spare sequences only when nobody waits, and takes them back with the lease', async () => {
    const small = await LlmRuntime.load({ model: MODEL, gpu: false, sequencesPerContext: 3, searchWidth: 3 });
    try {
      expect(small.searchWidth).toBe(3);
      const a = await small.acquire(null);
      const spare = a.borrowSpare(5);
      expect(spare).toHaveLength(2);
      expect(a.borrowSpare(1)).toEqual([]); // none left
      let bGot = false;
      const b = small.acquire(null).then((lease) => ((bGot = true), lease));
      await new Promise((r) => setTimeout(r, 20));
      expect(bGot).toBe(false);
      a.returnSpare(spare.slice(0, 1));
      const leaseB = await b; // the returned spare went to the waiting request
      expect(spare).toContain(leaseB.sequence);
      expect(a.borrowSpare(2)).toEqual([]); // B holds one, A one, A's other spare is still out
      a.release(); // the spare A never returned goes back with A
      const c = await small.acquire(null);
      expect(c.borrowSpare(5)).toHaveLength(1);
      c.release();
      leaseB.release();
    } finally {
      await small.dispose();
    }
  });

  it("serves with the CPU's default shape when the options leave it open", () => {
    const { cpu } = SERVING_DEFAULTS;
    expect(runtime.serving).toEqual({ contextsPerAdapter: cpu.contextsPerAdapter, sequencesPerContext: cpu.sequencesPerContext, contextSize: cpu.contextSize, batchSize: null, flashAttention: null });
    expect(runtime.parallelism).toBe(cpu.contextsPerAdapter * cpu.sequencesPerContext);
  });

  it("spreads an adapter's requests over its contexts, each sequence going home to its own, with the answers of one context", async () => {
    const multi = await LlmRuntime.load({ model: MODEL, gpu: false, maxAdapters: 2, contextsPerAdapter: 3, sequencesPerContext: 2, searchWidth: 2 });
    try {
      expect(multi.parallelism).toBe(6);
      // Three requests land on three different contexts, before any context gets a second.
      const first = await Promise.all([0, 1, 2].map(() => multi.acquire(ADAPTERS[0])));
      const contextOf = (l: { sequence: { context: unknown } }) => l.sequence.context;
      expect(new Set(first.map(contextOf)).size).toBe(3);
      expect(multi.threadUse().contexts).toHaveLength(3);
      expect(multi.threadUse().contexts.every((c) => c.adapter === ADAPTERS[0])).toBe(true);
      // Spares come only from the lease's own context (only its sequences batch with the lease's).
      const spare = first[0].borrowSpare(5);
      expect(spare).toHaveLength(1);
      expect(spare[0].context).toBe(contextOf(first[0]));
      first[0].returnSpare(spare);
      const second = await Promise.all([0, 1, 2].map(() => multi.acquire(ADAPTERS[0])));
      expect(second.every((l) => l.borrowSpare(1).length === 0)).toBe(true); // all six held
      let waited: Awaited<ReturnType<LlmRuntime['acquire']>> | null = null;
      const seventh = multi.acquire(ADAPTERS[0]).then((l) => (waited = l));
      await new Promise((r) => setTimeout(r, 20));
      expect(waited).toBeNull();
      second[1].release(); // the waiting request gets exactly that sequence
      await seventh;
      expect(waited!.sequence).toBe(second[1].sequence);
      for (const l of [...first, second[0], second[2], waited!]) l.release();
      // Every sequence is free again: six leases at once, two per context.
      const all = await Promise.all(Array.from({ length: 6 }, () => multi.acquire(ADAPTERS[0])));
      const perContext = new Map<unknown, number>();
      for (const l of all) perContext.set(contextOf(l), (perContext.get(contextOf(l)) ?? 0) + 1);
      expect([...perContext.values()]).toEqual([2, 2, 2]);
      for (const l of all) l.release();

      // Concurrent tickets answer as on the one-context runtime (log-probabilities up to batch-order float noise).
      const tickets = demo.tickets.slice(0, 9);
      const spread = await Promise.all(tickets.map((t) => llmTriage(multi, t, demo.fields, { adapterFile: ADAPTERS[0] })));
      for (const [i, t] of tickets.entries()) {
        const alone = await llmTriage(runtime, t, demo.fields, { adapterFile: ADAPTERS[0] });
        for (const [field, s] of Object.entries(spread[i].scores)) {
          expect(s.values).toEqual(alone.scores[field].values);
          s.logProbs.forEach((lp, j) => expect(Math.abs(lp - alone.scores[field].logProbs[j])).toBeLessThan(0.05));
        }
      }

      // Past maxAdapters, an adapter's contexts are unloaded together.
      await multi.preload(ADAPTERS[1]);
      await multi.preload(null);
      expect(multi.loadedAdapters()).toEqual([ADAPTERS[1]]);
      expect(multi.threadUse().contexts.map((c) => c.adapter)).toEqual([ADAPTERS[1], ADAPTERS[1], ADAPTERS[1], null, null, null]);
    } finally {
      await multi.dispose();
    }
  }, 120_000);

  it('keeps one KV cache per context when asked, on the build that can (TICKET_TRIAGE_KV_UNIFIED for the addon)', async () => {
    const before = process.env[KV_UNIFIED_ENV];
    const unified = await LlmRuntime.load({ model: MODEL, gpu: false, kvUnified: true });
    try {
      expect(process.env[KV_UNIFIED_ENV]).toBe('1');
      expect(unified.backend().kvUnified).toBe(unified.backend().candidateLogits);
      const t = demo.tickets[3];
      const [one, own] = [await llmTriage(unified, t, demo.fields, { adapterFile: null }), await llmTriage(runtime, t, demo.fields, { adapterFile: null })];
      for (const [field, s] of Object.entries(one.scores)) expect(s.values).toEqual(own.scores[field].values);
    } finally {
      await unified.dispose();
      if (before === undefined) delete process.env[KV_UNIFIED_ENV];
      else process.env[KV_UNIFIED_ENV] = before;
    }
  }, 60_000);

  it('two tenants with different adapters queried concurrently get what each gets alone', async () => {
    const tickets = demo.tickets.slice(0, 12);
    const alone: string[][] = [];
    for (const adapter of ADAPTERS) {
      const answers: string[] = [];
      for (const t of tickets) answers.push(JSON.stringify((await llmTriage(runtime, t, demo.fields, { adapterFile: adapter })).scores));
      alone.push(answers);
    }
    // The adapters really differ, or this test would prove nothing.
    expect(alone[0]).not.toEqual(alone[1]);
    const together = await Promise.all(
      tickets.flatMap((t, i) => ADAPTERS.map(async (adapter, a) => ({ a, i, out: (await llmTriage(runtime, t, demo.fields, { adapterFile: adapter })).scores }))),
    );
    // Same answers, and log-probabilities equal up to float noise: sequences evaluated in one batch sum in
    // another order (measured up to ~0.03 on this tiny model's large random weights), while the other tenant's
    // adapter moves them by far more (checked below), so a leak between adapters could not hide in the tolerance.
    let noise = 0;
    let adapterEffect = 0;
    let compared = 0;
    for (const { a, i, out } of together) {
      const expected = JSON.parse(alone[a][i]) as typeof out;
      const other = JSON.parse(alone[1 - a][i]) as typeof out;
      for (const [field, s] of Object.entries(out)) {
        expect(s.values).toEqual(expected[field].values);
        noise = Math.max(noise, ...s.logProbs.map((lp, j) => Math.abs(lp - expected[field].logProbs[j])));
        adapterEffect += Math.abs(s.logProbs[0] - other[field].logProbs[0]);
        compared++;
      }
    }
    expect(noise).toBeLessThan(0.05);
    expect(adapterEffect / compared).toBeGreaterThan(10 * noise);
  }, 120_000);

  it('contexts busy at once share one thread budget instead of each spinning its full thread count', async () => {
    const cores = os.availableParallelism();
    if (cores < 2) return; // one core: nothing to share
    // Each context asks for every core, so two busy at once can only both run by sharing them.
    const shared = await LlmRuntime.load({ model: MODEL, gpu: false, maxAdapters: 3, threads: cores });
    try {
      const tickets = demo.tickets.slice(0, 8);
      for (const adapter of ADAPTERS) await llmTriage(shared, tickets[0], demo.fields, { adapterFile: adapter });
      const counts = new Set<number>(); // thread counts the contexts were seen evaluating with
      let running = true;
      const poll = async () => {
        while (running) {
          for (const c of shared.threadUse().contexts) counts.add(c.threads);
          await new Promise((r) => setImmediate(r));
        }
      };
      const polling = poll();
      await Promise.all(ADAPTERS.map(async (adapter) => {
        for (const t of tickets) await llmTriage(shared, t, demo.fields, { adapterFile: adapter });
      }));
      running = false;
      await polling;
      expect(shared.threadUse().budget).toBe(cores);
      const seen = [...counts];
      expect(Math.min(...seen)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...seen)).toBeLessThanOrEqual(cores);
      // Some evaluation ran with fewer threads than asked: the other context held the rest of the budget.
      expect(Math.min(...seen)).toBeLessThan(cores);
    } finally {
      await shared.dispose();
    }
  }, 120_000);

  it('fits a huge ticket and many examples into a small context: examples first, then the description, both reported', async () => {
    const small = await LlmRuntime.load({ model: MODEL, gpu: false, contextSize: 1024 });
    try {
      const ticket = { title: 'Printer offline', description: 'the printer on floor 3 shows offline again. '.repeat(500) };
      const examples = demo.tickets.slice(1, 9).map((t) => ({ title: t.title, description: t.description, fields: t.fields }));
      const result = await llmTriage(small, ticket, demo.fields, { adapterFile: null, examples });
      expect(result.warnings.some((w) => /retrieval examples left out/.test(w))).toBe(true);
      const cut = result.warnings.find((w) => /description cut from 22000 to \d+ characters/.test(w));
      expect(cut).toBeDefined();
      for (const f of demo.fields) {
        const p = result.fields[f.name];
        expect(p.status).toBe('predicted');
        expect(f.choices.map((c) => c.value)).toContain(p.value);
      }
      // A ticket that fits is left whole.
      expect((await llmTriage(small, demo.tickets[0], demo.fields, { adapterFile: null })).warnings).toEqual([]);
    } finally {
      await small.dispose();
    }
  }, 60_000);

  it('keeps at most maxAdapters contexts, unloading the least recently used', async () => {
    const small = await LlmRuntime.load({ model: MODEL, gpu: false, maxAdapters: 2 });
    try {
      await small.preload(ADAPTERS[0]);
      await small.preload(ADAPTERS[1]);
      expect(small.loadedAdapters()).toEqual([ADAPTERS[0], ADAPTERS[1]]); // two fit in two
      await small.preload(null);
      expect(small.loadedAdapters()).toEqual([ADAPTERS[1]]);
      await small.preload(ADAPTERS[0]);
      expect(small.loadedAdapters()).toEqual([ADAPTERS[0]]);
    } finally {
      await small.dispose();
    }
  });

  it('unloads idle adapters when the next one does not fit in memory, and says what to change when none is idle', async () => {
    const capped = await LlmRuntime.load({ model: MODEL, gpu: false, maxAdapters: 8, contextSize: 2048 });
    try {
      const used = async () => (await capped.llama.getLlamaMemoryUsage()).cpuRam;
      const base = await used();
      await capped.preload(ADAPTERS[0]);
      const perAdapter = (await used()) - base;
      expect(perAdapter).toBeGreaterThan(0);
      // Room for two adapters' contexts, not three (maxAdapters alone would keep eight).
      await capped.llama.setRamCap(base + perAdapter * 2.5);
      await capped.preload(ADAPTERS[1]);
      expect(capped.loadedAdapters()).toEqual([ADAPTERS[0], ADAPTERS[1]]);
      await capped.preload(null);
      expect(capped.loadedAdapters()).toEqual([ADAPTERS[1]]); // the least recently used went
      expect(capped.threadUse().contexts.map((c) => c.adapter)).toEqual([ADAPTERS[1], null]);
      // Both loaded adapters busy: nothing can be unloaded, and the error says which settings to lower.
      const held = [await capped.acquire(ADAPTERS[1]), await capped.acquire(null)];
      await expect(capped.preload(ADAPTERS[0])).rejects.toThrow(
        /adapter adapter-0\.gguf: 1 context of 4 sequences × 2048 tokens do not fit in memory, even with every idle adapter unloaded \(.*too large for the available RAM.*\); lower TRIAGE_LLM_SEQUENCES/,
      );
      for (const lease of held) lease.release();
      await capped.preload(ADAPTERS[0]); // fits again once one is idle
      expect(capped.loadedAdapters()).toEqual([ADAPTERS[0]]);
    } finally {
      await capped.llama.setRamCap(null);
      await capped.dispose();
    }
  }, 60_000);

  it('a missing model, a model given as adapter, or a truncated adapter is a clear error before serving', async () => {
    await expect(LlmRuntime.load({ model: '/nonexistent/model.gguf', gpu: false })).rejects.toThrow(/base model file \/nonexistent\/model\.gguf does not exist/);
    await expect(LlmRuntime.load({ model: ADAPTERS[0], gpu: false })).rejects.toThrow(/is a LoRA adapter, not a base model/);
    await expect(runtime.preload(MODEL)).rejects.toThrow(/is a GGUF model, not a LoRA adapter/);
    const truncated = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lora-')), 'cut.gguf');
    fs.writeFileSync(truncated, fs.readFileSync(ADAPTERS[0]).subarray(0, 3000));
    await expect(runtime.preload(truncated)).rejects.toThrow();
  });
});
