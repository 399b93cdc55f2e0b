#!/usr/bin/env node
/**
 * Writes a random-weight model with Qwen2-7B's shape (vocab 152064, hidden 3584, ffn 18944, 28 layers, 28 heads,
 * 4 KV heads, rope theta 1e6) as an F16 GGUF, and optionally a LoRA adapter for it (r=16 on q, k, v, o). Plain
 * JavaScript, no dependencies: it runs with the bare node carried to the GPU machine, where a 15 GB model cannot
 * travel but can be written in seconds.
 *
 * Speed: every tensor is cut from a few pools of pre-generated random F16 values (one per weight scale, each a
 * prime number of values long, entered at a random offset per tensor), so writing is bound by the disk, not by the
 * random number generator. Memory stays at the pools (~30 MB) however large the model.
 *
 * Tokenizer: with --tiktoken-ranks (js-tiktoken's cl100k_base rank table, tiktoken-vocab.mjs), the byte-level BPE
 * Qwen's vocabulary starts from, so prompts take about as many tokens as under the real Qwen2 tokenizer; without
 * it, the tiny fixture's small BPE (prompts ~3x longer). Either with Qwen2's pre-tokenizer, the ChatML specials at
 * Qwen2's ids (151643..151645), and distinct filler tokens `<|extra_N|>` (normal type) everywhere else, so
 * generated ids span the whole vocabulary.
 *
 * Layout follows engine/models/llm/formats/gguf-writer.ts (GGUF v3, 32-byte alignment) and the tensor names of
 * qwen2-names.ts / lora-gguf.ts (W.lora_a dims [in, r], W.lora_b dims [r, out], adapter.lora.alpha).
 *
 * Usage: node make-qwen2-7b-gguf.mjs --out model-f16.gguf [--lora-out adapter.gguf] [--lora-type f32|f16]
 *        [--tiktoken-ranks cl100k_base.js | --tokenizer-from tiny.gguf] [--vocab N --hidden N --ffn N --layers N --heads N --kv-heads N --rope-theta F --context N --lora-rank N]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { tiktokenVocab } from './tiktoken-vocab.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
const { values: opt } = parseArgs({
  options: {
    out: { type: 'string' },
    'lora-out': { type: 'string' },
    'tokenizer-from': { type: 'string', default: path.resolve(here, '../../../tests/fixtures/llm/tiny/tiny-qwen2.gguf') },
    'tiktoken-ranks': { type: 'string' },
    'lora-type': { type: 'string', default: 'f32' },
    vocab: { type: 'string', default: '152064' },
    hidden: { type: 'string', default: '3584' },
    ffn: { type: 'string', default: '18944' },
    layers: { type: 'string', default: '28' },
    heads: { type: 'string', default: '28' },
    'kv-heads': { type: 'string', default: '4' },
    'rope-theta': { type: 'string', default: '1000000' },
    context: { type: 'string', default: '32768' },
    'lora-rank': { type: 'string', default: '16' },
    'lora-alpha': { type: 'string', default: '32' },
    seed: { type: 'string', default: '20260' },
  },
});
if (!opt.out && !opt['lora-out']) {
  process.stderr.write('usage: make-qwen2-7b-gguf.mjs --out model-f16.gguf [--lora-out adapter.gguf] [shape flags]\n');
  process.exit(2);
}
const S = {
  vocab: Number(opt.vocab),
  hidden: Number(opt.hidden),
  ffn: Number(opt.ffn),
  layers: Number(opt.layers),
  heads: Number(opt.heads),
  kvHeads: Number(opt['kv-heads']),
  ropeTheta: Number(opt['rope-theta']),
  context: Number(opt.context),
};
const kvDim = (S.hidden / S.heads) * S.kvHeads;
if (!Number.isInteger(kvDim) || S.hidden % S.heads !== 0) throw new Error(`hidden ${S.hidden} must be a multiple of heads ${S.heads}`);

// ---------- random numbers: xorshift128+ (fast, seeded), Box-Muller normals ----------
let s0 = BigInt.asUintN(64, BigInt(opt.seed) * 0x9e3779b97f4a7c15n + 1n);
let s1 = BigInt.asUintN(64, s0 * 0xbf58476d1ce4e5b9n + 7n);
// 32-bit xorshift (Marsaglia) in plain numbers for the hot loop; BigInt only seeds it.
let x32 = Number(s0 & 0xffffffffn) || 1;
let y32 = Number(s1 & 0xffffffffn) || 2;
function nextU32() {
  let t = x32 ^ (x32 << 11);
  x32 = y32;
  y32 = (y32 ^ (y32 >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
  return y32;
}
const uniform = () => (nextU32() + 0.5) / 4294967296;

// ---------- float -> half (round to nearest even), scratch views, no allocation per call ----------
const f32s = new Float32Array(1);
const u32s = new Uint32Array(f32s.buffer);
function toHalf(value) {
  f32s[0] = value;
  const x = u32s[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  let mant = x & 0x7fffff;
  if (exp <= 0) {
    if (exp < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - exp;
    const half = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rem > mid || (rem === mid && half & 1) ? 1 : 0));
  }
  if (exp >= 31) return sign | 0x7bff; // clamp to the largest finite half
  const rounded = (exp << 10) | (mant >> 13);
  const rem = mant & 0x1fff;
  return sign | (rounded + (rem > 0x1000 || (rem === 0x1000 && rounded & 1) ? 1 : 0));
}

/** Unit normals, generated once; every tensor's values are this sequence scaled (a prime length, so rows never line up with the period). */
const POOL = 2097143;
let unit = null;
function unitPool() {
  if (!unit) {
    unit = new Float32Array(POOL + 1);
    for (let i = 0; i < POOL; i += 2) {
      const r = Math.sqrt(-2 * Math.log(uniform()));
      const a = 2 * Math.PI * uniform();
      unit[i] = r * Math.cos(a);
      unit[i + 1] = r * Math.sin(a);
    }
  }
  return unit;
}
/** F16 pools ~ N(mean, std), one per distinct scale. */
const pools = new Map();
function pool(std, mean = 0) {
  const key = `${std}/${mean}`;
  let p = pools.get(key);
  if (!p) {
    const u = unitPool();
    p = new Uint16Array(POOL);
    for (let i = 0; i < POOL; i++) p[i] = toHalf(mean + std * u[i]);
    pools.set(key, p);
  }
  return p;
}

