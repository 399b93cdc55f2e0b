import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import { getLlama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script (it runs with the bare node on the GPU machine), so it carries no types
import { tiktokenVocab } from '../../../../bench/gpu/llm/tiktoken-vocab.mjs';

const RANKS = path.resolve('node_modules/js-tiktoken/dist/ranks/cl100k_base.js');
const vocab = tiktokenVocab as (file: string) => { tokens: (string | undefined)[]; merges: string[] };

describe('the bench model tokenizer built from a tiktoken rank table', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiktoken-vocab-'));
  const modelFile = path.join(dir, 'm.gguf');
  const enc = new Tiktoken(cl100k);
  let tokenize: (text: string) => number[];
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    // A 2-layer model with the 7B model's vocabulary and the cl100k_base tokenizer, written by the bench's own writer.
    execFileSync(process.execPath, [
      'bench/gpu/llm/make-qwen2-7b-gguf.mjs', '--out', modelFile, '--tiktoken-ranks', RANKS,
      '--hidden', '64', '--ffn', '128', '--layers', '2', '--heads', '2', '--kv-heads', '1', '--context', '1024',
    ]);
    const llama = await getLlama({ gpu: false, build: 'never' });
    const model = await llama.loadModel({ modelPath: modelFile });
    tokenize = (text) => Array.from(model.tokenize(text, false));
    dispose = () => model.dispose();
  }, 120_000);
  afterAll(async () => {
    await dispose?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('derives one merge per multi-byte token, in rank order, each joining two lower-ranked tokens', () => {
    const { tokens, merges } = vocab(RANKS);
    const rank = new Map(tokens.map((t, i) => [t, i]));
    expect(merges.length).toBe(tokens.filter((t) => t !== undefined).length - 256);
    let last = -1;
    for (const m of merges.slice(0, 2000)) {
      const [left, right] = m.split(' ');
      const merged = rank.get(left + right)!;
      expect(merged).toBeGreaterThan(last);
      expect(Math.max(rank.get(left)!, rank.get(right)!)).toBeLessThan(merged);
      last = merged;
    }
  });

  it("tokenizes English ticket text exactly as tiktoken's cl100k_base does", () => {
    const texts = [
      'Outlook will not sync since the update; user jdoe@example.com tried restarting.',
      'You triage helpdesk tickets for a managed service provider.\nAnswer with one JSON object',
      '{"ticket_type": "Incident", "priority": "High", "queue": "Tier II"}',
      '   several   spaces\tand tabs, ünïcødé and 日本語',
    ];
    for (const t of texts) expect(tokenize(t), t).toEqual(enc.encode(t));
  });

  it('splits numbers into single digits, as Qwen2 does (cl100k_base groups up to three)', () => {
    expect(tokenize('E-1234')).toEqual([...enc.encode('E-'), ...'1234'.split('').map((d) => enc.encode(d)[0])]);
    expect(enc.encode('1234').length).toBeLessThan(4);
  });

  it('names the file when the rank table is not one', () => {
    const bad = path.join(dir, 'bad.js');
    fs.writeFileSync(bad, 'export default {"pat_str": "x"}');
    expect(() => vocab(bad)).toThrow(/bad\.js: bpe_ranks is missing/);
  });
});
