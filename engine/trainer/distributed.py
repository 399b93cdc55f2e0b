"""Data parallel plumbing for torchrun: process group, the rank's device, and collective helpers that degrade to
no-ops in a single process (so the loop has one code path)."""
import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass
class Dist:
    rank: int
    world_size: int
    local_rank: int
    device: torch.device

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def enabled(self) -> bool:
        return self.world_size > 1

    def barrier(self) -> None:
        if self.enabled:
            dist.barrier()

    def all_sum(self, t: torch.Tensor) -> torch.Tensor:
        if self.enabled:
            dist.all_reduce(t, op=dist.ReduceOp.SUM)
        return t

    def any_flag(self, flag: bool) -> bool:
        """True on every rank if it is true on any: a SIGTERM reaching one rank stops all at the same step."""
        if not self.enabled:
            return flag
        t = torch.tensor([1 if flag else 0], device=self.device, dtype=torch.int32)
        dist.all_reduce(t, op=dist.ReduceOp.MAX)
        return bool(t.item())

    def close(self) -> None:
        if self.enabled and dist.is_initialized():
            dist.destroy_process_group()


def init_distributed(device_kind: str) -> Dist:
    world = int(os.environ.get("WORLD_SIZE", "1") or 1)
    rank = int(os.environ.get("RANK", "0") or 0)
    local = int(os.environ.get("LOCAL_RANK", "0") or 0)
    if device_kind == "cuda":
        if world > 1 and torch.cuda.device_count() < world and local >= torch.cuda.device_count():
            raise RuntimeError(f"rank {rank} needs GPU {local} but only {torch.cuda.device_count()} are visible")
        torch.cuda.set_device(local)
        device = torch.device("cuda", local)
    else:
        device = torch.device("cpu")
    if world > 1 and not dist.is_initialized():
        kwargs = {"backend": "nccl" if device_kind == "cuda" else "gloo"}
        if device_kind == "cuda":
            kwargs["device_id"] = device  # binds NCCL to this GPU up front (no guessing at the first collective)
        try:
            dist.init_process_group(**kwargs)
        except TypeError:
            kwargs.pop("device_id", None)
            dist.init_process_group(**kwargs)
    return Dist(rank=rank, world_size=world, local_rank=local, device=device)
