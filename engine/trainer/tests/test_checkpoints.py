import json
import os
import tempfile
import unittest

from trainer import checkpoints as ckpt


def cp(step, acc=None, loss=None):
    m = {}
    if acc is not None:
        m["accuracy_mean"] = acc
    if loss is not None:
        m["val_loss"] = loss
    return ckpt.Checkpoint(step=step, path=f"/x/{step}", metrics=m)


class CheckpointsTest(unittest.TestCase):
    def test_best_k_by_accuracy_then_loss_and_latest_kept(self):
        cs = [cp(10, 0.5, 1.0), cp(20, 0.8, 0.9), cp(30, 0.8, 0.7), cp(40, 0.6, 0.5), cp(50)]
        kept = ckpt.select_kept(cs, 2)
        self.assertEqual([c.step for c in kept], [30, 20, 50])  # best two, then the latest for resume
        self.assertEqual(ckpt.best(cs).step, 30)

    def test_latest_not_duplicated(self):
        cs = [cp(10, 0.5), cp(20, 0.9)]
        self.assertEqual([c.step for c in ckpt.select_kept(cs, 1)], [20])

    def test_without_accuracy_ranks_by_loss(self):
        cs = [cp(10, None, 2.0), cp(20, None, 1.0), cp(30, None, 3.0)]
        self.assertEqual(ckpt.best(cs).step, 20)

    def test_scan_prune_on_disk(self):
        tmp = tempfile.mkdtemp()
        for step, acc in ((5, 0.2), (10, 0.9), (15, 0.4)):
            d = os.path.join(tmp, ckpt.checkpoint_name(step))
            os.makedirs(d)
            ckpt.write_json(os.path.join(d, ckpt.STATE_FILE), {"step": step})
            ckpt.write_json(os.path.join(d, ckpt.METRICS_FILE), {"accuracy_mean": acc})
        os.makedirs(os.path.join(tmp, ckpt.checkpoint_name(20)))  # incomplete: no trainer_state.json
        os.makedirs(os.path.join(tmp, ckpt.checkpoint_name(25) + ".tmp"))
        # A prune killed mid-delete: ignored, and finished by the next scan.
        os.makedirs(os.path.join(tmp, ckpt.checkpoint_name(30) + ".deleting"))
        ckpt.write_json(os.path.join(tmp, ckpt.checkpoint_name(30) + ".deleting", ckpt.STATE_FILE), {"step": 30})
        found = ckpt.scan(tmp)
        self.assertFalse(os.path.exists(os.path.join(tmp, ckpt.checkpoint_name(30) + ".deleting")))
        self.assertEqual([c.step for c in found], [5, 10, 15])
        self.assertEqual(ckpt.latest(tmp).step, 15)
        kept = ckpt.prune(found, 1)
        self.assertEqual([c.step for c in kept], [10, 15])
        self.assertFalse(os.path.exists(os.path.join(tmp, ckpt.checkpoint_name(5))))
        self.assertEqual([n for n in os.listdir(tmp) if n.endswith(".deleting")], [])
        with open(os.path.join(kept[0].path, ckpt.METRICS_FILE)) as f:
            self.assertEqual(json.load(f)["accuracy_mean"], 0.9)


if __name__ == "__main__":
    unittest.main()
