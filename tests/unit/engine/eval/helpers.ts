import type { EvalRecord } from '../../../../engine/eval';

/** Builds records from [truth, predicted, confidence] triples; keeps the hand-computed examples short. */
export function recs(...rows: [string, string | null, number?][]): EvalRecord[] {
  return rows.map(([truth, predicted, confidence]) => ({ truth, predicted, confidence: confidence ?? 0.5 }));
}
