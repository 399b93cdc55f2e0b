"""Saving and restoring a checkpoint: the PEFT adapter (adapter_model.safetensors + adapter_config.json, what the
engine converts to GGUF), optimizer state, RNG states, the trainer state (step, plan fingerprint) and metrics.

A checkpoint is written to `<name>.tmp` and renamed into place, so a crash mid-save never leaves a directory that
looks complete; checkpoints.scan only trusts directories with trainer_state.json.
"""
import os
import shutil
from typing import Dict

import torch

from trainer import checkpoints as ckpt

ADAPTER_FILE = "adapter_model.safetensors"


def save(output_dir: str, step: int, peft_model, optimizer, metrics: Dict, state: Dict) -> str:
    path = os.path.join(output_dir, ckpt.checkpoint_name(step))
    tmp = path + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    peft_model.save_pretrained(tmp, safe_serialization=True)
    if not os.path.isfile(os.path.join(tmp, ADAPTER_FILE)):
        raise RuntimeError(f"PEFT did not write {ADAPTER_FILE} in {tmp}")
    torch.save(optimizer.state_dict(), os.path.join(tmp, "optimizer.pt"))
    rng = {"cpu": torch.get_rng_state()}
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        rng["cuda"] = torch.cuda.get_rng_state_all()
    torch.save(rng, os.path.join(tmp, "rng_state.pt"))
    ckpt.write_json(os.path.join(tmp, ckpt.METRICS_FILE), metrics)
    ckpt.write_json(os.path.join(tmp, ckpt.STATE_FILE), {**state, "step": step})
    if os.path.isdir(path):
        shutil.rmtree(path)
    os.replace(tmp, path)
    return path


def load(path: str, peft_model, optimizer, device: torch.device) -> Dict:
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    weights = load_file(os.path.join(path, ADAPTER_FILE), device=str(device))
    result = set_peft_model_state_dict(peft_model, weights)
    unexpected = list(getattr(result, "unexpected_keys", []) or [])
    if unexpected:
        raise RuntimeError(f"{path}: adapter tensors this model has no place for: {unexpected[:5]}")
    # Every LoRA parameter of the live model must have come from the checkpoint: set_peft_model_state_dict leaves
    # missing ones at their fresh init silently (e.g. target_modules grew since the checkpoint was written).
    lora_live = [n for n, _ in peft_model.named_parameters() if "lora_" in n]
    lora_saved = [k for k in weights if "lora_" in k]
    if len(lora_saved) < len(lora_live):
        raise RuntimeError(f"{path}: the checkpoint holds {len(lora_saved)} LoRA tensors but this job's model has "
                           f"{len(lora_live)}: lora.target_modules changed since it was written; resume with the "
                           "same lora settings, or train into an empty output_dir")
    optimizer.load_state_dict(torch.load(os.path.join(path, "optimizer.pt"), map_location=device, weights_only=True))
    rng_file = os.path.join(path, "rng_state.pt")
    if os.path.isfile(rng_file):
        rng = torch.load(rng_file, map_location="cpu", weights_only=True)
        torch.set_rng_state(rng["cpu"])
        if "cuda" in rng and device.type == "cuda" and len(rng["cuda"]) == torch.cuda.device_count():
            torch.cuda.set_rng_state_all(rng["cuda"])
    with open(os.path.join(path, ckpt.STATE_FILE), "r", encoding="utf-8") as f:
        import json

        return json.load(f)
