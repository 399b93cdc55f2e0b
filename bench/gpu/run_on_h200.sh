#!/usr/bin/env bash
# The trainer's GPU checks in one call (cwd = repo root, $OUT set): torch tests, then the speed/quality bench.
# Each stage's failure is reported and the next still runs; the summary comes last. Budget: under 10 minutes.
#   bash bench/gpu/run_on_h200.sh                 (env, reference logits, speed/quality bench: ~7 min)
#   STAGES=tests bash bench/gpu/run_on_h200.sh   (the trainer's own tests with torch on CUDA: ~5 min)
set -u -o pipefail
export PYTHONUNBUFFERED=1 NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1
export OUT="${OUT:-$(pwd)/bench/out/gpu}"
mkdir -p "$OUT"
START=$(date +%s)
declare -A STATUS

STAGES=" ${STAGES:-env reflogits bench} "  # the trainer's tests take ~5 min: run them in a second call, STAGES=tests

stage() {  # stage NAME TIMEOUT_S COMMAND...
  local name=$1 limit=$2; shift 2
  [[ "$STAGES" == *" $name "* ]] || return 0
  echo "=== $name (limit ${limit}s) ===" | tee -a "$OUT/summary.log"
  local t0=$(date +%s)
  timeout --signal=TERM --kill-after=10 "$limit" "$@" 2>&1 | tee "$OUT/$name.log"
  local rc=$?
  STATUS[$name]="rc=$rc ($(( $(date +%s) - t0 ))s)$([ $rc -eq 124 ] && echo ' TIMED OUT')"
  echo "--- $name: ${STATUS[$name]}" | tee -a "$OUT/summary.log"
}

stage env 30 bash -c 'python3 -c "import sys, torch, transformers, peft; print(sys.version.split()[0], \"torch\", torch.__version__, \"cuda\", torch.version.cuda, \"transformers\", transformers.__version__, \"peft\", peft.__version__, torch.cuda.get_device_name(0))"; nvidia-smi --query-gpu=name,memory.used,memory.total --format=csv'
# The PyTorch side of the GGUF/LoRA parity test (tests/unit/engine/models/llm/lora-parity.test.ts): commit its output
# as tests/fixtures/llm/tiny/reference-logits.json.
stage reflogits 40 bash -c 'python3 engine/models/llm/tiny/reference_logits.py tests/fixtures/llm/tiny > "$OUT/reference-logits.json"'
stage bench 330 python3 bench/gpu/trainer_bench.py
stage tests 560 bash -c 'cd engine && python3 -m pytest -q -rs -s trainer/tests'

echo
echo "=== summary ($(( $(date +%s) - START ))s) ==="
for s in env reflogits bench tests; do printf '%-6s %s\n' "$s" "${STATUS[$s]:-not run}"; done
[ -f "$OUT/tests.log" ] && grep -E '^[0-9]+ (passed|failed)|passed|failed|error' "$OUT/tests.log" | tail -3
[ -f "$OUT/bench.log" ] && sed -n '/^recipe/,$p' "$OUT/bench.log" | grep -v '^\[' || true
[ -f "$OUT/trainer_learning_curve.json" ] && echo "learning curve: $OUT/trainer_learning_curve.json"
[ -f "$OUT/trainer_bench.json" ] && echo "bench json: $OUT/trainer_bench.json"
exit 0
