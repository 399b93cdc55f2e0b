#!/usr/bin/env bash
# Builds, on the GPU machine, what cannot travel: libggml-cuda.so for sm_90 only, from the same llama.cpp/ggml
# source the node-llama-cpp prebuilt binaries were built from (ggml 0.25.1, node-llama-cpp 3.22.1's
# gitRelease.bundle), and installs it next to the prebuilt CUDA binding, where node-llama-cpp's backend loader looks
# for it. Also makes llama-quantize available (the one carried in .device/llm/, built on the prep machine, else built here for CPU).
#
# Usage: build_on_h200.sh [WORK]  (WORK defaults to /tmp/ttllm; .device/llm/ must already be unpacked there by
# run_on_h200.sh, i.e. WORK/node_modules exists). Writes WORK/env.sh (LD_LIBRARY_PATH, PATH) for later stages.
#
# Configure mirrors node-llama-cpp's CI build of the prebuilt (GGML_BACKEND_DL=ON, GGML_NATIVE=OFF, GGML_OPENMP=OFF,
# shared libs, dynamic cudart/cublas: the prebuilt libggml-cuda.so NEEDs libcudart.so.13, libcublas.so.13,
# libcuda.so.1, libggml-base.so with RUNPATH $ORIGIN) except the architectures (90 only) and NCCL (off, as in the
# prebuilt, which links no libnccl).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
WORK="${1:-${WORK:-/tmp/ttllm}}"
JOBS="${JOBS:-$(nproc)}"
BINS="$WORK/node_modules/@node-llama-cpp/linux-x64-cuda/bins/linux-x64-cuda"
mkdir -p "$WORK"
SECONDS=0
log() { printf '[build %4ds] %s\n' "$SECONDS" "$*"; }

# ---- CUDA toolkit and runtime libraries ----
NVCC="$(command -v nvcc || true)"
for c in /usr/local/cuda/bin/nvcc /usr/local/cuda-13*/bin/nvcc /opt/cuda/bin/nvcc; do [ -z "$NVCC" ] && [ -x "$c" ] && NVCC="$c"; done
if [ -z "$NVCC" ]; then
  NVCC="$(find / -xdev -path /proc -prune -o -name nvcc -type f -perm -u+x -print 2>/dev/null | head -1)"
fi
[ -n "$NVCC" ] || { log "FAIL: no nvcc found"; exit 1; }
NVCC_REAL="$(readlink -f "$NVCC")"
CUDA_HOME_GUESS="$(dirname "$(dirname "$NVCC_REAL")")"
log "nvcc: $NVCC_REAL ($("$NVCC" --version | grep -o 'release [0-9.]*'))"

# Directories holding the libraries node-llama-cpp's CUDA check looks for (libcuda, libcudart, libcublas,
# libcublasLt, libnvidia-ml) and ggml-cuda needs at run time. Toolkit dirs first, then the Python env's nvidia/* wheels.
libdirs=()
add_dir() { local d; d="$(dirname "$1")"; case " ${libdirs[*]-} " in *" $d "*) ;; *) libdirs+=("$d") ;; esac; }
for name in libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcuda.so.1 libnvidia-ml.so.1; do
  found=""
  for d in "$CUDA_HOME_GUESS/lib64" "$CUDA_HOME_GUESS/targets/x86_64-linux/lib" /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib \
           /usr/lib/x86_64-linux-gnu /usr/lib64 /usr/lib /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
    [ -e "$d/$name" ] && { found="$d/$name"; break; }
  done
  [ -z "$found" ] && found="$(ldconfig -p 2>/dev/null | awk -v n="$name" '$1==n {print $NF; exit}')"
  if [ -z "$found" ]; then
    # one scan of the usual roots for all of them (the Python env's nvidia/*/lib wheels live there)
    [ -n "${scanned+x}" ] || scanned="$(find /opt /usr /root /home -xdev \( -name 'libcu*.so.*' -o -name 'libnvidia-ml.so.1' \) 2>/dev/null | grep -v '/stubs/')"
    found="$(grep -m1 "/$name\$" <<<"$scanned" || true)"
  fi
  if [ -n "$found" ]; then add_dir "$found"; log "$name: $found"; else log "WARNING: $name not found"; fi
