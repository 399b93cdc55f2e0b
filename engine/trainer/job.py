"""The job file: parsed and checked before anything heavy is imported, with errors that name the key.

Unknown keys are rejected too: the engine and the trainer live in one repository, and a misspelt key
("eval_evry") silently falling back to a default is worse than a clear error.
"""
import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


class JobError(ValueError):
    pass


DEFAULT_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


@dataclass
class LoraSpec:
    r: int = 16
    alpha: float = 32
    dropout: float = 0.0
    target_modules: List[str] = field(default_factory=lambda: list(DEFAULT_TARGETS))


@dataclass
class OptimSpec:
    lr: float = 2e-4
    weight_decay: float = 0.01
    warmup_steps: int = 0
    epochs: int = 1
    max_steps: Optional[int] = None
    max_grad_norm: float = 1.0
    min_lr_ratio: float = 0.1


@dataclass
class BatchSpec:
    # 8,192 tokens fits a 7B model without gradient checkpointing on one H200 with room to spare (~8 MB a token).
    max_tokens_per_micro_batch: int = 8192
    grad_accum: int = 1


@dataclass
class Job:
    base_model: str
    train_file: str
    output_dir: str
    validation_file: Optional[str] = None
    resume: bool = False
    device: str = "cuda"
    seed: int = 1
    lora: LoraSpec = field(default_factory=LoraSpec)
    optim: OptimSpec = field(default_factory=OptimSpec)
    batch: BatchSpec = field(default_factory=BatchSpec)
    eval_every: int = 50
    checkpoint_every: int = 100
    keep_best: int = 3
    validation_max_tickets: int = 200
    dtype: str = "bf16"
    gradient_checkpointing: bool = False
    compile: bool = False
    field_choices: Dict[str, List[str]] = field(default_factory=dict)
    field_parents: Dict[str, Dict[str, str]] = field(default_factory=dict)
    max_seq_len: int = 4096
    log_every: int = 10

    def summary(self) -> Dict[str, Any]:
        return {
            "base_model": self.base_model,
            "lora": vars(self.lora),
            "optim": vars(self.optim),
            "batch": vars(self.batch),
            "dtype": self.dtype,
            "gradient_checkpointing": self.gradient_checkpointing,
            "compile": self.compile,
            "seed": self.seed,
            "eval_every": self.eval_every,
            "checkpoint_every": self.checkpoint_every,
            "keep_best": self.keep_best,
        }


def _fail(key: str, message: str):
    raise JobError(f"job key {key!r}: {message}")


def _int(obj, key, path, default, minimum=None, required=False):
    if key not in obj:
        if required:
            _fail(path + key, "is required")
        return default
    v = obj[key]
    if isinstance(v, bool) or not isinstance(v, int):
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        else:
            _fail(path + key, f"must be an integer, got {json.dumps(v)}")
    if minimum is not None and v < minimum:
        _fail(path + key, f"must be >= {minimum}, got {v}")
    return v


def _num(obj, key, path, default, minimum=None, maximum=None):
    if key not in obj:
        return default
    v = obj[key]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        _fail(path + key, f"must be a number, got {json.dumps(v)}")
    if minimum is not None and v < minimum:
        _fail(path + key, f"must be >= {minimum}, got {v}")
    if maximum is not None and v > maximum:
        _fail(path + key, f"must be <= {maximum}, got {v}")
    return float(v)


def _str(obj, key, path, default=None, required=False, choices=None):
    if key not in obj or obj[key] is None:
        if required:
            _fail(path + key, "is required")
        return default
    v = obj[key]
    if not isinstance(v, str) or not v:
        _fail(path + key, f"must be a non-empty string, got {json.dumps(v)}")
    if choices and v not in choices:
        _fail(path + key, f"must be one of {', '.join(choices)}, got {json.dumps(v)}")
    return v


def _bool(obj, key, path, default):
    if key not in obj:
        return default
    if not isinstance(obj[key], bool):
        _fail(path + key, f"must be true or false, got {json.dumps(obj[key])}")
    return obj[key]


def _object(obj, key, path):
    v = obj.get(key, {})
    if not isinstance(v, dict):
        _fail(path + key, f"must be an object, got {json.dumps(v)}")
    return v


def _no_unknown(obj, known, path):
    unknown = sorted(set(obj) - set(known))
    if unknown:
        _fail(path + unknown[0], f"is not a known key (known: {', '.join(sorted(known))})")


TOP_KEYS = {
    "base_model", "train_file", "validation_file", "output_dir", "resume", "device", "seed", "lora", "optim", "batch",
    "eval_every", "checkpoint_every", "keep_best", "validation_max_tickets", "dtype", "gradient_checkpointing", "compile",
    "field_choices", "field_parents", "max_seq_len", "log_every",
}


