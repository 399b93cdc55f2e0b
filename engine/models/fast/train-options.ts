/** Options, defaults and progress events of trainFastModel. */
import { DEFAULT_FEATURE_CONFIG } from './features';
import type { FeatureSpaceConfig } from './feature-space';
import type { FieldSetting } from './field-search';

export interface FastTrainData {
  texts: string[];
  /** Per field, one label per text; null = that ticket has no label for the field (skipped for it). */
  labels: Record<string, (string | null)[]>;
}

export interface FastProgress {
  step: number;
  total: number;
  field: string;
  epoch: number;
  loss: number;
  validationAccuracy?: number;
  /** features: learning the feature space; train: epochs with early stopping; refit: train + validation. */
  phase?: 'features' | 'train' | 'refit';
}

export interface FastTrainOptions extends Partial<FeatureSpaceConfig> {
  seed?: number;
  maxEpochs?: number;
  signal?: AbortSignal;
  onProgress?: (p: FastProgress) => void;
  /** SGD step size (rows are L2-normalised, so ~1 is the natural scale). */
  learningRate?: number;
  /** Epochs of plain SGD before the iterates are averaged. */
  averageAfter?: number;
  /** Epochs for a field without validation labels (nothing to stop early on): about where averaged SGD plateaus. */
  epochsWithoutValidation?: number;
  /**
   * Epochs without enough validation improvement before a field stops. 'auto': 4 while the field has fewer
   * than PATIENT_BELOW validation rows, else 2. A few hundred validation tickets give a wobbly loss curve
   * whose flat stretches stopped the noisy fields too early (5 splits of support-tickets, patience 4 vs 2:
   * ticket type and queue +0.17, priority +0.64 points; it-topic +0.21); thousands give a smooth curve where 2
   * is enough (the 50k tenant: same accuracy within 0.1 point, 40% more epochs).
   */
  patience?: number | 'auto';
  /** Relative drop of the validation loss that counts as improvement. */
  minImprovement?: number;
  /**
   * After early stopping, train again on train + validation for the chosen number of epochs (the temperature
   * stays the one fitted on validation). 'auto': only while train has at most `refitMaxRows` rows (a 50k-ticket
   * tenant still trains in ~13 s CPU with it); beyond, a second training costs more than 14% more data brings.
   */
  refit?: boolean | 'auto';
  refitMaxRows?: number;
  /**
   * Train with the WebAssembly SIMD kernels where the runtime has them (2-3x faster); false forces the plain
   * JavaScript kernels. Each path is deterministic; the two differ in float rounding (float32 vs float64 sums).
   */
  simd?: boolean;
  /** Cap on serialized weight bytes: bounds maxFeatures given the total number of classes. */
  maxModelBytes?: number;
  /**
   * Per-field settings tried on validation (field-search.ts), each a change to the global learningRate /
   * charWeight / no class weighting; the lowest validation loss wins, earlier ones win ties. Empty (the
   * default): the global setting only. Off by default because it did not pay on the benchmark data: with a few
   * hundred validation tickets the choice follows noise (bench/README.md, 2026-12-02).
   */
  fieldSearch?: Partial<FieldSetting>[];
}

export type FastHyperparameters = Required<Omit<FastTrainOptions, 'signal' | 'onProgress'>>;


export const FAST_DEFAULTS: FastHyperparameters = {
  seed: 1,
  maxEpochs: 30,
  learningRate: 1,
  averageAfter: 0,
  epochsWithoutValidation: 8,
  patience: 'auto',
  minImprovement: 0.005,
  refit: 'auto',
  refitMaxRows: 50_000,
  simd: true,
  maxModelBytes: 48 * 1024 * 1024,
  ...DEFAULT_FEATURE_CONFIG,
  // minDf 1: the bar (sklearn, C=5) is weakly regularised and profits from rare n-grams; so do we (+0.5 point
  // on support-tickets queues). The model-size cap still bounds the feature count on large tenants.
  minDf: 1,
  maxFeatures: 1_000_000,
  sublinearTf: true,
  charWeight: 0.7,
  fieldSearch: [],
};

/** Validation rows from which patience 'auto' is 2 instead of 4. */
export const PATIENT_BELOW = 2_000;

/** The patience a field with `validationRows` validation rows gets. */
export function resolvePatience(patience: number | 'auto', validationRows: number): number {
  if (patience !== 'auto') return patience;
  return validationRows < PATIENT_BELOW ? 4 : 2;
}

/** The label of the progress step that learns the feature space (before any field). */
export const FEATURES_STEP = 'features';

/** Defaults overridden by the options that are set (an explicit `undefined` keeps the default). */
export function resolveHyperparameters(opts: FastTrainOptions): FastHyperparameters {
  const hp: Record<string, unknown> = { ...FAST_DEFAULTS };
  for (const [key, value] of Object.entries(opts)) {
    if (value !== undefined && key !== 'signal' && key !== 'onProgress') hp[key] = value;
  }
  return hp as FastHyperparameters;
}
