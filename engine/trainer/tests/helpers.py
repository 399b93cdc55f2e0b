"""Shared by the tests: a tiny character tokenizer (no transformers needed) and synthetic tickets."""
import json
import math
import os
import random

ENGINE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPO = os.path.dirname(ENGINE)
TINY_HF = os.path.join(REPO, "tests", "fixtures", "llm", "tiny", "hf")
GOLDEN = os.path.join(REPO, "tests", "fixtures", "llm", "prompt-golden.json")


class CharTokenizer:
    """One token per character; <|im_end|> is one special token. Enough to test layouts and rendering logic."""
    chat_template = "{% for m in messages %}<|im_start|>...<|im_end|>{% endfor %}"
    unk_token_id = 0
    eos_token_id = 1
    pad_token_id = None
    END = "<|im_end|>"

    def convert_tokens_to_ids(self, tok):
        return 2 if tok == self.END else 0

    def apply_chat_template(self, messages, tokenize=False, add_generation_prompt=True):
        text = "".join(f"<{m['role']}>{m['content']}{self.END}" for m in messages)
        return text + ("<assistant>" if add_generation_prompt else "")

    def __call__(self, text, add_special_tokens=False):
        ids, i = [], 0
        while i < len(text):
            if text.startswith(self.END, i):
                ids.append(2)
                i += len(self.END)
            else:
                ids.append(10 + ord(text[i]) % 1000)
                i += 1
        return {"input_ids": ids}


ISSUES = {
    "Printer": ["printer", "toner", "paper jam"],
    "Email": ["outlook", "mailbox", "inbox"],
    "Network": ["vpn", "wifi", "router"],
    "Password": ["password", "locked out", "reset"],
    "Laptop": ["laptop", "battery", "screen"],
    "Server": ["server", "backup", "disk full"],
}
NOISE = ("please help the user reports that since this morning it is not working again and we tried a restart "
         "office floor team urgent today yesterday after update ticket customer site").split()


def ticket(rng: random.Random):
    issue = rng.choice(sorted(ISSUES))
    prio = rng.choice(["High", "Low"])
    words = [rng.choice(NOISE) for _ in range(rng.randint(8, 30))]
    for _ in range(2):
        words.insert(rng.randrange(len(words) + 1), rng.choice(ISSUES[issue]))
    words.insert(rng.randrange(len(words) + 1), "asap" if prio == "High" else "whenever")
    title = f"{rng.choice(ISSUES[issue])} {rng.choice(NOISE)}"
    return title, " ".join(words), {"priority": prio, "issue_type": issue}


def system_message():
    return ("You triage helpdesk tickets for a managed service provider.\n"
            "Answer with one JSON object that has exactly these keys, each set to one of its allowed values:\n"
            "- priority (Priority): one of \"High\", \"Low\"\n"
            f"- issue_type (Issue Type): one of {', '.join(json.dumps(k) for k in sorted(ISSUES))}")


def training_example(title, description, labels):
    """The TrainingExample shape of engine/triage/prompt.ts (trainingExample), for two fields."""
    return {
        "messages": [{"role": "system", "content": system_message()},
                     {"role": "user", "content": f"{title}\n{description}"}],
        "answer_segments": ['{"priority": "', labels["priority"], '", "issue_type": "', labels["issue_type"], '"}'],
        "value_fields": ["priority", "issue_type"],
    }


def write_dataset(directory, n_train, n_val, seed=7):
    rng = random.Random(seed)
    os.makedirs(directory, exist_ok=True)
    paths = {}
    for split, n in (("train", n_train), ("validation", n_val)):
        path = os.path.join(directory, f"{split}.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for _ in range(n):
                f.write(json.dumps(training_example(*ticket(rng))) + "\n")
        paths[split] = path
    return paths


def field_choices():
    return {"priority": ["High", "Low"], "issue_type": sorted(ISSUES)}


def base_job(tmp, paths, base_model, **over):
    job = {
        "base_model": base_model, "train_file": paths["train"], "validation_file": paths["validation"],
        "output_dir": os.path.join(tmp, "out"), "resume": False, "device": "cpu", "seed": 3, "dtype": "fp32",
        "lora": {"r": 8, "alpha": 16, "dropout": 0, "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj",
                                                                         "gate_proj", "up_proj", "down_proj"]},
        "optim": {"lr": 2e-3, "weight_decay": 0.0, "warmup_steps": 2, "epochs": 1},
        "batch": {"max_tokens_per_micro_batch": 2048, "grad_accum": 1},
        "eval_every": 5, "checkpoint_every": 5, "keep_best": 2, "validation_max_tickets": 20, "log_every": 1,
        "field_choices": field_choices(),
    }
    job.update(over)
    return job


def ticket_lengths(n, seed=1):
    """The baseline's distribution: log-normal around 350 prompt tokens, 120..2048, plus ~40 answer tokens."""
    rng = random.Random(seed)
    return [int(min(max(rng.lognormvariate(math.log(350), 0.6), 120), 2048)) + 40 for _ in range(n)]
