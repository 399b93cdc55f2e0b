"""The real CLI on the tiny model (CPU): events, checkpoints, cancel by SIGTERM and an exact resume."""
import json
import os
import tempfile
import unittest

from trainer.tests.helpers import TINY_HF, base_job, write_dataset
from trainer.tests.torch_helpers import of, requires_tiny, requires_torch, run_trainer, write_job


@requires_torch
@requires_tiny
class CliTest(unittest.TestCase):
    def test_train_events_and_checkpoints(self):
        tmp = tempfile.mkdtemp()
        paths = write_dataset(os.path.join(tmp, "data"), 60, 12)
        job = base_job(tmp, paths, TINY_HF, optim={"lr": 2e-3, "warmup_steps": 2, "epochs": 1, "max_steps": 12})
        events, rc, err = run_trainer(write_job(tmp, job))
        self.assertEqual(rc, 0, err)
        kinds = [e["event"] for e in events]
        self.assertEqual(kinds[0], "start", kinds)
        self.assertEqual(kinds[-1], "done", kinds)
        start = events[0]
        self.assertEqual((start["device"], start["world_size"], start["total"]), ("cpu", 1, 12))
        for p in of(events, "progress"):
            for key in ("step", "total", "epoch", "loss", "lr", "tokens_per_s", "real_tokens", "padding_share", "gpu_mem_gib", "eta_s"):
                self.assertIn(key, p)
        evals = of(events, "eval")
        self.assertEqual([e["step"] for e in evals], [0, 5, 10, 12])
        self.assertEqual(set(evals[-1]["fields"]), {"priority", "issue_type"})
        self.assertEqual(evals[-1]["scoring"], "tree", err)  # the tree mask agreed with causal scoring
        cps = of(events, "checkpoint")
        self.assertEqual([c["step"] for c in cps], [5, 10, 12])
        for c in cps:
            self.assertLessEqual(len(c["kept"]), job["keep_best"] + 1)
        done = events[-1]
        best = done["best_checkpoint"]
        for name in ("adapter_model.safetensors", "adapter_config.json", "trainer_state.json", "optimizer.pt", "metrics.json"):
            self.assertTrue(os.path.isfile(os.path.join(best, name)), name)
        with open(os.path.join(best, "metrics.json")) as f:
            self.assertIn("accuracy_mean", json.load(f))
        remaining = sorted(d for d in os.listdir(job["output_dir"]) if d.startswith("checkpoint-"))
        self.assertEqual(remaining, sorted(os.path.basename(p) for p in cps[-1]["kept"]))
        # A non-empty output_dir without resume is refused.
        events2, rc2, _ = run_trainer(write_job(tmp, job))
        self.assertNotEqual(rc2, 0)
        self.assertEqual(events2[-1]["code"], "output_dir_not_empty")

    def test_cancel_then_resume_continues_exactly(self):
        tmp = tempfile.mkdtemp()
        paths = write_dataset(os.path.join(tmp, "data"), 80, 8)
        optim = {"lr": 2e-3, "warmup_steps": 2, "epochs": 1, "max_steps": 60}
        # Reference: the same job uninterrupted.
        ref_job = base_job(os.path.join(tmp, "ref"), paths, TINY_HF, optim=optim, eval_every=1000, checkpoint_every=1000)
        os.makedirs(os.path.join(tmp, "ref"))
        ref, rc, err = run_trainer(write_job(os.path.join(tmp, "ref"), ref_job))
        self.assertEqual(rc, 0, err)
        ref_loss = {e["step"]: e["loss"] for e in of(ref, "progress")}

        job = base_job(tmp, paths, TINY_HF, optim=optim, eval_every=1000, checkpoint_every=1000)
        first, rc, err = run_trainer(write_job(tmp, job), cancel_when=lambda e: e["event"] == "progress" and e["step"] >= 3)
        self.assertEqual(rc, 0, err)
        cancelled = of(first, "cancelled")
        self.assertEqual(len(cancelled), 1, [e["event"] for e in first])
        stop = cancelled[0]["step"]
        self.assertGreaterEqual(stop, 3)
        self.assertLess(stop, 60, "the run ended before the signal was handled")
        self.assertTrue(os.path.isdir(cancelled[0]["checkpoint"]))
        self.assertEqual(of(first, "checkpoint")[-1]["step"], stop)

        job["resume"] = True
        second, rc, err = run_trainer(write_job(tmp, job))
        self.assertEqual(rc, 0, err)
        start = of(second, "start")[0]
        self.assertEqual(start["start_step"], stop)
        self.assertFalse(start["plan_changed"])
        progress = of(second, "progress")
        self.assertEqual(progress[0]["step"], stop + 1)
        # Same adapter, optimizer, schedule and data order: the resumed losses are the uninterrupted run's.
        for p in progress:
            self.assertAlmostEqual(p["loss"], ref_loss[p["step"]], delta=1e-3 * max(1.0, abs(ref_loss[p["step"]])))
        self.assertEqual(of(second, "done")[0]["steps"], 60)


if __name__ == "__main__":
    unittest.main()
