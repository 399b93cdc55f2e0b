/**
 * Adds a candidate-only logits read to node-llama-cpp's native addon source (llama/addon/AddonContext.cpp).
 *
 * Why: the choice search asks, at each branch of the choice trie, for the logits of a handful of candidate tokens.
 * The stock `sampleToken` answers by copying the whole vocabulary (152,064 entries for Qwen2) into a candidate
 * array under the context's sampling mutex, running the sampler chain over it, and searching the candidate list once
 * per vocabulary entry: up to +8 ms per output with 200 candidates on a 2-core CPU (`npm run bench -- llm-logits`,
 * bench/README.md), host time that a batched GPU step waits for. The fast path reads the candidates straight from llama.cpp's output
 * row, and finds the greedy token with one pass over that row.
 *
 * It only takes over where the answer is provably the same: a logits filter and nothing else requested
 * (no probabilities, confidence, top-N, highest/lowest/selected, total weight), a plain greedy sampler (no grammar,
 * token bias, repetition penalties or XTC) and logits that were not sampled on the backend. Everything else goes
 * down the stock path unchanged.
 *
 * A second, smaller change to AddonSampler.cpp: node-llama-cpp makes a new native sampler for every evaluation that
 * asks for logits, and its constructor sized a candidate array to the whole vocabulary (152,064 x 12 bytes) on the
 * JavaScript thread: 3.3 ms per sampler on this 2-core machine, paid once per trie branch, one after the other,
 * however many sequences the GPU decodes at once. It was the main thread's largest cost at batch 128 (37% of it in a
 * CPU profile of `bench llm`). Every stock use of that array already grows it when it is too small, so the patch
 * leaves it empty until the stock path needs it; the direct read never does.
 *
 * A third, opt-in change to AddonContext.cpp: with TICKET_TRIAGE_KV_UNIFIED=1 in the environment, a context keeps
 * one KV cache for all its sequences (llama.cpp's kv_unified) instead of one stream per sequence. Per-sequence
 * streams make llama.cpp split a batch into sub-batches that each hold a run of consecutive sequence ids with the
 * same number of tokens each, so concurrent tickets at different points of their search were decoded almost one
 * after the other (an H200 gave 11 tickets/s at batch 128, 8 at batch 1). One cache lets a whole batch go in one
 * pass, at the price of each token's attention spanning the cells of every sequence.
 *
 * Usage: node candidate-logits-patch.mjs <node-llama-cpp's llama/addon folder>   (rewrites both files in place; idempotent)
 */
import fs from 'node:fs';
import path from 'node:path';
import { KV_UNIFIED_ENV } from './candidate-logits-options.mjs';

export { KV_UNIFIED_ENV };

export const MARKER = 'ticket-triage: candidate-only logits';
export const SAMPLER_MARKER = 'ticket-triage: no vocabulary-sized candidate array up front';

const METHOD_ANCHOR = '        void SampleToken() {\n';
const CALL_ANCHOR = `            if (!ctx->sharedSamplerData.hasLogits) {
                SetError("This model does not support token generation");
                return;
            }
`;

const METHOD = `        // ${MARKER} (engine/models/llm/native/candidate-logits-patch.mjs says why and when).
        bool readCandidateLogitsOnly(std::unique_lock<std::mutex> & samplingLock) {
            if (returnLogits.enabled != ReturnLogits::WithFilter || returnProbabilities || returnConfidence ||
                returnTotalLogitWeight || returnLogits.includeHighest || returnLogits.includeLowest ||
                returnLogits.includeSelected || returnLogits.includeTop != 0) {
                return false;
            }
            if (sampler->greedySampler == nullptr || sampler->xtcSampler != nullptr || sampler->tokenBiasSampler != nullptr ||
                sampler->repeatPenaltySampler != nullptr || sampler->dryRepeatPenaltySampler != nullptr ||
                sampler->grammarEvaluationState != nullptr) {
                return false;
            }
            if (llama_get_sampled_logits_ith(ctx->ctx, batchLogitIndex) != nullptr) {
                return false;
            }
            const float * row = llama_get_logits_ith(ctx->ctx, batchLogitIndex);
            if (row == nullptr) {
                return false;
            }
            const int32_t vocabSize = llama_vocab_n_tokens(llama_model_get_vocab(llama_get_model(ctx->ctx)));
            if (vocabSize <= 0) {
                return false;
            }

            // The greedy sampler's choice: the first highest logit over the whole vocabulary.
            llama_token best = 0;
            for (int32_t token = 1; token < vocabSize; token++) {
                if (row[token] > row[best]) {
                    best = token;
                }
            }
            // Each in-vocabulary candidate once, highest first, as the stock path returns them.
            for (const llama_token token : returnLogits.filter) {
                if (token < 0 || token >= vocabSize) {
                    continue;
                }
                bool seen = false;
                for (const auto & pair : this->logits.logits) {
                    if (pair.token == token) {
                        seen = true;
                        break;
                    }
                }
                if (!seen) {
                    this->logits.logits.emplace_back(token, row[token]);
                }
            }
            samplingLock.unlock();

            std::stable_sort(this->logits.logits.begin(), this->logits.logits.end(), [](const TokenValuePair& a, const TokenValuePair& b) {
                return a.value > b.value;
            });
            this->logits.isSet = true;
            sampler->acceptToken(best);
            result = best;
            return true;
        }

`;

