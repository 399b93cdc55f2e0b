/**
 * `npm run bench -- llm-logits`: what reading a few logits costs on the host, by vocabulary size and by how many
 * candidate tokens the choice search asks for, for node-llama-cpp's stock prebuilt addon and, where
 * engine/models/llm/native/build-candidate-logits.sh installed it, the candidate-logits build.
 * Each row times one search step (erase the last token, evaluate it again) on a 1-layer random model, so the
 * model's own compute is small and the difference to the baseline row ("no logits") is the output layer's matmul
 * (computed only when logits are asked for; the same in both builds, and the same whatever the candidate count)
 * plus the logits read. Stock, that read is `sampleToken` copying the whole vocabulary into a candidate array,
 * running the sampler chain and looking each vocabulary entry up in the filter list; with Qwen2's 152,064 tokens
 * that host work is what a batched GPU step waits for (bench/README.md, "LLM tier on CUDA"). Both builds must return the same logits: the table says so.
 * Each build runs in its own process (one llama.cpp binding per process).
 * Options: --steps N (per row, default 60) --threads N (llama.cpp CPU threads, default 1)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { getLlama, type LlamaContextSequence, type Token } from 'node-llama-cpp';
import { CANDIDATE_LOGITS_CMAKE_OPTIONS } from '../engine/models/llm/native/candidate-logits-options.mjs';
import { markdownTable } from './fast-table';

const FILTER_SIZES = [1, 10, 50, 200];
const VOCABS = [4096, 152064];
type Build = 'stock' | 'candidate';

interface Row {
  vocab: number;
  candidates: number; // 0: the baseline, no logits read
  ms: number;
  logits: [number, number][];
}

async function step(sequence: LlamaContextSequence, last: Token, candidates: Token[] | null): Promise<Map<Token, number> | undefined> {
  await sequence.eraseContextTokenRanges([{ start: sequence.nextTokenIndex - 1, end: sequence.nextTokenIndex }]);
  const out = await sequence.controlledEvaluate([candidates ? [last, { generateNext: { logits: { filter: { tokens: candidates } } } }] : last]);
  return out[0]?.next.logits;
}

async function stepMs(sequence: LlamaContextSequence, last: Token, candidates: Token[] | null, steps: number): Promise<{ ms: number; logits: Map<Token, number> | undefined }> {
  let logits: Map<Token, number> | undefined;
  for (let i = 0; i < 5; i++) logits = await step(sequence, last, candidates); // warm-up
  const start = performance.now();
  for (let i = 0; i < steps; i++) await step(sequence, last, candidates);
  return { ms: (performance.now() - start) / steps, logits };
}

/** One build's rows, measured in this process; null when that build is not installed. */
async function measureBuild(build: Build, steps: number, threads: number): Promise<Row[] | null> {
  const llama = await getLlama({ gpu: false, build: 'never', ...(build === 'candidate' ? { cmakeOptions: CANDIDATE_LOGITS_CMAKE_OPTIONS } : {}) });
  if (build === 'candidate' && llama.buildType !== 'localBuild') return null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llm-logits-'));
  const rows: Row[] = [];
  try {
    for (const vocab of VOCABS) {
      const file = path.join(dir, `vocab-${vocab}.gguf`);
      // The GPU bench's model writer, shrunk to one small layer: same tokenizer, same vocabulary layout.
      execFileSync(process.execPath, ['bench/gpu/llm/make-qwen2-7b-gguf.mjs', '--vocab', String(vocab), '--hidden', '64', '--ffn', '128', '--layers', '1', '--heads', '2', '--kv-heads', '1', '--out', file], { stdio: 'ignore' });
      const model = await llama.loadModel({ modelPath: file });
      const context = await model.createContext({ contextSize: 512, sequences: 1, threads });
      const sequence = context.getSequence();
      const prompt = model.tokenize('Outlook keeps asking for the password after the mailbox moved to the new tenant');
      await sequence.controlledEvaluate(prompt);
      const last = prompt[prompt.length - 1]!;
      rows.push({ vocab, candidates: 0, ms: (await stepMs(sequence, last, null, steps)).ms, logits: [] });
      for (const n of FILTER_SIZES) {
        // Spread over the vocabulary, one out of range, one repeated: the candidate build must treat them as stock does.
        const candidates = Array.from({ length: n }, (_, i) => ((i * 7919) % vocab) as Token);
        if (n >= 10) candidates.push(candidates[0]!, vocab as Token);
        const { ms, logits } = await stepMs(sequence, last, candidates, steps);
        rows.push({ vocab, candidates: n, ms, logits: [...(logits ?? new Map())].sort((a, b) => a[0] - b[0]) });
      }
      await context.dispose();
      await model.dispose();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await llama.dispose();
  }
  return rows;
}

function inChild(build: Build, argv: string[]): Row[] | null {
  const out = execFileSync(process.execPath, [...process.execArgv, 'bench/run.ts', 'llm-logits', ...argv, '--child', build], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Row[] | null;
}

/** Largest absolute difference between two builds' logits for the same tokens; Infinity when the token sets differ. */
function maxDifference(a: Row, b: Row): number {
  if (a.logits.length !== b.logits.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.logits.length; i++) {
    if (a.logits[i]![0] !== b.logits[i]![0]) return Infinity;
    max = Math.max(max, Math.abs(a.logits[i]![1] - b.logits[i]![1]));
  }
  return max;
}

export async function runLlmLogitsBench(argv = process.argv.slice(3)): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { steps: { type: 'string', default: '60' }, threads: { type: 'string', default: '1' }, child: { type: 'string' } } });
  const steps = Number(values.steps);
  const threads = Number(values.threads);
  if (values.child) {
    process.stdout.write(`${JSON.stringify(await measureBuild(values.child as Build, steps, threads))}\n`);
    return;
  }
  const passOn = ['--steps', String(steps), '--threads', String(threads)];
  const stock = inChild('stock', passOn)!;
  const candidate = inChild('candidate', passOn);
  const base = (rows: Row[], vocab: number) => rows.find((r) => r.vocab === vocab && r.candidates === 0)!.ms;
  const table = stock.map((s, i) => {
    const label = s.candidates === 0 ? 'no logits (baseline)' : `logits of ${s.candidates} candidate${s.candidates > 1 ? 's' : ''}`;
    const stockOver = s.ms - base(stock, s.vocab);
    const row = [String(s.vocab), label, s.ms.toFixed(2), s.candidates ? `+${stockOver.toFixed(2)}` : '-'];
    if (!candidate) return row;
    const c = candidate[i]!;
    const candidateOver = c.ms - base(candidate, c.vocab);
    const diff = s.candidates ? maxDifference(s, c) : 0;
    return [
      ...row,
      c.ms.toFixed(2),
      c.candidates ? `+${candidateOver.toFixed(2)}` : '-',
      c.candidates ? `${(s.ms / c.ms).toFixed(2)}x` : '-',
      c.candidates ? (diff === 0 ? 'identical' : Number.isFinite(diff) ? `max diff ${diff.toExponential(1)}` : 'DIFFERENT TOKENS') : '-',
    ];
  });
  const header = ['vocabulary', 'step reads', 'stock ms / step', 'stock over baseline'];
  if (candidate) header.push('candidate build ms / step', 'candidate over baseline', 'step speed-up', 'logits vs stock');
  process.stdout.write(`one search step on a 1-layer model (CPU, ${threads} thread(s)), ${steps} steps a row\n`);
  if (!candidate) process.stdout.write('the candidate-logits build is not installed (bash engine/models/llm/native/build-candidate-logits.sh): stock only\n');
  process.stdout.write(`\n${markdownTable(header, table)}\n`);
}
