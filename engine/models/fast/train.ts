/**
 * trainFastModel: the fast tier's whole training, synchronous (the lead runs it in a worker thread), with
 * progress callbacks and cancellation between epochs. Steps: learn the feature space on the texts, then per
 * field an averaged-SGD softmax model with early stopping and temperature calibration on validation, for each
 * candidate setting of the field search (the one with the best validation loss is kept), then (small tenants)
 * the kept setting for the same number of epochs again on train + validation.
 */
import { BlockScaler } from './block-scale';
import { FeatureSpace, type FeatureSpaceConfig } from './feature-space';
import { FastModel } from './model';
import { SimdArena } from './simd-arena';
import { type FieldSetting, type SettingScore, balancedClassWeights, pickSetting, sameSetting } from './field-search';
import type { FieldModel, FieldSelection } from './model-parts';
import { type LabeledRows, type SgdOptions, type SgdResult, trainSoftmaxSgd } from './softmax-sgd';
import type { CsrMatrix } from './sparse';
import {
  FEATURES_STEP,
  type FastHyperparameters,
  type FastProgress,
  type FastTrainData,
  type FastTrainOptions,
  resolveHyperparameters,
  resolvePatience,
} from './train-options';

export function trainFastModel(train: FastTrainData, validation: FastTrainData, opts: FastTrainOptions = {}): FastModel {
  const hp = resolveHyperparameters(opts);
  checkData(train, 'train');
  checkData(validation, 'validation');
  throwIfAborted(opts.signal);

  const fields = Object.keys(train.labels)
    .map((name) => ({ name, classes: distinctLabels(train.labels[name]) }))
    .filter((f) => f.classes.length > 0);
  const learnt = fields.filter((f) => f.classes.length > 1);
  const wantsRefit = hp.refit === 'auto' ? train.texts.length <= hp.refitMaxRows : hp.refit;
  const refit = wantsRefit && validation.texts.length > 0;
  const candidates = fieldCandidates(hp);
  // Each learnt field owns maxEpochs steps per candidate (and refit): an upper bound, so the ETA errs long.
  const stepsPerField = hp.maxEpochs * (candidates.length + (refit ? 1 : 0));
  const total = 1 + learnt.length * stepsPerField;
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
  // The vocabulary and IDF come from train and validation texts (texts only, no labels: nothing leaks), so the
  // refit sees validation n-grams too. Rows [0, nTrain) are train, the rest validation.
  const fitted = FeatureSpace.fit([...train.texts, ...validation.texts], config);
  const space = fitted.space;
  const nTrain = train.texts.length;
  // The SIMD arena takes over the rows (copied into its memory); the JS copy is then garbage.
  const arena = hp.simd && learnt.length > 0 ? SimdArena.create(fitted.matrix, space.dim, Math.max(...learnt.map((f) => f.classes.length))) : null;
  const matrix = arena ? arena.x : fitted.matrix;
  // Only needed when some candidate changes the char weight: it scans every row once.
  const scaler =
    hp.charWeight > 0 && candidates.some((c) => c.charWeight !== hp.charWeight)
      ? new BlockScaler(matrix, space.charBlock, hp.charWeight)
      : null;
  step = 1;
  report({ field: FEATURES_STEP, epoch: 0, loss: 0, phase: 'features' });
  throwIfAborted(opts.signal);

  const models: FieldModel[] = [];
  const selected: Record<string, FieldSelection> = {};
  for (const [fieldIndex, f] of fields.entries()) {
    if (f.classes.length === 1) {
      models.push({ name: f.name, classes: f.classes, linear: null, temperature: 1 });
      continue;
    }
    const trainRows = labeledRows(matrix, 0, train.labels[f.name], f.classes, false);
    const valRows = labeledRows(matrix, nTrain, validation.labels[f.name] ?? [], f.classes, true);
    const firstStep = step;
    const sgd = (phase: 'train' | 'refit', offset: number, setting: FieldSetting): Omit<SgdOptions, 'maxEpochs'> => ({
      dim: space.dim,
      classes: f.classes.length,
      learningRate: setting.learningRate,
      classWeights: setting.classWeight === 'balanced' ? balancedClassWeights(trainRows.y, f.classes.length) : undefined,
      averageAfter: hp.averageAfter,
      patience: resolvePatience(hp.patience, valRows.rows.length),
      minImprovement: hp.minImprovement,
      seed: (hp.seed + fieldIndex * 7919) >>> 0,
      onEpoch: (epoch, loss, validationAccuracy) => {
        step = firstStep + offset + epoch;
        report({ field: f.name, epoch, loss, validationAccuracy, phase });
        throwIfAborted(opts.signal);
      },
    });
    const hasValidation = valRows.rows.length > 0;
    const maxEpochs = hasValidation ? hp.maxEpochs : Math.min(hp.maxEpochs, hp.epochsWithoutValidation);
    // Without validation labels there is nothing to choose on: the global setting only.
    const tried = hasValidation ? candidates : candidates.slice(0, 1);
    const scores: SettingScore[] = [];
    let kept: { result: SgdResult; setting: FieldSetting } | null = null;
    for (const [i, setting] of tried.entries()) {
      scaler?.set(setting.charWeight);
      const result = trainSoftmaxSgd(trainRows, valRows, { ...sgd('train', i * hp.maxEpochs, setting), maxEpochs }, arena);
      scores.push({
        setting,
        validationLoss: result.validationLoss ?? 0,
        validationAccuracy: result.validationAccuracy ?? 0,
        bestEpoch: result.bestEpoch,
      });
      // Only the leader's weights are kept: one weight matrix per field in memory, whatever the grid.
      if (pickSetting(scores) === i) kept = { result, setting };
    }
    const { result, setting } = kept!;
    let linear = result.model;
    if (refit) {
      scaler?.set(setting.charWeight);
      const all = joinRows(trainRows, valRows);
      const offset = candidates.length * hp.maxEpochs;
      linear = trainSoftmaxSgd(all, null, { ...sgd('refit', offset, setting), maxEpochs: result.bestEpoch }, arena).model;
    }
    scaler?.fold(linear.weights, f.classes.length, setting.charWeight);
    // Early stopping skips epochs: jump to the field's last step so the bar and ETA stay honest.
    step = firstStep + stepsPerField;
    models.push({ name: f.name, classes: f.classes, linear, temperature: result.temperature });
    selected[f.name] = {
      setting,
      bestEpoch: result.bestEpoch,
      validationLoss: result.validationLoss,
      validationAccuracy: result.validationAccuracy,
      candidates: scores.length,
    };
  }
  scaler?.set(hp.charWeight);
  if (step !== total) {
    step = total;
    report({ field: models.at(-1)?.name ?? FEATURES_STEP, epoch: 0, loss: 0 });
  }

  return new FastModel({
    space,
    fields: models,
    info: {
      featureDim: space.dim,
      trainedOn: train.texts.length + (refit ? validation.texts.length : 0),
      hyper: { ...hp, maxFeatures, refit, simd: arena !== null },
      temperature: Object.fromEntries(models.map((m) => [m.name, m.temperature])),
      selected,
    },
  });
}

