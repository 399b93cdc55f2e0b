"""Reference logits of the tiny model in PyTorch, with and without its LoRA adapters.

Run where torch, transformers and peft are installed (the GPU machine; CPU is enough):
    python3 engine/models/llm/tiny/reference_logits.py tests/fixtures/llm/tiny > tests/fixtures/llm/tiny/reference-logits.json

The engine's test (tests/unit/engine/models/llm/lora-parity.test.ts) loads the same weights from the GGUF files
in node-llama-cpp and checks it computes the same next-token logits, and that each adapter moves them the same way:
proof that the project's GGUF writer and PEFT -> GGUF converter carry the weights faithfully.
"""
import json
import sys
from pathlib import Path

import torch
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer

TEXTS = [
    "<|im_start|>user\nMy laptop screen is flickering since the update<|im_end|>\n<|im_start|>assistant\n{\"issue_type\": \"",
    "Printer on floor 3 jams on every job; toner replaced twice.",
]


def last_logits(model, ids):
    with torch.no_grad():
        return model(input_ids=torch.tensor([ids])).logits[0, -1].double().tolist()


def main(root: str) -> None:
    root_path = Path(root)
    hf = root_path / "hf"
    tokenizer = AutoTokenizer.from_pretrained(hf)
    base = AutoModelForCausalLM.from_pretrained(hf, dtype=torch.float32, attn_implementation="eager").eval()
    out = {"texts": [], "torch": torch.__version__}
    adapters = sorted(p for p in root_path.glob("adapter-*") if p.is_dir())
    for text in TEXTS:
        ids = tokenizer(text, add_special_tokens=False).input_ids
        entry = {"text": text, "ids": ids, "base": last_logits(base, ids), "adapters": {}}
        out["texts"].append(entry)
    for adapter in adapters:
        fresh = AutoModelForCausalLM.from_pretrained(hf, dtype=torch.float32, attn_implementation="eager").eval()
        model = PeftModel.from_pretrained(fresh, adapter).eval()
        for entry in out["texts"]:
            entry["adapters"][adapter.name] = last_logits(model, entry["ids"])
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/llm/tiny")
