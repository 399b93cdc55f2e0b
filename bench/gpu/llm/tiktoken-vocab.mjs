/**
 * A GGUF byte-level BPE vocabulary (llama.cpp's `gpt2` tokenizer model) from a tiktoken rank table, so the bench's
 * Qwen2-7B-shaped model tokenizes English like the real one. Qwen's tokenizer starts from tiktoken's cl100k_base and
 * adds tokens for other languages (Qwen technical report, 2023, section 2.2), so English tickets take about as many
 * tokens under cl100k_base as under Qwen2's own. The fixture's small BPE makes the same prompt about 3x longer, and
 * prompt tokens are most of what a batch of tickets costs.
 *
 * The rank table is js-tiktoken's (npm, MIT): `export default {"bpe_ranks": "..."}`, whose lines read
 * `<label> <first rank> <base64 token> <base64 token> ...`. It is data, read at run time, never committed here.
 *
 * GGUF wants token strings in GPT-2's byte-to-unicode spelling and an ordered merge list. tiktoken has no merges,
 * only ranks: a token's merge is found by running BPE on its bytes with the lower-ranked tokens only, until two
 * parts are left; listing those merges in rank order makes llama.cpp's merge-rank BPE reproduce tiktoken's.
 */
import fs from 'node:fs';

/** GPT-2's reversible byte -> printable unicode map (printable Latin-1 bytes stay, the rest move to 256+). */
function byteToUnicode() {
  const keep = (b) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  const map = new Array(256);
  let next = 256;
  for (let b = 0; b < 256; b++) map[b] = String.fromCodePoint(keep(b) ? b : next++);
  return map;
}

/** Ranks by token bytes (a latin1 string: one char per byte, usable as a Map key). */
export function readTiktokenRanks(file) {
  const text = fs.readFileSync(file, 'utf8');
  const start = text.indexOf('{');
  if (start < 0) throw new Error(`${file}: no rank table object found`);
  const table = JSON.parse(text.slice(start, text.lastIndexOf('}') + 1));
  if (typeof table.bpe_ranks !== 'string') throw new Error(`${file}: bpe_ranks is missing`);
  const ranks = new Map();
  for (const line of table.bpe_ranks.split('\n')) {
    if (!line) continue;
    const [, first, ...tokens] = line.split(' ');
    const offset = Number.parseInt(first, 10);
    if (!Number.isInteger(offset)) throw new Error(`${file}: bad rank line "${line.slice(0, 40)}"`);
    tokens.forEach((b64, i) => ranks.set(Buffer.from(b64, 'base64').toString('latin1'), offset + i));
  }
  return ranks;
}

/** The two parts a token is merged from: BPE on its bytes with only tokens ranked below it. */
function mergeOf(token, rank, ranks) {
  let parts = [...token];
  while (parts.length > 2) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < parts.length; i++) {
      const r = ranks.get(parts[i] + parts[i + 1]);
      if (r !== undefined && r < rank && r < bestRank) {
        bestRank = r;
        best = i;
      }
    }
    if (best < 0) return null;
    parts = [...parts.slice(0, best), parts[best] + parts[best + 1], ...parts.slice(best + 2)];
  }
  return parts.length === 2 ? parts : null;
}

/**
 * tokens[rank] in GPT-2 spelling (undefined where the table has no such rank) and the merges in rank order
 * ("left right", GPT-2 spelling), as GGUF's tokenizer.ggml.tokens / tokenizer.ggml.merges want them.
 */
export function tiktokenVocab(file) {
  const ranks = readTiktokenRanks(file);
  const u = byteToUnicode();
  const spell = (latin1) => [...latin1].map((c) => u[c.charCodeAt(0)]).join('');
  const size = Math.max(...ranks.values()) + 1;
  const tokens = new Array(size);
  const byRank = [...ranks.entries()].sort((a, b) => a[1] - b[1]);
  const merges = [];
  for (const [token, rank] of byRank) {
    tokens[rank] = spell(token);
    if (token.length < 2) continue;
    const parts = mergeOf(token, rank, ranks);
    if (!parts) throw new Error(`${file}: token of rank ${rank} cannot be built from lower-ranked tokens`);
    merges.push(`${spell(parts[0])} ${spell(parts[1])}`);
  }
  for (let b = 0; b < 256; b++) {
    if (!ranks.has(String.fromCharCode(b))) throw new Error(`${file}: byte ${b} has no token, so some text could not be encoded`);
  }
  return { tokens, merges };
}
