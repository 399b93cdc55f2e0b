"""Checkpoint directories and which of them to keep: the best K by validation mean field accuracy (lower
validation loss breaking ties), plus always the latest, which a resume needs."""
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional

CHECKPOINT_RE = re.compile(r"^checkpoint-(\d+)$")
STATE_FILE = "trainer_state.json"
METRICS_FILE = "metrics.json"


def checkpoint_name(step: int) -> str:
    return f"checkpoint-{step:06d}"


@dataclass
class Checkpoint:
    step: int
    path: str
    metrics: Dict = field(default_factory=dict)


def rank_key(c: Checkpoint):
    """Sort key, best first: accuracy (absent ranks last), then validation loss, then the later step."""
    acc = c.metrics.get("accuracy_mean")
    loss = c.metrics.get("val_loss")
    return (0 if acc is not None else 1, -(acc or 0.0), 0 if loss is not None else 1, loss or 0.0, -c.step)


def ranked(checkpoints: List[Checkpoint]) -> List[Checkpoint]:
    return sorted(checkpoints, key=rank_key)


def select_kept(checkpoints: List[Checkpoint], keep_best: int) -> List[Checkpoint]:
    """The best `keep_best`, plus the latest if it is not among them; best first, the latest last."""
    if not checkpoints:
        return []
    best = ranked(checkpoints)[:keep_best]
    latest = max(checkpoints, key=lambda c: c.step)
    return best + ([latest] if latest not in best else [])


def best(checkpoints: List[Checkpoint]) -> Optional[Checkpoint]:
    r = ranked(checkpoints)
    return r[0] if r else None


def scan(output_dir: str) -> List[Checkpoint]:
    """Complete checkpoints in output_dir (a directory is renamed into place only once fully written)."""
    out = []
    if not os.path.isdir(output_dir):
        return out
    for name in os.listdir(output_dir):
        m = CHECKPOINT_RE.match(name)
        path = os.path.join(output_dir, name)
        if name.endswith(".deleting"):  # a prune interrupted mid-delete: finish it
            shutil.rmtree(path, ignore_errors=True)
            continue
        if not m or not os.path.isfile(os.path.join(path, STATE_FILE)):
            continue
        metrics = {}
        mfile = os.path.join(path, METRICS_FILE)
        if os.path.isfile(mfile):
            try:
                with open(mfile, "r", encoding="utf-8") as f:
                    metrics = json.load(f)
            except (OSError, ValueError) as e:  # a damaged file ranks the checkpoint last rather than failing the run
                print(f"trainer: ignoring unreadable {mfile}: {e}", file=sys.stderr, flush=True)
                metrics = {}
        out.append(Checkpoint(step=int(m.group(1)), path=path, metrics=metrics))
    return sorted(out, key=lambda c: c.step)


def latest(output_dir: str) -> Optional[Checkpoint]:
    found = scan(output_dir)
    return found[-1] if found else None


def prune(checkpoints: List[Checkpoint], keep_best: int) -> List[Checkpoint]:
    """Deletes the checkpoints not kept; returns the kept ones, best first."""
    kept = select_kept(checkpoints, keep_best)
    for c in checkpoints:
        if c not in kept:
            # Renamed out of the checkpoint-N namespace first: a kill during rmtree leaves a *.deleting directory
            # that scan() ignores, never a half-deleted checkpoint that looks complete.
            doomed = c.path + ".deleting"
            try:
                os.replace(c.path, doomed)
            except OSError:
                doomed = c.path
            shutil.rmtree(doomed, ignore_errors=True)
    return kept


def write_json(path: str, obj) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2)
    os.replace(tmp, path)
