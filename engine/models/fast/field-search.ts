/**
 * Per-field hyper-parameters chosen on the validation split. Fields of one tenant want different things (on
 * support-tickets the 4-class ticket type gains from a heavier char block, the 10-class queue loses from it),
 * and one global setting leaves each a little below where it could be. Each candidate trains with early
 * stopping on train and is scored on validation only; the test split never takes part.
 */

export interface FieldSetting {
  /** SGD step size (with early stopping, the main regularisation knob). */
  learningRate: number;
  /** Norm of the char block relative to the word block (block-scale.ts applies it per field). */
  charWeight: number;
  /** 'balanced': gradients weighted by n / (classes x class count), as sklearn's class_weight='balanced'. */
  classWeight: 'none' | 'balanced';
}

export interface SettingScore {
  setting: FieldSetting;
  /** Temperature-calibrated validation NLL at the epoch early stopping kept. */
  validationLoss: number;
  validationAccuracy: number;
  bestEpoch: number;
}

/**
 * Index of the winning score: the lowest calibrated validation NLL. NLL rather than accuracy: on a few hundred
 * validation tickets accuracy moves in steps of one ticket and ties often, while NLL weighs every ticket's
 * whole distribution, which makes it the steadier guide to test accuracy. Ties (within 1e-9) go to the
 * earlier candidate, the default setting first.
 */
export function pickSetting(scores: SettingScore[]): number {
  if (scores.length === 0) throw new Error('pickSetting: no candidate');
  let best = 0;
  for (let i = 1; i < scores.length; i++) {
    if (scores[i].validationLoss < scores[best].validationLoss - 1e-9) best = i;
  }
  return best;
}

/** sklearn's balanced class weights n / (k x count_c) over the labelled rows; unseen classes get 1. */
export function balancedClassWeights(y: Int32Array, classes: number): Float64Array {
  const counts = new Float64Array(classes);
  let n = 0;
  for (const c of y) {
    if (c < 0) continue;
    counts[c]++;
    n++;
  }
  return Float64Array.from(counts, (count) => (count > 0 ? n / (classes * count) : 1));
}

/** Same setting (what an equal-by-value comparison needs for the default). */
export function sameSetting(a: FieldSetting, b: FieldSetting): boolean {
  return a.learningRate === b.learningRate && a.charWeight === b.charWeight && a.classWeight === b.classWeight;
}
