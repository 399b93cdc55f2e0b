"""Tree-masked candidate scoring equals plain causal scoring (one row per candidate) on the tiny model."""
import tempfile
import unittest

from trainer.tests.helpers import TINY_HF, field_choices, write_dataset
from trainer.tests.torch_helpers import requires_tiny, requires_torch


@requires_torch
@requires_tiny
class ScoringTest(unittest.TestCase):
    def test_tree_equals_simple(self):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from trainer.data import load_validation
        from trainer.model import AnswerLoss, add_lora
        from trainer.scoring import Evaluator, run_batch, simple_items, tree_item

        class OneProcess:
            rank, world_size, device = 0, 1, torch.device("cpu")

            def any_flag(self, f):
                return f

            def all_sum(self, t):
                return t

        tmp = tempfile.mkdtemp()
        paths = write_dataset(tmp, 1, 6)
        tok = AutoTokenizer.from_pretrained(TINY_HF)
        val = load_validation(tok, paths["validation"], 6, field_choices(), {}, 4096)
        torch.manual_seed(0)
        base = AutoModelForCausalLM.from_pretrained(TINY_HF, dtype=torch.float32, attn_implementation="sdpa")
        peft = add_lora(base, 8, 16, 0.0, ["q_proj", "v_proj"], False)
        # Non-zero LoRA B, so the adapter path is exercised too.
        for n, p in peft.named_parameters():
            if "lora_B" in n:
                torch.nn.init.normal_(p, std=0.05)
        module = AnswerLoss(peft).eval()
        for i, lay in enumerate(val.layouts):
            tree = run_batch(module, [tree_item(i, lay, val.n_prompt[i])], tok.eos_token_id, torch.device("cpu"), torch.float32)
            simple = {}
            for it in simple_items(i, lay, val.n_prompt[i]):
                simple.update(run_batch(module, [it], tok.eos_token_id, torch.device("cpu"), torch.float32))
            for key, v in simple.items():
                self.assertAlmostEqual(tree[key], v, delta=1e-3, msg=str(key))
        ev = Evaluator(val.layouts, val.n_prompt, val.fields, tok.eos_token_id, 4096, torch.float32)
        m = ev.evaluate(module, OneProcess())
        self.assertEqual(m["scoring"], "tree")
        self.assertEqual(set(m["fields"]), {"priority", "issue_type"})
        ev2 = Evaluator(val.layouts, val.n_prompt, val.fields, tok.eos_token_id, 4096, torch.float32)
        ev2.mode, ev2.checked = "simple", True
        m2 = ev2.evaluate(module, OneProcess())
        self.assertEqual(m["fields"], m2["fields"])
        self.assertAlmostEqual(m["val_loss"], m2["val_loss"], delta=1e-4)


if __name__ == "__main__":
    unittest.main()
