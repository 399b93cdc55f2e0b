/**
 * `npm run bench -- llm-logits`: what reading a few logits costs on the host, by vocabulary size and by how many
 * candidate tokens the choice search asks for. Each row times one search step (erase the last token, evaluate it
 * again) on a 1-layer random model, so the model's own compute is small and the difference to the baseline row
 * ("no logits") is node-llama-cpp's `sampleToken`: it copies the whole vocabulary into a candidate array, runs the
 * sampler chain, and looks each vocabulary entry up in the filter list. With Qwen2's 152,064 tokens that host work
 * is what a batched GPU step waits for (bench/README.md, "LLM tier on CUDA").
 * Options: --steps N (per row, default 60) --threads N (llama.cpp CPU threads, default 1)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { getLlama, type LlamaContextSequence, type Token } from 'node-llama-cpp';
import { markdownTable } from './fast-table';

const FILTER_SIZES = [1, 10, 50, 200];

async function stepMs(sequence: LlamaContextSequence, last: Token, candidates: Token[] | null, steps: number): Promise<number> {
  const once = async () => {
    await sequence.eraseContextTokenRanges([{ start: sequence.nextTokenIndex - 1, end: sequence.nextTokenIndex }]);
    await sequence.controlledEvaluate([candidates ? [last, { generateNext: { logits: { filter: { tokens: candidates } } } }] : last]);
  };
  for (let i = 0; i < 5; i++) await once(); // warm-up
  const start = performance.now();
  for (let i = 0; i < steps; i++) await once();
  return (performance.now() - start) / steps;
}

export async function runLlmLogitsBench(argv = process.argv.slice(3)): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { steps: { type: 'string', default: '60' }, threads: { type: 'string', default: '1' } } });
  const steps = Number(values.steps);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-logits-'));
  const llama = await getLlama({ gpu: false, build: 'never' });
  const rows: string[][] = [];
  try {
    for (const vocab of [4096, 152064]) {
      const file = path.join(dir, `vocab-${vocab}.gguf`);
      // The GPU bench's model writer, shrunk to one small layer: same tokenizer, same vocabulary layout.
      execFileSync(process.execPath, ['bench/gpu/llm/make-qwen2-7b-gguf.mjs', '--vocab', String(vocab), '--hidden', '64', '--ffn', '128', '--layers', '1', '--heads', '2', '--kv-heads', '1', '--out', file], { stdio: 'ignore' });
      const model = await llama.loadModel({ modelPath: file });
      const context = await model.createContext({ contextSize: 512, sequences: 1, threads: Number(values.threads) });
      const sequence = context.getSequence();
      const prompt = model.tokenize('Outlook keeps asking for the password after the mailbox moved to the new tenant');
      await sequence.controlledEvaluate(prompt);
      const last = prompt[prompt.length - 1];
      const base = await stepMs(sequence, last, null, steps);
      rows.push([String(vocab), 'no logits (baseline)', base.toFixed(2), '-']);
      for (const n of FILTER_SIZES) {
        const candidates = Array.from({ length: n }, (_, i) => ((i * 37) % 900) as Token);
        const ms = await stepMs(sequence, last, candidates, steps);
        rows.push([String(vocab), `logits of ${n} candidate${n > 1 ? 's' : ''}`, ms.toFixed(2), `+${(ms - base).toFixed(2)}`]);
      }
      await context.dispose();
      await model.dispose();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`one search step on a 1-layer model (CPU, ${values.threads} thread(s)), ${steps} steps a row\n\n`);
  process.stdout.write(`${markdownTable(['vocabulary', 'step reads', 'ms / step', 'ms over baseline'], rows)}\n`);
}
