/**
 * Multinomial logistic regression trained by SGD with iterate averaging (Polyak-Ruppert) on sparse,
 * L2-normalised rows, with early stopping on a validation set.
 *
 * Why averaging: with a constant step the SGD iterate keeps bouncing around the optimum; the average of
 * iterates converges in a few epochs to what plain SGD reaches only with a carefully tuned decay, and its
 * validation curve is smooth, so early stopping picks a good epoch rather than a lucky one. The average is
 * taken over snapshots (16 per epoch) instead of every step: a dense add every n/16 steps costs far less than
 * a second sparse update per step, and averages just as well. No L2 penalty: averaging plus early stopping
 * regularise enough (the sklearn bar uses a weak C=5), and it keeps updates sparse.
 *
 * Early stopping watches the validation NLL *after temperature scaling*: raw NLL rises as soon as the model
 * grows over-confident, long before its ranking (accuracy) stops improving.
 */
import { fitTemperature, temperatureNll } from '../../triage/calibrate';
import { sparseDot, sparseUpdate } from './kernels';
import { type LinearSoftmax, argmax } from './linear';
import { mulberry32, shuffleInPlace } from './random';
import { LIVE, SCRATCH, type SimdArena, paddedStride } from './simd-arena';
import type { CsrMatrix } from './sparse';

export interface LabeledRows {
  x: CsrMatrix;
  /** Row indices of `x` to use. */
  rows: Int32Array;
  /** Class index per entry of `rows`; -1 = a label the model cannot know (counts as an error, no loss). */
  y: Int32Array;
}

export interface SgdOptions {
  /** Feature-space size: row indices are < dim. */
  dim: number;
  classes: number;
  maxEpochs: number;
  /** Constant step size; rows have norm 1, so ~1 is the natural scale. */
  learningRate: number;
  /** Epochs of plain SGD before averaging starts (0: average from the first snapshot). */
  averageAfter: number;
  /** Epochs without enough validation improvement before stopping. */
  patience: number;
  /**
   * Relative drop of the validation loss that counts as progress. Within that tolerance of the best loss a
   * later epoch is preferred: on a flat curve the difference is noise, and the longer-trained model is the
   * more converged one.
   */
  minImprovement: number;
  seed: number;
  /** Per-class multiplier of a row's gradient (class weighting); absent = every class 1. */
  classWeights?: Float64Array;
  /** Called after every epoch; may throw (cancellation) to stop training. */
  onEpoch?: (epoch: number, loss: number, validationAccuracy: number | undefined) => void;
}

export interface SgdResult {
  model: LinearSoftmax;
  /** Calibration temperature of the kept weights on the validation rows (1 without validation). */
  temperature: number;
  /** 1-based epoch whose weights were kept. */
  bestEpoch: number;
  epochsRun: number;
  validationAccuracy?: number;
  /** Temperature-calibrated validation NLL of the kept weights (what early stopping watched). */
  validationLoss?: number;
}

interface Evaluation {
  accuracy: number;
  loss: number;
  temperature: number;
}

/**
 * Gradients below this (classes the model already gives < 0.1%) are skipped: the update touches a handful of
 * classes instead of all, and those weights would barely move anyway.
 */
const MIN_GRADIENT = 1e-3;
const SNAPSHOTS_PER_EPOCH = 16;

/**
 * Trains one field. With an `arena` (WebAssembly SIMD available), `train.x` must be `arena.x` and the weights
 * live in the arena with rows padded to whole vectors; the returned model is unpadded either way.
 */
