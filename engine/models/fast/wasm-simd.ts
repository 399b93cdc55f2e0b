/**
 * The two hot loops of training as WebAssembly SIMD (f32x4), assembled here from bytes: no toolchain, no
 * dependency, nothing to download. V8 does not vectorise JavaScript, and these loops are ~90% of training
 * time; four lanes per instruction make them 2-3x faster than the unrolled JS in kernels.ts.
 *
 * Layout: weights row-major with `stride` floats per feature, stride a multiple of 4 (classes padded with
 * zero columns) so every row block is one 16-byte vector. All pointers are byte offsets into the memory.
 *   dot(w, strideBytes, idx, val, start, end, out):  out[c] = sum_p val[p] * w[idx[p]][c], all padded classes
 *   axpy(w, strideBytes, idx, val, start, end, g):   w[idx[p]][c] += val[p] * g[c], all padded classes
 * Returns null where WebAssembly SIMD is unavailable; callers then use kernels.ts.
 */

const I32 = 0x7f;
const V128 = 0x7b;

/** Unsigned LEB128. */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

// Instructions used below (https://webassembly.github.io/spec/core/binary/instructions.html).
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32 = (v: number) => [0x41, ...sleb(v)];
const ADD = 0x6a;
const MUL = 0x6c;
const SHL = 0x74;
const GE_S = 0x4e;
const GT_S = 0x4a;
const LOAD_I32 = [0x28, 2, 0];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = 0x0b;
const br = (depth: number) => [0x0c, depth];
const brIf = (depth: number) => [0x0d, depth];
const v128Load = (offset: number) => [0xfd, 0x00, 4, ...uleb(offset)];
const v128Store = (offset: number) => [0xfd, 0x0b, 4, ...uleb(offset)];
const LOAD32_SPLAT = [0xfd, 0x09, 2, 0];
const V128_ZERO = [0xfd, 0x0c, ...new Array(16).fill(0)];
const F32X4_ADD = [0xfd, 0xe4, 0x01];
const F32X4_MUL = [0xfd, 0xe6, 0x01];

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

// Parameters shared by both functions.
const W = 0;
const STRIDE = 1;
const IDX = 2;
const VAL = 3;
const START = 4;
const END_ = 5;
const OUT = 6; // dot: output vector; axpy: gradient vector

/** base = w + idx[p] * stride (+ c); x = splat(val[p]). Locals: p, base, x. */
function rowAndValue(p: number, base: number, x: number, c: number | null): number[] {
  return [
    ...get(IDX), ...get(p), ...i32(2), SHL, ADD, ...LOAD_I32,
    ...get(STRIDE), MUL, ...get(W), ADD, ...(c === null ? [] : [...get(c), ADD]), ...set(base),
    ...get(VAL), ...get(p), ...i32(2), SHL, ADD, ...LOAD32_SPLAT, ...set(x),
  ];
}

function dotBody(): number[] {
  // Locals after the 7 params: c, p, base (i32); x, a0..a3 (v128).
  const C = 7;
  const P = 8;
  const BASE = 9;
  const X = 10;
  const A = [11, 12, 13, 14];
  const accumulate = (a: number, offset: number) => [
    ...get(a), ...get(X), ...get(BASE), ...v128Load(offset), ...F32X4_MUL, ...F32X4_ADD, ...set(a),
  ];
  const pass = (vectors: number) => [
    ...A.slice(0, vectors).flatMap((a) => [...V128_ZERO, ...set(a)]),
    ...get(START), ...set(P),
    ...BLOCK, ...LOOP,
    ...get(P), ...get(END_), GE_S, ...brIf(1),
    ...rowAndValue(P, BASE, X, C),
    ...A.slice(0, vectors).flatMap((a, j) => accumulate(a, 16 * j)),
    ...get(P), ...i32(1), ADD, ...set(P),
    ...br(0), END, END,
    ...A.slice(0, vectors).flatMap((a, j) => [...get(OUT), ...get(C), ADD, ...get(a), ...v128Store(16 * j)]),
    ...get(C), ...i32(16 * vectors), ADD, ...set(C),
  ];
  const code = [
    // Four vectors (16 classes) per pass over the row while they fit...
    ...BLOCK, ...LOOP,
    ...get(C), ...i32(64), ADD, ...get(STRIDE), GT_S, ...brIf(1),
    ...pass(4),
    ...br(0), END, END,
    // ...then one vector per pass for the rest.
    ...BLOCK, ...LOOP,
    ...get(C), ...get(STRIDE), GE_S, ...brIf(1),
    ...pass(1),
    ...br(0), END, END,
    END,
  ];
  return [...uleb(2), ...uleb(3), I32, ...uleb(5), V128, ...code];
}

function axpyBody(): number[] {
  // Locals after the 7 params: p, base, c (i32); x (v128).
  const P = 7;
  const BASE = 8;
  const C = 9;
  const X = 10;
  const code = [
    ...get(START), ...set(P),
    ...BLOCK, ...LOOP,
    ...get(P), ...get(END_), GE_S, ...brIf(1),
    ...rowAndValue(P, BASE, X, null),
    ...i32(0), ...set(C),
    ...BLOCK, ...LOOP,
    ...get(C), ...get(STRIDE), GE_S, ...brIf(1),
    // w[base + c] += x * g[c]
    ...get(BASE), ...get(C), ADD,
    ...get(BASE), ...get(C), ADD, ...v128Load(0),
    ...get(X), ...get(OUT), ...get(C), ADD, ...v128Load(0), ...F32X4_MUL, ...F32X4_ADD,
    ...v128Store(0),
    ...get(C), ...i32(16), ADD, ...set(C),
    ...br(0), END, END,
    ...get(P), ...i32(1), ADD, ...set(P),
    ...br(0), END, END,
    END,
  ];
  return [...uleb(2), ...uleb(3), I32, ...uleb(1), V128, ...code];
}

function moduleBytes(): Uint8Array {
  const funcType = [0x60, ...uleb(7), ...new Array(7).fill(I32), 0];
  const bodies = [dotBody(), axpyBody()];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(1), ...funcType]),
    ...section(2, [...uleb(1), ...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]),
    ...section(3, [...uleb(2), 0, 0]),
    ...section(7, [...uleb(2), ...name('dot'), 0x00, 0, ...name('axpy'), 0x00, 1]),
    ...section(10, [...uleb(bodies.length), ...bodies.flatMap((b) => [...uleb(b.length), ...b])]),
  ]);
}

// The project's TypeScript libs (ES2023 + node, no DOM) do not declare the WebAssembly JS API: the part used.
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

type Kernel = (w: number, strideBytes: number, idx: number, val: number, start: number, end: number, v: number) => void;

export interface SimdKernels {
  memory: WasmMemory;
  dot: Kernel;
  axpy: Kernel;
}

let compiled: object | null | undefined;

/** A fresh instance over a new memory of at least `bytes` bytes, or null without WebAssembly SIMD. */
export function createSimdKernels(bytes: number): SimdKernels | null {
  if (compiled === undefined) {
    try {
      // Compiling validates: a runtime without SIMD rejects the module here.
      compiled = wasm ? new wasm.Module(moduleBytes()) : null;
    } catch {
      compiled = null;
    }
  }
  if (!wasm || compiled === null) return null;
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
  const instance = new wasm.Instance(compiled, { env: { memory } });
  const exports = instance.exports as unknown as { dot: Kernel; axpy: Kernel };
  return { memory, dot: exports.dot, axpy: exports.axpy };
}
