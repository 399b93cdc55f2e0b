"""The protocol: one JSON object per line on stdout, flushed, and nothing else there (logs go to stderr).

`claim_stdout` moves the process's fd 1 onto stderr and keeps a private handle on the original stdout, so a
library that prints (transformers, torch warnings, a stray print) can never corrupt the event stream.
"""
import io
import json
import math
import os
import sys
import time


def claim_stdout():
    sys.stdout.flush()
    events_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", buffering=0), write_through=True)
    return io.TextIOWrapper(os.fdopen(events_fd, "wb", buffering=0), encoding="utf-8", write_through=True)


def log(message: str) -> None:
    print(f"trainer: {message}", file=sys.stderr, flush=True)


def _clean(value):
    """JSON without NaN/Infinity (the engine's JSON.parse rejects them): non-finite numbers become null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def event_line(event: str, fields: dict) -> str:
    return json.dumps(_clean({"event": event, **fields}), ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class Emitter:
    """Writes events; only rank 0 writes, except errors, which any rank may report (torchrun merges stdout)."""

    def __init__(self, stream, rank: int = 0) -> None:
        self.stream = stream
        self.rank = rank
        self.started = time.time()

    def emit(self, event: str, **fields) -> None:
        if self.rank != 0:
            return
        self._write(event_line(event, fields))

    def error(self, code: str, message: str, any_rank: bool = False) -> None:
        if self.rank != 0 and not any_rank:
            return
        log(f"error {code}: {message}")
        if self.rank != 0:
            # Ranks share torchrun's stdout pipe: a line over PIPE_BUF (4,096 bytes) could interleave with another
            # rank's and break both. The full message is on stderr above.
            message = message[:1000]
        fields = {"code": code, "message": message}
        if self.rank != 0:
            fields["rank"] = self.rank
        line = event_line("error", fields)
        if self.rank != 0 and len(line.encode("utf-8")) > 3500:
            line = event_line("error", {**fields, "message": message[:300]})
        self._write(line)

    def _write(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()
