import { describe, expect, it } from 'vitest';
import { fieldReport, formatAccuracyReport, type EvalReport } from '../../../../engine/eval';
import { recs } from './helpers';

describe('formatAccuracyReport', () => {
  const report: EvalReport = {
    split: 'test',
    n: 4,
    createdAt: '2025-01-01T00:00:00.000Z',
    fields: [
      fieldReport('issue_type', recs(['a', 'a', 0.99], ['a', 'a', 0.9], ['b', 'b', 0.8], ['b', 'a', 0.6])),
      fieldReport('q', recs(['a', 'b', 0.9], ['a', null, 0], ['a', 'b', 0.9], ['a', 'b', 0.9])),
    ],
  };
  const text = formatAccuracyReport(report);
  const lines = text.trimEnd().split('\n');

  it('has a title and one row per field with the numbers', () => {
    expect(lines[0]).toBe('Final Accuracy Report (split: test, 4 tickets, 2025-01-01T00:00:00.000Z)');
    const issue = lines.find((l) => l.startsWith('issue_type'))!;
    expect(issue.split(/\s+/)).toEqual(['issue_type', '4', '75.00%', '0.7333', '0.2275', '100.0%', '75.00%', '0.8000']);
    const q = lines.find((l) => l.startsWith('q '))!;
    expect(q.split(/\s+/)).toEqual(['q', '4', '0.00%', '0.0000', '0.6750', '75.0%', '0.00%', '-']);
  });

  it('aligns the columns', () => {
    const table = lines.filter((l) => l.startsWith('field') || l.startsWith('issue_type') || l.startsWith('q '));
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
    expect(table[0]).toContain('auto-apply @95%');
    // Right-aligned numbers end at the same column as their header.
    const end = (l: string, s: string) => l.indexOf(s) + s.length;
    expect(end(table[1], '75.00%')).toBe(end(table[0], 'accuracy'));
  });

  it('shows the target per cell when fields use different targets', () => {
    const mixed = { ...report, fields: [report.fields[0], fieldReport('q', recs(['a', 'a', 0.9]), { targetPrecision: 0.9 })] };
    const out = formatAccuracyReport(mixed);
    expect(out).toContain('100.00% @90%');
    expect(out).toContain('75.00% @95%');
  });

  it('says when there are no fields', () => {
    expect(formatAccuracyReport({ ...report, fields: [] })).toContain('(no fields)');
  });
});
