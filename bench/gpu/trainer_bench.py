"""Trainer speed and quality vs the prototype's recipe, on one H200, in one run (< 8 minutes).

  (a) baseline: runs the prototype's recipe as is (`.device/seed_baseline_train.py seed 7b`, a copy of
      shared/bench/seed_baseline_train.py the lead carries in) and reads its JSON line;
  (b) ours: the trainer's own step (engine/trainer: Run.train_step, length-grouped token-budget micro-batches,
      answer-only LM head, fused AdamW, no gradient checkpointing) on the same random-init Qwen2-7B-shaped model,
      with ticket-length synthetic examples; real tokens/s, padding share, peak memory, per budget;
  (d) the same step with torch.compile'd decoder layers (the job's "compile" option): speed, and C's curve again;
  (c) quality: 60 steps on the same examples (a learnable synthetic task: answer values are set by keyword
      tokens in the prompt) three ways: A) the prototype's padded batches, attention mask, full logits, answer-only
      loss; B) ours on exactly A's batches (the losses must agree step by step: same math); C) ours with its own
      length-grouped plan; then held-out answer loss after A and after C.

Prints a table and writes $OUT/trainer_bench.json. Run from the repository root: python3 bench/gpu/trainer_bench.py
"""
import json
import math
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "engine"))
for _k, _v in (("NCCL_NVLS_ENABLE", "0"), ("TORCH_SYMM_MEM_DISABLE_MULTICAST", "1"), ("NVSHMEM_DISABLE_NVLS", "1")):
    os.environ.setdefault(_k, _v)

T0 = time.time()
BASELINE_SCRIPT = os.path.join(ROOT, ".device", "seed_baseline_train.py")
BUDGETS = [int(x) for x in os.environ.get("BENCH_BUDGETS", "12288").split(",")]
QUALITY_STEPS = int(os.environ.get("BENCH_QUALITY_STEPS", "60"))
MODE = os.environ.get("BENCH_MODE", "full")  # "compile": eager vs compiled speed only (see the LLM GPU script)
COMPILE = os.environ.get("BENCH_COMPILE", "1") == "1"
COMPILE_BEFORE_S = float(os.environ.get("BENCH_COMPILE_BEFORE_S", "250"))  # skip (d) past this many seconds
COMPILE_BUDGETS = [int(x) for x in os.environ.get("BENCH_COMPILE_BUDGETS", "12288").split(",")]
README_BASELINE = {"real_tokens_per_s": 2377, "padded_fraction": 0.64, "peak_mem_gib": 86, "source": "shared/bench/README.md"}


def say(msg):
    print(f"[{time.time() - T0:6.1f}s] {msg}", file=sys.stderr, flush=True)