done
CUDA_LD_PATH="$(IFS=:; echo "${libdirs[*]-}")"
export LD_LIBRARY_PATH="$CUDA_LD_PATH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
cat > "$WORK/env.sh" <<EOF
export LD_LIBRARY_PATH="$LD_LIBRARY_PATH"
export PATH="$WORK/bin:\$PATH"
EOF

# ---- source ----
SRC="$WORK/src/llama.cpp"
if [ ! -f "$SRC/CMakeLists.txt" ]; then
  mkdir -p "$WORK/src"
  tar xJf "$REPO/.device/llm/llama-src.tar.xz" -C "$WORK/src" || { log "FAIL: cannot unpack .device/llm/llama-src.tar.xz"; exit 1; }
fi
log "source unpacked: $SRC"

# ---- llama-quantize: the carried binary, else build it here (CPU only, in parallel with CUDA) ----
mkdir -p "$WORK/bin"
quant_pid=""
if [ -f "$REPO/.device/llm/llama-quantize.xz" ]; then
  xz -dc "$REPO/.device/llm/llama-quantize.xz" > "$WORK/bin/llama-quantize" && chmod +x "$WORK/bin/llama-quantize"
fi
quant_help="$("$WORK/bin/llama-quantize" --help 2>&1 || true)"  # prints usage and exits 1
if ! grep -qi usage <<<"$quant_help"; then
  log "carried llama-quantize does not run here: $(head -c 300 <<<"$quant_help")"
  log "no usable carried llama-quantize: building it (CPU, static) in the background"
  (
    cmake -S "$SRC" -B "$WORK/build-quant" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF -DGGML_STATIC=ON \
      -DGGML_NATIVE=ON -DGGML_OPENMP=OFF -DGGML_BACKEND_DL=OFF -DGGML_CUDA=OFF -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF \
      -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF \
      -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_COMMON=ON >"$WORK/build-quant.log" 2>&1 &&
      nice -n 5 timeout "${BUILD_MAX_S:-400}" ninja -C "$WORK/build-quant" -j "$JOBS" llama-quantize >>"$WORK/build-quant.log" 2>&1 &&
      cp "$WORK/build-quant/bin/llama-quantize" "$WORK/bin/llama-quantize"
  ) &
  quant_pid=$!
else
  log "llama-quantize: carried binary works"
fi

# ---- ggml-cuda, sm_90 only ----
# cuBLAS may live outside the toolkit (pip wheels nvidia-cublas*: include/cublas_v2.h, lib/libcublas.so.13 without
# the unversioned link), where CMake's FindCUDAToolkit does not look: then point it there explicitly.
cublas_args=()
if [ ! -f "$CUDA_HOME_GUESS/include/cublas_v2.h" ] && [ ! -f "$CUDA_HOME_GUESS/targets/x86_64-linux/include/cublas_v2.h" ]; then
  hdr="$(find /usr /opt /root /home -xdev -name cublas_v2.h 2>/dev/null | head -1)"
  lib="$(ls "$(dirname "$(dirname "$hdr")")"/lib/libcublas.so* 2>/dev/null | head -1)"
  libLt="$(ls "$(dirname "$(dirname "$hdr")")"/lib/libcublasLt.so* 2>/dev/null | head -1)"
  if [ -n "$hdr" ] && [ -n "$lib" ]; then
    log "cuBLAS outside the toolkit: $hdr, $lib"
    cublas_args=(-DCUDA_cublas_LIBRARY="$lib" -DCUDA_cublasLt_LIBRARY="${libLt:-$lib}" "-DCMAKE_CUDA_FLAGS=-I$(dirname "$hdr")" "-DCMAKE_CXX_FLAGS=-I$(dirname "$hdr")")
  else
    log "WARNING: cublas_v2.h not found anywhere; configure will likely fail"
  fi
fi
# libcuda (CUDA::cuda_driver, linked for VMM): the toolkit's stub when present, else the driver's libcuda.so.1.
if ! ls "$CUDA_HOME_GUESS"/lib64/stubs/libcuda.so "$CUDA_HOME_GUESS"/targets/x86_64-linux/lib/stubs/libcuda.so >/dev/null 2>&1 \
   && ! ls "$CUDA_HOME_GUESS"/lib64/libcuda.so >/dev/null 2>&1; then
  drv="$(for d in "${libdirs[@]-}"; do [ -e "$d/libcuda.so.1" ] && echo "$d/libcuda.so.1" && break; done)"
  [ -n "$drv" ] && { log "CUDA driver library for linking: $drv"; cublas_args+=(-DCUDA_cuda_driver_LIBRARY="$drv"); }