/** The settings a field tries: the search's list (each a change to the global setting), or the global one. */
function fieldCandidates(hp: FastHyperparameters): FieldSetting[] {
  const base: FieldSetting = { learningRate: hp.learningRate, charWeight: hp.charWeight, classWeight: 'none' };
  if (hp.fieldSearch.length === 0) return [base];
  const out: FieldSetting[] = [];
  for (const change of hp.fieldSearch) {
    const setting = { ...base, ...change };
    // A char weight of 0 in the space means no char values to rescale: the search cannot change it.
    if (hp.charWeight <= 0) setting.charWeight = hp.charWeight;
    if (!out.some((s) => sameSetting(s, setting))) out.push(setting);
  }
  return out;
}

/**
 * Rows `offset + i` of `x` labelled for this field. Validation keeps labels unseen in training (as -1: always
 * wrong, never in the loss) so that its accuracy is honest.
 */
function labeledRows(
  x: CsrMatrix,
  offset: number,
  labels: (string | null)[],
  classes: string[],
  keepUnknown: boolean,
): LabeledRows {
  const index = new Map(classes.map((c, i) => [c, i]));
  const rows: number[] = [];
  const y: number[] = [];
  for (let r = 0; r < labels.length; r++) {
    const label = labels[r];
    if (label === null || label === undefined) continue;
    const c = index.get(label);
    if (c === undefined && !keepUnknown) continue;
    rows.push(offset + r);
    y.push(c ?? -1);
  }
  return { x, rows: Int32Array.from(rows), y: Int32Array.from(y) };
}

/** Train and validation rows together, without validation labels the model cannot know. */
function joinRows(a: LabeledRows, b: LabeledRows): LabeledRows {
  const rows = [...a.rows];
  const y = [...a.y];
  for (let i = 0; i < b.rows.length; i++) {
    if (b.y[i] < 0) continue;
    rows.push(b.rows[i]);
    y.push(b.y[i]);
  }
  return { x: a.x, rows: Int32Array.from(rows), y: Int32Array.from(y) };
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
