/**
 * Finds a tenant's most similar past tickets for the prompt's worked examples: cosine similarity of hashed word
 * uni- and bigram counts (the fast tier's feature hashing, sub-linear term frequency), through an inverted index
 * so a query touches only the tickets sharing a word with it.
 */
import { HashBuffer, extractFeatureHashes, isCharFeature } from '../fast/features';
import { ticketText } from '../../triage/types';
import type { PromptExample } from '../../triage/prompt';

const WORDS_ONLY = { wordNgramMax: 2, charNgramMin: 0, charNgramMax: 0 };

function vectorOf(text: string, buf: HashBuffer): Map<number, number> {
  buf.length = 0;
  extractFeatureHashes(text, WORDS_ONLY, buf);
  const counts = new Map<number, number>();
  for (let i = 0; i < buf.length; i++) {
    const h = buf.data[i];
    if (!isCharFeature(h)) counts.set(h, (counts.get(h) ?? 0) + 1);
  }
  let norm = 0;
  for (const [h, c] of counts) {
    const w = 1 + Math.log(c);
    counts.set(h, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [h, w] of counts) counts.set(h, w / norm);
  return counts;
}

export class ExampleIndex {
  private readonly postings = new Map<number, { doc: number; weight: number }[]>();
  private readonly buf = new HashBuffer();

  constructor(readonly examples: PromptExample[]) {
    examples.forEach((ex, doc) => {
      for (const [h, weight] of vectorOf(ticketText(ex), this.buf)) {
        let list = this.postings.get(h);
        if (!list) this.postings.set(h, (list = []));
        list.push({ doc, weight });
      }
    });
  }

  /** The k most similar examples, most similar first; ties keep the examples' order. */
  nearest(text: string, k: number): PromptExample[] {
    if (k <= 0 || this.examples.length === 0) return [];
    const scores = new Map<number, number>();
    for (const [h, w] of vectorOf(text, this.buf)) {
      for (const p of this.postings.get(h) ?? []) scores.set(p.doc, (scores.get(p.doc) ?? 0) + w * p.weight);
    }
    return [...scores.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([doc]) => this.examples[doc]);
  }
}
