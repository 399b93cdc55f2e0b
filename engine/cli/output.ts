import { EngineError } from '../client/engine-client';

/** A table with aligned columns for terminal output. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const pct = (x: number | undefined) => (x === undefined ? '-' : `${(x * 100).toFixed(1)}%`);

/** Prints an error the way a user can act on it: the message, then each detail (e.g. import rows). */
export function printError(err: unknown): void {
  if (err instanceof EngineError) {
    process.stderr.write(`error (${err.code}): ${err.message}\n`);
    const issues = (err.details as { issues?: { message: string }[] } | undefined)?.issues;
    if (Array.isArray(issues)) for (const i of issues.slice(0, 50)) process.stderr.write(`  - ${i.message}\n`);
    else if (Array.isArray(err.details)) for (const d of err.details.slice(0, 50)) process.stderr.write(`  - ${JSON.stringify(d)}\n`);
  } else {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}
