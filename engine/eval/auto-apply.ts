/**
 * How much of a field could be written back to the PSA without a technician, at a target precision. This is the
 * number a tenant uses to pick its threshold: above it predictions are applied, below they stay suggestions.
 */
import { isCorrect, ratio } from './metric-helpers';
import type { AutoApply, EvalRecord } from './types';

/** Precision is a ratio of integers; tolerate the last bit so that exactly 19/20 meets a 0.95 target. */
const PRECISION_EPSILON = 1e-12;

/**
 * The lowest confidence threshold t (among the distinct confidences) at which precision over records with
 * confidence >= t reaches the target; records with equal confidence are applied or held together. Unpredictable
 * records have no value to apply, so they never count as applied, but they stay in the coverage denominator.
 */
export function autoApply(records: EvalRecord[], targetPrecision = 0.95): AutoApply {
  const applicable = records
    .filter((r) => r.predicted !== null)
    .map((r) => ({ confidence: Number.isFinite(r.confidence) ? r.confidence : 0, correct: isCorrect(r) }))
    .sort((a, b) => b.confidence - a.confidence);

  let best: { threshold: number; count: number; correct: number } | null = null;
  let count = 0;
  let correct = 0;
  for (let i = 0; i < applicable.length; ) {
    const t = applicable[i].confidence;
    // Take the whole tie group at once: a threshold cannot split records of equal confidence.
    for (; i < applicable.length && applicable[i].confidence === t; i++) {
      count++;
      if (applicable[i].correct) correct++;
    }
    if (correct / count >= targetPrecision - PRECISION_EPSILON) best = { threshold: t, count, correct };
  }
  if (!best) return { targetPrecision, threshold: null, coverage: 0, precision: 0 };
  return {
    targetPrecision,
    threshold: best.threshold,
    coverage: ratio(best.count, records.length),
    precision: best.correct / best.count,
  };
}
