"""For the tests that need torch + transformers + peft: a skip with a clear reason, and the trainer CLI runner."""
import json
import os
import signal
import subprocess
import sys
import time
import unittest

from trainer.tests.helpers import ENGINE, TINY_HF


def missing_deps():
    out = []
    for name in ("torch", "transformers", "peft", "safetensors"):
        try:
            __import__(name)
        except Exception:  # noqa: BLE001
            out.append(name)
    return out


MISSING = missing_deps()
requires_torch = unittest.skipIf(bool(MISSING), f"needs {', '.join(MISSING)} (pip install -r engine/trainer/requirements.txt)")
requires_tiny = unittest.skipIf(not os.path.isfile(os.path.join(TINY_HF, "config.json")), f"no tiny model at {TINY_HF}")


def write_job(tmp, job):
    path = os.path.join(tmp, "job.json")
    with open(path, "w") as f:
        json.dump(job, f)
    return path


def run_trainer(job_path, timeout=600, cancel_when=None):
    """Runs `python3 -m trainer --job` from engine/ like the engine does; returns (events, rc, stderr tail).
    `cancel_when(event)` returning True sends SIGTERM once."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "trainer", "--job", job_path], cwd=ENGINE, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    events, sent = [], False
    deadline = time.time() + timeout
    import threading

    err_lines = []
    t = threading.Thread(target=lambda: err_lines.extend(proc.stderr), daemon=True)
    t.start()
    for line in proc.stdout:
        e = json.loads(line)  # every stdout line must be a JSON event
        assert isinstance(e.get("event"), str), line
        events.append(e)
        if cancel_when and not sent and cancel_when(e):
            proc.send_signal(signal.SIGTERM)
            sent = True
        if time.time() > deadline:
            proc.kill()
            break
    rc = proc.wait(timeout=60)
    t.join(timeout=5)
    return events, rc, "".join(err_lines[-40:])


def of(events, kind):
    return [e for e in events if e["event"] == kind]
