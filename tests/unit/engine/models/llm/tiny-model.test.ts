import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { byteToUnicode, preTokenize, trainByteBpe } from '../../../../../engine/models/llm/tiny/byte-bpe';
import { writeTinyModel } from '../../../../../engine/models/llm/tiny/tiny-model';

const FIXTURES = path.resolve('tests/fixtures/llm/tiny');

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

describe('tiny model generator', () => {
  it('regenerates the committed fixtures byte for byte', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiny-'));
    writeTinyModel(dir);
    // reference-logits.json is PyTorch's output for these weights (reference_logits.py), not the generator's.
    const files = listFiles(FIXTURES).filter((f) => f !== 'reference-logits.json');
    expect(listFiles(dir)).toEqual(files);
    for (const f of files) expect(fs.readFileSync(path.join(dir, f)).equals(fs.readFileSync(path.join(FIXTURES, f))), f).toBe(true);
  }, 60_000);

  it('keeps the fixtures small', () => {
    const total = listFiles(FIXTURES).reduce((n, f) => n + fs.statSync(path.join(FIXTURES, f)).size, 0);
    expect(total).toBeLessThan(3 * 1024 * 1024);
  });
});

describe('byte-level BPE', () => {
  it('maps all 256 bytes to distinct printable characters', () => {
    const table = byteToUnicode();
    expect(new Set(table).size).toBe(256);
    expect(table[32]).toBe('Ġ');
    expect(table[65]).toBe('A');
  });

  it('splits text like Qwen2 (contractions, letters with a leading space, single digits)', () => {
    expect(preTokenize("It's 42 printers!\n")).toEqual(['It', "'s", ' ', '4', '2', ' printers', '!\n']);
  });

  it('learns the most frequent pairs first, deterministically, with a unique vocabulary', () => {
    const corpus = ['printer printer printer', 'print pad', 'printer jam'];
    const a = trainByteBpe(corpus, 20);
    expect(a).toEqual(trainByteBpe(corpus, 20));
    expect(new Set(a.tokens).size).toBe(a.tokens.length);
    // p-r, r-i, i-n and n-t occur 6 times each (every "print"); a tie goes to the pair that sorts first.
    expect(a.merges[0]).toBe('i n');
    expect(a.tokens).toContain('Ġprinter');
  });
});