fi
status=0
link_sonames() {
  # The fresh build NEEDs the versioned soname (libggml-base.so.0) while the prebuilt package ships only
  # libggml-base.so: without this link dlopen fails, llama.cpp lists no CUDA device and node-llama-cpp says
  # NoBinaryFoundError (the first H200 run). Same source, same ABI, so a link to the shipped file is enough.
  for need in $(readelf -d "$BINS/libggml-cuda.so" | sed -n 's/.*NEEDED.*\[\(libggml[^]]*\.so\.[0-9][^]]*\)\]/\1/p'); do
    base="${need%%.so.*}.so"
    if [ ! -e "$BINS/$need" ] && [ -e "$BINS/$base" ]; then ln -s "$base" "$BINS/$need"; log "linked $need -> $base"; fi
  done
  if ldd "$BINS/libggml-cuda.so" | grep -q 'not found'; then log "WARNING: unresolved libraries:"; ldd "$BINS/libggml-cuda.so" | grep 'not found'; fi
}
# A library an earlier call built and brought back (run_on_h200.sh returns it as ggml-cuda.xz.partNN; carry
# .device/llm-cuda/ with those parts): same source, same flags, so it is installed instead of compiled again.
if ls "$REPO"/.device/llm-cuda/ggml-cuda.xz.part* >/dev/null 2>&1; then
  cat "$REPO"/.device/llm-cuda/ggml-cuda.xz.part* | xz -dc > "$BINS/libggml-cuda.so" && link_sonames \
    && { log "installed the carried libggml-cuda.so ($(du -h "$BINS/libggml-cuda.so" | cut -f1)) instead of building"; SKIP_CUDA_BUILD=1; } \
    || log "WARNING: the carried library could not be installed: building"
fi
[ "${SKIP_CUDA_BUILD:-0}" = 1 ] && status=skip
[ "$status" = skip ] || cmake -S "$SRC" -B "$WORK/build-cuda" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DGGML_BACKEND_DL=ON -DGGML_NATIVE=OFF -DGGML_OPENMP=OFF \
  -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 -DCMAKE_CUDA_COMPILER="$NVCC_REAL" -DGGML_CUDA_NCCL=OFF -DGGML_CCACHE=OFF \
  -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_COMMON=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_TESTS=OFF \
  -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF \
  -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON '-DCMAKE_INSTALL_RPATH=$ORIGIN' "${cublas_args[@]}" >"$WORK/build-cuda.log" 2>&1 \
  || { log "FAIL: cmake configure (tail of $WORK/build-cuda.log):"; tail -30 "$WORK/build-cuda.log"; status=1; }
if [ $status = 0 ]; then
  log "configured; building ggml-cuda with -j$JOBS ($(grep -c '\.cu\.o:' <(ninja -C "$WORK/build-cuda" -t targets all 2>/dev/null)) CUDA objects)"
  if timeout "${BUILD_MAX_S:-400}" ninja -C "$WORK/build-cuda" -j "$JOBS" ggml-cuda >>"$WORK/build-cuda.log" 2>&1; then
    lib="$(find "$WORK/build-cuda" -name libggml-cuda.so -type f | head -1)"
    cp "$lib" "$BINS/libggml-cuda.so"
    log "built $(du -h "$lib" | cut -f1) $lib -> $BINS/"
    readelf -d "$BINS/libggml-cuda.so" | grep -E 'NEEDED|RUNPATH' | sed 's/^/    /'
    link_sonames
  else
    log "FAIL: ninja ggml-cuda (tail of $WORK/build-cuda.log):"; grep -E 'error|FAILED' "$WORK/build-cuda.log" | head -20; tail -15 "$WORK/build-cuda.log"; status=1
  fi
fi

[ "$status" = skip ] && status=0
if [ -n "$quant_pid" ]; then
  wait "$quant_pid" && log "llama-quantize built" || { log "FAIL: llama-quantize build:"; tail -15 "$WORK/build-quant.log"; status=1; }
fi
log "done (status $status)"
exit $status
