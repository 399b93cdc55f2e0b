"""Token-budget micro-batches, grouped by length, and their padding share.

Why this shape: rows are right-padded to the longest row of their micro-batch and run with a plain causal mask
(no attention mask at all). With right padding, causality alone keeps every real token from seeing a pad, so the
real tokens' results are exact, and SDPA can take its flash kernel. Grouping examples of similar length keeps the
padding small (a few percent instead of the prototype's 64%), and the budget (rows x longest <= max tokens)
keeps every micro-batch near the largest size that fits in memory.
"""
from typing import List, Sequence, Tuple

MASK64 = (1 << 64) - 1


class SplitMix64:
    """A tiny portable PRNG: the data order must not depend on Python's `random` implementation details."""

    def __init__(self, seed: int) -> None:
        self.state = seed & MASK64

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        # Rejection sampling: no modulo bias.
        limit = (1 << 64) - ((1 << 64) % n)
        while True:
            x = self.next()
            if x < limit:
                return x % n

    def shuffle(self, items: list) -> None:
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


def epoch_rng(seed: int, epoch: int, salt: int = 0) -> SplitMix64:
    return SplitMix64((seed * 1_000_003 + epoch) * 31 + salt)


def group_by_budget(order: Sequence[int], lengths: Sequence[int], max_tokens: int) -> List[List[int]]:
    """Cuts `order` (already sorted longest first) into micro-batches with rows x longest <= max_tokens.

    An example longer than the budget gets a micro-batch of its own (the caller drops examples above max_seq_len).
    """
    out: List[List[int]] = []
    cur: List[int] = []
    longest = 0
    for i in order:
        n = lengths[i]
        if cur and max(longest, n) * (len(cur) + 1) > max_tokens:
            out.append(cur)
            cur, longest = [], 0
        cur.append(i)
        longest = max(longest, n)
    if cur:
        out.append(cur)
    return out


def length_grouped_micro_batches(indices: Sequence[int], lengths: Sequence[int], max_tokens: int, rng: SplitMix64,
                                 chunk_batches: int = 32) -> List[List[int]]:
    """Shuffles, then sorts within chunks of ~`chunk_batches` micro-batches' worth of examples, cuts by budget and
    shuffles the micro-batches: random order of data, yet each micro-batch holds examples of similar length."""
    order = list(indices)
    rng.shuffle(order)
    if not order:
        return []
    mean = max(1.0, sum(lengths[i] for i in order) / len(order))
    chunk = max(1, int(chunk_batches * max(1.0, max_tokens / mean)))
    batches: List[List[int]] = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start:start + chunk], key=lambda i: (-lengths[i], i))
        batches.extend(group_by_budget(part, lengths, max_tokens))
    rng.shuffle(batches)
    return batches


def padded_tokens(batch: Sequence[int], lengths: Sequence[int]) -> int:
    return len(batch) * max(lengths[i] for i in batch) if batch else 0


def real_tokens(batch: Sequence[int], lengths: Sequence[int]) -> int:
    return sum(lengths[i] for i in batch)


def padding_share(batches: Sequence[Sequence[int]], lengths: Sequence[int]) -> float:
    padded = sum(padded_tokens(b, lengths) for b in batches)
    return 0.0 if padded == 0 else 1.0 - sum(real_tokens(b, lengths) for b in batches) / padded


def collate(batch: Sequence[int], sequences: Sequence[Sequence[int]], n_prompt: Sequence[int], pad_id: int
            ) -> Tuple[List[List[int]], List[int], List[int]]:
    """Right-padded rows, plus the flat positions (row * width + column) whose hidden state predicts an answer
    token, and those answer tokens. Only those positions go through the LM head: a 152k-vocab logits tensor for
    every prompt token would be most of the memory and a good part of the time, for tokens with no loss."""
    width = max(len(sequences[i]) for i in batch)
    rows: List[List[int]] = []
    pred: List[int] = []
    targets: List[int] = []
    for r, i in enumerate(batch):
        seq = sequences[i]
        rows.append(list(seq) + [pad_id] * (width - len(seq)))
        for pos in range(n_prompt[i], len(seq)):
            pred.append(r * width + pos - 1)
            targets.append(seq[pos])
    return rows, pred, targets
