"""The training run: setup, the step loop, evaluation and checkpoints on schedule, cancel and resume."""
import contextlib
import gc
import os
import sys
import time
from typing import Dict, List, Optional

import torch

from trainer import checkpoints as ckpt
from trainer import state as ckpt_state
from trainer.batching import collate
from trainer.data import load_train, load_validation
from trainer.distributed import init_distributed
from trainer.events import log
from trainer.examples import DataError
from trainer.model import (DTYPES, AnswerLoss, add_lora, compile_decoder_layers, gpu_memory_gib, load_base_model,
                           load_tokenizer, make_optimizer, to_tensors, trainable_parameters)
from trainer.render import end_of_turn_id
from trainer.schedule import build_plan, lr_at, plan_fingerprint
from trainer.scoring import Evaluator


# torch.OutOfMemoryError is torch >= 2.5; before, only the CUDA one existed (requirements allow 2.4).
OUT_OF_MEMORY = getattr(torch, "OutOfMemoryError", torch.cuda.OutOfMemoryError)


class TrainerError(RuntimeError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _versions() -> Dict[str, str]:
    out = {"torch": torch.__version__}
    for name in ("transformers", "peft"):
        try:
            out[name] = __import__(name).__version__
        except Exception:  # noqa: BLE001
            pass
    return out


def _split(mb: List[int], parts: int) -> List[List[int]]:
    """A planned micro-batch run as `parts` smaller ones: same examples, same loss sum, less memory."""
    if parts <= 1 or len(mb) <= 1:
        return [mb]
    size = -(-len(mb) // parts)
    return [mb[i:i + size] for i in range(0, len(mb), size)]


class Run:
    def __init__(self, job, emitter, cancel) -> None:
        self.job, self.emitter, self.cancel = job, emitter, cancel
        self.dist = init_distributed(job.device)
        emitter.rank = self.dist.rank
        self.split = 1  # raised after an out-of-memory step in a single-process run

    # ---- setup -------------------------------------------------------------------------------------------------
    def setup(self) -> None:
        job, dist = self.job, self.dist
        existing = ckpt.scan(job.output_dir)
        if existing and not job.resume:
            raise TrainerError("output_dir_not_empty", f"output_dir {job.output_dir} already holds checkpoints; "
                               "set \"resume\": true to continue them, or use an empty directory")
        os.makedirs(job.output_dir, exist_ok=True)
        if dist.device.type == "cuda":
            torch.backends.cuda.matmul.allow_tf32 = True
            torch.backends.cudnn.allow_tf32 = True
        self.dtype = DTYPES[job.dtype]
        try:
            self.tokenizer = load_tokenizer(job.base_model)
            self.eot = end_of_turn_id(self.tokenizer)
        except (OSError, ValueError) as e:
            raise TrainerError("invalid_model", f"cannot load the tokenizer of base_model {job.base_model}: {e}") from e
        pad = getattr(self.tokenizer, "pad_token_id", None)
        # Any valid id works: with right padding and a causal mask no real token ever attends to a pad.
        self.pad_id = pad if isinstance(pad, int) else self.eot
        try:
            self.train_set = load_train(self.tokenizer, job.train_file, job.max_seq_len)
            self.val_set = None
            if job.validation_file and job.validation_max_tickets > 0:
                self.val_set = load_validation(self.tokenizer, job.validation_file, job.validation_max_tickets,
                                               job.field_choices, job.field_parents, job.max_seq_len)
                if not self.val_set.layouts:
                    self.val_set = None
        except DataError as e:
            raise TrainerError("invalid_data", str(e)) from e
        if not self.train_set.sequences:
            raise TrainerError("invalid_data", f"{job.train_file} has no example of at most max_seq_len={job.max_seq_len} tokens")
        lengths, answers = self.train_set.lengths, self.train_set.answer_lengths
        b, o = job.batch, job.optim
        self.plan = build_plan(job.seed, lengths, answers, b.max_tokens_per_micro_batch, dist.world_size, b.grad_accum,
                               o.epochs, o.max_steps)
        self.fingerprint = plan_fingerprint(job.seed, lengths, b.max_tokens_per_micro_batch, dist.world_size,
                                            b.grad_accum, o.epochs, o.max_steps)
        self.total = len(self.plan)

        torch.manual_seed(job.seed)  # same LoRA init on every rank (DDP also broadcasts rank 0's at wrap time)
        try:
            base = load_base_model(job.base_model, job.dtype, dist.device)
        except (OSError, ValueError) as e:
            raise TrainerError("invalid_model", f"cannot load base_model {job.base_model}: {e}") from e
        try:
            self.peft = add_lora(base, job.lora.r, job.lora.alpha, job.lora.dropout, job.lora.target_modules,
                                 job.gradient_checkpointing)
        except ValueError as e:
            raise TrainerError("invalid_job", str(e)) from e
        if job.compile:
            if dist.device.type == "cuda":
                log(f"torch.compile: {compile_decoder_layers(self.peft)} decoder layers (the first steps compile)")
            else:
                log("compile is ignored on cpu (compiling costs more than it saves there)")
        self.loss_module = AnswerLoss(self.peft)
        self.loss_module.train()
        self.model = self.loss_module
        if dist.enabled:
            from torch.nn.parallel import DistributedDataParallel as DDP

            self.model = DDP(self.loss_module, device_ids=[dist.local_rank] if dist.device.type == "cuda" else None)
        self.params = trainable_parameters(self.peft)
        self.optimizer = make_optimizer(self.params, o.lr, o.weight_decay, dist.device)
        self.evaluator = None
        if self.val_set is not None:
            self.evaluator = Evaluator(self.val_set.layouts, self.val_set.n_prompt, self.val_set.fields, self.pad_id,
                                       b.max_tokens_per_micro_batch, self.dtype)

        self.start_step, self.resumed_from, self.plan_changed = 0, None, False
        if job.resume:
            last = ckpt.latest(job.output_dir)
            if last is not None:
                try:
                    saved = ckpt_state.load(last.path, self.peft, self.optimizer, dist.device)
                except (RuntimeError, ValueError) as e:  # shapes (rank), missing tensors (modules), optimizer groups
                    raise TrainerError("resume_mismatch", f"cannot resume from {last.path}: {e}") from e
                self.start_step = int(saved["step"])
                self.resumed_from = last.path
                # Keep the micro-batch split an out-of-memory step forced: the same OOM would only happen again.
                self.split = max(1, int(saved.get("split", 1) or 1)) if not dist.enabled else 1
                if saved.get("fingerprint") != self.fingerprint:
                    self.plan_changed = True
                    log(f"resuming {last.path} with another data plan (seed, batch, world size or data changed): "
                        "the remaining steps follow the new plan")
        self.registry = ckpt.scan(job.output_dir)
        self.last_saved_step = self.registry[-1].step if self.registry else None
        self.last_metrics: Optional[Dict] = None
        self.last_metrics_step: Optional[int] = None

    def start_event(self) -> None:
        d = self.dist
        gpu = torch.cuda.get_device_name(d.device) if d.device.type == "cuda" else None
        real = sum(s.real_tokens for s in self.plan)
        padded = sum(s.padded_tokens for s in self.plan)
        self.emitter.emit(
            "start", **self.job.summary(), device=d.device.type, gpu_name=gpu, world_size=d.world_size,
            train_examples=len(self.train_set.sequences), skipped_too_long=self.train_set.skipped_too_long,
            validation_examples=len(self.val_set.layouts) if self.val_set else 0, total=self.total,
            start_step=self.start_step, resumed_from=self.resumed_from, plan_changed=self.plan_changed,
            planned_padding_share=round(1 - real / padded, 4) if padded else 0.0,
            trainable_params=sum(p.numel() for p in self.params), versions=_versions(),
        )

    # ---- one optimizer step ------------------------------------------------------------------------------------
    def _forward_backward(self, step, scale) -> torch.Tensor:
        ts = self.train_set
        mbs = step.micro_batches[self.dist.rank]
        loss_total = torch.zeros((), device=self.dist.device, dtype=torch.float32)
        pieces = [piece for mb in mbs for piece in _split(mb, self.split)]
        for k, piece in enumerate(pieces):
            rows, pred, targets = collate(piece, ts.sequences, ts.n_prompt, self.pad_id)
            ids, p, t = to_tensors(rows, pred, targets, self.dist.device)
            # Gradients are all-reduced once per optimizer step, on its last micro-batch.
            sync = not self.dist.enabled or k == len(pieces) - 1
            ctx = contextlib.nullcontext() if sync else self.model.no_sync()
            with ctx:
                loss_sum = self.model(ids, p, t)
                (loss_sum * scale).backward()
            loss_total += loss_sum.detach().float()
        return loss_total

    def train_step(self, index: int) -> torch.Tensor:
        step = self.plan[index]
        o = self.job.optim
        lr = lr_at(index, o.lr, o.warmup_steps, self.total, o.min_lr_ratio)
        for g in self.optimizer.param_groups:
            g["lr"] = lr
        # Each rank's gradient is sum(loss)/N_all * world_size; DDP's mean over ranks makes it sum/N_all.
        scale = self.dist.world_size / step.answer_tokens
        for attempt in range(4):
            if self.job.lora.dropout > 0:
                # Dropout masks as a pure function of (seed, step, rank): a resumed step draws what it would have,
                # and an out-of-memory retry does not depend on how far the failed attempt got.
                torch.manual_seed(self.job.seed * 1_000_003 + index * 131 + self.dist.rank)
            oom = False
            try:
                loss = self._forward_backward(step, scale)
            except OUT_OF_MEMORY:
                if self.dist.enabled or self.dist.device.type != "cuda" or attempt == 3:
                    raise
                oom = True
            if not oom:
                break
            # Outside the except block, so the exception's frames (holding activations) are gone.
            self.optimizer.zero_grad(set_to_none=True)
            gc.collect()
            torch.cuda.empty_cache()
            self.split *= 2
            log(f"out of memory at step {index + 1}; running each micro-batch in {self.split} parts from now on "
                "(same data, same gradients; lower batch.max_tokens_per_micro_batch to avoid this)")
        if o.max_grad_norm > 0:
            torch.nn.utils.clip_grad_norm_(self.params, o.max_grad_norm)
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)
        self.lr = lr
        return loss

    # ---- evaluation and checkpoints ----------------------------------------------------------------------------
    def evaluate(self, step: int) -> Optional[Dict]:
        if self.evaluator is None:
            return None
        m = self.evaluator.evaluate(self.loss_module, self.dist)
        self.emitter.emit("eval", step=step, **m)
        self.last_metrics, self.last_metrics_step = m, step
        return m

    def checkpoint(self, step: int, metrics: Optional[Dict]) -> Optional[str]:
        path = None
        if self.dist.is_main:
            o = self.job.optim
            st = {"epoch": self.plan[step - 1].epoch if step > 0 else 0, "total_steps": self.total,
                  "fingerprint": self.fingerprint, "seed": self.job.seed, "world_size": self.dist.world_size,
                  "schedule": {"lr": o.lr, "warmup_steps": o.warmup_steps, "min_lr_ratio": o.min_lr_ratio,
                               "total": self.total}, "split": self.split}
            path = ckpt_state.save(self.job.output_dir, step, self.peft, self.optimizer, metrics or {}, st)
            self.registry = [c for c in self.registry if c.step != step]
            self.registry.append(ckpt.Checkpoint(step=step, path=path, metrics=metrics or {}))
            self.registry = ckpt.prune(self.registry, self.job.keep_best)
            self.emitter.emit("checkpoint", step=step, path=path, metrics=metrics or {},
                              kept=[c.path for c in self.registry])
        self.last_saved_step = step
        self.dist.barrier()
        return path or os.path.join(self.job.output_dir, ckpt.checkpoint_name(step))

    # ---- the loop ----------------------------------------------------------------------------------------------
    def loop(self) -> int:
        job, dist = self.job, self.dist
        if self.start_step == 0 and self.evaluator is not None:
            self.evaluate(0)  # the curve's starting point
        window_loss = torch.zeros((), device=dist.device)
        window_real = window_padded = window_steps = 0
        window_t0 = time.time()
        train_time, train_steps = 0.0, 0
        step = self.start_step
        while step < self.total:
            if dist.any_flag(self.cancel.requested):
                return self.stop(step)
            loss = self.train_step(step)
            s = self.plan[step]
            step += 1
            window_loss += loss
            window_real += s.real_tokens
            window_padded += s.padded_tokens
            window_steps += 1
            do_ckpt = step % job.checkpoint_every == 0 or step == self.total
            do_eval = self.evaluator is not None and (do_ckpt or step % job.eval_every == 0)
            if step % job.log_every == 0 or step == self.start_step + 1 or step == self.total or do_eval:
                answer_tokens = sum(self.plan[i].answer_tokens for i in range(step - window_steps, step))
                total_loss = dist.all_sum(window_loss.clone().float()).item()  # syncs: timing below is real
                dt = max(1e-9, time.time() - window_t0)
                train_time += dt
                train_steps += window_steps
                self.emitter.emit(
                    "progress", step=step, total=self.total, epoch=s.epoch, loss=round(total_loss / answer_tokens, 5),
                    lr=self.lr, tokens_per_s=round(window_real / dt, 1), real_tokens=window_real,
                    padding_share=round(1 - window_real / window_padded, 4) if window_padded else 0.0,
                    gpu_mem_gib=gpu_memory_gib(dist.device), eta_s=round(train_time / train_steps * (self.total - step), 1),
                )
                window_loss = torch.zeros((), device=dist.device)
                window_real = window_padded = window_steps = 0
                window_t0 = time.time()
            if do_eval or do_ckpt:
                # A cancel that arrived during this step should not wait for a whole evaluation (torchrun kills
                # ~30 s after SIGTERM): save now, unevaluated.
                if dist.any_flag(self.cancel.requested):
                    return self.stop(step)
                metrics = self.evaluate(step) if do_eval else None
                if do_ckpt:
                    self.checkpoint(step, metrics)
                window_t0 = time.time()  # evaluation and saving are not training throughput
        if self.last_saved_step != step:
            self.checkpoint(step, self.evaluate(step))
        top = ckpt.best(self.registry) if dist.is_main else None
        final = self.last_metrics or {}
        self.emitter.emit("done", best_checkpoint=top.path if top else None, steps=step,
                          final_val_loss=final.get("val_loss"), best_metrics=top.metrics if top else {},
                          kept=[c.path for c in self.registry])
        return 0

    def stop(self, step: int) -> int:
        path = None
        if step > 0 and self.last_saved_step != step:
            # Metrics of this very step (evaluated, then cancelled before its checkpoint) keep its rank among the best.
            path = self.checkpoint(step, self.last_metrics if self.last_metrics_step == step else None)
        elif self.last_saved_step is not None:
            path = os.path.join(self.job.output_dir, ckpt.checkpoint_name(self.last_saved_step))
        self.emitter.emit("cancelled", step=step, checkpoint=path)
        return 0


def train(job, emitter, cancel) -> int:
    run = Run(job, emitter, cancel)
    try:
        run.setup()
        if run.dist.any_flag(cancel.requested):  # cancelled while loading: nothing new to save
            existing = ckpt.latest(job.output_dir)
            emitter.emit("cancelled", step=run.start_step, checkpoint=existing.path if existing else None)
            return 0
        run.start_event()
        return run.loop()
    finally:
        sys.stderr.flush()
        run.dist.close()
