/**
 * The base models an engine is configured with, by name (no node-llama-cpp here: the API checks a run's
 * parameters with these before queueing it, and must not pay for loading the LLM runtime).
 *   TRIAGE_LLM_MODELS="name=/path/model.gguf,name2=hf-org/repo"   what the LLM tier serves (GGUF)
 *   TRIAGE_LLM_TRAIN_MODELS="name=/path/hf-model-dir"              the same model's weights for the GPU trainer
 */
function parseModelList(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (value ?? '').split(',')) {
    const at = part.indexOf('=');
    if (at > 0) out[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return out;
}

/** The GGUF path or Hugging Face reference configured for `name`; an error names the configured ones. */
export function configuredModelRef(name: string, env = process.env): string {
  const models = parseModelList(env.TRIAGE_LLM_MODELS);
  const ref = models[name];
  if (!ref) {
    const known = Object.keys(models);
    throw new Error(`base model "${name}" is not configured on this engine (${known.length ? `configured: ${known.join(', ')}` : 'set TRIAGE_LLM_MODELS="name=/path/model.gguf"'})`);
  }
  return ref;
}

/** The Hugging Face weights (local dir or id) the trainer fine-tunes for base model `name`. */
export function trainingWeightsRef(name: string, env = process.env): string {
  const ref = parseModelList(env.TRIAGE_LLM_TRAIN_MODELS)[name];
  if (!ref) throw new Error(`base model "${name}" has no training weights configured (TRIAGE_LLM_TRAIN_MODELS="${name}=/path/to/hf-model-dir")`);
  return ref;
}
