import fs from 'node:fs';
import path from 'node:path';
import { getLlama, LlamaLogLevel, type Token } from 'node-llama-cpp';
import { CANDIDATE_LOGITS_CMAKE_OPTIONS } from '../../../../../engine/models/llm/native/candidate-logits-options.mjs';
import { describe, expect, it } from 'vitest';

const TINY = path.resolve('tests/fixtures/llm/tiny');
const REFERENCE = path.join(TINY, 'reference-logits.json');

interface Reference {
  texts: { text: string; ids: number[]; base: number[]; adapters: Record<string, number[]> }[];
}

function maxAbs(a: number[], b: number[]): number {
  return a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
}

/**
 * The tiny model and its adapters compute the same next-token logits in node-llama-cpp (from the project's GGUF
 * files) as in PyTorch + PEFT (from the Hugging Face files with the same weights): the reference was computed by
 * engine/models/llm/tiny/reference_logits.py on the GPU machine and committed.
 */
describe.skipIf(!fs.existsSync(REFERENCE))('GGUF model and LoRA adapters match PyTorch + PEFT', () => {
  it('same tokens, same logits, and each adapter moves them the same way', async () => {
    const reference = JSON.parse(fs.readFileSync(REFERENCE, 'utf8')) as Reference;
    // The build the engine loads: the candidate-logits one where it is installed (its direct read is checked here too).
    const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error, cmakeOptions: CANDIDATE_LOGITS_CMAKE_OPTIONS });
    const model = await llama.loadModel({ modelPath: path.join(TINY, 'tiny-qwen2.gguf') });
    const vocab = reference.texts[0].base.length;
    const all = Array.from({ length: vocab }, (_, i) => i as Token);
    const logitsOf = async (adapter: string | null, ids: number[]) => {
      const context = await model.createContext({ contextSize: 512, threads: 1, ...(adapter ? { lora: { adapters: [{ filePath: path.join(TINY, `${adapter}.gguf`) }] } } : {}) });
      try {
        const tokens = ids as Token[];
        const out = await context.getSequence().controlledEvaluate(tokens.map((t, i) => (i === tokens.length - 1 ? [t, { generateNext: { logits: { filter: { tokens: all } } } }] : t)));
        const map = out[tokens.length - 1]!.next.logits!;
        return all.map((t) => map.get(t)!);
      } finally {
        await context.dispose();
      }
    };
    try {
      for (const entry of reference.texts) {
        // The GGUF's tokenizer splits the text into the same ids as the Hugging Face tokenizer.
        expect(model.tokenize(entry.text, true).map(Number)).toEqual(entry.ids);
        const base = await logitsOf(null, entry.ids);
        const scale = Math.max(...entry.base.map(Math.abs));
        expect(maxAbs(base, entry.base) / scale).toBeLessThan(1e-3);
        for (const [name, torchLogits] of Object.entries(entry.adapters)) {
          const ours = await logitsOf(name, entry.ids);
          expect(maxAbs(ours, torchLogits) / scale).toBeLessThan(1e-3);
          const torchShift = torchLogits.map((x, i) => x - entry.base[i]);
          const ourShift = ours.map((x, i) => x - base[i]);
          // The adapter really changes the outputs, and by the same amounts.
          expect(Math.max(...torchShift.map(Math.abs))).toBeGreaterThan(0.05);
          expect(maxAbs(ourShift, torchShift) / Math.max(...torchShift.map(Math.abs))).toBeLessThan(1e-2);
        }
      }
    } finally {
      await model.dispose();
    }
  }, 60_000);
});
