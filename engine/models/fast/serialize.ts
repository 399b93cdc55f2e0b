/**
 * Binary form of a fast model. Layout (little-endian, every section 4-byte aligned):
 *   magic "TTFASTMD" | u32 format version | u32 meta byte length | meta JSON (UTF-8, space-padded)
 *   | keys u32[dim] | idf f32[dim] | per field with weights: weights f32[dim * classes], bias f32[classes]
 *   | u32 checksum of everything before it
 * Weights stay raw float32 arrays (no JSON, no parsing): loading a 50 MB model is a few copies. Meta is
 * small JSON because it is small and evolves (hyperparameters, class names).
 */
import { FeatureSpace, type FeatureSpaceConfig } from './feature-space';
import type { FastModelInfo, FastModelParts, FieldModel } from './model-parts';

export const FAST_MODEL_MAGIC = 'TTFASTMD';
export const FAST_MODEL_VERSION = 1;

interface Meta {
  dim: number;
  config: FeatureSpaceConfig;
  fields: { name: string; classes: string[]; temperature: number; hasWeights: boolean }[];
  info: FastModelInfo;
}

const HEADER_BYTES = 16;

export function encodeFastModel(parts: FastModelParts): Uint8Array {
  const dim = parts.space.dim;
  const meta: Meta = {
    dim,
    config: parts.space.config,
    fields: parts.fields.map((f) => ({
      name: f.name,
      classes: f.classes,
      temperature: f.temperature,
      hasWeights: f.linear !== null,
    })),
    info: parts.info,
  };
  let metaBytes = new TextEncoder().encode(JSON.stringify(meta));
  const padded = new Uint8Array(align4(metaBytes.length)).fill(0x20);
  padded.set(metaBytes);
  metaBytes = padded;

  const sections: ArrayBufferView[] = [parts.space.keys, parts.space.idf];
  for (const f of parts.fields) if (f.linear) sections.push(f.linear.weights, f.linear.bias);
  const total = HEADER_BYTES + metaBytes.length + sections.reduce((s, a) => s + a.byteLength, 0) + 4;

  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(FAST_MODEL_MAGIC), 0);
  view.setUint32(8, FAST_MODEL_VERSION, true);
  view.setUint32(12, metaBytes.length, true);
  out.set(metaBytes, HEADER_BYTES);
  let offset = HEADER_BYTES + metaBytes.length;
  for (const s of sections) {
    out.set(new Uint8Array(s.buffer, s.byteOffset, s.byteLength), offset);
    offset += s.byteLength;
  }
  view.setUint32(offset, checksum(out, offset), true);
  return out;
}

export function decodeFastModel(input: Uint8Array): FastModelParts {
  const fail = (why: string): never => {
    throw new Error(`not a valid fast model buffer: ${why}`);
  };
  // Typed-array views need 4-byte alignment; a Buffer slice may not have it.
  const buf = input.byteOffset % 4 === 0 ? input : input.slice();
  if (buf.length < HEADER_BYTES + 4) fail(`only ${buf.length} bytes`);
  if (new TextDecoder().decode(buf.subarray(0, 8)) !== FAST_MODEL_MAGIC) fail('wrong magic (not a fast model)');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const version = view.getUint32(8, true);
  if (version !== FAST_MODEL_VERSION) {
    fail(`format version ${version}, this build reads version ${FAST_MODEL_VERSION} (retrain the model)`);
  }
  if (buf.length % 4 !== 0) fail(`length ${buf.length} is not a multiple of 4 (truncated?)`);
  const end = buf.length - 4;
  if (view.getUint32(end, true) !== checksum(buf, end)) fail('checksum mismatch (truncated or corrupted)');

  const metaLength = view.getUint32(12, true);
  if (HEADER_BYTES + metaLength > end) fail('meta section runs past the end');
  let meta: Meta;
  try {
    meta = JSON.parse(new TextDecoder().decode(buf.subarray(HEADER_BYTES, HEADER_BYTES + metaLength))) as Meta;
  } catch {
    return fail('meta section is not JSON');
  }

  let offset = HEADER_BYTES + metaLength;
  const take = <T>(count: number, make: (b: ArrayBufferLike) => T): T => {
    const bytes = count * 4;
    if (offset + bytes > end) fail('a weight section runs past the end');
    const copy = buf.buffer.slice(buf.byteOffset + offset, buf.byteOffset + offset + bytes);
    offset += bytes;
    return make(copy);
  };
  const keys = take(meta.dim, (b) => new Uint32Array(b));
  const idf = take(meta.dim, (b) => new Float32Array(b));
  const fields: FieldModel[] = meta.fields.map((f) => ({
    name: f.name,
    classes: f.classes,
    temperature: f.temperature,
    linear: f.hasWeights
      ? {
          dim: meta.dim,
          classes: f.classes.length,
          weights: take(meta.dim * f.classes.length, (b) => new Float32Array(b)),
          bias: take(f.classes.length, (b) => new Float32Array(b)),
        }
      : null,
  }));
  if (offset !== end) fail(`${end - offset} unexpected bytes after the last section`);
  return { space: new FeatureSpace(meta.config, keys, idf), fields, info: meta.info };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

/** FNV-style hash over 32-bit words: catches truncation and bit rot at memory speed (not a security MAC). */
function checksum(bytes: Uint8Array, length: number): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, length >>> 2);
  let h = 0x811c9dc5 ^ length;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193);
  return h >>> 0;
}
