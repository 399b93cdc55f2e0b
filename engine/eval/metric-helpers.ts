/** Small helpers every metric shares. */
/** Metrics are stored and displayed: four decimals are plenty and keep reports stable across runs. */
export function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** Share with a zero denominator read as 0, so empty splits give zeros instead of NaN in JSON. */
export function ratio(num: number, den: number): number {
  return den > 0 ? num / den : 0;
}

export function isCorrect(r: { truth: string; predicted: string | null }): boolean {
  return r.predicted !== null && r.predicted === r.truth;
}
