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
 * The T minimising validation NLL within [min, max]. The NLL is convex in beta = 1/T (a log-sum-exp of
 * functions linear in beta), so Newton's method on beta finds the global optimum in a handful of passes over
 * the logits; a bracket of the minimiser, narrowed by the sign of the derivative, turns any step that leaves it
 * into a bisection (an optimum at a bound, e.g. separable data, is reached that way). Returns 1 without data.
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
  let lo = 1 / (opts.max ?? DEFAULT_MAX_T);
  let hi = 1 / (opts.min ?? DEFAULT_MIN_T);
  let beta = Math.min(hi, Math.max(lo, 1));
  for (let iteration = 0; iteration < 100; iteration++) {
    const { gradient, curvature } = nllDerivatives(logits, labels, beta);
    if (gradient > 0) hi = beta;
    else lo = beta;
    let next = curvature > 0 ? beta - gradient / curvature : NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    // Relative precision 1e-6 on T: far finer than any probability that matters.
    const done = Math.abs(next - beta) <= 1e-6 * beta || gradient === 0;
    beta = next;
    if (done) break;
  }
  return 1 / beta;
}

/** First and second derivative of the mean NLL with respect to beta = 1/T. */
function nllDerivatives(logits: readonly Logits[], labels: readonly number[], beta: number): { gradient: number; curvature: number } {
  let gradient = 0;
  let curvature = 0;
  for (let i = 0; i < logits.length; i++) {
    const z = logits[i];
    let max = -Infinity;
    for (let c = 0; c < z.length; c++) if (z[c] > max) max = z[c];
    // Moments of the shifted logits (z - max) under softmax(beta z): shifting changes neither the variance
    // nor the difference E[z] - z_y, and keeps exp() in range.
    let sum = 0;
    let m1 = 0;
    let m2 = 0;
    for (let c = 0; c < z.length; c++) {
      const d = z[c] - max;
      const e = Math.exp(beta * d);
      sum += e;
      m1 += e * d;
      m2 += e * d * d;
    }
    const mean = m1 / sum;
    gradient += mean - (z[labels[i]] - max);
    curvature += Math.max(0, m2 / sum - mean * mean);
  }
  return { gradient: gradient / logits.length, curvature: curvature / logits.length };
}
