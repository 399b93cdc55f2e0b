/**
 * trainFastModel: the fast tier's whole training, synchronous (the lead runs it in a worker thread), with
 * progress callbacks and cancellation between epochs. Steps: learn the feature space on the training texts,
 * then per field an SGD softmax model with early stopping on validation, then a calibration temperature
 * fitted on the same validation logits.
 */
import { DEFAULT_FEATURE_CONFIG } from './features';
import { FeatureSpace, type FeatureSpaceConfig } from './feature-space';
import { FastModel } from './model';
import type { FieldModel } from './model-parts';
import { type LabeledRows, trainSoftmaxSgd } from './softmax-sgd';
import { type CsrMatrix, concatCsr } from './sparse';

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
}

export interface FastTrainOptions extends Partial<FeatureSpaceConfig> {
  seed?: number;
  maxEpochs?: number;
  signal?: AbortSignal;
  onProgress?: (p: FastProgress) => void;
  /** SGD step size (rows are L2-normalised, so ~1 is a sane scale). */
  learningRate?: number;
  /** Epochs of plain SGD before the iterates are averaged. */
  averageAfter?: number;
  /** Epochs without validation improvement before a field stops. */
  patience?: number;
  /** Cap on serialized weight bytes: bounds maxFeatures given the total number of classes. */
  maxModelBytes?: number;
}

export const FAST_DEFAULTS = {
  seed: 1,
  maxEpochs: 30,
  learningRate: 1,
  averageAfter: 1,
  patience: 4,
  maxModelBytes: 48 * 1024 * 1024,
  ...DEFAULT_FEATURE_CONFIG,
  minDf: 2,
  maxFeatures: 1_000_000,
  sublinearTf: true,
  charWeight: 1,
} satisfies Required<Omit<FastTrainOptions, 'signal' | 'onProgress'>>;

/** The label of the progress step that learns the feature space (before any field). */
export const FEATURES_STEP = 'features';

export function trainFastModel(train: FastTrainData, validation: FastTrainData, opts: FastTrainOptions = {}): FastModel {
  const hp = { ...FAST_DEFAULTS, ...definedOnly(opts) };
  checkData(train, 'train');
  checkData(validation, 'validation');
  throwIfAborted(opts.signal);

  const fields = Object.keys(train.labels)
    .map((name) => ({ name, classes: distinctLabels(train.labels[name]) }))
    .filter((f) => f.classes.length > 0);
  const learnt = fields.filter((f) => f.classes.length > 1);
  const total = 1 + learnt.length * hp.maxEpochs;
  let step = 0;
  const report = (p: Omit<FastProgress, 'step' | 'total'>) => opts.onProgress?.({ step, total, ...p });

  // Weight bytes = dim x (classes summed over learnt fields) x 4: cap dim so the model fits the budget.
  const classSum = learnt.reduce((s, f) => s + f.classes.length, 0);
  const maxFeatures = Math.max(1, Math.min(hp.maxFeatures, Math.floor(hp.maxModelBytes / (4 * Math.max(1, classSum)))));
  const config: FeatureSpaceConfig = {
    wordNgramMax: hp.wordNgramMax,
    charNgramMin: hp.charNgramMin,
    charNgramMax: hp.charNgramMax,
    minDf: hp.minDf,
    maxFeatures,
    sublinearTf: hp.sublinearTf,
    charWeight: hp.charWeight,
  };
  const { space, matrix: xTrain } = FeatureSpace.fit(train.texts, config);
  const xVal = space.vectorizeMany(validation.texts);
  step = 1;
  report({ field: FEATURES_STEP, epoch: 0, loss: 0 });
  throwIfAborted(opts.signal);

  const models: FieldModel[] = [];
  for (const [fieldIndex, f] of fields.entries()) {
    if (f.classes.length === 1) {
      models.push({ name: f.name, classes: f.classes, linear: null, temperature: 1 });
      continue;
    }
    const trainRows = labeledRows(xTrain, train.labels[f.name], f.classes, false);
    const valRows = labeledRows(xVal, validation.labels[f.name] ?? [], f.classes, true);
    const firstStep = step;
    const result = trainSoftmaxSgd(trainRows, valRows, {
      dim: space.dim,
      classes: f.classes.length,
      maxEpochs: hp.maxEpochs,
      learningRate: hp.learningRate,
      averageAfter: hp.averageAfter,
      patience: hp.patience,
      seed: (hp.seed + fieldIndex * 7919) >>> 0,
      onEpoch: (epoch, loss, validationAccuracy) => {
        step = firstStep + epoch;
        report({ field: f.name, epoch, loss, validationAccuracy });
        throwIfAborted(opts.signal);
      },
    });
    // Early stopping skips the remaining epochs: jump the bar so the ETA stays honest.
    step = firstStep + hp.maxEpochs;
    let linear = result.model;
    if (process.env.REFIT && valRows.rows.length > 0) {
      const all = concatCsr(xTrain, xVal);
      const known = valRows.y.map((c) => c).filter((c) => c >= 0);
      const rows = Int32Array.from([...trainRows.rows, ...[...valRows.rows].filter((_, i) => valRows.y[i] >= 0).map((r) => r + xTrain.rows)]);
      const y = Int32Array.from([...trainRows.y, ...known]);
      linear = trainSoftmaxSgd({ x: all, rows, y }, null, {
        dim: space.dim, classes: f.classes.length, maxEpochs: result.bestEpoch, learningRate: hp.learningRate, averageAfter: hp.averageAfter, patience: hp.patience, seed: (hp.seed + fieldIndex * 7919) >>> 0,
      }).model;
    }
    models.push({ name: f.name, classes: f.classes, linear, temperature: result.temperature });
  }
  if (step !== total) {
    step = total;
    report({ field: models.at(-1)?.name ?? FEATURES_STEP, epoch: 0, loss: 0 });
  }

  const { signal: _s, onProgress: _p, ...hyper } = hp as typeof hp & Pick<FastTrainOptions, 'signal' | 'onProgress'>;
  return new FastModel({
    space,
    fields: models,
    info: {
      featureDim: space.dim,
      trainedOn: train.texts.length,
      hyper: { ...hyper, maxFeatures },
      temperature: Object.fromEntries(models.map((m) => [m.name, m.temperature])),
    },
  });
}

/** Rows of `x` labelled for this field. Validation keeps labels unseen in training (as -1: always wrong). */
function labeledRows(x: CsrMatrix, labels: (string | null)[], classes: string[], keepUnknown: boolean): LabeledRows {
  const index = new Map(classes.map((c, i) => [c, i]));
  const rows: number[] = [];
  const y: number[] = [];
  for (let r = 0; r < labels.length; r++) {
    const label = labels[r];
    if (label === null || label === undefined) continue;
    const c = index.get(label);
    if (c === undefined && !keepUnknown) continue;
    rows.push(r);
    y.push(c ?? -1);
  }
  return { x, rows: Int32Array.from(rows), y: Int32Array.from(y) };
}

/** Sorted distinct non-null labels (sorted: the class order must not depend on ticket order). */
function distinctLabels(labels: (string | null)[]): string[] {
  const set = new Set<string>();
  for (const l of labels) if (l !== null && l !== undefined) set.add(l);
  return [...set].sort();
}

function checkData(data: FastTrainData, name: string): void {
  for (const [field, labels] of Object.entries(data.labels)) {
    if (labels.length !== data.texts.length) {
      throw new Error(`${name} data: field '${field}' has ${labels.length} labels for ${data.texts.length} texts`);
    }
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const error = new Error('fast model training was cancelled');
  error.name = 'AbortError';
  throw error;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