// ---------- GGUF reader (metadata only): the tokenizer comes from the tiny fixture ----------
function readGgufMetadata(file) {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(Math.min(fs.fstatSync(fd).size, 64 << 20));
  fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  let o = 0;
  const u32 = () => { const v = head.readUInt32LE(o); o += 4; return v; };
  const u64 = () => { const v = Number(head.readBigUInt64LE(o)); o += 8; return v; };
  const string = () => { const n = u64(); const s = head.toString('utf8', o, o + n); o += n; return s; };
  const scalar = (t) => {
    switch (t) {
      case 0: return head.readUInt8(o++);
      case 1: return head.readInt8(o++);
      case 2: { const v = head.readUInt16LE(o); o += 2; return v; }
      case 3: { const v = head.readInt16LE(o); o += 2; return v; }
      case 4: return u32();
      case 5: { const v = head.readInt32LE(o); o += 4; return v; }
      case 6: { const v = head.readFloatLE(o); o += 4; return v; }
      case 7: return head.readUInt8(o++) !== 0;
      case 8: return string();
      case 10: return u64();
      case 11: { const v = Number(head.readBigInt64LE(o)); o += 8; return v; }
      case 12: { const v = head.readDoubleLE(o); o += 8; return v; }
      default: throw new Error(`${file}: unsupported GGUF value type ${t}`);
    }
  };
  if (u32() !== 0x46554747) throw new Error(`${file} is not a GGUF file`);
  u32(); // version
  u64(); // tensor count
  const n = u64();
  const meta = {};
  for (let i = 0; i < n; i++) {
    const key = string();
    const t = u32();
    if (t === 9) {
      const et = u32();
      const len = u64();
      const arr = new Array(len);
      for (let j = 0; j < len; j++) arr[j] = scalar(et);
      meta[key] = arr;
    } else meta[key] = scalar(t);
  }
  return meta;
}

