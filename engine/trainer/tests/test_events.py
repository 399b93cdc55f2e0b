import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

from trainer.events import Emitter, event_line
from trainer.tests.helpers import ENGINE


def has(module):
    try:
        __import__(module)
        return True
    except Exception:  # noqa: BLE001
        return False


class EventsTest(unittest.TestCase):
    def test_line_format(self):
        line = event_line("progress", {"step": 1, "loss": float("nan"), "x": [float("inf"), 1.5]})
        self.assertNotIn("\n", line)
        self.assertEqual(json.loads(line), {"event": "progress", "step": 1, "loss": None, "x": [None, 1.5]})

    def test_only_rank_zero_emits_but_errors_from_any(self):
        out = io.StringIO()
        Emitter(out, rank=1).emit("progress", step=1)
        self.assertEqual(out.getvalue(), "")
        Emitter(out, rank=1).error("internal", "boom", any_rank=True)
        e = json.loads(out.getvalue())
        self.assertEqual((e["event"], e["code"], e["rank"]), ("error", "internal", 1))

    def run_cli(self, job):
        tmp = tempfile.mkdtemp()
        path = os.path.join(tmp, "job.json")
        with open(path, "w") as f:
            json.dump(job, f)
        return subprocess.run([sys.executable, "-m", "trainer", "--job", path], cwd=ENGINE, capture_output=True,
                              text=True, timeout=120)

    def assert_single_error(self, proc, code):
        lines = proc.stdout.splitlines()
        self.assertEqual(len(lines), 1, proc.stdout + proc.stderr)
        e = json.loads(lines[0])
        self.assertEqual((e["event"], e["code"]), ("error", code), e)
        self.assertNotEqual(proc.returncode, 0)
        return e

    def test_cli_invalid_job(self):
        proc = self.run_cli({"base_model": "m"})
        e = self.assert_single_error(proc, "invalid_job")
        self.assertIn("train_file", e["message"])

    @unittest.skipIf(has("torch") and has("transformers") and has("peft"), "all dependencies are installed here")
    def test_cli_missing_dependency(self):
        tmp = tempfile.mkdtemp()
        train = os.path.join(tmp, "t.jsonl")
        open(train, "w").close()
        proc = self.run_cli({"base_model": "m", "train_file": train, "output_dir": tmp, "device": "cpu"})
        e = self.assert_single_error(proc, "missing_dependency")
        self.assertIn("pip install -r engine/trainer/requirements.txt", e["message"])
        self.assertIn("torch", e["message"])

    def test_script_entry_point(self):
        proc = subprocess.run([sys.executable, os.path.join(ENGINE, "trainer", "main.py"), "--job", "/nonexistent.json"],
                              capture_output=True, text=True, timeout=60)
        self.assert_single_error(proc, "invalid_job")


if __name__ == "__main__":
    unittest.main()
