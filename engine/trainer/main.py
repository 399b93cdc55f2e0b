"""Entry point: parses --job, keeps stdout for protocol events only, checks dependencies, then trains.

Also runnable as a script (`python3 engine/trainer/main.py --job job.json`): engine/ is put on sys.path so the
package imports resolve the same way as under `python3 -m trainer`.
"""
import argparse
import os
import sys

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# NVLink multicast (NVLS) is off on the machines we train on; NCCL would otherwise try it and fail at init.
for _key, _value in (("NCCL_NVLS_ENABLE", "0"), ("TORCH_SYMM_MEM_DISABLE_MULTICAST", "1"), ("NVSHMEM_DISABLE_NVLS", "1")):
    os.environ.setdefault(_key, _value)

from trainer.cancel import CancelFlag  # noqa: E402
from trainer.events import Emitter, claim_stdout  # noqa: E402
from trainer.job import JobError, load_job  # noqa: E402


def _rank() -> int:
    return int(os.environ.get("RANK", "0") or 0)


def main(argv=None) -> int:
    # Events own the real stdout; anything a library prints goes to stderr from here on.
    emitter = Emitter(claim_stdout(), rank=_rank())
    parser = argparse.ArgumentParser(prog="trainer", description="LoRA trainer for ticket-triage (JSON events on stdout)")
    parser.add_argument("--job", required=True, help="path of the job JSON file")
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        if e.code in (0, None):  # --help
            return 0
        emitter.error("invalid_arguments", "usage: python3 -m trainer --job job.json", any_rank=True)
        return int(e.code) if isinstance(e.code, int) else 2
    cancel = CancelFlag()
    cancel.install()
    try:
        job = load_job(args.job)
    except JobError as e:
        emitter.error("invalid_job", str(e), any_rank=True)
        return 2
    from trainer.deps import DependencyError, check_dependencies

    try:
        check_dependencies(job.device)
    except DependencyError as e:
        emitter.error(e.code, str(e), any_rank=True)
        return 3
    from trainer.trainer import TrainerError, train  # torch from here on

    try:
        return train(job, emitter, cancel)
    except TrainerError as e:
        emitter.error(e.code, str(e), any_rank=True)
        return 1
    except Exception as e:  # noqa: BLE001 - the engine needs an error event, the traceback goes to stderr
        import traceback

        traceback.print_exc(file=sys.stderr)
        code = "out_of_memory" if type(e).__name__ == "OutOfMemoryError" else "internal"
        message = f"{type(e).__name__}: {e}"
        if code == "out_of_memory":
            message += " (lower batch.max_tokens_per_micro_batch, or set gradient_checkpointing: true)"
        emitter.error(code, message[:4000], any_rank=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
