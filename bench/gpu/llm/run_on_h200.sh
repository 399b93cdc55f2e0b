#!/usr/bin/env bash
# The one command for the GPU machine (cwd = repo root, .device/llm/ carried, $OUT set):
#   bash bench/gpu/llm/run_on_h200.sh
# Stages (each timed; a failed stage is reported and the later ones still run where they can):
#   1. unpack node, node-llama-cpp's pruned node_modules, the bench bundle      (.device/llm/ -> $WORK, ~5 s)
#   2. in parallel: build libggml-cuda.so for sm_90 (build_on_h200.sh)   and   write the Qwen2-7B-shaped F16 GGUF +
#      LoRA adapter, then quantize it to Q4_K_M and Q8_0 with llama-quantize (models under /tmp, never $OUT)
#   3. probe the CUDA binding (fails loudly instead of a silent CPU fallback)
#   4. `npm run bench -- llm` (the bundle) with the adapter: Q4_K_M in full (step profile, search widths 1 and 4,
#      the two generation modes on a few tickets, batches 1..128), Q4_K_M with flash attention, and with CUDA graphs
#      off; then Q8_0 and F16 (search and batches) with whichever attention setting was faster on Q4_K_M
#   5. summary table; logs packed into logs.tar.xz and the built libggml-cuda.so into ggml-cuda.xz.partNN (the
#      device returns at most 8 files), so a later call can carry the library instead of building it again
# While ggml-cuda compiles the GPU is idle: the LLM value bench's adapter is trained then (ADAPTER_VALUE=1, needs
# .device/e2e and .device/small/hf carried; bench/gpu/adapter_value_train.py), and the trainer's CLI tests run after it.
# Everything is kept inside BUDGET_S seconds (default 540) so the 600 s call limit is never hit.
# PLAN=quants (with ADAPTER_VALUE=0): only the model benches, Q4_K_M (flash attention on and off), Q8_0 and F16 at
# batches 1..128, each as soon as its file is quantized.
# PLAN=candidate (with ADAPTER_VALUE=0): the prebuilt addon against the candidate-logits one on Q4_K_M, Q8_0 and
# F16 with the candidate-logits one, and Q8_0 without an adapter and with the F16 LoRA adapter (needs
# .device/llm/llama-addon-cuda.node, which prepare.sh puts there). A later bench's --adapter overrides the default.
# PLAN=unified (ADAPTER_VALUE=0): Q8_0 with one KV cache per context against one per sequence (batches 8..128), then
# Q4_K_M and F16 with one cache per context, and Q8_0 without an adapter.
# PLAN=contexts (ADAPTER_VALUE=0, QUANTS=Q8_0): the batch split over 4 or 8 contexts of the adapter, each with one KV
# cache, against one context, on Q8_0 and F16.
# PLAN=serving (ADAPTER_VALUE=0): the engine's own GPU serving shape (--engine-shape: runtime.ts SERVING_DEFAULTS,
# 4 contexts × 16 sequences, one KV cache each, flash attention; UV_THREADPOOL_SIZE=16 as bin/triage.mjs sets it) on
# Q8_0, Q4_K_M and F16, batches 1..256, then Q8_0 without an adapter.
# The earlier plans measured one KV cache per sequence unless they say otherwise: TICKET_TRIAGE_KV_UNIFIED defaults
# to 0 here, where the engine's GPU default is one per context.
# A call made while the machine is still warm reuses the libggml-cuda.so and the models the last call made there
# (REUSE=0: build and write them again); NODE_PROF='<bench-name glob>' records a V8 CPU profile of those benches.
# Local test knobs (not for the GPU run): MODEL_SHAPE_ARGS="--vocab 4096 --hidden 256 ..." (small model),
# ALLOW_CPU=1 (bench even when the CUDA probe fails), TICKETS, BATCHES.
set -uo pipefail
REPO="$(pwd)"
OUT="${OUT:-$REPO/.device-out}"
WORK="${WORK:-/tmp/ttllm}"
MODELS="${MODELS:-/tmp/ttllm-models}"
BUDGET_S="${BUDGET_S:-540}"
BENCH_ARGS=(--gpu auto --choices 200 --tickets "${TICKETS:-30}" --context 1024)
BATCH_ARGS=(--batches "${BATCHES:-1,8,32,128}")
export TICKET_TRIAGE_KV_UNIFIED="${TICKET_TRIAGE_KV_UNIFIED:-0}"
mkdir -p "$OUT" "$WORK/bin" "$MODELS"
rm -f "$MODELS"/*.done
SECONDS=0
say() { printf '[%4ds] %s\n' "$SECONDS" "$*" | tee -a "$OUT/run.log"; }
left() { echo $((BUDGET_S - SECONDS)); }
BUILD_MAX_S="${BUILD_MAX_S:-$((BUDGET_S - 170))}"  # the ninja steps are cut at this, so benches keep their time
export OUT WORK BUILD_MAX_S
nproc_=$(nproc)

# ---- 1. unpack ----
say "stage 1: unpack (.device/llm: $(du -sh .device/llm | cut -f1))"
xz -dc .device/llm/node-linux-x64.xz > "$WORK/bin/node" && chmod +x "$WORK/bin/node" || say "FAIL: node"
tar xJf .device/llm/node_modules.tar.xz -C "$WORK" || say "FAIL: node_modules"
cp .device/llm/llm-bench.mjs bench/gpu/llm/probe-cuda.mjs bench/gpu/llm/summary.mjs "$WORK/"
export PATH="$WORK/bin:$PATH"
say "node $(node --version); $nproc_ cores; $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1 | head -1)"
say "disk: $(df -h "$MODELS" | tail -1 | awk '{print $4" free on "$6}'); memory: $(free -g | awk '/Mem/ {print $7" GiB available"}')"

# ---- 2. build (background) || models (background) ----
say "stage 2: build ggml-cuda sm_90 || write the 7B F16 GGUF + LoRA, then quantize"
# A warm machine (a call within idle_release_s of the last one) still has the library this script built there, and
# the models: both are reused (REUSE=0 builds and writes them again).
lib="$WORK/node_modules/@node-llama-cpp/linux-x64-cuda/bins/linux-x64-cuda/libggml-cuda.so"
if [ "${REUSE:-1}" = 1 ] && [ "$(cat "$WORK/build.rc" 2>/dev/null)" = 0 ] && [ -f "$lib" ] && [ -f "$WORK/env.sh" ]; then
  say "warm machine: reusing the libggml-cuda.so built by an earlier call"
  echo "[build] reused $lib" > "$OUT/build.log"
  ( exit 0 ) &
else
  rm -f "$WORK/build.rc" "$MODELS"/*.ok
  ( bash bench/gpu/llm/build_on_h200.sh "$WORK" > "$OUT/build.log" 2>&1; echo $? > "$WORK/build.rc" ) &
fi
build_pid=$!
(
  s=$SECONDS
  # cl100k_base (prepare.sh carries it) tokenizes like Qwen2; without it the fixture's BPE makes prompts ~2x longer.
  tok=(); [ -f .device/llm/cl100k_base.js ] && [ "${TOKENIZER:-cl100k}" = cl100k ] && tok=(--tiktoken-ranks .device/llm/cl100k_base.js)
  if [ -f "$MODELS/f16.ok" ]; then
    echo "[models] F16 + LoRA kept from an earlier call"
  else
    node bench/gpu/llm/make-qwen2-7b-gguf.mjs ${MODEL_SHAPE_ARGS:-} "${tok[@]}" --out "$MODELS/qwen2-7b-f16.gguf" --lora-out "$MODELS/lora-r16.gguf" || exit 1
    # The same adapter shape in F16 (llama.cpp's converter's default) next to the F32 one the engine writes today.
    node bench/gpu/llm/make-qwen2-7b-gguf.mjs ${MODEL_SHAPE_ARGS:-} --lora-out "$MODELS/lora-r16-f16.gguf" --lora-type f16 || exit 1
    echo "[models] F16 + LoRA written in $((SECONDS - s)) s"
    : > "$MODELS/f16.ok"
  fi
  : > "$MODELS/f16.done"
  # llama-quantize comes from the carried binary (ready at once) or from the build script's fallback build.
  for i in $(seq 1 240); do [ -x "$WORK/bin/llama-quantize" ] && break; [ -f "$WORK/build.rc" ] && break; sleep 1; done
  # One after the other with all cores but two (the benches of the finished ones run meanwhile): Q8_0 is quick,
  # Q4_K_M takes ~2000 core-seconds. Each marks itself done so its benches can start.
  threads=$(( nproc_ > 3 ? nproc_ - 2 : 1 ))
  for q in ${QUANTS:-Q8_0 Q4_K_M}; do
    lc=$(echo "$q" | tr 'A-Z' 'a-z')
    s=$SECONDS
    if [ -f "$MODELS/$lc.ok" ]; then
      echo "[models] $q kept from an earlier call"
    else
      nice -n 5 "$WORK/bin/llama-quantize" "$MODELS/qwen2-7b-f16.gguf" "$MODELS/qwen2-7b-$lc.gguf" "$q" "$threads" > "$OUT/quantize-$lc.log" 2>&1 \
        && { echo "[models] $q written in $((SECONDS - s)) s ($(du -h "$MODELS/qwen2-7b-$lc.gguf" | cut -f1))"; : > "$MODELS/$lc.ok"; } \
        || { echo "[models] FAIL: quantize $q:"; tail -5 "$OUT/quantize-$lc.log"; }
    fi
    : > "$MODELS/$lc.done"
  done
) > "$OUT/models.log" 2>&1 &
models_pid=$!
# The GPU idles while ggml-cuda compiles: the LLM value bench's adapter trains on it, then the trainer's CLI tests run
# (few CPU threads, so the build keeps its cores); both must be done before the probe puts a 7B model on the GPU.
if [ "${ADAPTER_VALUE:-1}" = 1 ] && [ -d .device/e2e ] && [ -d .device/small/hf ]; then
  (
    export OMP_NUM_THREADS=2 PYTHONUNBUFFERED=1
    deadline=${TRAINER_DEADLINE_S:-300}  # seconds into this script: the LLM benches keep the rest
    python3 bench/gpu/adapter_value_train.py .device/e2e .device/small/hf "$OUT" "${ADAPTER_MAX_S:-200}" > "$OUT/adapter-value.log" 2>&1
    echo "adapter value training rc $?" >> "$OUT/adapter-value.log"
    t=$(( deadline - SECONDS )); [ "$t" -gt 30 ] || t=1
    (cd engine && timeout -k 5 "$t" python3 -m pytest -q -rs trainer/tests/test_torch_cli.py) > "$OUT/trainer-tests.log" 2>&1
    echo "trainer CLI tests rc $? (limit ${t}s)" >> "$OUT/trainer-tests.log"
  ) &
  trainer_pid=$!
fi
wait "$build_pid"
say "build finished: rc $(cat "$WORK/build.rc" 2>/dev/null || echo '?')"
grep -E '^\[build' "$OUT/build.log" | tail -8 | sed 's/^/    /' | tee -a "$OUT/run.log"
for i in $(seq 1 120); do [ -f "$MODELS/f16.done" ] && break; kill -0 "$models_pid" 2>/dev/null || break; sleep 1; done
say "F16 model written; quantizing goes on while the benches run"
[ -f "$WORK/env.sh" ] && . "$WORK/env.sh"
say "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
# The candidate-logits addon (engine/models/llm/native/), installed over the CUDA prebuilt now that libggml-cuda.so
# is in it: the engine's runtime, and so every bench below, prefers it; `--stock-addon` benches the prebuilt addon.
candidate=0
if [ -f .device/llm/llama-addon-cuda.node ]; then
  node engine/models/llm/native/install-local-build.mjs .device/llm/llama-addon-cuda.node cuda "$WORK/node_modules" 2>&1 | tee -a "$OUT/run.log"
  [ "${PIPESTATUS[0]}" = 0 ] && candidate=1 || say "FAIL: candidate-logits addon not installed: benches use the prebuilt addon"
fi

if [ -n "${trainer_pid:-}" ]; then
  wait "$trainer_pid"
  say "adapter training and trainer tests finished"
  tail -8 "$OUT/adapter-value.log" | sed 's/^/    /' | tee -a "$OUT/run.log"
  tail -6 "$OUT/trainer-tests.log" | sed 's/^/    /' | tee -a "$OUT/run.log"
fi

# ---- 3. probe ----
say "stage 3: probe the CUDA binding"
( cd "$WORK" && timeout 120 node probe-cuda.mjs ) 2>&1 | tee "$OUT/probe.log" | tee -a "$OUT/run.log"
probe_ok=${PIPESTATUS[0]}
if [ "$candidate" = 1 ]; then
  ( cd "$WORK" && timeout 120 node probe-cuda.mjs candidate ) 2>&1 | tee -a "$OUT/probe.log" | tee -a "$OUT/run.log"
  if [ "${PIPESTATUS[0]}" != 0 ]; then
    say "FAIL: the candidate-logits addon does not load on CUDA: removed, benches use the prebuilt addon"
    rm -rf "$WORK/node_modules/node-llama-cpp/llama/localBuilds"; candidate=0
  fi
fi
[ "$probe_ok" != 0 ] && [ "${ALLOW_CPU:-0}" = 1 ] && { say "probe failed, ALLOW_CPU=1: benching anyway (local test)"; probe_ok=0; }
[ "$probe_ok" = 0 ] || say "FAIL: CUDA probe failed: benches skipped (a 7B model on CPU would only burn device time); see build.log, probe.log"

# ---- 4. benches ----
run_bench() { # name quant min_s env-or-- bench args...
  local name=$1 q=$2 min_s=$3 envs=$4; shift 4
  local lc; lc=$(echo "$q" | tr 'A-Z' 'a-z')
  local model="$MODELS/qwen2-7b-$lc.gguf"
  # A quantized model is benched as soon as llama-quantize is done with it.
  while [ ! -f "$MODELS/$lc.done" ] && kill -0 "$models_pid" 2>/dev/null && [ "$(left)" -gt "$min_s" ]; do sleep 2; done
  [ -f "$MODELS/$lc.done" ] && [ -f "$model" ] || { say "SKIP $name: $model not ready ($(left) s left)"; return; }
  local budget=$(( $(left) - 25 ))
  [ "$budget" -ge "$min_s" ] || { say "SKIP $name: only $(left) s left"; return; }
  say "stage 4: bench $name (timeout ${budget} s): $envs $* "
  # NODE_PROF=<glob of bench names>: a V8 CPU profile of the JavaScript side (where the main thread's time goes).
  local prof=()
  [ -n "${NODE_PROF:-}" ] && [[ "$name" == $NODE_PROF ]] && prof=(--cpu-prof --cpu-prof-dir "$OUT/prof-$name")
  ( cd "$WORK" && env ${envs/#--/} timeout -k 5 "$budget" node "${prof[@]}" llm-bench.mjs --model "$model" --adapter "$MODELS/lora-r16.gguf" "$@" --json "$OUT/bench-$name.json" ) \
    > "$OUT/bench-$name.log" 2>&1
  local rc=$?
  tail -30 "$OUT/bench-$name.log" | tee -a "$OUT/run.log"
  say "bench $name: rc $rc$([ $rc = 124 ] && echo ' (timed out)')"
}
p50_of() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(round(min(m['p50'] for m in r['modes'] if m['mode'].startswith('choice search'))))" "$1" 2>/dev/null || echo 999999; }
if [ "$probe_ok" = 0 ] && [ "${PLAN:-full}" = candidate ]; then
  # Q8_0 first (quantized while ggml-cuda compiled), then the stock and the candidate-logits addon on the same Q4_K_M
  # model, adapter and flash attention, then F16; last Q8_0 without an adapter and with the F16 adapter, which show
  # what the adapter costs (ADAPTER_VALUE=0). ~30-60 s a bench.
  [ "$candidate" = 1 ] || say "FAIL: PLAN=candidate without the candidate-logits addon (.device/llm/llama-addon-cuda.node)"
  run_bench q8_0-fa-candidate Q8_0 40 -- "${BENCH_ARGS[@]}" "${BATCH_ARGS[@]}" --widths 1 --modes search --flash-attention --profile
  run_bench q4_k_m-fa-stock Q4_K_M 40 -- "${BENCH_ARGS[@]}" "${BATCH_ARGS[@]}" --widths 1 --modes search --flash-attention --stock-addon
  run_bench q4_k_m-fa-candidate Q4_K_M 40 -- "${BENCH_ARGS[@]}" "${BATCH_ARGS[@]}" --widths 1 --modes search --flash-attention
  run_bench f16-fa-candidate F16 40 -- "${BENCH_ARGS[@]}" "${BATCH_ARGS[@]}" --widths 1 --modes search --flash-attention
  run_bench q8_0-fa-candidate-noadapter Q8_0 30 -- "${BENCH_ARGS[@]}" --batches 1,128 --widths 1 --modes search --flash-attention --adapter none
  run_bench q8_0-fa-candidate-lora16 Q8_0 30 -- "${BENCH_ARGS[@]}" --batches 1,128 --widths 1 --modes search --flash-attention --profile --adapter "$MODELS/lora-r16-f16.gguf"
elif [ "$probe_ok" = 0 ] && [ "${PLAN:-full}" = unified ]; then
  # One KV cache for all of a context's sequences (the candidate-logits build reads TICKET_TRIAGE_KV_UNIFIED) against
  # one per sequence, on the same model in the same call; then the other quants and Q8_0 without an adapter.
  run_bench q8_0-fa-unified Q8_0 40 TICKET_TRIAGE_KV_UNIFIED=1 "${BENCH_ARGS[@]}" "${BATCH_ARGS[@]}" --widths 1 --modes search --flash-attention --profile
  run_bench q8_0-fa-streams Q8_0 40 -- "${BENCH_ARGS[@]}" --batches "${STREAM_BATCHES:-8,32,128}" --widths 1 --modes search --flash-attention
  run_bench q4_k_m-fa-unified Q4_K_M 40 TICKET_TRIAGE_KV_UNIFIED=1 "${BENCH_ARGS[@]}" "${BATCH_ARGS[@]}" --widths 1 --modes search --flash-attention
  run_bench f16-fa-unified F16 40 TICKET_TRIAGE_KV_UNIFIED=1 "${BENCH_ARGS[@]}" "${BATCH_ARGS[@]}" --widths 1 --modes search --flash-attention
  run_bench q8_0-fa-unified-noadapter Q8_0 30 TICKET_TRIAGE_KV_UNIFIED=1 "${BENCH_ARGS[@]}" --batches 1,128 --widths 1 --modes search --flash-attention --adapter none
elif [ "$probe_ok" = 0 ] && [ "${PLAN:-full}" = contexts ]; then
  # The batch's sequences split over several contexts of the adapter (--contexts), each with one KV cache, against
  # one context; node's thread pool (UV_THREADPOOL_SIZE, 4 by default) runs every context's decodes. Q8_0 first.
  U=TICKET_TRIAGE_KV_UNIFIED=1; P=UV_THREADPOOL_SIZE=16; ONE=("${BENCH_ARGS[@]}" --widths 1 --modes none --flash-attention)
  run_bench q8_0-unified-c4 Q8_0 20 "$U $P" "${ONE[@]}" --batches 32,64,128 --contexts 4
  run_bench q8_0-unified-c8 Q8_0 20 "$U $P" "${ONE[@]}" --batches 64,128 --contexts 8
  run_bench q8_0-unified-c1 Q8_0 20 "$U $P" "${ONE[@]}" --batches 32,128
  run_bench q8_0-streams-c8 Q8_0 20 "$P" "${ONE[@]}" --batches 128 --contexts 8
  run_bench q8_0-unified-c4-pool4 Q8_0 20 "$U" "${ONE[@]}" --batches 128 --contexts 4
  run_bench f16-unified-c4 F16 20 "$U $P" "${ONE[@]}" --batches 128 --contexts 4
  run_bench f16-unified-c8 F16 20 "$U $P" "${ONE[@]}" --batches 128,256 --contexts 8
  run_bench q8_0-unified-c8-256 Q8_0 20 "$U $P" "${ONE[@]}" --batches 256 --contexts 8
elif [ "$probe_ok" = 0 ] && [ "${PLAN:-full}" = serving ]; then
  # What the engine does on a GPU when nothing is configured: an empty TICKET_TRIAGE_KV_UNIFIED leaves it to the
  # runtime. Batches above its 64 sequences wait for free ones, as a large sync's tickets do.
  E="TICKET_TRIAGE_KV_UNIFIED= UV_THREADPOOL_SIZE=16"; S=("${BENCH_ARGS[@]}" --engine-shape --modes search)
  run_bench q8_0-serving Q8_0 40 "$E" "${S[@]}" --batches "${BATCHES:-1,8,32,128,256}" --profile
  run_bench q4_k_m-serving Q4_K_M 40 "$E" "${S[@]}" --batches "${BATCHES:-1,8,32,128,256}"
  run_bench f16-serving F16 40 "$E" "${S[@]}" --batches "${BATCHES:-1,8,32,128,256}"
  run_bench q8_0-serving-noadapter Q8_0 30 "$E" "${S[@]}" --batches 1,128 --adapter none
elif [ "$probe_ok" = 0 ] && [ "${PLAN:-full}" = quants ]; then
  # Second call (ADAPTER_VALUE=0): every quant at batch 1..128, search only, most wanted first: Q4_K_M with flash
  # attention (the serving default candidate), Q8_0, F16, then Q4_K_M without. ~40 s a bench.
  run_bench q4_k_m-fa Q4_K_M 40 -- "${BENCH_ARGS[@]}" "${BATCH_ARGS[@]}" --widths 1 --modes search --profile --flash-attention
  run_bench q8_0 Q8_0 40 -- "${BENCH_ARGS[@]}" "${BATCH_ARGS[@]}" --widths 1 --modes search --flash-attention
  run_bench f16 F16 40 -- "${BENCH_ARGS[@]}" "${BATCH_ARGS[@]}" --widths 1 --modes search --flash-attention
  run_bench q4_k_m Q4_K_M 35 -- "${BENCH_ARGS[@]}" "${BATCH_ARGS[@]}" --widths 1 --modes search
elif [ "$probe_ok" = 0 ]; then
  run_bench q4_k_m Q4_K_M 120 -- "${BENCH_ARGS[@]}" "${BATCH_ARGS[@]}" --profile --widths 1,4 --gen-tickets "${GEN_TICKETS:-4}"
  run_bench q4_k_m-fa Q4_K_M 40 -- "${BENCH_ARGS[@]}" --batches 1,32 --profile --widths 1,4 --modes search --flash-attention
  run_bench q4_k_m-fa-nographs Q4_K_M 30 GGML_CUDA_DISABLE_GRAPHS=1 "${BENCH_ARGS[@]}" --batches 0 --widths 1 --modes search --flash-attention
  fa=()
  [ "$(p50_of "$OUT/bench-q4_k_m-fa.json")" -lt "$(p50_of "$OUT/bench-q4_k_m.json")" ] && fa=(--flash-attention)
  say "Q8_0 and F16 run with: ${fa[*]:-flash attention default}"
  run_bench q8_0 Q8_0 50 -- "${BENCH_ARGS[@]}" "${BATCH_ARGS[@]}" --widths 1,4 --modes search "${fa[@]}"
  run_bench f16 F16 50 -- "${BENCH_ARGS[@]}" "${BATCH_ARGS[@]}" --widths 1,4 --modes search "${fa[@]}"
fi
kill "$models_pid" 2>/dev/null; pkill -f llama-quantize 2>/dev/null
wait "$models_pid" 2>/dev/null
sed 's/^/    /' "$OUT/models.log" | tee -a "$OUT/run.log"

# ---- 5. summary ----
say "stage 5: summary"
( cd "$WORK" && node summary.mjs "$OUT" ) 2>&1 | tee "$OUT/summary.md" | tee -a "$OUT/run.log"
# The device returns at most 8 files: everything but the run log, the summary, the adapter and the library is packed.
if [ -f "$lib" ] && [ "${RETURN_LIB:-1}" = 1 ]; then
  xz -6 -T0 -c "$lib" | split -b 15m -d - "$OUT/ggml-cuda.xz.part"
  say "libggml-cuda.so $(du -h "$lib" | cut -f1) -> $(du -ch "$OUT"/ggml-cuda.xz.part* | tail -1 | cut -f1) in $(ls "$OUT"/ggml-cuda.xz.part* | wc -l) part(s)"
fi
say "done in $SECONDS s"
( cd "$OUT" && ls | grep -vE '^(run\.log|summary\.md|adapter-value\.tar|ggml-cuda\.xz\.part[0-9]+|logs\.tar\.xz)$' | tar cJf logs.tar.xz -T - --remove-files )
