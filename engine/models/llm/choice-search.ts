/**
 * Best-first search of a choice trie under the model: finds the most probable allowed choices in order, with
 * their exact probabilities among the allowed choices, evaluating the model only where the trie branches.
 *
 * A node's prefix probability bounds every choice below it, so when a complete choice is popped from the
 * frontier no unexplored choice can beat it: the first K choices popped are the true top K. A node with one child
 * costs no evaluation (its conditional probability is 1); a node with several costs one forward step for its
 * last token. For a confident model that is a handful of steps per field, whatever the number of choices.
 *
 * Wider steps (optional, width > 1): branches other than the frontier's head will be needed too when the top K are
 * wanted, so a step may score the head and the next most probable branches that need the model, each on a spare
 * sequence of the context, in one batch. That changes how many steps the search takes, not what it finds: a choice
 * is still only taken when it heads the frontier, so the top K come out exact and in order. Measured on an H200 it
 * was slower (a spare must first evaluate this ticket's prompt), so the runtime's default width is 1.
 */
import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import type { TrieNode } from './choice-trie';
import { reusablePrefixLength } from './prefix-sharing';

export interface ScoredChoice {
  choice: number;
  logProb: number;
}

export interface SearchResult {
  /** Best first; at most `topK`. */
  top: ScoredChoice[];
  /** The tokens of the best choice (including its terminator): what the answer continues with. */
  bestPath: Token[];
  /** Probability mass not in `top` (choices not reached, or beyond topK). */
  residual: number;
  /** Branches scored (the model's work). */
  evaluations: number;
  /** Model calls one after another (the latency): fewer than evaluations when steps are wider than one branch. */
  steps: number;
}

export interface SearchOptions {
  topK: number;
  /** Model evaluations allowed per field before the search finishes greedily. */
  maxEvaluations: number;
  /**
   * Once the best choice is found, alternatives are searched only while some unexplored branch could still hold a
   * choice at least this probable: a branch's prefix probability bounds every choice below it. Each branch costs a
   * model evaluation, and an alternative under 1% tells a technician nothing; its mass stays in `residual`.
   */
  minAlternativeProbability?: number;
}

interface Frontier {
  node: TrieNode;
  path: Token[];
  logProb: number;
  /** Its choice is already in the top list (a node can end one choice and lead on to longer ones). */
  counted?: boolean;
}

/** Keeps a sequence positioned on a token prefix, evaluating and erasing as little as possible. */
export class SequenceCursor {
  constructor(private readonly sequence: LlamaContextSequence) {}

  /**
   * Moves the sequence onto `tokens` and returns the raw logits of `candidates` as the next token. Reuses the
   * longest common prefix with the sequence's current state; always re-evaluates at least the last token,
   * since logits are only produced by an evaluation.
   */
  async logitsAfter(tokens: Token[], candidates: readonly Token[]): Promise<Map<Token, number>> {
    if (tokens.length === 0) throw new Error('cannot score the first token of an empty context');
    const common = reusablePrefixLength(this.sequence.contextTokens, tokens);
    if (common < this.sequence.nextTokenIndex) {
      await this.sequence.eraseContextTokenRanges([{ start: common, end: this.sequence.nextTokenIndex }]);
    }
    const input = tokens.slice(common);
    const last = input.length - 1;
    const out = await this.sequence.controlledEvaluate(
      input.map((t, i) => (i === last ? [t, { generateNext: { logits: { filter: { tokens: candidates } } } }] : t)),
    );
    const logits = out[last]?.next.logits;
    if (!logits) throw new Error('the model returned no logits');
    return logits;
  }
}

/** Where a search step gets sequences: the request's own, plus spares borrowed for the step (runtime.ts). */
export interface SequenceSource {
  sequence: LlamaContextSequence;
  borrowSpare(max: number): LlamaContextSequence[];
  returnSpare(sequences: LlamaContextSequence[]): void;
  /** Runs a step's evaluations in line with concurrent requests' steps, so they share one batch. */
  step?<T>(evaluate: () => Promise<T>): Promise<T>;
}

export interface BranchRequest {
  tokens: Token[];
  candidates: readonly Token[];
}

/** Scores up to `width` branches per step: the first on the request's sequence, the others on borrowed spares. */
export class BranchScorer {
  evaluations = 0;
  steps = 0;
  private readonly main: SequenceCursor;

  constructor(
    private readonly source: SequenceSource,
    readonly width = 1,
  ) {
    this.main = new SequenceCursor(source.sequence);
  }

  /** A scorer on one sequence with nothing to borrow (tests, one branch per step). */
  static single(sequence: LlamaContextSequence): BranchScorer {
    return new BranchScorer({ sequence, borrowSpare: () => [], returnSpare: () => {} }, 1);
  }

