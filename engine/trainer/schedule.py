"""The whole run's plan: which micro-batches each rank runs at each optimizer step, as a pure function of the
seed, the epoch and the data lengths. A resumed run rebuilds the same plan and starts at the next step index, so it
skips exactly the micro-batches already done. Also the learning-rate schedule, a pure function of the step.
"""
import hashlib
import json
import math
from dataclasses import dataclass
from typing import List, Optional, Sequence

from trainer.batching import epoch_rng, length_grouped_micro_batches, padded_tokens, real_tokens


@dataclass
class Step:
    epoch: int
    # micro_batches[rank][k]: the k-th micro-batch (example indices) of that rank in this optimizer step.
    micro_batches: List[List[List[int]]]
    # Answer tokens over all ranks and micro-batches: the loss is a sum divided by this, so every answer token
    # weighs the same whatever the micro-batch sizes or the number of ranks.
    answer_tokens: int
    real_tokens: int
    padded_tokens: int


def epoch_steps(epoch: int, seed: int, lengths: Sequence[int], answer_lengths: Sequence[int], max_tokens: int,
                world_size: int, grad_accum: int) -> List[Step]:
    batches = length_grouped_micro_batches(range(len(lengths)), lengths, max_tokens, epoch_rng(seed, epoch))
    if not batches:
        return []
    per_step = world_size * grad_accum
    # Every rank must run the same number of micro-batches (DDP would hang otherwise): wrap around to fill the
    # last step, as DistributedSampler pads by repeating.
    need = math.ceil(len(batches) / per_step) * per_step
    batches = [batches[i % len(batches)] for i in range(need)]
    steps = []
    for s in range(0, need, per_step):
        group = batches[s:s + per_step]
        steps.append(Step(
            epoch=epoch,
            micro_batches=[group[r * grad_accum:(r + 1) * grad_accum] for r in range(world_size)],
            answer_tokens=sum(answer_lengths[i] for b in group for i in b),
            real_tokens=sum(real_tokens(b, lengths) for b in group),
            padded_tokens=sum(padded_tokens(b, lengths) for b in group),
        ))
    return steps


def build_plan(seed: int, lengths: Sequence[int], answer_lengths: Sequence[int], max_tokens: int, world_size: int,
               grad_accum: int, epochs: int, max_steps: Optional[int] = None) -> List[Step]:
    """Epochs of steps; `max_steps` cuts the plan short or, when larger, adds epochs until it is reached."""
    plan: List[Step] = []
    epoch = 0
    while True:
        if max_steps is None and epoch >= epochs:
            break
        if max_steps is not None and len(plan) >= max_steps:
            break
        steps = epoch_steps(epoch, seed, lengths, answer_lengths, max_tokens, world_size, grad_accum)
        if not steps:
            break
        plan.extend(steps)
        epoch += 1
    return plan[:max_steps] if max_steps is not None else plan


def plan_fingerprint(seed: int, lengths: Sequence[int], max_tokens: int, world_size: int, grad_accum: int,
                     epochs: int, max_steps: Optional[int]) -> str:
    """What the data order depends on; a resumed run with another fingerprint cannot continue the same order."""
    h = hashlib.sha256(json.dumps([seed, max_tokens, world_size, grad_accum, epochs, max_steps]).encode())
    h.update(b"|")
    h.update(",".join(map(str, lengths)).encode())
    return h.hexdigest()[:16]


def lr_at(step: int, base_lr: float, warmup: int, total: int, min_ratio: float = 0.1) -> float:
    """Learning rate for optimizer step `step` (0-based): linear warmup, then cosine down to min_ratio * base."""
    if warmup > 0 and step < warmup:
        return base_lr * (step + 1) / warmup
    span = max(1, total - warmup)
    progress = min(1.0, max(0.0, (step - warmup) / span))
    return base_lr * (min_ratio + (1 - min_ratio) * 0.5 * (1 + math.cos(math.pi * progress)))
