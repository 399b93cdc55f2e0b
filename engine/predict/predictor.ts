import { FastModel } from '../models/fast';
import type { FieldProbabilities } from '../triage/types';

/** What serving needs from any tier: calibrated probabilities over the model's known values, per field. */
export interface Predictor {
  readonly tier: string;
  readonly fields: string[];
  predict(texts: string[]): FieldProbabilities[];
}

export function loadPredictor(tier: string, bytes: Uint8Array): Predictor {
  if (tier === 'fast') {
    const model = FastModel.fromBuffer(bytes);
    return { tier, fields: model.fields, predict: (texts) => model.predictProbaBatch(texts) };
  }
  throw new Error(`tier "${tier}" cannot be served by this engine yet`);
}
