/**
 * Evaluation shapes: what a held-out run or the live feedback loop reports per field. Plain data, stored as the
 * result of an evaluation run and shown by the CLI and the dashboard.
 */

/** One scored prediction. `predicted` null means the field was unpredictable for that ticket. */
export interface EvalRecord {
  truth: string;
  predicted: string | null;
  confidence: number;
}

/** One reliability-diagram bin over [lower, upper) (the last bin includes 1). Empty bins report zeros. */
export interface CalibrationBin {
  bin: number;
  lower: number;
  upper: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

/** How much could be written back automatically while keeping precision at or above the target. */
export interface AutoApply {
  targetPrecision: number;
  threshold: number | null;
  coverage: number;
  precision: number;
}

export interface FieldReport {
  field: string;
  n: number;
  accuracy: number;
  macroF1: number;
  /** Share of records with a prediction (not unpredictable). */
  predictable: number;
  /** Rows are truth, columns predicted, both over `labels`; '(none)' (unpredictable) only ever has a column entry. */
  confusion: { labels: string[]; matrix: number[][] };
  /** Expected calibration error over 10 equal-width bins. */
  ece: number;
  calibration: CalibrationBin[];
  autoApply: AutoApply;
}

export interface EvalReport {
  split: string;
  n: number;
  fields: FieldReport[];
  createdAt: string;
}

/** Live accuracy per field from technicians' final values: overall, for written-back values, and per day. */
export interface LiveAccuracy {
  fields: { field: string; n: number; correct: number; accuracy: number; applied: { n: number; correct: number; accuracy: number | null } }[];
  daily: { day: string; field: string; n: number; accuracy: number }[];
}
