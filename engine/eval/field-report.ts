/** The full evaluation of one field: every metric the CLI table and the dashboard show, from scored records. */
import { autoApply } from './auto-apply';
import { calibrationBins, expectedCalibrationError } from './calibration';
import { accuracy, confusionMatrix, macroF1 } from './classification';
import { ratio, round4 } from './metric-helpers';
import type { EvalRecord, FieldReport } from './types';

export interface FieldReportOptions {
  /** Precision that auto-apply must keep (default 0.95). */
  targetPrecision?: number;
  /** Most labels shown in the confusion matrix before the rest is grouped as '(other)' (default 30). */
  maxConfusionLabels?: number;
}

export function fieldReport(field: string, records: EvalRecord[], opts: FieldReportOptions = {}): FieldReport {
  const apply = autoApply(records, opts.targetPrecision ?? 0.95);
  return {
    field,
    n: records.length,
    accuracy: round4(accuracy(records)),
    macroF1: round4(macroF1(records)),
    predictable: round4(ratio(records.filter((r) => r.predicted !== null).length, records.length)),
    confusion: confusionMatrix(records, opts.maxConfusionLabels ?? 30),
    ece: round4(expectedCalibrationError(records)),
    calibration: calibrationBins(records),
    // The threshold stays exact: rounding it could move it above a record it is meant to include.
    autoApply: { ...apply, coverage: round4(apply.coverage), precision: round4(apply.precision) },
  };
}
