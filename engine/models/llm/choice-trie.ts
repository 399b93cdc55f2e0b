/**
 * A trie over the token sequences of a field's allowed choices. Each sequence is the choice's tokens followed by
 * a terminator (the first token of what comes after the value in the answer), so a choice that is a prefix of
 * another ("Laptop" / "Laptop battery") still ends at its own node. Walking the trie with the model's next-token
 * logits, softmaxed over a node's children only, is exactly constrained decoding: the model can only spell
 * allowed choices, and the product along a path is that choice's probability among the allowed ones.
 */
import type { Token } from 'node-llama-cpp';

export interface TrieNode {
  depth: number;
  children: Map<Token, TrieNode>;
  /** Index of the choice whose sequence ends here. */
  choice: number | null;
}

export function buildChoiceTrie(sequences: Token[][]): TrieNode {
  const root: TrieNode = { depth: 0, children: new Map(), choice: null };
  sequences.forEach((seq, index) => {
    if (seq.length === 0) throw new Error(`choice ${index} has no tokens`);
    let node = root;
    for (const token of seq) {
      let next = node.children.get(token);
      if (!next) node.children.set(token, (next = { depth: node.depth + 1, children: new Map(), choice: null }));
      node = next;
    }
    // Two choices with identical tokens cannot be told apart; the first keeps the node (choice texts are unique
    // by construction, so this only happens with a tokenizer that maps different strings to the same tokens).
    if (node.choice === null) node.choice = index;
  });
  return root;
}
