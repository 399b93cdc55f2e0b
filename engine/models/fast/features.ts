/**
 * Text -> hashed n-gram features (before any weighting). Two blocks, told apart by the hash's lowest bit:
 *   word block (even hashes): word unigrams and bigrams over the token sequence;
 *   char block (odd hashes):  character n-grams inside each token padded with spaces (sklearn's `char_wb`),
 *                             robust to typos, inflection and compounds ("Druckerproblem" ~ "Drucker").
 * The blocks are weighted and normalised separately later (feature-space.ts), as a FeatureUnion would.
 */
import { FNV_OFFSET, combine, fnvStep, hashString, mix32 } from './hash';

export interface FeatureConfig {
  /** Longest word n-gram (1 = unigrams only). */
  wordNgramMax: number;
  /** Character n-gram lengths, inclusive; charNgramMax 0 disables the char block. */
  charNgramMin: number;
  charNgramMax: number;
}

/**
 * Char 3-5 rather than sklearn's 2-5: bigrams of letters carry almost no signal once words and trigrams are
 * there (same accuracy on every benchmark dataset), and dropping them removes a quarter of the non-zeros,
 * which is a quarter of training and prediction time.
 */
export const DEFAULT_FEATURE_CONFIG: FeatureConfig = { wordNgramMax: 2, charNgramMin: 3, charNgramMax: 5 };

const WORD_SEED = FNV_OFFSET;
const CHAR_SEED = 0x2f6b3a91;
const SPACE = 32;
const TOKEN = /[\p{L}\p{N}\p{M}]+/gu;
// PSA exports often carry newlines and tabs escaped as the two characters "\n": read them as whitespace,
// or "\n\nich" would turn into the token "nich".
const ESCAPED_WHITESPACE = /\\[nrt]/g;

/** Canonical form of a text: composed Unicode (so "a"+U+0308 equals "ä"), lower case, escapes unescaped. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(ESCAPED_WHITESPACE, ' ');
}

/** Runs of letters, digits and combining marks of the normalised text. */
export function tokenize(text: string): string[] {
  return normalizeText(text).match(TOKEN) ?? [];
}

export function isCharFeature(hash: number): boolean {
  return (hash & 1) === 1;
}

/** A growable uint32 buffer the extractor appends into; reused across texts to avoid garbage. */
export class HashBuffer {
  data = new Uint32Array(1024);
  length = 0;

  push(h: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = h;
  }
}

/** Appends every feature occurrence of `text` (duplicates included: they are term frequencies) to `out`. */
export function extractFeatureHashes(text: string, cfg: FeatureConfig, out: HashBuffer): void {
  const tokens = tokenize(text);
  const wordHashes = new Array<number>(tokens.length);
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t];
    const wh = hashString(token, WORD_SEED);
    wordHashes[t] = wh;
    out.push((mix32(wh) & ~1) >>> 0);
    // The n-gram ending at token t, for n = 2..wordNgramMax: hashes chained left to right.
    let h = wh;
    for (let n = 2; n <= cfg.wordNgramMax && t - n + 1 >= 0; n++) {
      h = combine(wordHashes[t - n + 1], h);
      out.push((h & ~1) >>> 0);
    }
    if (cfg.charNgramMax > 0) pushCharNgrams(token, cfg, out);
  }
}

/** Char n-grams of " token ", lengths charNgramMin..charNgramMax; each hashed incrementally, no substrings. */
function pushCharNgrams(token: string, cfg: FeatureConfig, out: HashBuffer): void {
  const padded = token.length + 2;
  for (let start = 0; start < padded; start++) {
    let h = CHAR_SEED;
    for (let n = 1; n <= cfg.charNgramMax && start + n <= padded; n++) {
      const j = start + n - 1;
      const c = j === 0 || j === padded - 1 ? SPACE : token.charCodeAt(j - 1);
      h = fnvStep(h, c);
      if (n >= cfg.charNgramMin) out.push((mix32(h) | 1) >>> 0);
    }
  }
}

/**
 * Distinct features of a text with their counts, sorted by hash (sorting makes the output deterministic and
 * lets the caller count document frequencies once per document).
 */
export function countFeatures(
  text: string,
  cfg: FeatureConfig,
  scratch: HashBuffer = new HashBuffer(),
): { hashes: Uint32Array; counts: Uint16Array } {
  scratch.length = 0;
  extractFeatureHashes(text, cfg, scratch);
  const all = scratch.data.subarray(0, scratch.length).sort();
  let distinct = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) distinct++;
  const hashes = new Uint32Array(distinct);
  const counts = new Uint16Array(distinct);
  let k = -1;
  for (let i = 0; i < all.length; i++) {
    if (i === 0 || all[i] !== all[i - 1]) hashes[++k] = all[i];
    if (counts[k] < 0xffff) counts[k]++;
  }
  return { hashes, counts };
}
