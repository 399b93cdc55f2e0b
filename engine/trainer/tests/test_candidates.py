import unittest

from trainer.candidates import build_tree, field_candidates, parent_fields, pick, visible
from trainer.render import end_of_turn_id, render_example
from trainer.tests.helpers import CharTokenizer, training_example


class CandidatesTest(unittest.TestCase):
    def setUp(self):
        self.tok = CharTokenizer()
        self.ex = training_example("printer jam", "toner asap", {"priority": "High", "issue_type": "Printer"})
        self.r = render_example(self.tok, self.ex)

    def test_render_contract(self):
        r = self.r
        self.assertEqual(end_of_turn_id(self.tok), 2)  # <|im_end|> for a ChatML template
        self.assertEqual(r.answer_ids[-1], 2)
        self.assertEqual(r.answer_ids[:-1], [t for seg in r.segment_ids for t in seg])
        # Segment by segment: the value "High" has its own tokens.
        name, s, e = r.value_spans[0]
        self.assertEqual(name, "priority")
        self.assertEqual(r.answer_ids[s:e], self.tok("High")["input_ids"])
        self.assertEqual(r.prompt_ids, self.tok(r.prompt_text)["input_ids"])

    def layout(self, choices, parents=None):
        tok = {f: {c: self.tok(c)["input_ids"] for c in cs} for f, cs in choices.items()}
        parents = parents or {}
        return build_tree(self.r.prompt_ids, self.r.answer_ids, self.r.segment_ids, self.r.value_spans,
                          self.ex["answer_segments"], tok, choices, parents, parent_fields(parents, choices))

    def test_tree_layout(self):
        lay = self.layout({"priority": ["High", "Low"], "issue_type": ["Printer", "Email"]})
        self.assertEqual(len(lay.candidates), 4)
        base = len(self.r.prompt_ids)
        main = lay.input_ids[:lay.n_main]
        for c in lay.candidates:
            name, s, e = [v for v in self.r.value_spans if v[0] == c.field][0]
            # The first token is predicted from the last token before the value on the true path.
            self.assertEqual(c.pred_positions[0], base + s - 1)
            # Candidate tokens end with the first token of the following scaffold.
            following = self.r.segment_ids[[v[0] for v in self.r.value_spans].index(c.field) * 2 + 2]
            self.assertEqual(c.tokens[-1], following[0])
            # Branch tokens: at the positions they would have on the true path, seeing only the true prefix.
            for k, p in enumerate(c.pred_positions[1:]):
                self.assertEqual(lay.input_ids[p], c.tokens[k])
                self.assertEqual(lay.position_ids[p], base + s + k)
                for j in range(len(lay.input_ids)):
                    expect = j < base + s or (c.pred_positions[1] <= j <= p)
                    self.assertEqual(visible(lay, p, j), expect)
        # The true candidate's tokens equal the main path's tokens at the same positions.
        truth = [c for c in lay.candidates if c.field == "issue_type" and c.text == "Printer"][0]
        preds, toks = lay.true_path["issue_type"]
        self.assertEqual(toks, truth.tokens)
        self.assertEqual([main[p + 1] for p in preds], toks)
        # Main path stays plain causal.
        self.assertTrue(all(visible(lay, 5, j) == (j <= 5) for j in range(len(lay.input_ids))))

    def test_parent_restriction(self):
        choices = {"priority": ["High", "Low"], "issue_type": ["Printer", "Email", "Other"]}
        parents = {"issue_type": {"Printer": "High", "Email": "Low"}}
        self.assertEqual(parent_fields(parents, choices), {"issue_type": "priority"})
        self.assertEqual(field_candidates("issue_type", {"priority": "High"}, choices, parents, {"issue_type": "priority"}),
                         ["Printer", "Other"])
        lay = self.layout(choices, parents)
        self.assertEqual([c.text for c in lay.candidates if c.field == "issue_type"], ["Printer", "Other"])

    def test_pick(self):
        self.assertEqual(pick({"a": -2.0, "b": -1.0, "c": -1.0}), "b")
        self.assertIsNone(pick({}))


if __name__ == "__main__":
    unittest.main()


class DataTest(unittest.TestCase):
    def test_load_sets(self):
        import tempfile

        from trainer.data import load_train, load_validation
        from trainer.tests.helpers import write_dataset

        tmp = tempfile.mkdtemp()
        paths = write_dataset(tmp, 20, 5)
        tok = CharTokenizer()
        ts = load_train(tok, paths["train"], 10_000)
        self.assertEqual(len(ts.sequences), 20)
        self.assertTrue(all(a > 5 for a in ts.answer_lengths))
        short = load_train(tok, paths["train"], 300)
        self.assertEqual(len(short.sequences) + short.skipped_too_long, 20)
        # No field_choices in the job: the values seen in validation are the candidates.
        vs = load_validation(tok, paths["validation"], 3, {}, {}, 10_000)
        self.assertEqual(len(vs.layouts), 3)
        self.assertEqual(vs.fields, ["priority", "issue_type"])
        seen = {c.text for lay in vs.layouts for c in lay.candidates if c.field == "priority"}
        self.assertTrue(seen <= {"High", "Low"})
