/** Evaluation metrics: per-field reports from scored predictions, and the CLI's accuracy table. */
export type { AutoApply, CalibrationBin, EvalRecord, EvalReport, FieldReport } from './types';
export { fieldReport, type FieldReportOptions } from './field-report';
export { formatAccuracyReport } from './format-report';
export { accuracy, confusionMatrix, macroF1, NONE_LABEL, OTHER_LABEL } from './classification';
export { calibrationBins, expectedCalibrationError, CALIBRATION_BINS } from './calibration';
export { autoApply } from './auto-apply';
