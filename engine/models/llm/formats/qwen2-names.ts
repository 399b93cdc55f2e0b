/**
 * Tensor names of a Qwen2 (and Llama-family) decoder in Hugging Face's checkpoints and in llama.cpp's GGUF, one
 * table, so the tiny model writer and the LoRA adapter converter cannot disagree. Hugging Face stores a linear
 * layer's weight as [out, in] row-major; GGUF lists dims innermost first, so the same bytes are dims [in, out].
 */

/** Per-layer module names: Hugging Face suffix after `model.layers.N.` -> GGUF name after `blk.N.`. */
export const LAYER_MODULES: Record<string, string> = {
  'self_attn.q_proj': 'attn_q',
  'self_attn.k_proj': 'attn_k',
  'self_attn.v_proj': 'attn_v',
  'self_attn.o_proj': 'attn_output',
  'mlp.gate_proj': 'ffn_gate',
  'mlp.up_proj': 'ffn_up',
  'mlp.down_proj': 'ffn_down',
};

export const LAYER_NORMS: Record<string, string> = {
  input_layernorm: 'attn_norm',
  post_attention_layernorm: 'ffn_norm',
};

/** `model.layers.3.self_attn.q_proj` -> `blk.3.attn_q`, or null when the name is not a known layer module. */
export function ggufModuleName(hfModule: string): string | null {
  const m = /(?:^|\.)layers\.(\d+)\.(.+)$/.exec(hfModule);
  if (!m) return null;
  const gguf = LAYER_MODULES[m[2]];
  return gguf ? `blk.${m[1]}.${gguf}` : null;
}

/** PyTorch shape [out, in] (or [n]) -> GGUF dims [in, out] (or [n]). */
export function ggufDims(shape: number[]): number[] {
  return [...shape].reverse();
}
