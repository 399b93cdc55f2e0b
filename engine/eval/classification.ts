/**
 * Accuracy, macro-F1 and the confusion matrix of one field. An unpredictable record (predicted null) counts as
 * wrong; it is a miss for its true class, not a class of its own, so it lowers recall without adding a label.
 */
import { isCorrect, ratio } from './metric-helpers';
import type { EvalRecord } from './types';

/** Column of the confusion matrix for unpredictable records. */
export const NONE_LABEL = '(none)';
/** Row/column grouping the least frequent labels when there are too many to show. */
export const OTHER_LABEL = '(other)';

export function accuracy(records: EvalRecord[]): number {
  return ratio(records.filter(isCorrect).length, records.length);
}

/**
 * Mean per-class F1 over the union of true and predicted labels (scikit-learn's convention), with F1 = 0 when
 * precision + recall = 0.
 */
export function macroF1(records: EvalRecord[]): number {
  const tp = new Map<string, number>();
  const predCount = new Map<string, number>();
  const truthCount = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const r of records) {
    inc(truthCount, r.truth);
    if (r.predicted !== null) inc(predCount, r.predicted);
    if (isCorrect(r)) inc(tp, r.truth);
  }
  const labels = new Set([...truthCount.keys(), ...predCount.keys()]);
  if (labels.size === 0) return 0;
  let sum = 0;
  for (const label of labels) {
    const t = tp.get(label) ?? 0;
    const precision = ratio(t, predCount.get(label) ?? 0);
    const recall = ratio(t, truthCount.get(label) ?? 0);
    sum += precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  }
  return sum / labels.size;
}

/**
 * Square matrix over `labels`: rows truth, columns predicted. Labels are ordered by how often they occur (truth plus
 * predictions, ties by name); beyond `maxLabels` the rest is grouped as '(other)' so that a 200-queue tenant still
 * gets a readable matrix. '(none)' comes last when some record is unpredictable.
 */
export function confusionMatrix(records: EvalRecord[], maxLabels = 30): { labels: string[]; matrix: number[][] } {
  const freq = new Map<string, number>();
  const inc = (k: string) => freq.set(k, (freq.get(k) ?? 0) + 1);
  for (const r of records) {
    inc(r.truth);
    if (r.predicted !== null) inc(r.predicted);
  }
  const byFrequency = [...freq.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([label]) => label);
  const limit = Math.max(0, Math.floor(maxLabels));
  const kept = byFrequency.slice(0, limit);
  const labels = [...kept];
  if (byFrequency.length > kept.length) labels.push(OTHER_LABEL);
  if (records.some((r) => r.predicted === null)) labels.push(NONE_LABEL);

  const index = new Map(labels.map((l, i) => [l, i]));
  const keptSet = new Set(kept);
  const slot = (label: string | null) => index.get(label === null ? NONE_LABEL : keptSet.has(label) ? label : OTHER_LABEL)!;
  const matrix = labels.map(() => labels.map(() => 0));
  for (const r of records) matrix[slot(r.truth)][slot(r.predicted)]++;
  return { labels, matrix };
}