export function trainSoftmaxSgd(
  train: LabeledRows,
  validation: LabeledRows | null,
  opts: SgdOptions,
  arena: SimdArena | null = null,
): SgdResult {
  const k = opts.classes;
  const stride = arena ? paddedStride(k) : k;
  const size = opts.dim * stride;
  const w = arena ? arena.weights(LIVE, size) : new Float32Array(size);
  if (arena && train.x !== arena.x) throw new Error('trainSoftmaxSgd: with an arena, train rows must be arena.x');
  const bias = new Float64Array(k);
  const sumW = new Float32Array(size);
  const sumBias = new Float64Array(k);
  let snapshots = 0;
  const avg = { weights: new Float32Array(size), bias: new Float32Array(k) };
  const best = { weights: new Float32Array(size), bias: new Float32Array(k) };
  let bestEpoch = 0;
  let bestAcc = -1;
  let bestLoss = Infinity;
  let bestTemperature = 1;
  let keptLoss = Infinity;
  let lastProgress = 0;
  let epochsRun = 0;

  const random = mulberry32(opts.seed);
  const order = Int32Array.from(train.rows.keys());
  const z = new Float64Array(k);
  const g = new Float64Array(k);
  const active = new Int32Array(k);
  const n = order.length;
  const { indptr, indices, values } = train.x;
  const useValidation = validation !== null && validation.rows.length > 0;
  const lr = opts.learningRate;
  const classWeights = opts.classWeights;
  const every = Math.max(1, Math.round(n / SNAPSHOTS_PER_EPOCH));

  for (let epoch = 1; epoch <= opts.maxEpochs; epoch++) {
    shuffleInPlace(order, random);
    const averaging = epoch > opts.averageAfter;
    let lossSum = 0;
    for (let t = 0; t < n; t++) {
      const item = order[t];
      const label = train.y[item];
      const s = indptr[train.rows[item]];
      const e = indptr[train.rows[item] + 1];

      if (arena) arena.dot(LIVE, stride, s, e, z);
      else sparseDot(w, k, indices, values, s, e, z);
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        z[c] += bias[c];
        if (z[c] > max) max = z[c];
      }
      let sum = 0;
      for (let c = 0; c < k; c++) {
        z[c] = Math.exp(z[c] - max);
        sum += z[c];
      }
      lossSum -= Math.log(Math.max(z[label] / sum, 1e-300));

      // Gradient of the cross-entropy w.r.t. the logits: p - onehot(label).
      let na = 0;
      const weight = classWeights ? classWeights[label] : 1;
      for (let c = 0; c < k; c++) {
        const gc = weight * (z[c] / sum - (c === label ? 1 : 0));
        if (gc > MIN_GRADIENT || gc < -MIN_GRADIENT) {
          g[na] = gc;
          active[na++] = c;
        }
      }
      // The SIMD update is dense (every class, 4 per instruction): cheaper unless very few classes are active.
      if (arena && na * 5 >= stride) arena.axpy(stride, s, e, -lr, active, g, na);
      else sparseUpdate(w, stride, indices, values, s, e, -lr, active, g, na);
      for (let a = 0; a < na; a++) bias[active[a]] -= lr * g[a];

      if (averaging && (t + 1) % every === 0) {
        for (let i = 0; i < size; i++) sumW[i] += w[i];
        for (let c = 0; c < k; c++) sumBias[c] += bias[c];
        snapshots++;
      }
    }
    epochsRun = epoch;

    // This epoch's model: the average of the snapshots so far (the iterate itself before averaging starts).
    if (snapshots > 0) {
      for (let i = 0; i < size; i++) avg.weights[i] = sumW[i] / snapshots;
      for (let c = 0; c < k; c++) avg.bias[c] = sumBias[c] / snapshots;
    } else {
      avg.weights.set(w);
      avg.bias.set(bias);
    }

    let accuracy: number | undefined;
    let keep = true;
    if (useValidation) {
      const ev = evaluate(avg.weights, avg.bias, k, stride, validation, arena);
      accuracy = ev.accuracy;
      if (ev.loss < bestLoss * (1 - opts.minImprovement)) lastProgress = epoch;
      keep = ev.loss <= bestLoss * (1 + opts.minImprovement);
      if (keep) {
        bestAcc = ev.accuracy;
        bestTemperature = ev.temperature;
        keptLoss = ev.loss;
      }
      bestLoss = Math.min(bestLoss, ev.loss);
    }
    if (keep) {
      bestEpoch = epoch;
      best.weights.set(avg.weights);
      best.bias.set(avg.bias);
    }
    opts.onEpoch?.(epoch, n > 0 ? lossSum / n : 0, accuracy);
    if (useValidation && epoch - lastProgress >= opts.patience) break;
  }
  return {
    model: { dim: opts.dim, classes: k, weights: unpad(best.weights, opts.dim, k, stride), bias: best.bias },
    temperature: bestTemperature,
    bestEpoch,
    epochsRun,
    validationAccuracy: useValidation ? bestAcc : undefined,
    validationLoss: useValidation ? keptLoss : undefined,
  };
}

/** Accuracy, temperature-calibrated NLL (known labels only) and that temperature, on `data`. */
function evaluate(
  weights: Float32Array,
  bias: Float32Array,
  k: number,
  stride: number,
  data: LabeledRows,
  arena: SimdArena | null,
): Evaluation {
  const padded = new Float64Array(stride);
  const z = padded.subarray(0, k);
  const { indptr, indices, values } = data.x;
  if (arena) arena.weights(SCRATCH, weights.length).set(weights);
  const logits: Float64Array[] = [];
  const labels: number[] = [];
  let correct = 0;
  for (let i = 0; i < data.rows.length; i++) {
    const row = data.rows[i];
    if (arena) arena.dot(SCRATCH, stride, indptr[row], indptr[row + 1], z);
    else sparseDot(weights, stride, indices, values, indptr[row], indptr[row + 1], padded);
    for (let c = 0; c < k; c++) z[c] += bias[c];
    const label = data.y[i];
    if (argmax(z) === label) correct++;
    if (label < 0) continue;
    logits.push(z.slice());
    labels.push(label);
  }
  const temperature = fitTemperature(logits, labels);
  return { accuracy: correct / data.rows.length, loss: temperatureNll(logits, labels, temperature), temperature };
}

/** Drops the padding columns: dim x stride -> dim x k. */
function unpad(weights: Float32Array, dim: number, k: number, stride: number): Float32Array {
  if (stride === k) return weights;
  const out = new Float32Array(dim * k);
  for (let f = 0; f < dim; f++) out.set(weights.subarray(f * stride, f * stride + k), f * k);
  return out;
}