// ---------- GGUF writer (streaming) ----------
class Sink {
  constructor() { this.parts = []; this.len = 0; }
  push(b) { this.parts.push(b); this.len += b.length; }
  u32(v) { const b = Buffer.alloc(4); b.writeUInt32LE(v); this.push(b); }
  i32(v) { const b = Buffer.alloc(4); b.writeInt32LE(v); this.push(b); }
  u64(v) { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); this.push(b); }
  f32(v) { const b = Buffer.alloc(4); b.writeFloatLE(v); this.push(b); }
  str(s) { const b = Buffer.from(s, 'utf8'); this.u64(b.length); this.push(b); }
  pad(a) { const p = (a - (this.len % a)) % a; if (p) this.push(Buffer.alloc(p)); }
  buffer() { return Buffer.concat(this.parts); }
}
const T_U32 = 4, T_I32 = 5, T_F32 = 6, T_BOOL = 7, T_STR = 8, T_ARR = 9;
function writeMeta(sink, key, v) {
  sink.str(key);
  switch (v.t) {
    case 'u32': sink.u32(T_U32); sink.u32(v.v); break;
    case 'f32': sink.u32(T_F32); sink.f32(v.v); break;
    case 'bool': sink.u32(T_BOOL); sink.push(Buffer.from([v.v ? 1 : 0])); break;
    case 'str': sink.u32(T_STR); sink.str(v.v); break;
    case 'str[]': sink.u32(T_ARR); sink.u32(T_STR); sink.u64(v.v.length); for (const s of v.v) sink.str(s); break;
    case 'i32[]': {
      sink.u32(T_ARR); sink.u32(T_I32); sink.u64(v.v.length);
      const b = Buffer.alloc(4 * v.v.length);
      v.v.forEach((n, i) => b.writeInt32LE(n, 4 * i));
      sink.push(b);
      break;
    }
    default: throw new Error(`metadata ${key}: type ${v.t}`);
  }
}
const ALIGN = 32;
const F32 = 0, F16 = 1;

/**
 * tensors: { name, dims (ggml order), type F16|F32, fill: { std, mean } }. Data is streamed: F16 from a pool,
 * F32 converted from the same pool (small tensors only: norms, biases, LoRA).
 */
