/**
 * The custom CMake option that names the candidate-logits build among node-llama-cpp's local builds. It changes
 * nothing in the compile (the patch does); node-llama-cpp only hashes it into the build folder's name, so asking
 * `getLlama` for it finds that build, and a plain `getLlama()` keeps finding the stock prebuilt binary.
 * Plain JavaScript so the Node-only scripts (install-local-build.mjs, tests/helpers/logits-probe.mjs) share it with
 * the engine; bench/gpu/llm/probe-cuda.mjs runs alone on the GPU machine and spells it out.
 */
export const CANDIDATE_LOGITS_CMAKE_OPTIONS = Object.freeze({ NLC_CANDIDATE_LOGITS: 'ON' });

/**
 * Set to "1" in the environment, the candidate-logits build gives each new context one KV cache for all its
 * sequences (llama.cpp's kv_unified) instead of one per sequence; see candidate-logits-patch.mjs for why.
 */
export const KV_UNIFIED_ENV = 'TICKET_TRIAGE_KV_UNIFIED';