  /** Logits for a leading part of `requests` (at least the first): as many as there are sequences this step. */
  async score(requests: BranchRequest[]): Promise<Map<Token, number>[]> {
    if (requests.length === 0) return [];
    return this.source.step ? this.source.step(() => this.scoreNow(requests)) : this.scoreNow(requests);
  }

  private async scoreNow(requests: BranchRequest[]): Promise<Map<Token, number>[]> {
    const spare = this.source.borrowSpare(Math.min(requests.length, this.width) - 1);
    try {
      const cursors = [this.main, ...spare.map((s) => new SequenceCursor(s))];
      const served = requests.slice(0, cursors.length);
      // Started together, so llama.cpp evaluates them in one batch.
      const out = await Promise.all(served.map((r, i) => cursors[i].logitsAfter(r.tokens, r.candidates)));
      this.evaluations += served.length;
      this.steps++;
      return out;
    } finally {
      this.source.returnSpare(spare);
    }
  }
}

function logSoftmax(values: number[]): number[] {
  const max = Math.max(...values);
  let sum = 0;
  for (const v of values) sum += Math.exp(v - max);
  const lse = max + Math.log(sum);
  return values.map((v) => v - lse);
}

/** Max-heap by logProb (small frontiers: a sorted insert is simpler than a heap and fast enough). */
function pushSorted(frontier: Frontier[], item: Frontier): void {
  let i = frontier.length;
  frontier.push(item);
  while (i > 0 && frontier[i - 1].logProb < item.logProb) {
    frontier[i] = frontier[i - 1];
    i--;
  }
  frontier[i] = item;
}

const needsModel = (f: Frontier) => f.node.children.size > 1;

/**
 * Searches the choices that may follow `prefix` (the prompt and the answer so far).
 */
export async function searchChoices(scorer: BranchScorer, prefix: Token[], root: TrieNode, opts: SearchOptions): Promise<SearchResult> {
  const start = { evaluations: scorer.evaluations, steps: scorer.steps };
  const used = () => scorer.evaluations - start.evaluations;
  const minAlternative = opts.minAlternativeProbability ?? 0;
  const frontier: Frontier[] = [{ node: root, path: [], logProb: 0 }];
  const top: ScoredChoice[] = [];
  let bestPath: Token[] | null = null;

  const childrenOf = (item: Frontier, logits: Map<Token, number> | null): Frontier[] => {
    const tokens = [...item.node.children.keys()];
    const lp = logits ? logSoftmax(tokens.map((t) => logits.get(t) ?? -Infinity)) : [0];
    return tokens.map((t, i) => ({ node: item.node.children.get(t)!, path: [...item.path, t], logProb: item.logProb + lp[i], counted: false }));
  };
  const request = (item: Frontier): BranchRequest => ({ tokens: [...prefix, ...item.path], candidates: [...item.node.children.keys()] });

  while (frontier.length > 0 && top.length < opts.topK) {
    if (top.length > 0 && Math.exp(frontier[0].logProb) < minAlternative) break;
    const head = frontier[0];
    if (head.node.choice !== null && !head.counted) {
      top.push({ choice: head.node.choice, logProb: head.logProb });
      bestPath ??= head.path;
      head.counted = true;
      continue;
    }
    if (!needsModel(head)) {
      frontier.shift();
      // One child: its conditional probability is 1, no evaluation needed.
      if (head.node.children.size === 1) pushSorted(frontier, childrenOf(head, null)[0]);
      continue;
    }
    if (used() >= opts.maxEvaluations) {
      if (top.length > 0) break;
      // Out of budget with nothing complete: finish the best branch greedily, so there is always an answer.
      let g = head;
      while (g.node.choice === null) {
        const [logits] = needsModel(g) ? await scorer.score([request(g)]) : [null];
        g = childrenOf(g, logits).reduce((a, b) => (b.logProb > a.logProb ? b : a));
      }
      top.push({ choice: g.node.choice, logProb: g.logProb });
      bestPath = g.path;
      break;
    }
    // This step: the head, then the next most probable branches that need the model and could still matter.
    const picked: number[] = [0];
    for (let i = 1; i < frontier.length && picked.length < scorer.width; i++) {
      if (needsModel(frontier[i]) && Math.exp(frontier[i].logProb) >= minAlternative) picked.push(i);
    }
    const items = picked.map((i) => frontier[i]);
    const logits = await scorer.score(items.map(request));
    // Branches the scorer had no sequence for stay in the frontier for a later step.
    const done = new Set(items.slice(0, logits.length));
    const kept = frontier.filter((f) => !done.has(f));
    frontier.length = 0;
    frontier.push(...kept);
    logits.forEach((l, i) => {
      for (const child of childrenOf(items[i], l)) pushSorted(frontier, child);
    });
  }
  const mass = top.reduce((s, c) => s + Math.exp(c.logProb), 0);
  return { top, bestPath: bestPath ?? [], residual: Math.max(0, 1 - mass), evaluations: used(), steps: scorer.steps - start.steps };
}