function writeGguf(file, metadata, tensors) {
  const sink = new Sink();
  sink.u32(0x46554747);
  sink.u32(3);
  sink.u64(tensors.length);
  const entries = Object.entries(metadata);
  sink.u64(entries.length);
  for (const [k, v] of entries) writeMeta(sink, k, v);
  let offset = 0;
  for (const t of tensors) {
    t.count = t.dims.reduce((a, b) => a * b, 1);
    t.bytes = t.count * (t.type === F16 ? 2 : 4);
    sink.str(t.name);
    sink.u32(t.dims.length);
    for (const d of t.dims) sink.u64(d);
    sink.u32(t.type);
    sink.u64(offset);
    offset += t.bytes;
    offset += (ALIGN - (offset % ALIGN)) % ALIGN;
  }
  sink.pad(ALIGN);
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  let pos = 0;
  const write = (buf) => {
    let done = 0;
    while (done < buf.length) done += fs.writeSync(fd, buf, done, buf.length - done, pos + done);
    pos += buf.length;
  };
  write(sink.buffer());
  const CHUNK = 1 << 22; // values per write
  for (const t of tensors) {
    const p = t.type === F16 ? pool(t.fill.std, t.fill.mean ?? 0) : null;
    let start = nextU32() % POOL;
    let left = t.count;
    if (t.type === F16) {
      const bytes = Buffer.from(p.buffer, p.byteOffset, p.byteLength);
      while (left > 0) {
        const n = Math.min(left, POOL - start, CHUNK);
        write(bytes.subarray(2 * start, 2 * (start + n)));
        left -= n;
        start = (start + n) % POOL;
      }
    } else {
      const u = unitPool();
      const { std, mean = 0 } = t.fill;
      const out = new Float32Array(Math.min(left, CHUNK));
      while (left > 0) {
        const n = Math.min(left, CHUNK);
        for (let i = 0; i < n; i++) {
          out[i] = mean + std * u[start];
          start = start + 1 === POOL ? 0 : start + 1;
        }
        write(Buffer.from(out.buffer, 0, 4 * n));
        left -= n;
      }
    }
    const pad = (ALIGN - (pos % ALIGN)) % ALIGN;
    if (pad) write(Buffer.alloc(pad));
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  return pos;
}
// ---------- the model ----------
const t0 = performance.now();
const tiny = readGgufMetadata(path.resolve(opt['tokenizer-from'])); // the chat template (and the default tokenizer)
const SPECIALS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];
let base;
let merges;
let tokenizerName;
if (opt['tiktoken-ranks']) {
  const vocab = tiktokenVocab(path.resolve(opt['tiktoken-ranks']));
  base = vocab.tokens;
  merges = vocab.merges;
  tokenizerName = `${path.basename(opt['tiktoken-ranks'])}: ${vocab.merges.length} merges`;
} else {
  const tinyTypes = tiny['tokenizer.ggml.token_type'];
  base = tiny['tokenizer.ggml.tokens'].filter((t, i) => tinyTypes[i] === 1 && !SPECIALS.includes(t));
  merges = tiny['tokenizer.ggml.merges'];
  tokenizerName = `the tiny fixture's BPE: ${base.length} tokens`;
}
const specialStart = S.vocab >= 152064 ? 151643 : S.vocab - SPECIALS.length;
if (specialStart < base.length) throw new Error(`vocab ${S.vocab} is smaller than the tokenizer's ${base.length} tokens + specials`);
const tokens = new Array(S.vocab);
const types = new Array(S.vocab);
let extra = 0;
for (let i = 0; i < S.vocab; i++) {
  if (i < base.length && base[i] !== undefined) { tokens[i] = base[i]; types[i] = 1; }
  else if (i >= specialStart && i < specialStart + SPECIALS.length) { tokens[i] = SPECIALS[i - specialStart]; types[i] = 3; }
  else { tokens[i] = `<|extra_${extra++}|>`; types[i] = 1; }
}
const id = (t) => tokens.indexOf(t);

