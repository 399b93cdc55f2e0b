#!/usr/bin/env bash
# Builds node-llama-cpp's native addon with the candidate-only logits read (candidate-logits-patch.mjs) from the
# exact llama.cpp source its prebuilt binaries come from (the package's gitRelease.bundle plus its own llama.cpp
# patches), and installs it as a node-llama-cpp local build (install-local-build.mjs) that runtime.ts prefers.
#
# Usage: bash engine/models/llm/native/build-candidate-logits.sh [cpu|cuda] [WORK]
#   cpu  (default) GGML_NATIVE for this machine's CPU.  cuda: also GGML_CUDA, for CUDA_ARCHS (default 90, the H200).
#   WORK defaults to /tmp/candidate-logits-build. Needs cmake, ninja, a C++ compiler, git, Node's headers
#   (NODE_INCLUDE, default <node prefix>/include/node) and, for cuda, nvcc. About 6 minutes on 2 cores (cpu).
# Undo: rm -rf node_modules/node-llama-cpp/llama/localBuilds (or npm ci).
set -euo pipefail
GPU="${1:-cpu}"
WORK="${2:-/tmp/candidate-logits-build}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../../.." && pwd)"
NM="${NODE_MODULES:-$REPO/node_modules}"
NLC="$NM/node-llama-cpp/llama"
NODE_INCLUDE="${NODE_INCLUDE:-$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")/include/node}"
case "$GPU" in cpu | cuda) ;; *) echo "first argument must be cpu or cuda, not '$GPU'" >&2; exit 2 ;; esac
[ -f "$NODE_INCLUDE/node_api.h" ] || { echo "Node's headers are not at $NODE_INCLUDE (set NODE_INCLUDE)" >&2; exit 1; }
[ -f "$NLC/addon/AddonContext.cpp" ] || { echo "node-llama-cpp's addon source is not at $NLC/addon (npm ci first)" >&2; exit 1; }

SRC="$WORK/src"
rm -rf "$SRC" && mkdir -p "$SRC"
cp -r "$NLC/CMakeLists.txt" "$NLC/cmake" "$NLC/addon" "$SRC/"
ln -s "$NM" "$SRC/node_modules" # CMakeLists.txt finds node-addon-api with require() from its own folder
git clone -q "$NLC/gitRelease.bundle" "$SRC/llama.cpp" 2>/dev/null
for p in "$NLC"/patches/*.diff; do
  # The same fixes node-llama-cpp applies to its clone; one already upstream no longer applies and is skipped.
  [ -e "$p" ] && (cd "$SRC/llama.cpp" && git apply "$p" 2>/dev/null && echo "applied $(basename "$p")" || echo "skipped $(basename "$p")")
done
node "$HERE/candidate-logits-patch.mjs" "$SRC/addon/AddonContext.cpp"

flags=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_JS_INC="$NODE_INCLUDE"
  -DNLC_CURRENT_PLATFORM=linux-x64 -DNLC_TARGET_PLATFORM=linux-x64 -DNLC_VARIANT=candidate -DGGML_BUILD_NUMBER=1
  -DGGML_NATIVE=ON -DGGML_METAL=OFF -DGGML_CCACHE=OFF
  -DLLAMA_CURL=OFF -DLLAMA_HTTPLIB=OFF -DLLAMA_BUILD_BORINGSSL=OFF -DLLAMA_OPENSSL=OFF)
if [ "$GPU" = cuda ]; then flags+=(-DGGML_CUDA=1 -DCMAKE_CUDA_ARCHITECTURES="${CUDA_ARCHS:-90}"); fi
cmake -S "$SRC" -B "$WORK/build" "${flags[@]}" > "$WORK/configure.log" 2>&1 || { tail -30 "$WORK/configure.log"; exit 1; }
echo "building (log: $WORK/build.log)"
cmake --build "$WORK/build" --target llama-addon -j "${JOBS:-$(nproc)}" > "$WORK/build.log" 2>&1 || { grep -m10 -i error "$WORK/build.log"; exit 1; }
node "$HERE/install-local-build.mjs" "$WORK/build" "$GPU" "$NM"
