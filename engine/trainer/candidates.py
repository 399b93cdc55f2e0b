"""Validation field accuracy without generation: for each field, teacher-forced on the true earlier answer, every
candidate choice is scored by the summed log-probability of its tokens plus the first token of the scaffold that
follows it (so "Mail" cannot win by being a prefix of "Mailbox full"); argmax against the truth.

All of one ticket's candidates are scored in ONE forward pass as a tree: the true sequence (prompt + answer) comes
first, then each candidate as a branch that sees the true prefix up to its field's value and its own earlier
tokens, at the positions it would have there. Cost ~ prompt + sum of candidate lengths, instead of
candidates x prompt. This module builds that layout (no torch); scoring.py runs it.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple


@dataclass
class Candidate:
    field: str
    text: str
    tokens: List[int]            # choice tokens + first token of the following scaffold
    pred_positions: List[int]    # where, in the packed sequence, the hidden state predicting each token sits


@dataclass
class TreeLayout:
    input_ids: List[int]
    position_ids: List[int]
    # Token t sees keys j with j < see_prefix[t], or own_start[t] <= j <= t (the main path is plain causal).
    see_prefix: List[int]
    own_start: List[int]
    n_main: int
    candidates: List[Candidate] = field(default_factory=list)
    truth: Dict[str, str] = field(default_factory=dict)
    # Per field, the main path's positions and tokens for the true value (a check of the tree's masking).
    true_path: Dict[str, Tuple[List[int], List[int]]] = field(default_factory=dict)


def field_candidates(field_name: str, truth_by_field: Dict[str, str], field_choices: Dict[str, List[str]],
                     field_parents: Dict[str, Dict[str, str]], parent_of: Dict[str, str]) -> List[str]:
    """The choices serving would offer: a child field only those under the (true) parent value."""
    choices = field_choices.get(field_name, [])
    parents = field_parents.get(field_name)
    parent_field = parent_of.get(field_name)
    if parents and parent_field and parent_field in truth_by_field:
        parent_value = truth_by_field[parent_field]
        choices = [c for c in choices if parents.get(c, parent_value) == parent_value]
    return choices


def parent_fields(field_parents: Dict[str, Dict[str, str]], field_choices: Dict[str, List[str]]) -> Dict[str, str]:
    """Which field is each child's parent, found from the parent choice texts (the job names only the child)."""
    out = {}
    for child, mapping in field_parents.items():
        wanted = set(mapping.values())
        best, hits = None, 0
        for name, choices in field_choices.items():
            if name == child:
                continue
            n = len(wanted & set(choices))
            if n > hits:
                best, hits = name, n
        if best is not None:
            out[child] = best
    return out


def build_tree(prompt_ids: Sequence[int], answer_ids: Sequence[int], segment_ids: Sequence[Sequence[int]],
               value_spans: Sequence[Tuple[str, int, int]], answer_segments: Sequence[str],
               choice_tokens: Dict[str, Dict[str, List[int]]], field_choices: Dict[str, List[str]],
               field_parents: Dict[str, Dict[str, str]], parent_of: Dict[str, str]) -> TreeLayout:
    main = list(prompt_ids) + list(answer_ids)
    n_main = len(main)
    layout = TreeLayout(input_ids=list(main), position_ids=list(range(n_main)), see_prefix=[0] * n_main,
                        own_start=[0] * n_main, n_main=n_main)
    truth = {name: answer_segments[2 * k + 1] for k, (name, _, _) in enumerate(value_spans)}
    layout.truth = truth
    base = len(prompt_ids)
    for k, (name, start, end) in enumerate(value_spans):
        following = segment_ids[2 * k + 2] if 2 * k + 2 < len(segment_ids) else []
        # The token after the value on the true path: the next scaffold's first token (or end-of-turn).
        boundary = following[:1] if following else [answer_ids[end]]
        value_at = base + start  # first value token's position in the main path
        if value_at == 0:
            continue  # nothing before the value to predict it from (cannot happen with a real prompt)
        true_tokens = list(answer_ids[start:end]) + boundary
        layout.true_path[name] = ([value_at - 1 + i for i in range(len(true_tokens))], true_tokens)
        for text in field_candidates(name, truth, field_choices, field_parents, parent_of):
            tokens = list(choice_tokens[name][text]) + boundary
            preds = [value_at - 1]
            branch_start = len(layout.input_ids)
            # The branch's inputs are its tokens but the last (whose output predicts nothing we score).
            for i, tok in enumerate(tokens[:-1]):
                preds.append(len(layout.input_ids))
                layout.input_ids.append(tok)
                layout.position_ids.append(value_at + i)
                layout.see_prefix.append(value_at)
                layout.own_start.append(branch_start)
            layout.candidates.append(Candidate(name, text, tokens, preds))
    return layout


def visible(layout: TreeLayout, t: int, j: int) -> bool:
    """Reference of the mask rule (scoring.py builds the same thing with tensors)."""
    return j < layout.see_prefix[t] or layout.own_start[t] <= j <= t


def pick(scores: Dict[str, float]) -> Optional[str]:
    """Argmax, ties to the first candidate (dict order is the choice order)."""
    best, best_score = None, None
    for text, s in scores.items():
        if best_score is None or s > best_score:
            best, best_score = text, s
    return best
