import unittest

from trainer.batching import (SplitMix64, collate, epoch_rng, group_by_budget, length_grouped_micro_batches,
                              padded_tokens, padding_share)
from trainer.tests.helpers import ticket_lengths


class BatchingTest(unittest.TestCase):
    def test_prng_is_fixed(self):
        a = [SplitMix64(42).next() for _ in range(1)]
        self.assertEqual(a, [SplitMix64(42).next()])
        r = SplitMix64(5)
        xs = list(range(100))
        r.shuffle(xs)
        self.assertEqual(sorted(xs), list(range(100)))
        self.assertNotEqual(xs, list(range(100)))

    def test_budget_and_coverage(self):
        lengths = ticket_lengths(3000)
        mbs = length_grouped_micro_batches(range(len(lengths)), lengths, 8192, epoch_rng(1, 0))
        seen = sorted(i for b in mbs for i in b)
        self.assertEqual(seen, list(range(len(lengths))))  # every example exactly once per epoch
        for b in mbs:
            self.assertTrue(padded_tokens(b, lengths) <= 8192 or len(b) == 1)

    def test_padding_share_is_small(self):
        lengths = ticket_lengths(3000)
        mbs = length_grouped_micro_batches(range(len(lengths)), lengths, 8192, epoch_rng(1, 0))
        share = padding_share(mbs, lengths)
        # The prototype's fixed batches of 16 padded to the longest wasted 64%.
        fixed = [list(range(i, min(i + 16, len(lengths)))) for i in range(0, len(lengths), 16)]
        self.assertGreater(padding_share(fixed, lengths), 0.4)
        self.assertLess(share, 0.06, share)
        print(f"\npadding share: grouped {share:.3f}, fixed-16 {padding_share(fixed, lengths):.3f}")

    def test_deterministic_and_differs_by_epoch(self):
        lengths = ticket_lengths(500)
        a = length_grouped_micro_batches(range(500), lengths, 4096, epoch_rng(9, 0))
        b = length_grouped_micro_batches(range(500), lengths, 4096, epoch_rng(9, 0))
        c = length_grouped_micro_batches(range(500), lengths, 4096, epoch_rng(9, 1))
        self.assertEqual(a, b)
        self.assertNotEqual(a, c)

    def test_oversized_example_alone(self):
        lengths = [5000, 100, 100]
        self.assertEqual(group_by_budget([0, 1, 2], lengths, 1000), [[0], [1, 2]])

    def test_collate(self):
        seqs = [[1, 2, 3, 4, 5], [6, 7, 8]]
        rows, pred, targets = collate([0, 1], seqs, [3, 1], pad_id=0)
        self.assertEqual(rows, [[1, 2, 3, 4, 5], [6, 7, 8, 0, 0]])
        # Row 0: answer tokens 4,5 at positions 3,4, predicted from 2,3. Row 1 (width 5): 7,8 from 0,1.
        self.assertEqual(pred, [2, 3, 5, 6])
        self.assertEqual(targets, [4, 5, 7, 8])


if __name__ == "__main__":
    unittest.main()
