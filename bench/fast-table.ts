/** Markdown tables for the fast benchmark (they paste into bench/README.md as they are). */

export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
/** A difference of two shares in percentage points, signed ("+0.25", "-0.05"). */
export const signedPoints = (x: number) => {
  const points = Math.round(x * 1e4) / 100;
  return `${points >= 0 ? '+' : ''}${points.toFixed(2)}`;
};
export const fixed = (x: number, digits = 1) => x.toFixed(digits);
export const count = (x: number) => Math.round(x).toLocaleString('en-US');
/** "12.3x": how many times `slow` takes as long as `fast`. */
export const times = (slow: number, fast: number) => (fast > 0 ? `${(slow / fast).toFixed(1)}x` : '-');
