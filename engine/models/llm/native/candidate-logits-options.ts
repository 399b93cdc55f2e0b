/**
 * The custom CMake option that names the candidate-logits build among node-llama-cpp's local builds. It changes
 * nothing in the compile (the patch does); node-llama-cpp only hashes it into the build folder's name, so asking
 * `getLlama` for it finds that build, and a plain `getLlama()` keeps finding the stock prebuilt binary.
 * install-local-build.mjs writes the same value.
 */
export const CANDIDATE_LOGITS_CMAKE_OPTIONS: Readonly<Record<string, string>> = { NLC_CANDIDATE_LOGITS: 'ON' };
