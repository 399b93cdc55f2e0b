"""Turns the job's files into token sequences, the training plan's inputs and the validation layouts (no torch)."""
from dataclasses import dataclass, field
from typing import Dict, List

from trainer.candidates import TreeLayout, build_tree, parent_fields
from trainer.examples import field_values, read_examples
from trainer.render import encode, end_of_turn_id, render_example


@dataclass
class TrainSet:
    sequences: List[List[int]] = field(default_factory=list)
    n_prompt: List[int] = field(default_factory=list)
    skipped_too_long: int = 0

    @property
    def lengths(self) -> List[int]:
        return [len(s) for s in self.sequences]

    @property
    def answer_lengths(self) -> List[int]:
        return [len(s) - n for s, n in zip(self.sequences, self.n_prompt)]


@dataclass
class ValSet:
    layouts: List[TreeLayout] = field(default_factory=list)
    n_prompt: List[int] = field(default_factory=list)
    fields: List[str] = field(default_factory=list)


def load_train(tokenizer, path: str, max_seq_len: int) -> TrainSet:
    eot = end_of_turn_id(tokenizer)
    out = TrainSet()
    for ex in read_examples(path):
        r = render_example(tokenizer, ex, eot)
        # Too long to train on whole: dropped (and counted in the start event) rather than cut, because a cut
        # prompt is one serving never shows the model.
        if len(r.ids) > max_seq_len:
            out.skipped_too_long += 1
            continue
        out.sequences.append(r.ids)
        out.n_prompt.append(len(r.prompt_ids))
    return out


def load_validation(tokenizer, path: str, limit: int, field_choices: Dict[str, List[str]],
                    field_parents: Dict[str, Dict[str, str]], max_seq_len: int) -> ValSet:
    eot = end_of_turn_id(tokenizer)
    examples = read_examples(path, limit=limit)
    # A field the job lists no choices for is scored among the values the validation data shows.
    choices = dict(field_values(examples))
    choices.update({k: v for k, v in field_choices.items() if v})
    parent_of = parent_fields(field_parents, choices)
    choice_tokens = {name: {text: encode(tokenizer, text) for text in texts} for name, texts in choices.items()}
    out = ValSet(fields=[])
    for ex in examples:
        r = render_example(tokenizer, ex, eot)
        if len(r.ids) > max_seq_len:
            continue
        lay = build_tree(r.prompt_ids, r.answer_ids, r.segment_ids, r.value_spans, ex["answer_segments"], choice_tokens,
                         choices, field_parents, parent_of)
        out.layouts.append(lay)
        out.n_prompt.append(len(r.prompt_ids))
        for name in ex["value_fields"]:
            if name not in out.fields:
                out.fields.append(name)
    return out
