/**
 * A request's prompt shares its start with what other sequences of the same context already hold: the system
 * message (the tenant's field schema) is the same for every ticket of a tenant. A sequence that holds less of it
 * (fresh, or last used for another schema) copies that prefix from the sequence that holds the most, instead of
 * evaluating it again. The copy is llama.cpp's own (llama_memory_seq_cp, through node-llama-cpp): with one KV cache per
 * context (TICKET_TRIAGE_KV_UNIFIED=1) the cells are shared, not copied, so the attention of a batch spans fewer cells.
 *
 * A sequence belongs to one context, and a context to one adapter, so a copied prefix was computed with the same
 * weights; and it is only ever the tokens both prompts have in common, so nothing of another ticket carries over.
 * Requests that all start at once on empty sequences have nothing to copy from (each evaluates the prefix, in one
 * batch); the gain is for sequences that start empty or stale while another already holds the prefix.
 */
import type { LlamaContextSequence, Token } from 'node-llama-cpp';

/**
 * Shorter gains are evaluated rather than copied: a copy takes the context's lock, and with a KV stream per sequence
 * it moves the whole stream.
 */
export const MIN_ADOPTED_PREFIX = 32;

/** node-llama-cpp 3.22's copy (internal, used by its own LlamaDecisionContext): true when the state was copied. */
type CopyState = (this: LlamaContextSequence, other: LlamaContextSequence, upToTokenIndex: number) => Promise<boolean>;

export function commonPrefixLength(a: readonly Token[], b: readonly Token[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * How many leading tokens of `tokens` a sequence holding `held` need not evaluate again: their common prefix, but
 * never the last token, since logits only come from an evaluation.
 */
export function reusablePrefixLength(held: readonly Token[], tokens: readonly Token[]): number {
  return Math.max(0, Math.min(commonPrefixLength(held, tokens), tokens.length - 1));
}

/**
 * Makes `target` hold the longest prefix of `tokens` that any of `others` holds, when that is at least
 * `minGain` tokens more than it holds already (both as reusablePrefixLength counts them, so the last token of
 * `tokens` is never copied). Returns the tokens gained (0: nothing copied).
 */
export async function adoptPrefix(target: LlamaContextSequence, others: readonly LlamaContextSequence[], tokens: readonly Token[], minGain = MIN_ADOPTED_PREFIX): Promise<number> {
  const copy = (target as unknown as { _copyStateFromOtherSequence?: CopyState })._copyStateFromOtherSequence;
  if (typeof copy !== 'function') return 0;
  const own = reusablePrefixLength(target.contextTokens, tokens);
  let donor: LlamaContextSequence | null = null;
  let best = own;
  for (const other of others) {
    if (other === target || other.disposed) continue;
    const n = reusablePrefixLength(other.contextTokens, tokens);
    if (n > best) {
      donor = other;
      best = n;
    }
  }
  if (!donor || best - own < minGain) return 0;
  const copied = await copy.call(target, donor, best);
  // The donor may be between a decode and its token record (its cache then runs ahead of its tokens): node-llama-cpp
  // reports that as not copied, with the sequence's record no longer matching its cache. Start it empty instead.
  if (!copied || commonPrefixLength(target.contextTokens, tokens) < best) {
    await target.clearHistory();
    return 0;
  }
  return best - own;
}
