"""`compile: true` changes speed, not math: the same job trained eager and compiled gives the same loss at every
step and the same validation loss (CUDA only: the trainer ignores compile on cpu)."""
import os
import tempfile
import unittest

from trainer.tests.helpers import TINY_HF, base_job, write_dataset
from trainer.tests.torch_helpers import of, requires_tiny, requires_torch, run_trainer, write_job


def has_cuda():
    try:
        import torch

        return torch.cuda.is_available()
    except Exception:  # noqa: BLE001
        return False


@requires_torch
@requires_tiny
@unittest.skipIf(not has_cuda(), "compile is a CUDA-only option")
class CompileTest(unittest.TestCase):
    def run_job(self, compile_layers):
        tmp = tempfile.mkdtemp()
        paths = write_dataset(os.path.join(tmp, "data"), 120, 12, seed=5)
        job = base_job(tmp, paths, TINY_HF, device="cuda", dtype="fp32", compile=compile_layers,
                       optim={"lr": 2e-3, "weight_decay": 0.0, "warmup_steps": 2, "epochs": 1, "max_steps": 12},
                       batch={"max_tokens_per_micro_batch": 3000, "grad_accum": 1}, eval_every=12,
                       checkpoint_every=12, log_every=1)
        events, rc, err = run_trainer(write_job(tmp, job), timeout=300)
        self.assertEqual(rc, 0, err)
        return events

    def test_same_losses_as_eager(self):
        eager, compiled = self.run_job(False), self.run_job(True)
        self.assertEqual(of(compiled, "start")[0]["compile"], True)
        a = [p["loss"] for p in of(eager, "progress")]
        b = [p["loss"] for p in of(compiled, "progress")]
        self.assertEqual(len(a), len(b))
        self.assertGreater(len(a), 5)
        for step, (x, y) in enumerate(zip(a, b), 1):
            self.assertAlmostEqual(x, y, delta=2e-3 * max(1.0, abs(x)), msg=f"step {step}: eager {x} compiled {y}")
        va, vb = of(eager, "eval")[-1]["val_loss"], of(compiled, "eval")[-1]["val_loss"]
        self.assertAlmostEqual(va, vb, delta=2e-3 * max(1.0, abs(va)))


if __name__ == "__main__":
    unittest.main()
