/** Measurements of a trained fast model on a test split: per-field quality, and prediction speed. */
import { type EvalRecord, accuracy, expectedCalibrationError, macroF1 } from '../engine/eval';
import type { FastModel, FastTrainData } from '../engine/models/fast';

export interface FieldQuality {
  n: number;
  accuracy: number;
  macroF1: number;
  /** Expected calibration error of the top-class confidence (10 bins). */
  ece: number;
}

/** Quality per field over the test tickets labelled for it; a field the model lacks counts as all wrong. */
export function fieldQuality(model: FastModel, test: FastTrainData): Record<string, FieldQuality> {
  const probabilities = model.predictProbaBatch(test.texts);
  const out: Record<string, FieldQuality> = {};
  for (const [field, labels] of Object.entries(test.labels)) {
    const records: EvalRecord[] = [];
    labels.forEach((truth, i) => {
      if (truth === null) return;
      const dist = probabilities[i][field];
      const [predicted, confidence] = dist ? top(dist) : [null, 0];
      records.push({ truth, predicted, confidence });
    });
    out[field] = {
      n: records.length,
      accuracy: accuracy(records),
      macroF1: macroF1(records),
      ece: expectedCalibrationError(records),
    };
  }
  return out;
}

function top(dist: Map<string, number>): [string | null, number] {
  let best: string | null = null;
  let p = -1;
  for (const [value, q] of dist) {
    if (q > p) {
      best = value;
      p = q;
    }
  }
  return [best, Math.max(p, 0)];
}

export interface Speed {
  /** Single-ticket predictProba latency, milliseconds. */
  p50: number;
  p99: number;
  singlePerSecond: number;
  batchPerSecond: number;
}

/** One ticket at a time (after a JIT warm-up), then the whole list in one predictProbaBatch call. */
export function predictionSpeed(model: FastModel, texts: string[], maxSingle = 2000): Speed {
  const sample = texts.slice(0, maxSingle);
  for (const t of sample.slice(0, 200)) model.predictProba(t);
  const times = sample.map((t) => {
    const started = process.hrtime.bigint();
    model.predictProba(t);
    return Number(process.hrtime.bigint() - started) / 1e6;
  });
  const total = times.reduce((a, b) => a + b, 0);
  times.sort((a, b) => a - b);
  const quantile = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  const started = process.hrtime.bigint();
  model.predictProbaBatch(texts);
  const batchMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    p50: quantile(0.5),
    p99: quantile(0.99),
    singlePerSecond: (1000 * times.length) / total,
    batchPerSecond: (1000 * texts.length) / batchMs,
  };
}
