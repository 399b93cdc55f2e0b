/**
 * What one step of the choice search costs on this hardware: the model evaluating k new tokens after the prompt
 * (with the erase that moves a sequence between trie branches), on the base model and under a LoRA adapter. The
 * search takes ~15 such steps per ticket, so this table says where a ticket's latency goes and what its floor is.
 */
import type { Token } from 'node-llama-cpp';
import { SequenceCursor } from '../engine/models/llm/choice-search';
import type { LlmRuntime } from '../engine/models/llm/runtime';

/** A ticket's own part of the prompt, roughly (title, description, the turn's end and the answer's start). */
const TICKET_TOKENS = 96;

export interface StepCost {
  what: string;
  base: number;
  adapter: number | null;
}

async function costs(runtime: LlmRuntime, adapterFile: string | null, prompt: Token[], reps: number): Promise<number[]> {
  const lease = await runtime.acquire(adapterFile);
  try {
    const cursor = new SequenceCursor(lease.sequence);
    const candidates = prompt.slice(0, 8);
    // Tokens to append that differ per repetition, so every step really evaluates them.
    const filler = (i: number, k: number) => Array.from({ length: k }, (_, j) => prompt[(i * 7 + j * 3) % prompt.length]);
    // The whole prompt on an empty sequence, then only its last TICKET_TOKENS with the rest kept (a new ticket on a
    // sequence that holds the system message): each evaluated once to warm up (a context's first decode allocates),
    // then timed three times, the fastest kept.
    const out: number[] = [];
    let t = 0;
    for (const keep of [0, prompt.length - TICKET_TOKENS]) {
      await lease.sequence.clearHistory();
      await cursor.logitsAfter(prompt, candidates);
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        await lease.sequence.eraseContextTokenRanges([{ start: keep, end: lease.sequence.nextTokenIndex }]);
        t = performance.now();
        await cursor.logitsAfter(prompt, candidates);
        times.push(performance.now() - t);
      }
      out.push(Math.min(...times));
    }
    for (const k of [1, 4, 8, 32]) {
      await cursor.logitsAfter([...prompt, ...filler(0, k)], candidates); // warm this shape
      t = performance.now();
      for (let i = 1; i <= reps; i++) await cursor.logitsAfter([...prompt, ...filler(i, k)], candidates);
      out.push((performance.now() - t) / reps);
    }
    return out;
  } finally {
    lease.release();
  }
}

export async function profileSteps(runtime: LlmRuntime, adapterFile: string | null, prompt: Token[], reps = 20): Promise<StepCost[]> {
  const base = await costs(runtime, null, prompt, reps);
  const adapter = adapterFile ? await costs(runtime, adapterFile, prompt, reps) : null;
  const names = [`prompt (${prompt.length} tokens, empty sequence)`, `its last ${TICKET_TOKENS} tokens (the rest kept)`, '1 token after it', '4 tokens', '8 tokens', '32 tokens'];
  return names.map((what, i) => ({ what, base: base[i], adapter: adapter?.[i] ?? null }));
}
