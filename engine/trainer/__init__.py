"""The GPU trainer: per-tenant LoRA fine-tuning of a causal LM on the prompt module's TrainingExamples.

Run from engine/ as `python3 -m trainer --job job.json` (what engine/training/trainer-process.ts does), or under
`torchrun --standalone --nproc_per_node N -m trainer --job job.json` for data parallel training. See README.md.

Modules without torch (job, examples, batching, schedule, checkpoints, events, cancel, candidates, render) are
unit-tested with plain python3; the rest needs torch, transformers and peft.
"""
