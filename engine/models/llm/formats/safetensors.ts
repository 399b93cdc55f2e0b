/**
 * Reads and writes safetensors files (Hugging Face's format: 8-byte little-endian header length, a JSON header
 * of {name: {dtype, shape, data_offsets}}, then raw little-endian data). PEFT saves LoRA adapters this way, and
 * the tiny test model is written this way so that PyTorch loads the same weights that the GGUF holds.
 */
import fs from 'node:fs';

export interface NamedTensor {
  /** PyTorch order (outermost first). */
  shape: number[];
  data: Float32Array;
}

const DTYPE_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2 };

export function encodeSafetensors(tensors: Record<string, NamedTensor>, metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  const names = Object.keys(tensors).sort();
  for (const name of names) {
    const t = tensors[name];
    const bytes = t.data.length * 4;
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // keeps the data 8-byte aligned, as the reference writer does
  const head = Buffer.alloc(8);
  head.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  const parts: Buffer[] = [head, Buffer.from(json)];
  for (const name of names) {
    const d = tensors[name].data;
    parts.push(Buffer.from(d.buffer, d.byteOffset, d.byteLength));
  }
  return Buffer.concat(parts);
}

/** Reads every tensor as float32 (F32, F16 and BF16 are converted). Errors name the file and the tensor. */
export function readSafetensors(file: string): { tensors: Record<string, NamedTensor>; metadata: Record<string, string> } {
  const buf = fs.readFileSync(file);
  if (buf.length < 8) throw new Error(`${file} is not a safetensors file: ${buf.length} bytes`);
  const headerLength = Number(buf.readBigUInt64LE(0));
  if (headerLength > buf.length - 8) throw new Error(`${file} is not a safetensors file: header length ${headerLength} exceeds the file`);
  type Entry = { dtype: string; shape: number[]; data_offsets: [number, number] };
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(buf.subarray(8, 8 + headerLength).toString('utf8'));
  } catch (err) {
    throw new Error(`${file} has an unreadable safetensors header: ${(err as Error).message}`);
  }
  const base = 8 + headerLength;
  const tensors: Record<string, NamedTensor> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const info = raw as Entry;
    const width = DTYPE_BYTES[info.dtype];
    if (!width) throw new Error(`${file}: tensor ${name} has dtype ${info.dtype}; only F32, F16 and BF16 are read`);
    const [start, end] = info.data_offsets;
    const count = info.shape.reduce((a, b) => a * b, 1);
    if (end - start !== count * width || base + end > buf.length) throw new Error(`${file}: tensor ${name} has inconsistent size or offsets`);
    tensors[name] = { shape: info.shape, data: toFloat32(buf.subarray(base + start, base + end), info.dtype, count) };
  }
  return { tensors, metadata: (header.__metadata__ as Record<string, string> | undefined) ?? {} };
}

function toFloat32(raw: Buffer, dtype: string, count: number): Float32Array {
  const out = new Float32Array(count);
  if (dtype === 'F32') {
    for (let i = 0; i < count; i++) out[i] = raw.readFloatLE(i * 4);
  } else if (dtype === 'BF16') {
    const word = new Uint32Array(1);
    const asFloat = new Float32Array(word.buffer);
    for (let i = 0; i < count; i++) {
      word[0] = raw.readUInt16LE(i * 2) << 16;
      out[i] = asFloat[0];
    }
  } else {
    for (let i = 0; i < count; i++) out[i] = fromHalf(raw.readUInt16LE(i * 2));
  }
  return out;
}

export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}
