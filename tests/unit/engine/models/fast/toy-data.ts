/** Small synthetic ticket sets for the fast-tier tests: class keywords in filler text, seeded. */
import type { FastTrainData } from '../../../../../engine/models/fast';
import { mulberry32 } from '../../../../../engine/models/fast/random';

const TOPICS: Record<string, string[]> = {
  Hardware: ['printer', 'toner', 'paper', 'jam', 'laptop', 'screen', 'keyboard', 'docking'],
  Access: ['password', 'login', 'locked', 'reset', 'account', 'mfa', 'sign-in', 'permission'],
  Billing: ['invoice', 'payment', 'refund', 'charge', 'billing', 'credit', 'receipt', 'subscription'],
};
const FILLER = ['please', 'help', 'the', 'my', 'since', 'morning', 'urgent', 'thanks', 'again', 'office', 'team', 'today'];

export const TOY_CLASSES = Object.keys(TOPICS).sort();

/**
 * `n` tickets; a share `noise` of them gets a random class label instead of its topic. Field `topic` is the
 * class; field `site` is a constant (single-class) label; field `sparse` is labelled on every other ticket only.
 */
export function toyData(n: number, seed: number, noise = 0): FastTrainData {
  const random = mulberry32(seed);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const texts: string[] = [];
  const topic: (string | null)[] = [];
  const site: (string | null)[] = [];
  const sparse: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    const cls = pick(TOY_CLASSES);
    const words = [pick(TOPICS[cls]), pick(TOPICS[cls]), pick(FILLER), pick(FILLER), pick(FILLER)];
    words.sort(() => random() - 0.5);
    texts.push(`${pick(FILLER)} ${words.join(' ')}\n${pick(TOPICS[cls])} ${pick(FILLER)}`);
    topic.push(random() < noise ? pick(TOY_CLASSES) : cls);
    site.push('HQ');
    sparse.push(i % 2 === 0 ? cls : null);
  }
  return { texts, labels: { topic, site, sparse } };
}

/** Share of texts whose most probable class in `field` equals the label (null labels skipped). */
export function accuracyOf(
  predict: (text: string) => Record<string, Map<string, number>>,
  data: FastTrainData,
  field: string,
): number {
  let correct = 0;
  let total = 0;
  data.texts.forEach((text, i) => {
    const truth = data.labels[field][i];
    if (truth === null) return;
    total++;
    const probs = [...predict(text)[field].entries()].sort((a, b) => b[1] - a[1]);
    if (probs[0][0] === truth) correct++;
  });
  return correct / total;
}
