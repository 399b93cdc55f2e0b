import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { GGML_TYPE, encodeGguf, f32, str, toHalf, u32 } from '../../../../../engine/models/llm/formats/gguf-writer';
import { convertPeftAdapter } from '../../../../../engine/models/llm/formats/lora-gguf';
import { encodeSafetensors, fromHalf, readSafetensors } from '../../../../../engine/models/llm/formats/safetensors';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'llm-formats-'));

describe('GGUF writer', () => {
  it('writes metadata and tensors that node-llama-cpp reads back', async () => {
    const file = path.join(tmp(), 'x.gguf');
    const data = Float32Array.from({ length: 12 }, (_, i) => i / 3);
    fs.writeFileSync(
      file,
      encodeGguf(
        { 'general.architecture': str('qwen2'), 'general.alignment': u32(32), 'x.scale': f32(0.5), 'tokenizer.ggml.tokens': { type: 'string[]', value: ['a', 'ü', '"'] } },
        [{ name: 'w', dims: [4, 3], type: GGML_TYPE.F32, data }, { name: 'h', dims: [12], type: GGML_TYPE.F16, data }],
      ),
    );
    const info = await readGgufFileInfo(file, { readTensorInfo: true });
    expect(info.version).toBe(3);
    expect((info.metadata.general as { architecture: string }).architecture).toBe('qwen2');
    expect((info.metadata.tokenizer as unknown as { ggml: { tokens: string[] } }).ggml.tokens).toEqual(['a', 'ü', '"']);
    expect(info.fullTensorInfo!.map((t) => [t.name, t.dimensions.map(Number)])).toEqual([['w', [4, 3]], ['h', [12]]]);
    // Offsets are aligned to 32 bytes: 48 bytes of F32 then the F16 tensor at 64.
    expect(info.fullTensorInfo!.map((t) => Number(t.offset))).toEqual([0, 64]);
  });

  it('refuses a tensor whose dims do not match its data', () => {
    expect(() => encodeGguf({}, [{ name: 'w', dims: [5, 3], type: GGML_TYPE.F32, data: new Float32Array(12) }])).toThrow(/w: dims 5x3 hold 15 values, data has 12/);
  });

  it('rounds to half precision and back', () => {
    for (const x of [0, 1, -2.5, 0.1, 65504, 6e-8, 1e-3]) expect(fromHalf(toHalf(x))).toBeCloseTo(x, 2);
    expect(fromHalf(toHalf(1e6))).toBe(Infinity);
  });
});

describe('safetensors', () => {
  it('round-trips float32 tensors and reads bf16 / f16 as float32', () => {
    const dir = tmp();
    const a = { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
    fs.writeFileSync(path.join(dir, 'a.safetensors'), encodeSafetensors({ a }, { format: 'pt' }));
    const back = readSafetensors(path.join(dir, 'a.safetensors'));
    expect(back.metadata).toEqual({ format: 'pt' });
    expect(Array.from(back.tensors.a.data)).toEqual([1, 2, 3, 4, 5, 6]);

    // A hand-made file with a BF16 and an F16 tensor (1.5 and -2 in each).
    const header = JSON.stringify({ b: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] }, h: { dtype: 'F16', shape: [2], data_offsets: [4, 8] } });
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(header.length));
    const body = Buffer.alloc(8);
    body.writeUInt16LE(0x3fc0, 0); // bf16 1.5
    body.writeUInt16LE(0xc000, 2); // bf16 -2
    body.writeUInt16LE(0x3e00, 4); // f16 1.5
    body.writeUInt16LE(0xc000, 6); // f16 -2
    fs.writeFileSync(path.join(dir, 'b.safetensors'), Buffer.concat([len, Buffer.from(header), body]));
    const mixed = readSafetensors(path.join(dir, 'b.safetensors'));
    expect(Array.from(mixed.tensors.b.data)).toEqual([1.5, -2]);
    expect(Array.from(mixed.tensors.h.data)).toEqual([1.5, -2]);
  });

  it('names the file when the header is broken', () => {
    const file = path.join(tmp(), 'broken.safetensors');
    fs.writeFileSync(file, Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0x7b]));
    expect(() => readSafetensors(file)).toThrow(/broken\.safetensors has an unreadable safetensors header/);
  });
});

describe('PEFT LoRA -> GGUF adapter', () => {
  const write = (dir: string, tensors: Record<string, { shape: number[]; data: Float32Array }>, config: Record<string, unknown>) => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'adapter_model.safetensors'), encodeSafetensors(tensors));
    fs.writeFileSync(path.join(dir, 'adapter_config.json'), JSON.stringify({ r: 2, lora_alpha: 4, ...config }));
  };
  const a = { shape: [2, 8], data: new Float32Array(16).fill(0.5) };
  const b = { shape: [6, 2], data: new Float32Array(12).fill(-1) };

  it("maps PEFT's names and shapes to llama.cpp's lora_a [in, r] and lora_b [r, out]", async () => {
    const dir = tmp();
    write(dir, { 'base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight': a, 'base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight': b }, {});
    const out = convertPeftAdapter(dir);
    expect(out.weights).toEqual(['blk.1.attn_q.weight']);
    const file = path.join(dir, 'a.gguf');
    fs.writeFileSync(file, out.bytes);
    const info = await readGgufFileInfo(file, { readTensorInfo: true });
    expect((info.metadata.general as unknown as { type: string }).type).toBe('adapter');
    expect((info.metadata as unknown as { adapter: { type: string; lora: { alpha: number } } }).adapter).toEqual({ type: 'lora', lora: { alpha: 4 } });
    expect(info.fullTensorInfo!.map((t) => [t.name, t.dimensions.map(Number)])).toEqual([
      ['blk.1.attn_q.weight.lora_a', [8, 2]],
      ['blk.1.attn_q.weight.lora_b', [2, 6]],
    ]);
  });

  it('says what is wrong with an adapter it cannot convert', () => {
    const missingB = tmp();
    write(missingB, { 'base_model.model.model.layers.0.mlp.up_proj.lora_A.weight': a }, {});
    expect(() => convertPeftAdapter(missingB)).toThrow(/blk\.0\.ffn_up\.weight has lora_B missing/);
    const wrongRank = tmp();
    write(wrongRank, { 'base_model.model.model.layers.0.mlp.up_proj.lora_A.weight': a, 'base_model.model.model.layers.0.mlp.up_proj.lora_B.weight': b }, { r: 4 });
    expect(() => convertPeftAdapter(wrongRank)).toThrow(/rank 2\/2, adapter_config\.json says r=4/);
    const dora = tmp();
    write(dora, {}, { use_dora: true });
    expect(() => convertPeftAdapter(dora)).toThrow(/DoRA adapters cannot be converted/);
    const embedding = tmp();
    write(embedding, { 'base_model.model.model.embed_tokens.lora_embedding_A': a }, {});
    expect(() => convertPeftAdapter(embedding)).toThrow(/is not a LoRA A\/B matrix/);
    expect(() => convertPeftAdapter(tmp())).toThrow(/adapter_config\.json is missing/);
  });
});
