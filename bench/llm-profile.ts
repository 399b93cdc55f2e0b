/**
 * What one step of the choice search costs on this hardware: the model evaluating k new tokens after the prompt
 * (with the erase that moves a sequence between trie branches), on the base model and under a LoRA adapter. The
 * search takes ~15 such steps per ticket, so this table says where a ticket's latency goes and what its floor is.
 */
import type { Token } from 'node-llama-cpp';
import { SequenceCursor } from '../engine/models/llm/choice-search';
import type { LlmRuntime } from '../engine/models/llm/runtime';

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
    await lease.sequence.clearHistory();
    let t = performance.now();
    await cursor.logitsAfter(prompt, candidates);
    const out = [performance.now() - t];
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
  const names = [`prompt (${prompt.length} tokens, empty sequence)`, '1 token after it', '4 tokens', '8 tokens', '32 tokens'];
  return names.map((what, i) => ({ what, base: base[i], adapter: adapter?.[i] ?? null }));
}
