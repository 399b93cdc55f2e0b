"""The base model with LoRA, and the loss that only ever computes logits where an answer token is predicted."""
import sys
from typing import List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

DTYPES = {"bf16": torch.bfloat16, "fp32": torch.float32}


def load_tokenizer(base_model: str):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(base_model)


def load_base_model(base_model: str, dtype: str, device: torch.device):
    from transformers import AutoModelForCausalLM

    torch_dtype = DTYPES[dtype]
    # sdpa: PyTorch's fused attention (flash kernel for a plain causal mask); no flash-attn package needed.
    try:
        model = AutoModelForCausalLM.from_pretrained(base_model, dtype=torch_dtype, attn_implementation="sdpa")
    except TypeError:  # transformers < 4.56 named it torch_dtype
        model = AutoModelForCausalLM.from_pretrained(base_model, torch_dtype=torch_dtype, attn_implementation="sdpa")
    model.to(device)
    model.config.use_cache = False
    return model


def add_lora(model, r: int, alpha: float, dropout: float, target_modules: List[str], gradient_checkpointing: bool):
    from peft import LoraConfig, get_peft_model

    present = {name.rsplit(".", 1)[-1] for name, _ in model.named_modules()}
    absent = [t for t in target_modules if t not in present]
    if absent:
        raise ValueError(f"lora.target_modules {absent} are not modules of this model")
    config = LoraConfig(r=r, lora_alpha=alpha, lora_dropout=dropout, target_modules=list(target_modules), bias="none",
                        task_type="CAUSAL_LM")
    if gradient_checkpointing:
        # Non-reentrant checkpointing needs no input grads; measured 2.4x slower on an H200, so off by default.
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    return get_peft_model(model, config)


def compile_decoder_layers(peft_model) -> int:
    """torch.compile each decoder layer in place (nn.Module.compile keeps parameter names, so checkpoints and the
    GGUF export are unchanged). The layers share one code object, so dynamo compiles once for all of them;
    dynamic shapes because every micro-batch has its own rows x length. Returns the number of layers compiled."""
    decoder, _ = causal_lm_parts(peft_model)
    layers = getattr(decoder, "layers", None)
    if layers is None:
        raise ValueError(f"{type(decoder).__name__} has no .layers to compile")
    for layer in layers:
        layer.compile(dynamic=True)
    return len(layers)


def causal_lm_parts(peft_model):
    """(decoder, lm_head) of the wrapped causal LM: Qwen2ForCausalLM.model and .lm_head, found generically."""
    causal_lm = peft_model.get_base_model()
    decoder = getattr(causal_lm, "model", None)
    if decoder is None or not isinstance(decoder, nn.Module):
        decoder = causal_lm.get_decoder()
    head = causal_lm.get_output_embeddings()
    if head is None:
        raise ValueError(f"{type(causal_lm).__name__} has no output embeddings (lm_head)")
    return decoder, head


class AnswerLoss(nn.Module):
    """Summed cross-entropy over answer tokens. The decoder runs over every token, but the LM head only over the
    positions that predict an answer token (~40 a ticket instead of ~400): no [tokens x vocab] tensor.

    Wrapping this module (not the PEFT model) in DDP makes DDP's forward see the whole computation."""

    def __init__(self, peft_model) -> None:
        super().__init__()
        self.peft_model = peft_model

    def hidden(self, input_ids, position_ids=None, attention_mask=None):
        decoder, _ = causal_lm_parts(self.peft_model)
        kwargs = {"input_ids": input_ids, "use_cache": False}
        if position_ids is not None:
            kwargs["position_ids"] = position_ids
        if attention_mask is not None:
            kwargs["attention_mask"] = attention_mask
        out = decoder(**kwargs)
        h = out.last_hidden_state if hasattr(out, "last_hidden_state") else out[0]
        return h.reshape(-1, h.shape[-1])

    def logits_at(self, flat_hidden, pred_index):
        _, head = causal_lm_parts(self.peft_model)
        return head(flat_hidden.index_select(0, pred_index)).float()

    def forward(self, input_ids, pred_index, targets):
        logits = self.logits_at(self.hidden(input_ids), pred_index)
        return F.cross_entropy(logits, targets, reduction="sum")


def to_tensors(rows: Sequence[Sequence[int]], pred: Sequence[int], targets: Sequence[int], device: torch.device):
    ids = torch.tensor(rows, dtype=torch.long)
    p = torch.tensor(pred, dtype=torch.long)
    t = torch.tensor(targets, dtype=torch.long)
    if device.type == "cuda":
        ids, p, t = ids.pin_memory(), p.pin_memory(), t.pin_memory()
    return ids.to(device, non_blocking=True), p.to(device, non_blocking=True), t.to(device, non_blocking=True)


def trainable_parameters(model) -> List[torch.nn.Parameter]:
    return [p for p in model.parameters() if p.requires_grad]


def make_optimizer(params, lr: float, weight_decay: float, device: torch.device):
    kwargs = {"lr": lr, "weight_decay": weight_decay, "betas": (0.9, 0.999), "eps": 1e-8}
    if device.type == "cuda":
        try:
            return torch.optim.AdamW(params, fused=True, **kwargs)
        except (RuntimeError, TypeError) as e:  # e.g. fused needs floating CUDA params
            print(f"trainer: fused AdamW unavailable ({e}); using foreach", file=sys.stderr, flush=True)
    return torch.optim.AdamW(params, foreach=True, **kwargs)


def gpu_memory_gib(device: torch.device) -> Optional[float]:
    if device.type != "cuda":
        return None
    return round(torch.cuda.max_memory_allocated(device) / 2**30, 2)