if (opt.out) {
  const h = S.hidden;
  const metadata = {
    'general.architecture': { t: 'str', v: 'qwen2' },
    'general.name': { t: 'str', v: `qwen2-7b-shaped (random weights, generated by ticket-triage bench/gpu/llm)` },
    'general.file_type': { t: 'u32', v: 1 }, // MOSTLY_F16
    'qwen2.context_length': { t: 'u32', v: S.context },
    'qwen2.embedding_length': { t: 'u32', v: h },
    'qwen2.block_count': { t: 'u32', v: S.layers },
    'qwen2.feed_forward_length': { t: 'u32', v: S.ffn },
    'qwen2.attention.head_count': { t: 'u32', v: S.heads },
    'qwen2.attention.head_count_kv': { t: 'u32', v: S.kvHeads },
    'qwen2.rope.freq_base': { t: 'f32', v: S.ropeTheta },
    'qwen2.attention.layer_norm_rms_epsilon': { t: 'f32', v: 1e-6 },
    'tokenizer.ggml.model': { t: 'str', v: 'gpt2' },
    'tokenizer.ggml.pre': { t: 'str', v: 'qwen2' },
    'tokenizer.ggml.tokens': { t: 'str[]', v: tokens },
    'tokenizer.ggml.token_type': { t: 'i32[]', v: types },
    'tokenizer.ggml.merges': { t: 'str[]', v: merges },
    'tokenizer.ggml.bos_token_id': { t: 'u32', v: id('<|endoftext|>') },
    'tokenizer.ggml.eos_token_id': { t: 'u32', v: id('<|im_end|>') },
    'tokenizer.ggml.padding_token_id': { t: 'u32', v: id('<|endoftext|>') },
    'tokenizer.ggml.add_bos_token': { t: 'bool', v: false },
    'tokenizer.chat_template': { t: 'str', v: tiny['tokenizer.chat_template'] },
  };
  const W = (name, dims, std) => ({ name, dims, type: F16, fill: { std } });
  const V = (name, n, std, mean = 0) => ({ name, dims: [n], type: F32, fill: { std, mean } });
  const tensors = [W('token_embd.weight', [h, S.vocab], 0.05)];
  for (let l = 0; l < S.layers; l++) {
    const b = `blk.${l}`;
    tensors.push(
      V(`${b}.attn_norm.weight`, h, 0.1, 1),
      W(`${b}.attn_q.weight`, [h, h], 1 / Math.sqrt(h)),
      V(`${b}.attn_q.bias`, h, 0.1),
      W(`${b}.attn_k.weight`, [h, kvDim], 1 / Math.sqrt(h)),
      V(`${b}.attn_k.bias`, kvDim, 0.1),
      W(`${b}.attn_v.weight`, [h, kvDim], 1 / Math.sqrt(h)),
      V(`${b}.attn_v.bias`, kvDim, 0.1),
      W(`${b}.attn_output.weight`, [h, h], 1 / Math.sqrt(h)),
      V(`${b}.ffn_norm.weight`, h, 0.1, 1),
      W(`${b}.ffn_gate.weight`, [h, S.ffn], 1 / Math.sqrt(h)),
      W(`${b}.ffn_up.weight`, [h, S.ffn], 1 / Math.sqrt(h)),
      W(`${b}.ffn_down.weight`, [S.ffn, h], 1 / Math.sqrt(S.ffn)),
    );
  }
  tensors.push(V('output_norm.weight', h, 0.1, 1), W('output.weight', [h, S.vocab], 2 / Math.sqrt(h)));
  const bytes = writeGguf(path.resolve(opt.out), metadata, tensors);
  const params = tensors.reduce((a, t) => a + t.count, 0);
  const sec = (performance.now() - t0) / 1000;
  process.stdout.write(
    `${opt.out}: ${(params / 1e9).toFixed(2)} B params, ${(bytes / 2 ** 30).toFixed(2)} GiB F16, vocab ${S.vocab} (${tokenizerName}, ` +
      `specials at ${specialStart}), ${S.layers} layers, written in ${sec.toFixed(1)} s (${(bytes / 2 ** 20 / sec).toFixed(0)} MiB/s)\n`,
  );
}

if (opt['lora-out']) {
  const r = Number(opt['lora-rank']);
  const h = S.hidden;
  // F32 is what the engine's PEFT converter writes today; F16 is llama.cpp's own converter's default.
  const loraType = { f32: F32, f16: F16 }[opt['lora-type']];
  if (loraType === undefined) throw new Error(`--lora-type must be f32 or f16, got ${opt['lora-type']}`);
  const tensors = [];
  const outs = { attn_q: h, attn_k: kvDim, attn_v: kvDim, attn_output: h };
  for (let l = 0; l < S.layers; l++) {
    for (const [m, out] of Object.entries(outs)) {
      // lora_a: dims [in, r] (PEFT's A [r, in]); lora_b: dims [r, out] (PEFT's B [out, r]); non-zero B on purpose.
      tensors.push({ name: `blk.${l}.${m}.weight.lora_a`, dims: [h, r], type: loraType, fill: { std: 1 / Math.sqrt(h) } });
      tensors.push({ name: `blk.${l}.${m}.weight.lora_b`, dims: [r, out], type: loraType, fill: { std: 0.02 } });
    }
  }
  const metadata = {
    'general.architecture': { t: 'str', v: 'qwen2' },
    'general.type': { t: 'str', v: 'adapter' },
    'general.name': { t: 'str', v: `random r=${r} adapter for the qwen2-7b-shaped model` },
    'adapter.type': { t: 'str', v: 'lora' },
    'adapter.lora.alpha': { t: 'f32', v: Number(opt['lora-alpha']) },
  };
  const t1 = performance.now();
  const bytes = writeGguf(path.resolve(opt['lora-out']), metadata, tensors);
  process.stdout.write(`${opt['lora-out']}: LoRA r=${r} on q,k,v,o x ${S.layers} layers, ${(bytes / 2 ** 20).toFixed(1)} MiB ${opt['lora-type'].toUpperCase()}, written in ${((performance.now() - t1) / 1000).toFixed(1)} s\n`);
}