def parse_job(raw: Any, base_dir: str = ".") -> Job:
    if not isinstance(raw, dict):
        raise JobError("the job must be a JSON object")
    _no_unknown(raw, TOP_KEYS, "")

    def path_of(key, required):
        v = _str(raw, key, "", required=required)
        return None if v is None else os.path.normpath(os.path.join(base_dir, v))

    job = Job(base_model=_str(raw, "base_model", "", required=True), train_file=path_of("train_file", True),
              output_dir=path_of("output_dir", True), validation_file=path_of("validation_file", False))
    if not os.path.isfile(job.train_file):
        _fail("train_file", f"{job.train_file} does not exist")
    if job.validation_file is not None and not os.path.isfile(job.validation_file):
        _fail("validation_file", f"{job.validation_file} does not exist")
    job.resume = _bool(raw, "resume", "", False)
    job.device = _str(raw, "device", "", "cuda", choices=("cuda", "cpu"))
    job.seed = _int(raw, "seed", "", 1, minimum=0)
    if job.seed >= 2**31:  # dropout seeds are derived as seed * 1_000_003 + ...; torch takes at most 64 bits
        _fail("seed", f"must be < {2**31}, got {job.seed}")
    # fp32 is the only sensible default on CPU (bf16 matmuls there are slow and imprecise).
    job.dtype = _str(raw, "dtype", "", "bf16" if job.device == "cuda" else "fp32", choices=("bf16", "fp32"))
    job.gradient_checkpointing = _bool(raw, "gradient_checkpointing", "", False)
    job.compile = _bool(raw, "compile", "", False)
    job.eval_every = _int(raw, "eval_every", "", 50, minimum=1)
    job.checkpoint_every = _int(raw, "checkpoint_every", "", 100, minimum=1)
    job.keep_best = _int(raw, "keep_best", "", 3, minimum=1)
    job.validation_max_tickets = _int(raw, "validation_max_tickets", "", 200, minimum=0)
    job.max_seq_len = _int(raw, "max_seq_len", "", 4096, minimum=8)
    job.log_every = _int(raw, "log_every", "", 10, minimum=1)

    lora = _object(raw, "lora", "")
    _no_unknown(lora, {"r", "alpha", "dropout", "target_modules"}, "lora.")
    job.lora.r = _int(lora, "r", "lora.", 16, minimum=1)
    job.lora.alpha = _num(lora, "alpha", "lora.", 32.0, minimum=0)
    job.lora.dropout = _num(lora, "dropout", "lora.", 0.0, minimum=0, maximum=0.9)
    if "target_modules" in lora:
        t = lora["target_modules"]
        if not isinstance(t, list) or not t or not all(isinstance(x, str) and x for x in t):
            _fail("lora.target_modules", "must be a non-empty list of module names")
        job.lora.target_modules = list(t)

    optim = _object(raw, "optim", "")
    _no_unknown(optim, {"lr", "weight_decay", "warmup_steps", "epochs", "max_steps", "max_grad_norm", "min_lr_ratio"}, "optim.")
    job.optim.lr = _num(optim, "lr", "optim.", 2e-4, minimum=0)
    if job.optim.lr <= 0:
        _fail("optim.lr", "must be > 0")
    job.optim.weight_decay = _num(optim, "weight_decay", "optim.", 0.01, minimum=0)
    job.optim.warmup_steps = _int(optim, "warmup_steps", "optim.", 0, minimum=0)
    job.optim.epochs = _int(optim, "epochs", "optim.", 1, minimum=1)
    job.optim.max_steps = None if optim.get("max_steps") is None else _int(optim, "max_steps", "optim.", None, minimum=1)
    job.optim.max_grad_norm = _num(optim, "max_grad_norm", "optim.", 1.0, minimum=0)
    job.optim.min_lr_ratio = _num(optim, "min_lr_ratio", "optim.", 0.1, minimum=0, maximum=1)

    batch = _object(raw, "batch", "")
    _no_unknown(batch, {"max_tokens_per_micro_batch", "grad_accum"}, "batch.")
    job.batch.max_tokens_per_micro_batch = _int(batch, "max_tokens_per_micro_batch", "batch.", 8192, minimum=16)
    job.batch.grad_accum = _int(batch, "grad_accum", "batch.", 1, minimum=1)

    fc = _object(raw, "field_choices", "")
    for name, choices in fc.items():
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            _fail(f"field_choices.{name}", "must be a list of strings (choice texts, JSON-escaped as in the answer)")
    job.field_choices = {k: list(v) for k, v in fc.items()}
    fp = _object(raw, "field_parents", "")
    for name, mapping in fp.items():
        if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
            _fail(f"field_parents.{name}", "must map child choice texts to parent choice texts (strings)")
    job.field_parents = {k: dict(v) for k, v in fp.items()}
    return job


def load_job(path: str) -> Job:
    try:
        with open(path, "r", encoding="utf-8") as f:
            raw = json.load(f)
    except FileNotFoundError:
        raise JobError(f"job file {path} does not exist") from None
    except json.JSONDecodeError as e:
        raise JobError(f"job file {path} is not valid JSON: {e}") from None
    # Relative paths in a job are relative to the job file, not to the trainer's cwd.
    return parse_job(raw, os.path.dirname(os.path.abspath(path)))
