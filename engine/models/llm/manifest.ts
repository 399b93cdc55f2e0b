/**
 * What an llm-tier checkpoint stores: the base model it runs on, its LoRA adapter (a separate artifact, checked
 * by sha256), the calibration it was fitted with, the retrieval examples, and which fields the fast tier answers
 * instead because it was more accurate on the held-out split.
 */
import type { PromptExample } from '../../triage/prompt';

export const LLM_MANIFEST_FORMAT = 'ticket-triage/llm-checkpoint@1';

export interface LlmManifest {
  format: typeof LLM_MANIFEST_FORMAT;
  /** Local GGUF path or `hf:` reference. */
  baseModel: string;
  adapter: { artifact: string; sha256: string } | null;
  fields: string[];
  temperatures: Record<string, number>;
  retrieval: { k: number; examples: PromptExample[] } | null;
  maxEvaluations: number;
  /** Fields served by a fast checkpoint, chosen by held-out accuracy. */
  fastFields: { checkpointId: number; fields: string[] } | null;
}

export function parseLlmManifest(bytes: Uint8Array): LlmManifest {
  let m: LlmManifest;
  try {
    m = JSON.parse(Buffer.from(bytes).toString('utf8')) as LlmManifest;
  } catch (err) {
    throw new Error(`llm checkpoint manifest is not JSON: ${(err as Error).message}`);
  }
  if (m.format !== LLM_MANIFEST_FORMAT) throw new Error(`llm checkpoint manifest has format ${JSON.stringify(m.format)}, expected ${LLM_MANIFEST_FORMAT}`);
  if (typeof m.baseModel !== 'string' || !m.baseModel) throw new Error('llm checkpoint manifest names no base model');
  return m;
}