def run_baseline():
    if not os.path.isfile(BASELINE_SCRIPT):
        say(f"{BASELINE_SCRIPT} missing: using the README's figures")
        return dict(README_BASELINE, measured=False)
    say("baseline: python3 .device/seed_baseline_train.py seed 7b")
    try:
        p = subprocess.run([sys.executable, BASELINE_SCRIPT, "seed", "7b"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return dict(README_BASELINE, measured=False, error="timed out after 300 s")
    for line in reversed(p.stdout.splitlines()):
        if line.startswith("{"):
            out = json.loads(line)
            out["measured"] = True
            return out
    return dict(README_BASELINE, measured=False, error=f"rc={p.returncode}: {p.stderr[-800:]}")


def main():
    baseline = run_baseline() if MODE == "full" else dict(README_BASELINE, measured=False)
    say(f"baseline: {baseline}")

    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    from trainer.data import TrainSet
    from trainer.distributed import Dist
    from trainer.job import BatchSpec, Job, LoraSpec, OptimSpec
    from trainer.model import AnswerLoss, add_lora, make_optimizer, to_tensors, trainable_parameters
    from trainer.batching import collate
    from trainer.schedule import build_plan, lr_at
    from trainer.trainer import Run

    dev = torch.device("cuda")
    torch.backends.cuda.matmul.allow_tf32 = True
    # The baseline's model, exactly.
    cfg = Qwen2Config(vocab_size=152064, hidden_size=3584, intermediate_size=18944, num_hidden_layers=28,
                      num_attention_heads=28, num_key_value_heads=4, max_position_embeddings=32768,
                      rope_theta=1e6, tie_word_embeddings=False)
    cfg._attn_implementation = "sdpa"
    torch.manual_seed(0)
    torch.set_default_dtype(torch.bfloat16)
    t = time.time()
    with torch.device("cuda"):
        base = Qwen2ForCausalLM(cfg)
    torch.set_default_dtype(torch.float32)
    base.config.use_cache = False
    say(f"model init {time.time() - t:.1f}s")
    targets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    peft = add_lora(base, 16, 32, 0.0, targets, False)
    module = AnswerLoss(peft).train()
    params = trainable_parameters(peft)
    lora_init = [p.detach().clone() for p in params]

    def reset_lora():
        with torch.no_grad():
            for p, p0 in zip(params, lora_init):
                p.copy_(p0)

    # ---- synthetic tickets: lengths as the baseline draws them; answers ~39 tokens set by prompt keywords ----
    g = torch.Generator().manual_seed(1)
    V = cfg.vocab_size
    n_fields, n_values, value_len, scaffold_len = 4, 8, 4, 5
    scaffolds = torch.randint(1000, V, (n_fields + 1, scaffold_len), generator=g).tolist()
    keywords = torch.randint(1000, V, (n_fields, n_values), generator=g).tolist()
    values = torch.randint(1000, V, (n_fields, n_values, value_len), generator=g).tolist()
    eos = 151645

    def examples(n, clip_hi=2048):
        ln = torch.empty(n).log_normal_(mean=math.log(350), std=0.6, generator=g)
        lens = [int(min(max(x, 120), clip_hi)) for x in ln.tolist()]
        seqs, n_prompt = [], []
        for L in lens:
            prompt = torch.randint(1000, V, (L,), generator=g).tolist()
            answer = []
            for f in range(n_fields):
                v = int(torch.randint(0, n_values, (1,), generator=g))
                for _ in range(2):  # the keyword appears twice, anywhere after the first 8 tokens
                    prompt[int(torch.randint(8, L, (1,), generator=g))] = keywords[f][v]
                answer += scaffolds[f] + values[f][v]
            answer += scaffolds[n_fields][:3] + [eos]
            seqs.append(prompt + answer)
            n_prompt.append(L)
        return TrainSet(sequences=seqs, n_prompt=n_prompt)

    speed_set = examples(1500)
    lengths, answers = speed_set.lengths, speed_set.answer_lengths
    say(f"speed set: {len(lengths)} examples, mean {sum(lengths) / len(lengths):.0f} tokens, answer {sum(answers) / len(answers):.1f}")

    def make_run(train_set, plan, lr, warmup):
        job = Job(base_model="random-qwen2-7b", train_file="-", output_dir="-", device="cuda",
                  lora=LoraSpec(r=16, alpha=32, dropout=0.0, target_modules=targets),
                  optim=OptimSpec(lr=lr, weight_decay=0.01, warmup_steps=warmup, epochs=1),
                  batch=BatchSpec(max_tokens_per_micro_batch=0, grad_accum=1))
        run = Run.__new__(Run)
        run.job, run.dist, run.split = job, Dist(0, 1, 0, dev), 1
        run.train_set, run.plan, run.total = train_set, plan, len(plan)
        run.loss_module = run.model = module
        run.params = params
        run.optimizer = make_optimizer(params, lr, 0.01, dev)
        run.pad_id = eos
        return run

    # ---- (b) speed ----
    ours = []

    def speed(budget, label):
        plan = build_plan(5, lengths, answers, budget, 1, 1, epochs=1)
        run = make_run(speed_set, plan, 2e-4, 0)
        warm = 3 if label == "eager" else 6  # compiled: the first steps compile (and may recompile once)
        for i in range(warm):
            run.train_step(i)
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        n = 12
        t = time.time()
        for i in range(warm, warm + n):
            run.train_step(i)
        torch.cuda.synchronize()
        dt = time.time() - t
        real = sum(s.real_tokens for s in plan[warm:warm + n])
        padded = sum(s.padded_tokens for s in plan[warm:warm + n])
        r = {"budget": budget, "steps": n, "real_tokens_per_s": round(real / dt), "padding_share": round(1 - real / padded, 4),
             "peak_mem_gib": round(torch.cuda.max_memory_allocated() / 2**30, 1), "rows_per_micro_batch": round(
                 sum(len(mb) for s in plan[warm:warm + n] for mb in s.micro_batches[0]) / n, 1), "oom_split": run.split}
        r["recipe"] = label
        say(f"ours: {r}")
        ours.append(r)
        del run
        torch.cuda.empty_cache()

    if MODE == "compile":  # eager vs compiled in one process: no baseline, no quality runs
        from trainer.model import compile_decoder_layers

        for budget in BUDGETS:
            speed(budget, "eager")
        t = time.time()
        try:
            compile_decoder_layers(peft)
            for budget in BUDGETS:
                speed(budget, "compiled")
        except Exception as e:  # noqa: BLE001
            print(f"compile failed: {type(e).__name__}: {str(e)[:800]}")
        line = "{:<30} {:>14} {:>9} {:>9}"
        print(line.format("recipe", "real tokens/s", "padding", "peak GiB"))
        for r in ours:
            print(line.format(f"{r['recipe']}, {r['budget']} tok/micro-batch", r["real_tokens_per_s"],
                              f"{r['padding_share']:.1%}", r["peak_mem_gib"]))
        print(f"compile + measure: {time.time() - t:.0f} s")
        if os.environ.get("OUT"):
            with open(os.path.join(os.environ["OUT"], "trainer_compile.json"), "w") as f:
                json.dump({"ours": ours, "torch": torch.__version__}, f, indent=1)
        return

    for budget in BUDGETS:
        speed(budget, "eager")
    reset_lora()

    # ---- (c) quality ----
    q_steps = QUALITY_STEPS if time.time() - T0 < 200 else QUALITY_STEPS // 2
    rows = 8
    q_train = examples(q_steps * rows, clip_hi=1024)
    q_val = examples(64, clip_hi=1024)
    fixed = [list(range(s * rows, (s + 1) * rows)) for s in range(q_steps)]
    lr, warmup = 1e-3, 5

    def loss_a(batch):
        """The prototype's way: padded to the longest, attention mask, logits for every token, labels -100."""
        seqs = [q_train.sequences[i] for i in batch]
        T = max(map(len, seqs))
        ids = torch.full((len(seqs), T), eos, dtype=torch.long)
        att = torch.zeros((len(seqs), T), dtype=torch.long)
        lab = torch.full((len(seqs), T), -100, dtype=torch.long)
        for r, (i, s) in enumerate(zip(batch, seqs)):
            ids[r, :len(s)] = torch.tensor(s)
            att[r, :len(s)] = 1
            lab[r, q_train.n_prompt[i]:len(s)] = torch.tensor(s[q_train.n_prompt[i]:])
        out = peft(input_ids=ids.to(dev), attention_mask=att.to(dev), labels=lab.to(dev))
        return out.loss

    def loss_ours(ts, batch):
        r, p, t = collate(sorted(batch, key=lambda i: -len(ts.sequences[i])), ts.sequences, ts.n_prompt, eos)
        ids, p, t = to_tensors(r, p, t, dev)
        return module(ids, p, t) / len(t)

    @torch.no_grad()
    def held_out():
        tot = n = 0.0
        for s in range(0, 64, 8):
            b = list(range(s, s + 8))
            r, p, t = collate(b, q_val.sequences, q_val.n_prompt, eos)
            ids, p, t = to_tensors(r, p, t, dev)
            tot += module(ids, p, t).item()
            n += len(t)
        return tot / n

    def train_curve(step_batches, loss_fn, total):
        reset_lora()
        opt = make_optimizer(params, lr, 0.01, dev)
        curve = []
        t = time.time()
        for k, b in enumerate(step_batches):
            for gr in opt.param_groups:
                gr["lr"] = lr_at(k, lr, warmup, total)
            loss = loss_fn(b)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            opt.zero_grad(set_to_none=True)
            curve.append(round(loss.item(), 4))
        return curve, round(time.time() - t, 1)

    say(f"quality: {q_steps} steps x {rows} examples, three recipes")
    curve_a, time_a = train_curve(fixed, loss_a, q_steps)
    held_a = held_out()
    curve_b, time_b = train_curve(fixed, lambda b: loss_ours(q_train, b), q_steps)
    held_b = held_out()
    mean_len = sum(q_train.lengths) / len(q_train.lengths)
    plan_c = build_plan(5, q_train.lengths, q_train.answer_lengths, int(rows * mean_len * 1.05), 1, 1, epochs=1)

    def grouped_curve():
        """C: the trainer's own step over its length-grouped plan, from the initial LoRA; (curve, seconds, held-out)."""
        run = make_run(q_train, plan_c, lr, warmup)
        reset_lora()
        curve = []
        t = time.time()
        for i in range(len(plan_c)):
            curve.append(round(run.train_step(i).item() / plan_c[i].answer_tokens, 4))
        return curve, round(time.time() - t, 1), held_out()

    curve_c, time_c, held_c = grouped_curve()
    # ---- (d) the same with torch.compile'd decoder layers (job option "compile"): speed, then C's curve again ----
    compiled = {"error": None}
    curve_d, held_d, time_d = None, None, None
    if COMPILE and time.time() - T0 < COMPILE_BEFORE_S:
        try:
            from trainer.model import compile_decoder_layers

            t = time.time()
            compile_decoder_layers(peft)
            for budget in COMPILE_BUDGETS:
                speed(budget, "compiled")
            compiled["speed_s"] = round(time.time() - t, 1)
            if time.time() - T0 < COMPILE_BEFORE_S + 40:
                curve_d, time_d, held_d = grouped_curve()
        except Exception as e:  # noqa: BLE001 - report it, keep the eager results
            compiled["error"] = f"{type(e).__name__}: {str(e)[:600]}"
            say(f"compile failed: {compiled['error']}")

    diffs = [abs(a - b) for a, b in zip(curve_a, curve_b)]
    tail = lambda c: round(sum(c[-10:]) / len(c[-10:]), 4)  # noqa: E731
    quality = {
        "steps": q_steps, "examples_per_step": rows, "lr": lr,
        "A_prototype_padded": {"curve": curve_a, "last10": tail(curve_a), "held_out_loss": round(held_a, 4), "train_s": time_a},
        "B_ours_same_batches": {"curve": curve_b, "last10": tail(curve_b), "held_out_loss": round(held_b, 4), "train_s": time_b},
        "C_ours_grouped": {"curve": curve_c, "last10": tail(curve_c), "held_out_loss": round(held_c, 4), "train_s": time_c,
                           "steps": len(plan_c)},
        "A_vs_B_max_abs_diff": round(max(diffs), 4), "A_vs_B_mean_abs_diff": round(sum(diffs) / len(diffs), 4),
        "held_out_C_minus_A": round(held_c - held_a, 4),
    }
    if curve_d is not None:
        dd = [abs(c - d) for c, d in zip(curve_c, curve_d)]
        quality["D_ours_grouped_compiled"] = {"curve": curve_d, "last10": tail(curve_d), "held_out_loss": round(held_d, 4),
                                              "train_s": time_d, "C_vs_D_max_abs_diff": round(max(dd), 4)}
    quality["compile"] = compiled
    say(f"quality: A last10 {quality['A_prototype_padded']['last10']} held {held_a:.4f}; B diff max {max(diffs):.4f}; "
        f"C last10 {quality['C_ours_grouped']['last10']} held {held_c:.4f}")

    best = max(ours, key=lambda r: r["real_tokens_per_s"])
    base_tps = baseline.get("real_tokens_per_s") or README_BASELINE["real_tokens_per_s"]
    result = {"baseline": baseline, "ours": ours, "best": best, "speedup": round(best["real_tokens_per_s"] / base_tps, 2),
              "quality": quality, "gpu": torch.cuda.get_device_name(0), "torch": torch.__version__, "wall_s": round(time.time() - T0, 1)}
    try:
        import peft as peft_pkg
        import transformers

        result["transformers"], result["peft"] = transformers.__version__, peft_pkg.__version__
    except Exception:  # noqa: BLE001
        pass
    line = "{:<34} {:>14} {:>9} {:>9} {:>7}"
    print(line.format("recipe", "real tokens/s", "padding", "peak GiB", "ratio"))
    print(line.format("prototype (seed_baseline_train)" + ("" if baseline.get("measured") else "*"), base_tps,
                      f"{baseline.get('padded_fraction', 0):.1%}", baseline.get("peak_mem_gib", "-"), "1.00x"))
    for r in ours:
        print(line.format(f"ours{', compiled' if r['recipe'] == 'compiled' else ''}, {r['budget']} tok/micro-batch", r["real_tokens_per_s"], f"{r['padding_share']:.1%}",
                          r["peak_mem_gib"], f"{r['real_tokens_per_s'] / base_tps:.2f}x"))
    print(f"quality ({q_steps} steps): answer loss last-10 A {quality['A_prototype_padded']['last10']} | "
          f"B {quality['B_ours_same_batches']['last10']} (max |A-B| {quality['A_vs_B_max_abs_diff']}) | "
          f"C {quality['C_ours_grouped']['last10']}; held-out A {held_a:.4f} B {held_b:.4f} C {held_c:.4f}")
    if curve_d is not None:
        print(f"compiled (D): last-10 {quality['D_ours_grouped_compiled']['last10']}, held-out {held_d:.4f}, "
              f"max |C-D| {quality['D_ours_grouped_compiled']['C_vs_D_max_abs_diff']}")
    if compiled["error"]:
        print("compile failed:", compiled["error"])
    print("mean |A-B| per step:", quality["A_vs_B_mean_abs_diff"])
    if not baseline.get("measured"):
        print("* baseline not measured in this run (README figure):", baseline.get("error", "script missing"))
    out = os.environ.get("OUT")
    if out:
        with open(os.path.join(out, "trainer_bench.json"), "w") as f:
            json.dump(result, f, indent=1)
    say("done")


if __name__ == "__main__":
    main()
