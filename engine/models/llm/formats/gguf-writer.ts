/**
 * Writes GGUF files (version 3), the format llama.cpp and node-llama-cpp load: a header, typed metadata, tensor
 * descriptors, then tensor data aligned to 32 bytes. Only what the project writes is supported: scalar and array
 * metadata, and F32 / F16 tensors. The layout follows the GGUF specification in ggml's docs (gguf.md).
 */
import fs from 'node:fs';

const GGUF_MAGIC = 0x46554747; // "GGUF" little-endian
const GGUF_VERSION = 3;
const ALIGNMENT = 32;

/** GGUF metadata value types (gguf.md, gguf_metadata_value_type). */
const enum ValueType {
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
}

/** ggml tensor types used here (ggml.h, ggml_type). */
export const GGML_TYPE = { F32: 0, F16: 1 } as const;
export type GgmlType = (typeof GGML_TYPE)[keyof typeof GGML_TYPE];

export type MetadataValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: string[] }
  | { type: 'i32[]'; value: number[] }
  | { type: 'f32[]'; value: number[] };

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the innermost (contiguous) one, i.e. the reverse of PyTorch's shape. */
  dims: number[];
  type: GgmlType;
  data: Float32Array;
}

export const u32 = (value: number): MetadataValue => ({ type: 'u32', value });
export const i32 = (value: number): MetadataValue => ({ type: 'i32', value });
export const f32 = (value: number): MetadataValue => ({ type: 'f32', value });
export const str = (value: string): MetadataValue => ({ type: 'string', value });
export const bool = (value: boolean): MetadataValue => ({ type: 'bool', value });

/** Growable little-endian byte buffer. */
class ByteSink {
  private buf = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u32(v: number): void { this.reserve(4); this.buf.writeUInt32LE(v, this.length); this.length += 4; }
  i32(v: number): void { this.reserve(4); this.buf.writeInt32LE(v, this.length); this.length += 4; }
  u64(v: number): void { this.reserve(8); this.buf.writeBigUInt64LE(BigInt(v), this.length); this.length += 8; }
  f32(v: number): void { this.reserve(4); this.buf.writeFloatLE(v, this.length); this.length += 4; }
  u8(v: number): void { this.reserve(1); this.buf.writeUInt8(v, this.length); this.length += 1; }
  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.bytes(bytes);
  }
  bytes(b: Uint8Array): void { this.reserve(b.length); this.buf.set(b, this.length); this.length += b.length; }
  padTo(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment;
    this.bytes(new Uint8Array(pad));
  }
  result(): Buffer { return this.buf.subarray(0, this.length); }
}

function writeValue(sink: ByteSink, v: MetadataValue): void {
  switch (v.type) {
    case 'u32': sink.u32(ValueType.UINT32); sink.u32(v.value); return;
    case 'i32': sink.u32(ValueType.INT32); sink.i32(v.value); return;
    case 'f32': sink.u32(ValueType.FLOAT32); sink.f32(v.value); return;
    case 'bool': sink.u32(ValueType.BOOL); sink.u8(v.value ? 1 : 0); return;
    case 'string': sink.u32(ValueType.STRING); sink.string(v.value); return;
    case 'string[]':
      sink.u32(ValueType.ARRAY); sink.u32(ValueType.STRING); sink.u64(v.value.length);
      for (const s of v.value) sink.string(s);
      return;
    case 'i32[]':
      sink.u32(ValueType.ARRAY); sink.u32(ValueType.INT32); sink.u64(v.value.length);
      for (const n of v.value) sink.i32(n);
      return;
    case 'f32[]':
      sink.u32(ValueType.ARRAY); sink.u32(ValueType.FLOAT32); sink.u64(v.value.length);
      for (const n of v.value) sink.f32(n);
      return;
  }
}

function tensorBytes(t: GgufTensor): Uint8Array {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) throw new Error(`tensor ${t.name}: dims ${t.dims.join('x')} hold ${count} values, data has ${t.data.length}`);
  if (t.type === GGML_TYPE.F32) return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const half = new Uint16Array(count);
  for (let i = 0; i < count; i++) half[i] = toHalf(t.data[i]);
  return new Uint8Array(half.buffer);
}

/** float32 -> IEEE half, round to nearest even (enough for weights; no NaN payloads needed). */
export function toHalf(value: number): number {
  const f = new Float32Array([value]);
  const x = new Uint32Array(f.buffer)[0];
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
    return sign | (half + (rem > mid || (rem === mid && (half & 1)) ? 1 : 0));
  }
  if (exp >= 31) return sign | 0x7c00;
  const rounded = (exp << 10) | (mant >> 13);
  const rem = mant & 0x1fff;
  return sign | (rounded + (rem > 0x1000 || (rem === 0x1000 && (rounded & 1)) ? 1 : 0));
}

export function encodeGguf(metadata: Record<string, MetadataValue>, tensors: GgufTensor[]): Buffer {
  const sink = new ByteSink();
  sink.u32(GGUF_MAGIC);
  sink.u32(GGUF_VERSION);
  sink.u64(tensors.length);
  const entries = Object.entries(metadata);
  sink.u64(entries.length);
  for (const [key, value] of entries) {
    sink.string(key);
    writeValue(sink, value);
  }
  const payloads = tensors.map(tensorBytes);
  let offset = 0;
  tensors.forEach((t, i) => {
    sink.string(t.name);
    sink.u32(t.dims.length);
    for (const d of t.dims) sink.u64(d);
    sink.u32(t.type);
    sink.u64(offset);
    offset += payloads[i].length;
    offset += (ALIGNMENT - (offset % ALIGNMENT)) % ALIGNMENT;
  });
  sink.padTo(ALIGNMENT);
  for (const p of payloads) {
    sink.bytes(p);
    sink.padTo(ALIGNMENT);
  }
  return sink.result();
}

/** Writes to a temporary name and renames, so a reader never sees half a model. */
export function writeGgufFile(file: string, metadata: Record<string, MetadataValue>, tensors: GgufTensor[]): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, encodeGguf(metadata, tensors));
  fs.renameSync(tmp, file);
}
