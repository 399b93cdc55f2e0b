/**
 * Converts a PEFT LoRA adapter (adapter_config.json + adapter_model.safetensors, as the GPU trainer saves it) into
 * the GGUF LoRA adapter that llama.cpp loads on top of the base model. llama.cpp's adapter layout: metadata
 * `general.type = adapter`, `adapter.type = lora`, `adapter.lora.alpha`; per adapted weight W two tensors
 * `W.lora_a` with dims [in, r] and `W.lora_b` with dims [r, out], applied as W + scale * alpha / r * B·A. PEFT
 * stores A as [r, in] and B as [out, r] (PyTorch order), which are exactly those dims in GGUF order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GGML_TYPE, encodeGguf, f32, str, type GgufTensor, type MetadataValue } from './gguf-writer';
import { ggufDims, ggufModuleName } from './qwen2-names';
import { readSafetensors } from './safetensors';

export interface PeftAdapterConfig {
  r: number;
  lora_alpha: number;
  target_modules?: string[] | string;
  base_model_name_or_path?: string;
  use_dora?: boolean;
  use_rslora?: boolean;
}

export interface ConvertedAdapter {
  bytes: Buffer;
  /** Adapted GGUF weights, e.g. blk.0.attn_q.weight. */
  weights: string[];
  rank: number;
  alpha: number;
}

export function readPeftConfig(dir: string): PeftAdapterConfig {
  const file = path.join(dir, 'adapter_config.json');
  if (!fs.existsSync(file)) throw new Error(`${dir} is not a PEFT adapter: adapter_config.json is missing`);
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as PeftAdapterConfig;
  if (!Number.isInteger(config.r) || config.r <= 0) throw new Error(`${file}: r must be a positive integer, got ${JSON.stringify(config.r)}`);
  if (typeof config.lora_alpha !== 'number') throw new Error(`${file}: lora_alpha must be a number`);
  if (config.use_dora) throw new Error(`${file}: DoRA adapters cannot be converted to llama.cpp's LoRA format`);
  return config;
}

export function convertPeftAdapter(dir: string, architecture = 'qwen2'): ConvertedAdapter {
  const config = readPeftConfig(dir);
  const weightsFile = path.join(dir, 'adapter_model.safetensors');
  if (!fs.existsSync(weightsFile)) throw new Error(`${dir} is not a PEFT adapter: adapter_model.safetensors is missing`);
  const { tensors } = readSafetensors(weightsFile);
  // rsLoRA scales by alpha/sqrt(r); llama.cpp always divides by r, so fold the difference into alpha.
  const alpha = config.use_rslora ? (config.lora_alpha * config.r) / Math.sqrt(config.r) : config.lora_alpha;
  const pairs = new Map<string, { a?: GgufTensor; b?: GgufTensor }>();
  for (const [name, t] of Object.entries(tensors)) {
    const m = /^(?:base_model\.model\.)?(.+)\.lora_([AB])(?:\.default)?\.weight$/.exec(name);
    if (!m) throw new Error(`${weightsFile}: tensor ${name} is not a LoRA A/B matrix (only LoRA on linear layers converts)`);
    const module = ggufModuleName(m[1]);
    if (!module) throw new Error(`${weightsFile}: tensor ${name} adapts a module llama.cpp's ${architecture} has no name for`);
    const weight = `${module}.weight`;
    const entry = pairs.get(weight) ?? {};
    const tensor: GgufTensor = { name: `${weight}.lora_${m[2].toLowerCase()}`, dims: ggufDims(t.shape), type: GGML_TYPE.F32, data: t.data };
    if (m[2] === 'A') entry.a = tensor;
    else entry.b = tensor;
    pairs.set(weight, entry);
  }
  const out: GgufTensor[] = [];
  for (const [weight, { a, b }] of [...pairs.entries()].sort(([x], [y]) => x.localeCompare(y, 'en', { numeric: true }))) {
    if (!a || !b) throw new Error(`${weightsFile}: ${weight} has lora_${a ? 'B' : 'A'} missing`);
    if (a.dims[1] !== config.r || b.dims[0] !== config.r) throw new Error(`${weightsFile}: ${weight} has rank ${a.dims[1]}/${b.dims[0]}, adapter_config.json says r=${config.r}`);
    out.push(a, b);
  }
  if (out.length === 0) throw new Error(`${weightsFile} holds no LoRA tensors`);
  const metadata: Record<string, MetadataValue> = {
    'general.architecture': str(architecture),
    'general.type': str('adapter'),
    'general.name': str(path.basename(dir)),
    'adapter.type': str('lora'),
    'adapter.lora.alpha': f32(alpha),
  };
  return { bytes: encodeGguf(metadata, out), weights: [...pairs.keys()], rank: config.r, alpha };
}
