/**
 * Multinomial logistic regression trained by SGD on sparse, L2-normalised rows, with early stopping on a
 * validation set. Tricks that make it fast enough for 50k tickets in seconds:
 *   - L2 decay as a global scale (w = scale * v): the weight decay of every step costs O(1), not O(dim x K);
 *   - the update skips classes whose gradient is negligible (most of them once the model is confident);
 *   - learning rate lr0 / (1 + epoch-progress), which converges well on normalised tf-idf rows.
 */
import { type LinearSoftmax, argmax, linearLogits } from './linear';
import { mulberry32, shuffleInPlace } from './random';
import { type CsrMatrix, csrRow } from './sparse';

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
  learningRate: number;
  /** L2 penalty per example (sklearn's C relates as l2 = 1 / (C * n)). */
  l2: number;
  /** Epochs without validation improvement before stopping. */
  patience: number;
  seed: number;
  /** Called after every epoch; may throw (cancellation) to stop training. */
  onEpoch?: (epoch: number, loss: number, validationAccuracy: number | undefined) => void;
}

export interface SgdResult {
  model: LinearSoftmax;
  /** 1-based epoch whose weights were kept. */
  bestEpoch: number;
  epochsRun: number;
  validationAccuracy?: number;
}

const MIN_GRADIENT = 1e-6;

export function trainSoftmaxSgd(train: LabeledRows, validation: LabeledRows | null, opts: SgdOptions): SgdResult {
  const k = opts.classes;
  const dim = opts.dim;
  const v = new Float32Array(dim * k);
  const bias = new Float32Array(k);
  let scale = 1;
  const best = { weights: new Float32Array(dim * k), bias: new Float32Array(k) };
  let bestEpoch = 0;
  let bestAcc = -1;
  let bestLoss = Infinity;
  let epochsRun = 0;

  const random = mulberry32(opts.seed);
  const order = Int32Array.from(train.rows.keys());
  const z = new Float64Array(k);
  const g = new Float64Array(k);
  const active = new Int32Array(k);
  const n = order.length;
  const { indptr, indices, values } = train.x;
  const useValidation = validation !== null && validation.rows.length > 0;

  for (let epoch = 1; epoch <= opts.maxEpochs; epoch++) {
    shuffleInPlace(order, random);
    let lossSum = 0;
    for (let t = 0; t < n; t++) {
      const lr = opts.learningRate / (1 + (epoch - 1 + t / n));
      const item = order[t];
      const row = train.rows[item];
      const label = train.y[item];
      const s = indptr[row];
      const e = indptr[row + 1];

      // Forward: z = scale * (x . v) + b, then softmax.
      for (let c = 0; c < k; c++) z[c] = 0;
      for (let p = s; p < e; p++) {
        const base = indices[p] * k;
        const xv = values[p];
        for (let c = 0; c < k; c++) z[c] += xv * v[base + c];
      }
      let max = -Infinity;
      for (let c = 0; c < k; c++) {
        z[c] = z[c] * scale + bias[c];
        if (z[c] > max) max = z[c];
      }
      let sum = 0;
      for (let c = 0; c < k; c++) {
        z[c] = Math.exp(z[c] - max);
        sum += z[c];
      }
      lossSum -= Math.log(Math.max(z[label] / sum, 1e-300));

      // Gradient of the cross-entropy w.r.t. the logits is p - onehot(label).
      let na = 0;
      for (let c = 0; c < k; c++) {
        const gc = z[c] / sum - (c === label ? 1 : 0);
        if (gc > MIN_GRADIENT || gc < -MIN_GRADIENT) {
          g[na] = gc;
          active[na++] = c;
        }
      }
      scale *= 1 - lr * opts.l2;
      const step = lr / scale;
      for (let p = s; p < e; p++) {
        const base = indices[p] * k;
        const xs = values[p] * step;
        for (let a = 0; a < na; a++) v[base + active[a]] -= xs * g[a];
      }
      for (let a = 0; a < na; a++) bias[active[a]] -= lr * g[a];
      if (scale < 1e-4) {
        // Fold the scale back into v before float32 precision suffers.
        for (let i = 0; i < v.length; i++) v[i] *= scale;
        scale = 1;
      }
    }
    epochsRun = epoch;

    const current: LinearSoftmax = { dim, classes: k, weights: v, bias };
    let accuracy: number | undefined;
    let improved = true;
    if (useValidation) {
      const ev = evaluate(current, scale, validation);
      accuracy = ev.accuracy;
      improved = ev.accuracy > bestAcc || (ev.accuracy === bestAcc && ev.loss < bestLoss);
      if (improved) {
        bestAcc = ev.accuracy;
        bestLoss = ev.loss;
      }
    }
    if (improved) {
      bestEpoch = epoch;
      for (let i = 0; i < v.length; i++) best.weights[i] = v[i] * scale;
      best.bias.set(bias);
    }
    opts.onEpoch?.(epoch, n > 0 ? lossSum / n : 0, accuracy);
    if (useValidation && epoch - bestEpoch >= opts.patience) break;
  }
  return {
    model: { dim, classes: k, weights: best.weights, bias: best.bias },
    bestEpoch,
    epochsRun,
    validationAccuracy: useValidation ? bestAcc : undefined,
  };
}

/** Accuracy and mean NLL (known labels only) of `model` with its weights multiplied by `scale`. */
function evaluate(model: LinearSoftmax, scale: number, data: LabeledRows): { accuracy: number; loss: number } {
  const z = new Float64Array(model.classes);
  const unscaled: LinearSoftmax = scale === 1 ? model : { ...model, bias: new Float32Array(model.classes) };
  let correct = 0;
  let loss = 0;
  let known = 0;
  for (let i = 0; i < data.rows.length; i++) {
    linearLogits(unscaled, csrRow(data.x, data.rows[i]), z);
    if (scale !== 1) for (let c = 0; c < z.length; c++) z[c] = z[c] * scale + model.bias[c];
    const label = data.y[i];
    if (argmax(z) === label) correct++;
    if (label < 0) continue;
    let max = -Infinity;
    for (let c = 0; c < z.length; c++) if (z[c] > max) max = z[c];
    let sum = 0;
    for (let c = 0; c < z.length; c++) sum += Math.exp(z[c] - max);
    loss += Math.log(sum) - (z[label] - max);
    known++;
  }
  return { accuracy: correct / data.rows.length, loss: known > 0 ? loss / known : 0 };
}
