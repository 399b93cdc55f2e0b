"""render_example vs the serving path's golden file (node-llama-cpp on the same tiny model): same text, same ids."""
import json
import os
import unittest

from trainer.tests.helpers import GOLDEN, TINY_HF
from trainer.tests.torch_helpers import requires_tiny, requires_torch


@requires_torch
@requires_tiny
class RenderGoldenTest(unittest.TestCase):
    @unittest.skipIf(not os.path.isfile(GOLDEN), "no prompt golden file")
    def test_matches_serving(self):
        from transformers import AutoTokenizer

        from trainer.render import render_example

        with open(GOLDEN, encoding="utf-8") as f:
            golden = json.load(f)
        tok = AutoTokenizer.from_pretrained(TINY_HF)
        r = render_example(tok, golden)
        self.assertEqual(r.prompt_text, golden["prompt_text"])
        self.assertEqual(r.prompt_ids, golden["prompt_ids"])
        self.assertEqual(r.answer_ids, golden["answer_ids"])


if __name__ == "__main__":
    unittest.main()
