/**
 * Best-first search of a choice trie under the model: finds the most probable allowed choices in order, with
 * their exact probabilities among the allowed choices, evaluating the model only where the trie branches.
 *
 * A node's prefix probability bounds every choice below it, so when a complete choice is popped from the
 * frontier no unexplored choice can beat it: the first K choices popped are the true top K. A node with one child
 * costs no evaluation (its conditional probability is 1); a node with several costs one forward step for its
 * last token. For a confident model that is a handful of steps per field, whatever the number of choices.
 */
import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import type { TrieNode } from './choice-trie';

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
  evaluations: number;
}

export interface SearchOptions {
  topK: number;
  /** Model evaluations allowed per field before the search finishes greedily. */
  maxEvaluations: number;
}

interface Frontier {
  node: TrieNode;
  path: Token[];
  logProb: number;
}

/** Keeps a sequence positioned on a token prefix, evaluating and erasing as little as possible. */
export class SequenceCursor {
  evaluations = 0;

  constructor(private readonly sequence: LlamaContextSequence) {}

  /**
   * Moves the sequence onto `tokens` and returns the raw logits of `candidates` as the next token. Reuses the
   * longest common prefix with the sequence's current state; always re-evaluates at least the last token,
   * since logits are only produced by an evaluation.
   */
  async logitsAfter(tokens: Token[], candidates: readonly Token[]): Promise<Map<Token, number>> {
    if (tokens.length === 0) throw new Error('cannot score the first token of an empty context');
    const current = this.sequence.contextTokens;
    let common = 0;
    const limit = Math.min(current.length, tokens.length - 1);
    while (common < limit && current[common] === tokens[common]) common++;
    if (common < this.sequence.nextTokenIndex) {
      await this.sequence.eraseContextTokenRanges([{ start: common, end: this.sequence.nextTokenIndex }]);
    }
    const input = tokens.slice(common);
    const last = input.length - 1;
    const out = await this.sequence.controlledEvaluate(
      input.map((t, i) => (i === last ? [t, { generateNext: { logits: { filter: { tokens: candidates } } } }] : t)),
    );
    this.evaluations++;
    const logits = out[last]?.next.logits;
    if (!logits) throw new Error('the model returned no logits');
    return logits;
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

/**
 * Searches the choices that may follow `prefix` (the prompt and the answer so far).
 */
export async function searchChoices(cursor: SequenceCursor, prefix: Token[], root: TrieNode, opts: SearchOptions): Promise<SearchResult> {
  const start = cursor.evaluations;
  const frontier: Frontier[] = [{ node: root, path: [], logProb: 0 }];
  const top: ScoredChoice[] = [];
  let bestPath: Token[] | null = null;

  const expand = async (item: Frontier): Promise<Frontier[]> => {
    const tokens = [...item.node.children.keys()];
    if (tokens.length === 1) return [{ node: item.node.children.get(tokens[0])!, path: [...item.path, tokens[0]], logProb: item.logProb }];
    const logits = await cursor.logitsAfter([...prefix, ...item.path], tokens);
    const lp = logSoftmax(tokens.map((t) => logits.get(t) ?? -Infinity));
    return tokens.map((t, i) => ({ node: item.node.children.get(t)!, path: [...item.path, t], logProb: item.logProb + lp[i] }));
  };

  while (frontier.length > 0 && top.length < opts.topK) {
    const item = frontier.shift()!;
    if (item.node.choice !== null) {
      top.push({ choice: item.node.choice, logProb: item.logProb });
      bestPath ??= item.path;
    }
    if (item.node.children.size === 0) continue;
    if (cursor.evaluations - start >= opts.maxEvaluations && top.length > 0) break;
    if (cursor.evaluations - start >= opts.maxEvaluations) {
      // Out of budget with nothing complete: finish the best branch greedily, so there is always an answer.
      let g = item;
      while (g.node.choice === null) g = (await expand(g)).reduce((a, b) => (b.logProb > a.logProb ? b : a));
      top.push({ choice: g.node.choice, logProb: g.logProb });
      bestPath = g.path;
      break;
    }
    for (const child of await expand(item)) pushSorted(frontier, child);
  }
  const mass = top.reduce((s, c) => s + Math.exp(c.logProb), 0);
  return { top, bestPath: bestPath ?? [], residual: Math.max(0, 1 - mass), evaluations: cursor.evaluations - start };
}
