"""The tokenization contract shared with serving (engine/models/llm): one function, checked byte for byte against
tests/fixtures/llm/prompt-golden.json, which node-llama-cpp rendered from the GGUF's own chat template.

  prompt_ids = tokenize(apply_chat_template(messages, add_generation_prompt=True), no special tokens added)
  answer_ids = tokenize(segment) for each answer segment, concatenated, then the end-of-turn token

Each segment is tokenized on its own so the tokens of a value are the same in training and in serving's choice
search, whatever scaffolding surrounds it. Only needs a tokenizer object (no torch).
"""
from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

CHATML_END = "<|im_end|>"


@dataclass
class Rendered:
    prompt_text: str
    prompt_ids: List[int]
    answer_ids: List[int]
    # One token list per answer segment (scaffold, value, scaffold, …), without the end-of-turn token.
    segment_ids: List[List[int]]
    # (field, start, end): the value's tokens are answer_ids[start:end].
    value_spans: List[Tuple[str, int, int]]

    @property
    def ids(self) -> List[int]:
        return self.prompt_ids + self.answer_ids


def end_of_turn_id(tokenizer) -> int:
    """ChatML models end a turn with <|im_end|> (what serving stops on); others with their eos token."""
    template = getattr(tokenizer, "chat_template", None) or ""
    if isinstance(template, dict):
        template = " ".join(str(v) for v in template.values())
    if CHATML_END in template:
        tid = tokenizer.convert_tokens_to_ids(CHATML_END)
        if isinstance(tid, int) and tid != getattr(tokenizer, "unk_token_id", None):
            return tid
    eos = getattr(tokenizer, "eos_token_id", None)
    if isinstance(eos, list):
        eos = eos[0] if eos else None
    if not isinstance(eos, int):
        raise ValueError("the tokenizer has no end-of-turn token (no <|im_end|> in its chat template, no eos_token)")
    return eos


def encode(tokenizer, text: str) -> List[int]:
    if not text:
        return []
    return list(tokenizer(text, add_special_tokens=False)["input_ids"])


def render_prompt_text(tokenizer, messages: List[Dict[str, str]]) -> str:
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    if not isinstance(text, str):
        raise TypeError(f"apply_chat_template returned {type(text).__name__}, expected str")
    return text


def render_example(tokenizer, example: Dict[str, Any], eot_id: int = None) -> Rendered:
    if eot_id is None:
        eot_id = end_of_turn_id(tokenizer)
    prompt_text = render_prompt_text(tokenizer, example["messages"])
    prompt_ids = encode(tokenizer, prompt_text)
    segment_ids = [encode(tokenizer, s) for s in example["answer_segments"]]
    answer_ids: List[int] = []
    spans: List[Tuple[str, int, int]] = []
    for i, ids in enumerate(segment_ids):
        start = len(answer_ids)
        answer_ids.extend(ids)
        if i % 2 == 1:
            spans.append((example["value_fields"][i // 2], start, len(answer_ids)))
    answer_ids.append(eot_id)
    return Rendered(prompt_text, prompt_ids, answer_ids, segment_ids, spans)
