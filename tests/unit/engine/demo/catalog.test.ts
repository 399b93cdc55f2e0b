import { describe, expect, it } from 'vitest';
import { ISSUES, SUB_ISSUES } from '../../../../engine/demo/catalog';
import { Rng } from '../../../../engine/demo/prng';
import { expand } from '../../../../engine/demo/template';
import { VOCABULARY } from '../../../../engine/demo/vocabulary';

describe('demo catalog', () => {
  it('has 8-10 issue types with 3-6 sub-issue types each', () => {
    expect(ISSUES.length).toBeGreaterThanOrEqual(8);
    expect(ISSUES.length).toBeLessThanOrEqual(10);
    for (const issue of ISSUES) {
      expect(issue.subs.length, issue.name).toBeGreaterThanOrEqual(3);
      expect(issue.subs.length, issue.name).toBeLessThanOrEqual(6);
    }
    expect(SUB_ISSUES.size).toBe(ISSUES.reduce((n, i) => n + i.subs.length, 0));
  });

  it('expands every template with known slots only', () => {
    const rng = new Rng(1);
    for (const issue of ISSUES) {
      for (const template of [...issue.vagueTitles, ...issue.vagueDetails, ...issue.subs.flatMap((s) => [...s.titles, ...s.details])]) {
        const text = expand(template, VOCABULARY, rng);
        expect(text, template).not.toMatch(/[[\]{}|]/);
      }
    }
  });
});
