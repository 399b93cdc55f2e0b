"""Reads the TrainingExample JSON Lines the engine writes (engine/triage/prompt.ts) and checks their shape."""
import json
from typing import Any, Dict, List


class DataError(ValueError):
    pass


def check_example(ex: Any, where: str) -> Dict[str, Any]:
    if not isinstance(ex, dict):
        raise DataError(f"{where}: a line must be a JSON object")
    msgs = ex.get("messages")
    if not isinstance(msgs, list) or not msgs:
        raise DataError(f"{where}: 'messages' must be a non-empty list")
    for i, m in enumerate(msgs):
        if not isinstance(m, dict) or not isinstance(m.get("role"), str) or not isinstance(m.get("content"), str):
            raise DataError(f"{where}: messages[{i}] must be {{role, content}} strings")
    segs = ex.get("answer_segments")
    if not isinstance(segs, list) or len(segs) % 2 != 1 or not all(isinstance(s, str) for s in segs):
        raise DataError(f"{where}: 'answer_segments' must be an odd-length list of strings (scaffold, value, …, scaffold)")
    fields = ex.get("value_fields")
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise DataError(f"{where}: 'value_fields' must be a list of field names")
    if len(fields) != (len(segs) - 1) // 2:
        raise DataError(f"{where}: {len(fields)} value_fields for {(len(segs) - 1) // 2} values in answer_segments")
    return ex


def read_examples(path: str, limit: int = -1) -> List[Dict[str, Any]]:
    out = []
    with open(path, "r", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            if 0 <= limit <= len(out):
                break
            try:
                ex = json.loads(line)
            except json.JSONDecodeError as e:
                raise DataError(f"{path}:{n}: not valid JSON ({e})") from None
            out.append(check_example(ex, f"{path}:{n}"))
    return out


def field_values(examples: List[Dict[str, Any]]) -> Dict[str, List[str]]:
    """The values each field takes in the data (in first-seen order): candidates when a job has no field_choices."""
    seen: Dict[str, Dict[str, None]] = {}
    for ex in examples:
        for i, name in enumerate(ex["value_fields"]):
            seen.setdefault(name, {})[ex["answer_segments"][2 * i + 1]] = None
    return {k: list(v) for k, v in seen.items()}
