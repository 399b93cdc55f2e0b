#!/usr/bin/env bash
# Builds node-llama-cpp's native addon (llama-addon.node) with the candidate-only logits read
# (candidate-logits-patch.mjs), from the exact llama.cpp source and with the configuration of its prebuilt binaries
# (the package's gitRelease.bundle and llama.cpp patches; GGML_BACKEND_DL, generic CPU), so that the patched addon
# drops into a copy of a prebuilt binary folder next to the prebuilt libllama/ggml libraries, which keep doing all
# the compute. Two addons come out, differing only in the library names they link (node-llama-cpp names each
# prebuilt's libraries by variant): one for the CPU prebuilt, installed here as a node-llama-cpp local build
# (install-local-build.mjs), which runtime.ts prefers; and one for the CUDA prebuilt, which no CUDA is needed to
# build, kept in WORK/out for the GPU machine (bench/gpu/llm/prepare.sh carries it).
#
# Usage: bash engine/models/llm/native/build-candidate-logits.sh [WORK]   (WORK defaults to /tmp/candidate-logits-build)
# Needs cmake, ninja, a C++ compiler, git and Node's headers (NODE_INCLUDE, default <node prefix>/include/node).
# About 2.5 minutes on 2 cores. Undo: rm -rf node_modules/node-llama-cpp/llama/localBuilds (or npm ci).
set -euo pipefail
WORK="${1:-/tmp/candidate-logits-build}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../../.." && pwd)"
NM="${NODE_MODULES:-$REPO/node_modules}"
NLC="$NM/node-llama-cpp/llama"
NODE_INCLUDE="${NODE_INCLUDE:-$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")/include/node}"
[ -f "$NODE_INCLUDE/node_api.h" ] || { echo "Node's headers are not at $NODE_INCLUDE (set NODE_INCLUDE)" >&2; exit 1; }
[ -f "$NLC/addon/AddonContext.cpp" ] || { echo "node-llama-cpp's addon source is not at $NLC/addon (npm ci first)" >&2; exit 1; }
RELEASE="$(node -p "require('$NLC/binariesGithubRelease.json').release")"

SRC="$WORK/src"
rm -rf "$SRC" "$WORK/out" && mkdir -p "$SRC" "$WORK/out"
cp -r "$NLC/CMakeLists.txt" "$NLC/cmake" "$NLC/addon" "$SRC/"
ln -s "$NM" "$SRC/node_modules" # CMakeLists.txt finds node-addon-api with require() from its own folder
git clone -q "$NLC/gitRelease.bundle" "$SRC/llama.cpp" 2>/dev/null
for p in "$NLC"/patches/*.diff; do
  # The fixes node-llama-cpp applies to its own clone; one that is already upstream no longer applies: skipped.
  [ -e "$p" ] && (cd "$SRC/llama.cpp" && { git apply "$p" 2>/dev/null && echo "applied $(basename "$p")" || echo "skipped $(basename "$p")"; })
done
node "$HERE/candidate-logits-patch.mjs" "$SRC/addon"

# The prebuilt binaries' configuration (node-llama-cpp's CI mode on x64: generic CPU, backends loaded at run time),
# except the 14 CPU variants: the prebuilt folder already has them, and the addon links none of them.
flags=(-G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_JS_INC="$NODE_INCLUDE"
  -DNLC_CURRENT_PLATFORM=linux-x64 -DNLC_TARGET_PLATFORM=linux-x64 -DGGML_BUILD_NUMBER=1
  -DGGML_NATIVE=OFF -DGGML_CPU_ALL_VARIANTS=OFF -DGGML_BACKEND_DL=ON -DGGML_OPENMP=OFF -DGGML_METAL=OFF -DGGML_CCACHE=OFF
  -DLLAMA_CURL=OFF -DLLAMA_HTTPLIB=OFF -DLLAMA_BUILD_BORINGSSL=OFF -DLLAMA_OPENSSL=OFF)
for variant in cpu cuda; do
  # Only the output names change between the two, so the second pass re-links and compiles nothing.
  name="$RELEASE"; [ "$variant" = cuda ] && name="cuda.$RELEASE"
  cmake -S "$SRC" -B "$WORK/build" "${flags[@]}" -DNLC_VARIANT="$name" > "$WORK/configure-$variant.log" 2>&1 || { tail -30 "$WORK/configure-$variant.log"; exit 1; }
  echo "building the addon for the $variant prebuilt (log: $WORK/build-$variant.log)"
  cmake --build "$WORK/build" --target llama-addon -j "${JOBS:-$(nproc)}" > "$WORK/build-$variant.log" 2>&1 || { grep -m10 -i error "$WORK/build-$variant.log"; exit 1; }
  cp "$WORK/build/llama-addon.node" "$WORK/out/llama-addon-$variant.node"
done
node "$HERE/install-local-build.mjs" "$WORK/out/llama-addon-cpu.node" cpu "$NM"
echo "for the GPU machine: $WORK/out/llama-addon-cuda.node"
