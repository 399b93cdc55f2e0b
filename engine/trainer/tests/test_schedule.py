import unittest

from trainer.schedule import build_plan, lr_at, plan_fingerprint
from trainer.tests.helpers import ticket_lengths


class ScheduleTest(unittest.TestCase):
    def setUp(self):
        self.lengths = ticket_lengths(400, seed=3)
        self.answers = [40] * len(self.lengths)

    def plan(self, **kw):
        args = dict(seed=1, lengths=self.lengths, answer_lengths=self.answers, max_tokens=4096, world_size=1,
                    grad_accum=1, epochs=2, max_steps=None)
        args.update(kw)
        return build_plan(**args)

    def test_pure_function_of_seed(self):
        self.assertEqual(self.plan(), self.plan())
        self.assertNotEqual(self.plan(), self.plan(seed=2))

    def test_epochs_cover_data(self):
        plan = self.plan()
        for epoch in (0, 1):
            ids = sorted(i for s in plan if s.epoch == epoch for mb in s.micro_batches[0] for i in mb)
            self.assertEqual(ids, list(range(len(self.lengths))))

    def test_resume_skips_done_steps(self):
        full = self.plan()
        # A resumed run rebuilds the plan and continues at step k: exactly the micro-batches not yet run.
        resumed = self.plan()[7:]
        self.assertEqual(full[7:], resumed)
        done = [i for s in full[:7] for mb in s.micro_batches[0] for i in mb]
        rest = [i for s in resumed for mb in s.micro_batches[0] for i in mb]
        self.assertEqual(sorted(done + rest), sorted(i for s in full for mb in s.micro_batches[0] for i in mb))

    def test_ranks_get_equal_micro_batch_counts(self):
        plan = self.plan(world_size=3, grad_accum=2)
        for s in plan:
            self.assertEqual([len(r) for r in s.micro_batches], [2, 2, 2])
            self.assertEqual(s.answer_tokens, sum(40 for r in s.micro_batches for mb in r for _ in mb))
        # Ranks see disjoint data within a step.
        s = plan[0]
        sets = [set(i for mb in r for i in mb) for r in s.micro_batches]
        self.assertFalse(sets[0] & sets[1])

    def test_max_steps_cuts_or_extends(self):
        one_epoch = len(self.plan(epochs=1))
        self.assertEqual(len(self.plan(max_steps=3)), 3)
        long = self.plan(epochs=1, max_steps=one_epoch * 2 + 1)
        self.assertEqual(len(long), one_epoch * 2 + 1)
        self.assertEqual(long[-1].epoch, 2)

    def test_fingerprint(self):
        a = plan_fingerprint(1, self.lengths, 4096, 1, 1, 2, None)
        self.assertEqual(a, plan_fingerprint(1, self.lengths, 4096, 1, 1, 2, None))
        self.assertNotEqual(a, plan_fingerprint(1, self.lengths, 4096, 2, 1, 2, None))

    def test_lr(self):
        self.assertAlmostEqual(lr_at(0, 1.0, 4, 100), 0.25)
        self.assertAlmostEqual(lr_at(3, 1.0, 4, 100), 1.0)
        self.assertAlmostEqual(lr_at(4, 1.0, 4, 100), 1.0)
        self.assertAlmostEqual(lr_at(100, 1.0, 4, 100, 0.1), 0.1)
        self.assertTrue(lr_at(50, 1.0, 4, 100) < 1.0)


if __name__ == "__main__":
    unittest.main()
