import json
import os
import tempfile
import unittest

from trainer.job import JobError, load_job, parse_job


class JobTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.train = os.path.join(self.tmp, "train.jsonl")
        open(self.train, "w").close()

    def raw(self, **over):
        raw = {"base_model": "m", "train_file": self.train, "output_dir": os.path.join(self.tmp, "out")}
        raw.update(over)
        return raw

    def assertJobError(self, raw, key):
        with self.assertRaises(JobError) as cm:
            parse_job(raw)
        self.assertIn(f"'{key}'", str(cm.exception))
        return str(cm.exception)

    def test_defaults(self):
        job = parse_job(self.raw())
        self.assertEqual(job.device, "cuda")
        self.assertEqual(job.dtype, "bf16")
        self.assertFalse(job.gradient_checkpointing)
        self.assertFalse(job.compile)
        self.assertTrue(parse_job(self.raw(compile=True)).compile)
        self.assertEqual(job.lora.r, 16)
        self.assertEqual(job.batch.grad_accum, 1)
        self.assertIsNone(job.optim.max_steps)

    def test_cpu_defaults_to_fp32(self):
        self.assertEqual(parse_job(self.raw(device="cpu")).dtype, "fp32")

    def test_required_and_types_name_the_key(self):
        raw = self.raw()
        del raw["base_model"]
        self.assertJobError(raw, "base_model")
        self.assertJobError(self.raw(seed="1"), "seed")
        self.assertJobError(self.raw(device="tpu"), "device")
        self.assertJobError(self.raw(resume="yes"), "resume")
        self.assertJobError(self.raw(lora={"r": 0}), "lora.r")
        self.assertJobError(self.raw(optim={"lr": -1}), "optim.lr")
        self.assertJobError(self.raw(batch={"grad_accum": 1.5}), "batch.grad_accum")
        self.assertJobError(self.raw(lora={"target_modules": []}), "lora.target_modules")
        self.assertJobError(self.raw(field_choices={"a": "x"}), "field_choices.a")
        self.assertJobError(self.raw(field_parents={"a": {"x": 1}}), "field_parents.a")

    def test_unknown_keys_are_errors(self):
        msg = self.assertJobError(self.raw(eval_evry=5), "eval_evry")
        self.assertIn("eval_every", msg)
        self.assertJobError(self.raw(optim={"learning_rate": 1}), "optim.learning_rate")

    def test_missing_files(self):
        self.assertJobError(self.raw(train_file=os.path.join(self.tmp, "nope.jsonl")), "train_file")
        self.assertJobError(self.raw(validation_file=os.path.join(self.tmp, "nope.jsonl")), "validation_file")

    def test_relative_paths_are_relative_to_the_job_file(self):
        path = os.path.join(self.tmp, "job.json")
        with open(path, "w") as f:
            json.dump({"base_model": "m", "train_file": "train.jsonl", "output_dir": "out"}, f)
        job = load_job(path)
        self.assertEqual(job.train_file, self.train)
        self.assertEqual(job.output_dir, os.path.join(self.tmp, "out"))

    def test_bad_json_file(self):
        path = os.path.join(self.tmp, "bad.json")
        with open(path, "w") as f:
            f.write("{")
        with self.assertRaises(JobError):
            load_job(path)
        with self.assertRaises(JobError):
            load_job(os.path.join(self.tmp, "absent.json"))

    def test_integral_floats_are_accepted(self):
        self.assertEqual(parse_job(self.raw(eval_every=5.0)).eval_every, 5)


if __name__ == "__main__":
    unittest.main()
