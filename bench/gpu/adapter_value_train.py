"""Trains the LoRA adapter that bench/llm-value.ts scores: the engine's own trainer (python -m trainer, as the engine
spawns it) on the demo tenant's examples written by bench/gpu/trainer-e2e-data.ts, over the SMALL random model that
engine/models/llm/tiny/write-fixtures.ts --small writes (the same weights as the GGUF the bench loads here).

Usage (GPU machine, cwd = repo root): python3 bench/gpu/adapter_value_train.py E2E_DIR HF_MODEL_DIR OUT_DIR [MAX_S]
Writes OUT_DIR/adapter-value.tar: the best checkpoint's adapter_model.safetensors + adapter_config.json + metrics.json,
and the trainer's event stream (events.jsonl), so a timeout still brings back the curve so far."""
import json
import os
import subprocess
import sys
import tarfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
e2e, model, out = (os.path.abspath(a) for a in sys.argv[1:4])
max_s = int(sys.argv[4]) if len(sys.argv) > 4 else 240
work = "/tmp/adapter-value"
os.makedirs(work, exist_ok=True)
os.makedirs(out, exist_ok=True)

with open(os.path.join(e2e, "fields.json")) as f:
    fields = json.load(f)
job = {
    "base_model": model,
    "train_file": os.path.join(e2e, "train.jsonl"),
    "validation_file": os.path.join(e2e, "validation.jsonl"),
    "output_dir": os.path.join(work, "checkpoints"),
    "resume": False,
    "device": "cuda",
    "seed": 1,
    # The engine's adapter defaults (engine/training/adapter-training.ts) except the learning rate: a random 256-wide
    # model needs a larger step than a pretrained 7B (the trainer's learning test uses 3e-3 on the same shape).
    "lora": {"r": 16, "alpha": 32, "dropout": 0,
             "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]},
    "optim": {"lr": 2e-3, "weight_decay": 0.01, "warmup_steps": 10, "epochs": 4},
    "batch": {"max_tokens_per_micro_batch": 16384, "grad_accum": 1},
    "eval_every": 40,
    "checkpoint_every": 80,
    "keep_best": 1,
    "validation_max_tickets": 200,
    "dtype": "bf16",
    "gradient_checkpointing": False,
    "compile": False,
    "log_every": 10,
    **fields,
}
job_path = os.path.join(work, "job.json")
with open(job_path, "w") as f:
    json.dump(job, f)

events_path = os.path.join(work, "events.jsonl")
start = time.time()
done = None
with open(events_path, "w") as log:
    proc = subprocess.Popen([sys.executable, "-m", "trainer", "--job", job_path], cwd=os.path.join(REPO, "engine"),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))
    for line in proc.stdout:
        log.write(line)
        log.flush()
        if line.startswith("{"):
            e = json.loads(line)
            if e.get("event") in ("eval", "done", "error"):
                print(f"[{time.time() - start:5.0f}s] {line.strip()[:400]}", flush=True)
            if e.get("event") == "done":
                done = e
        if time.time() - start > max_s:
            proc.terminate()  # the trainer saves a checkpoint on SIGTERM
    rc = proc.wait()
print(f"trainer rc {rc} after {time.time() - start:.0f} s", flush=True)

best = done.get("best_checkpoint") if done else None
if not best:  # cancelled or failed: the newest checkpoint there is
    ckpts = sorted(os.path.join(job["output_dir"], d) for d in os.listdir(job["output_dir"])) if os.path.isdir(job["output_dir"]) else []
    ckpts = [c for c in ckpts if os.path.isfile(os.path.join(c, "adapter_model.safetensors"))]
    best = ckpts[-1] if ckpts else None
with tarfile.open(os.path.join(out, "adapter-value.tar"), "w") as tar:
    tar.add(events_path, arcname="events.jsonl")
    tar.add(job_path, arcname="job.json")
    if best:
        for name in ("adapter_model.safetensors", "adapter_config.json", "metrics.json"):
            p = os.path.join(best, name)
            if os.path.isfile(p):
                tar.add(p, arcname=f"adapter/{name}")
print(f"best checkpoint: {best}", flush=True)
