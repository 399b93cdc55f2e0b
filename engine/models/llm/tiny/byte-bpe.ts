/**
 * A byte-level BPE tokenizer trainer in the style of GPT-2 / Qwen2: text is split by Qwen2's pre-tokenizer
 * pattern, each piece becomes bytes mapped to printable characters (GPT-2's byte-to-unicode table), and the most
 * frequent adjacent pair is merged, repeatedly. It exists so the project can write a tiny model with a real
 * tokenizer section (GGUF) and the matching tokenizer.json (Hugging Face) without downloading anything.
 */

/** Qwen2's pre-tokenizer split pattern (the same string goes into tokenizer.json; llama.cpp's "qwen2" pre uses it). */
export const QWEN2_SPLIT_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

// JavaScript has no inline (?i:...) group, so the contraction alternatives are spelled out case by case.
const SPLIT_JS = /'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD]|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

/** GPT-2's reversible map from the 256 byte values to printable unicode characters. */
export function byteToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table: string[] = new Array(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    table[b] = printable.includes(b) ? String.fromCodePoint(b) : String.fromCodePoint(256 + extra++);
  }
  return table;
}

export function preTokenize(text: string): string[] {
  return text.match(SPLIT_JS) ?? [];
}

export interface ByteBpe {
  /** Base symbols (256, in byte order) then one token per merge, in merge order. */
  tokens: string[];
  /** "left right" pairs, in priority order. */
  merges: string[];
}

/**
 * Learns `mergeCount` merges from `corpus`. Deterministic: ties between equally frequent pairs go to the pair
 * that sorts first, so the same corpus always gives the same tokenizer.
 */
export function trainByteBpe(corpus: string[], mergeCount: number): ByteBpe {
  const table = byteToUnicode();
  const words = new Map<string, number>();
  for (const text of corpus) {
    for (const piece of preTokenize(text)) {
      const mapped = Array.from(Buffer.from(piece, 'utf8'), (b) => table[b]).join('\u0000');
      words.set(mapped, (words.get(mapped) ?? 0) + 1);
    }
  }
  let entries = [...words.entries()].map(([w, n]) => ({ symbols: w.split('\u0000'), count: n }));
  const tokens = [...table];
  const known = new Set(tokens);
  const merges: string[] = [];
  for (let m = 0; m < mergeCount; m++) {
    const pairs = new Map<string, number>();
    for (const { symbols, count } of entries) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const key = `${symbols[i]} ${symbols[i + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + count);
      }
    }
    let best: string | null = null;
    let bestCount = 1; // a pair seen once is not worth a token
    for (const [key, n] of pairs) {
      if (n > bestCount || (n === bestCount && best !== null && key < best)) {
        best = key;
        bestCount = n;
      }
    }
    if (!best) break;
    const [left, right] = best.split(' ');
    const joined = left + right;
    merges.push(best);
    // Two different merges can spell the same string; the vocabulary keeps one token for it.
    if (!known.has(joined)) {
      known.add(joined);
      tokens.push(joined);
    }
    entries = entries.map(({ symbols, count }) => {
      const next: string[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (i + 1 < symbols.length && symbols[i] === left && symbols[i + 1] === right) {
          next.push(joined);
          i++;
        } else next.push(symbols[i]);
      }
      return { symbols: next, count };
    });
  }
  return { tokens, merges };
}