const CALL = `            if (readCandidateLogitsOnly(samplingLock)) {
                return;
            }
`;

const SAMPLER_ANCHOR = `    tokenCandidates.resize(llama_vocab_n_tokens(model->vocab));
    tokenCandidates.reserve(llama_vocab_n_tokens(model->vocab));
`;
const SAMPLER_REPLACEMENT = `    // ${SAMPLER_MARKER} (candidate-logits-patch.mjs): setTokenCandidates grows it on first use.
`;

const GROW_ANCHOR = `            if (tokenCandidates.size() < vocabLength) {
                tokenCandidates.resize(vocabLength);
`;

function expectOnce(source, file, name, anchor) {
  const count = source.split(anchor).length - 1;
  if (count !== 1) throw new Error(`candidate-logits patch: expected the ${name} exactly once in ${file}, found it ${count} times (node-llama-cpp changed: update the anchors)`);
}

const KV_UNIFIED_ANCHOR = '    context_params.kv_unified = false;\n';
const KV_UNIFIED = `    // ticket-triage: one KV cache for all sequences when ${KV_UNIFIED_ENV}=1 (candidate-logits-patch.mjs says why).
    {
        const char * unified = std::getenv("${KV_UNIFIED_ENV}");
        context_params.kv_unified = unified != nullptr && std::string(unified) == "1";
    }
`;

/** Returns the patched AddonContext.cpp; throws naming the anchor when this node-llama-cpp's source no longer has it. */
export function applyCandidateLogitsPatch(source) {
  if (source.includes(MARKER)) return source;
  expectOnce(source, 'AddonContext.cpp', 'SampleToken method', METHOD_ANCHOR);
  expectOnce(source, 'AddonContext.cpp', 'hasLogits check in SampleToken', CALL_ANCHOR);
  expectOnce(source, 'AddonContext.cpp', 'kv_unified setting in the AddonContext constructor', KV_UNIFIED_ANCHOR);
  return source.replace(METHOD_ANCHOR, METHOD + METHOD_ANCHOR).replace(CALL_ANCHOR, CALL_ANCHOR + CALL).replace(KV_UNIFIED_ANCHOR, KV_UNIFIED);
}

/** Returns the patched AddonSampler.cpp (see the second paragraph above). */
export function applySamplerPatch(source) {
  if (source.includes(SAMPLER_MARKER)) return source;
  expectOnce(source, 'AddonSampler.cpp', 'vocabulary-sized resize in the AddonSampler constructor', SAMPLER_ANCHOR);
  // Every use grows the array first (setTokenCandidates): the patch is only safe while that holds.
  expectOnce(source, 'AddonSampler.cpp', 'grow-on-use of the whole-vocabulary candidates', GROW_ANCHOR);
  return source.replace(SAMPLER_ANCHOR, SAMPLER_REPLACEMENT);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: node candidate-logits-patch.mjs <node-llama-cpp's llama/addon folder>");
    process.exit(2);
  }
  for (const [file, apply] of [['AddonContext.cpp', applyCandidateLogitsPatch], ['AddonSampler.cpp', applySamplerPatch]]) {
    const full = path.join(dir, file);
    fs.writeFileSync(full, apply(fs.readFileSync(full, 'utf8')));
    console.log(`patched ${full}`);
  }
}
