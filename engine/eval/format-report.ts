/**
 * The CLI's plain-text accuracy table, in the spirit of the prototype's "Final Accuracy Report", with the numbers
 * the prototype lacked: macro-F1 (rare classes count), calibration error and how much could be auto-applied.
 */
import type { EvalReport, FieldReport } from './types';

function percent(x: number, digits = 2): string {
  return `${(x * 100).toFixed(digits)}%`;
}

/** "95%" for 0.95, "97.5%" for 0.975: the target as people write it. */
function targetText(target: number): string {
  return `${Number((target * 100).toFixed(2))}%`;
}

function row(f: FieldReport, sameTarget: boolean): string[] {
  const a = f.autoApply;
  const coverage = sameTarget ? percent(a.coverage) : `${percent(a.coverage)} @${targetText(a.targetPrecision)}`;
  return [
    f.field,
    String(f.n),
    percent(f.accuracy),
    f.macroF1.toFixed(4),
    f.ece.toFixed(4),
    percent(f.predictable, 1),
    coverage,
    a.threshold === null ? '-' : a.threshold.toFixed(4),
  ];
}

/** Pads every column to its widest cell: the field name left-aligned, numbers right-aligned. */
function alignTable(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
}

export function formatAccuracyReport(report: EvalReport): string {
  const targets = new Set(report.fields.map((f) => f.autoApply.targetPrecision));
  const sameTarget = targets.size <= 1;
  const applyHeader = sameTarget && targets.size === 1 ? `auto-apply @${targetText([...targets][0])}` : 'auto-apply';
  const header = ['field', 'n', 'accuracy', 'macro-F1', 'ECE', 'predictable', applyHeader, 'threshold'];
  const lines = alignTable([header, ...report.fields.map((f) => row(f, sameTarget))]);
  const rule = '-'.repeat(Math.max(...lines.map((l) => l.length)));
  const title = `Final Accuracy Report (split: ${report.split}, ${report.n} tickets, ${report.createdAt})`;
  const body = report.fields.length > 0 ? lines.slice(1) : ['(no fields)'];
  const note = `auto-apply: share of tickets applied automatically at the target precision, above the threshold`;
  return [title, rule, lines[0], rule, ...body, rule, note].join('\n') + '\n';
}
