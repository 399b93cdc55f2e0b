/**
 * Temperature scaling (Guo et al. 2017): divide a classifier's logits by one scalar T fitted on held-out data,
 * so that its confidence matches its accuracy. One parameter cannot change which class wins, so accuracy is
 * untouched; it is the right amount of freedom for a few hundred validation tickets. Generic over the model:
 * the fast tier passes its linear logits, the LLM tier its per-choice log-likelihoods.
 */

export type Logits = ArrayLike<number>;

export interface FitTemperatureOptions {
  /** Search bounds for T; the fit is clamped to them (a wildly off T means bad data, not a real optimum). */
  min?: number;
  max?: number;
}

const DEFAULT_MIN_T = 0.05;
const DEFAULT_MAX_T = 20;
const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** softmax(logits / T), computed stably; T must be > 0. */
export function softmaxWithTemperature(logits: Logits, temperature: number): number[] {
  if (!(temperature > 0)) throw new Error(`temperature must be > 0, got ${temperature}`);
  const n = logits.length;
  const out = new Array<number>(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  if (max === -Infinity) return out.fill(n > 0 ? 1 / n : 0);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    out[i] = Math.exp((logits[i] - max) / temperature);
    sum += out[i];
  }
  for (let i = 0; i < n; i++) out[i] /= sum;
  return out;
}

/** Mean negative log-likelihood of `labels` under softmax(logits / T). */
export function temperatureNll(logits: readonly Logits[], labels: readonly number[], temperature: number): number {
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const z = logits[i];
    let max = -Infinity;
    for (let c = 0; c < z.length; c++) if (z[c] > max) max = z[c];
    let sum = 0;
    for (let c = 0; c < z.length; c++) sum += Math.exp((z[c] - max) / temperature);
    total += Math.log(sum) - (z[labels[i]] - max) / temperature;
  }
  return logits.length > 0 ? total / logits.length : 0;
}

/**
 * The T minimising validation NLL, by golden-section search on log T within [min, max]. The NLL is convex
 * in 1/T, hence unimodal in log T, so the 1-D search finds the global optimum. Returns 1 without data.
 */
export function fitTemperature(
  logits: readonly Logits[],
  labels: readonly number[],
  opts: FitTemperatureOptions = {},
): number {
  if (logits.length !== labels.length) {
    throw new Error(`fitTemperature: ${logits.length} logit rows but ${labels.length} labels`);
  }
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= logits[i].length) {
      throw new Error(`fitTemperature: label ${y} of row ${i} is not a class index`);
    }
  }
  if (logits.length === 0) return 1;
  const nll = (logT: number) => temperatureNll(logits, labels, Math.exp(logT));
  let lo = Math.log(opts.min ?? DEFAULT_MIN_T);
  let hi = Math.log(opts.max ?? DEFAULT_MAX_T);
  let a = hi - GOLDEN * (hi - lo);
  let b = lo + GOLDEN * (hi - lo);
  let fa = nll(a);
  let fb = nll(b);
  // Stop at a relative precision of 1e-4 on T (~25 iterations): finer changes no probability that matters.
  while (hi - lo > 1e-4) {
    if (fa <= fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - GOLDEN * (hi - lo);
      fa = nll(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + GOLDEN * (hi - lo);
      fb = nll(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}
