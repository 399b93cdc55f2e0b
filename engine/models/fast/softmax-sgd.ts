/**
 * Multinomial logistic regression trained by averaged SGD (Polyak-Ruppert averaging) on sparse, L2-normalised
 * rows, with early stopping on a validation set. Why averaged SGD: the average of the iterates converges in
 * a few epochs to what plain SGD reaches only with a carefully decayed step, and its validation curve is
 * smooth, so early stopping picks a good epoch instead of a lucky one. No L2 penalty: averaging plus early
 * stopping regularise enough on these data, and it keeps the update sparse.
 *
 * Cost: the forward pass touches every class of every feature of a row; the update only the classes whose
 * gradient is not negligible (most of them once the model is confident).
 */
import { fitTemperature, temperatureNll } from '../../triage/calibrate';
import { sparseDot, sparseUpdate } from './kernels';
import { type LinearSoftmax, argmax } from './linear';
import { mulberry32, shuffleInPlace } from './random';
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
  /** Step size, constant (averaging does the annealing); rows have norm 1, so ~1 is the natural scale. */
  learningRate: number;
  /** Epochs of plain SGD before averaging starts (the first iterates are far from the optimum). */
  averageAfter: number;
  /** Epochs without validation improvement before stopping. */
  patience: number;
  /** Relative drop of validation loss that counts as improvement for `patience`. */
  minImprovement: number;
  seed: number;
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
}

interface Evaluation {
  accuracy: number;
  loss: number;
  temperature: number;
}

/** Gradients below this (a class with probability < 1e-4) are skipped: sparse updates, same optimum. */
const MIN_GRADIENT = 1e-4;
const SNAPSHOTS_PER_EPOCH = Number(process.env.SNAP ?? 16);

export function trainSoftmaxSgd(train: LabeledRows, validation: LabeledRows | null, opts: SgdOptions): SgdResult {
  const k = opts.classes;
  const size = opts.dim * k;
  const w = new Float32Array(size);
  const bias = new Float64Array(k);
  // Running sum of snapshots of the iterate, taken every `every` steps once averaging has started.
  const sumW = new Float32Array(size);
  const sumBias = new Float64Array(k);
  let snapshots = 0;
  const avg = { weights: new Float32Array(size), bias: new Float32Array(k) };
  const best = { weights: new Float32Array(size), bias: new Float32Array(k) };
  let bestEpoch = 0;
  let bestAcc = -1;
  let bestLoss = Infinity;
  let bestTemperature = 1;
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
  const every = Math.max(1, Math.round(n / SNAPSHOTS_PER_EPOCH));
  const minGradient = Number(process.env.MING ?? MIN_GRADIENT);

  for (let epoch = 1; epoch <= opts.maxEpochs; epoch++) {
    shuffleInPlace(order, random);
    const averaging = epoch > opts.averageAfter;
    let lossSum = 0;
    for (let t = 0; t < n; t++) {
      const item = order[t];
      const label = train.y[item];
      const s = indptr[train.rows[item]];
      const e = indptr[train.rows[item] + 1];

      sparseDot(w, k, indices, values, s, e, z);
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
      for (let c = 0; c < k; c++) {
        const gc = z[c] / sum - (c === label ? 1 : 0);
        if (gc > minGradient || gc < -minGradient) {
          g[na] = gc;
          active[na++] = c;
        }
      }
      sparseUpdate(w, k, indices, values, s, e, -lr, active, g, na);
      if (process.env.NA) { (globalThis as any).na = ((globalThis as any).na ?? 0) + na; (globalThis as any).nn = ((globalThis as any).nn ?? 0) + 1; }
      for (let a = 0; a < na; a++) bias[active[a]] -= lr * g[a];
      if (averaging && (t + 1) % every === 0) {
        for (let i = 0; i < size; i++) sumW[i] += w[i];
        for (let c = 0; c < k; c++) sumBias[c] += bias[c];
        snapshots++;
      }
    }
    epochsRun = epoch;
    if (process.env.NA) { console.log("k", k, "avg active", (globalThis as any).na / (globalThis as any).nn); (globalThis as any).na = 0; (globalThis as any).nn = 0; }

    // The model of this epoch: the running average once averaging has started, the iterate before.
    if (snapshots > 0) {
      for (let i = 0; i < size; i++) avg.weights[i] = sumW[i] / snapshots;
      for (let c = 0; c < k; c++) avg.bias[c] = sumBias[c] / snapshots;
    } else {
      avg.weights.set(w);
      for (let c = 0; c < k; c++) avg.bias[c] = bias[c];
    }

    let accuracy: number | undefined;
    let improved = true;
    if (useValidation) {
      const ev = evaluate(avg.weights, avg.bias, k, validation);
      accuracy = ev.accuracy;
      // Only a real drop of the loss counts as progress: the averaged curve flattens out and would otherwise
      // creep down by 1e-5 per epoch for a long time. Within that tolerance of the best, the later epoch wins:
      // on a flat curve the difference is noise, and the longer-trained model is the more converged one.
      if (process.env.CRIT === 'acc') {
        if (ev.accuracy > bestAcc) lastProgress = epoch;
        improved = ev.accuracy >= bestAcc;
      } else {
      if (ev.loss < bestLoss * (1 - opts.minImprovement)) lastProgress = epoch;
      improved = ev.loss <= bestLoss * (1 + opts.minImprovement);
      }
      if (process.env.DBG) console.log("ep", epoch, ev.loss.toFixed(4), ev.accuracy.toFixed(3), ev.temperature.toFixed(2));
      if (improved) {
        bestAcc = Math.max(bestAcc, ev.accuracy);
        bestLoss = Math.min(bestLoss, ev.loss);
        bestTemperature = ev.temperature;
      }
    }
    if (improved) {
      bestEpoch = epoch;
      best.weights.set(avg.weights);
      best.bias.set(avg.bias);
    }
    opts.onEpoch?.(epoch, n > 0 ? lossSum / n : 0, accuracy);
    if (useValidation && epoch - lastProgress >= opts.patience) break;
  }
  return {
    model: { dim: opts.dim, classes: k, weights: best.weights, bias: best.bias },
    temperature: bestTemperature,
    bestEpoch,
    epochsRun,
    validationAccuracy: useValidation ? bestAcc : undefined,
  };
}

/**
 * Accuracy and temperature-calibrated NLL (known labels only) of the given weights on `data`. Calibrated, because
 * raw NLL starts rising as soon as the model grows over-confident while its ranking still improves: it would
 * stop training too early. After the best temperature, NLL measures ranking quality, and smoothly.
 */
function evaluate(weights: Float32Array, bias: Float32Array, k: number, data: LabeledRows): Evaluation {
  const z = new Float64Array(k);
  const { indptr, indices, values } = data.x;
  const logits: Float64Array[] = [];
  const labels: number[] = [];
  let correct = 0;
  for (let i = 0; i < data.rows.length; i++) {
    const row = data.rows[i];
    sparseDot(weights, k, indices, values, indptr[row], indptr[row + 1], z);
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
