/**
 * Calibration of one field's confidences: a confidence is meant to be the probability of being right, so in every
 * confidence bin the accuracy should match the mean confidence. Unpredictable records are included with their
 * confidence (0 from the decoder) since they are wrong: a decoder that says 0 for them is honest.
 */
import { isCorrect, ratio, round4 } from './metric-helpers';
import type { CalibrationBin, EvalRecord } from './types';

export const CALIBRATION_BINS = 10;

/** A confidence outside [0, 1] (or NaN) would land in no bin; clamp it so that every record counts. */
function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

function binOf(confidence: number, bins: number): number {
  // The epsilon keeps e.g. 0.7 (7 * 0.1 in floating point) in bin 7 rather than 6.
  return Math.min(bins - 1, Math.floor(clamp01(confidence) * bins + 1e-9));
}

interface RawBin {
  count: number;
  confidenceSum: number;
  correct: number;
}

function rawBins(records: EvalRecord[], bins: number): RawBin[] {
  const out = Array.from({ length: bins }, () => ({ count: 0, confidenceSum: 0, correct: 0 }));
  for (const r of records) {
    const b = out[binOf(r.confidence, bins)];
    b.count++;
    b.confidenceSum += clamp01(r.confidence);
    if (isCorrect(r)) b.correct++;
  }
  return out;
}

/** Every bin, empty ones included (count 0), so that charts get a stable shape. */
export function calibrationBins(records: EvalRecord[], bins = CALIBRATION_BINS): CalibrationBin[] {
  return rawBins(records, bins).map((b, i) => ({
    bin: i,
    lower: round4(i / bins),
    upper: round4((i + 1) / bins),
    count: b.count,
    meanConfidence: round4(ratio(b.confidenceSum, b.count)),
    accuracy: round4(ratio(b.correct, b.count)),
  }));
}

/** ECE = sum over bins of (bin share) x |bin accuracy - bin mean confidence|, from unrounded bin statistics. */
export function expectedCalibrationError(records: EvalRecord[], bins = CALIBRATION_BINS): number {
  if (records.length === 0) return 0;
  let ece = 0;
  for (const b of rawBins(records, bins)) {
    if (b.count === 0) continue;
    ece += (b.count / records.length) * Math.abs(b.correct / b.count - b.confidenceSum / b.count);
  }
  return ece;
}
