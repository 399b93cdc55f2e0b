import { describe, expect, it } from 'vitest';
import {
  and,
  compare,
  contains,
  cwDate,
  dateLiteral,
  eq,
  inList,
  like,
  literal,
  not,
  or,
  quoteString,
} from '../../../../connectors/connectwise/conditions';
import { compileConditions, parseConditions } from '../../../../connectors/connectwise/mock-conditions';
import { ticketConditions } from '../../../../connectors/connectwise/tickets';

describe('condition builder', () => {
  it('quotes strings and escapes quotes and backslashes', () => {
    expect(quoteString('Service Desk')).toBe('"Service Desk"');
    expect(quoteString('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
  });

  it('writes dates in brackets, whole seconds, UTC', () => {
    expect(dateLiteral('2026-01-19T11:00:00.750Z')).toBe('[2026-01-19T11:00:00Z]');
    expect(dateLiteral('2026-01-19T12:00:00+01:00')).toBe('[2026-01-19T11:00:00Z]');
    expect(literal(cwDate('2026-01-01T00:00:00Z'))).toBe('[2026-01-01T00:00:00Z]');
    expect(() => dateLiteral('yesterday')).toThrow(/not a date/);
  });

  it('writes bare numbers, booleans and null', () => {
    expect(literal(12)).toBe('12');
    expect(literal(false)).toBe('false');
    expect(literal(null)).toBe('null');
    expect(() => literal(Number.NaN)).toThrow();
  });

  it('rejects field paths that could smuggle syntax', () => {
    expect(eq('board/name', 'x').text).toBe('board/name="x"');
    expect(() => eq('id=1 or id', 1)).toThrow(/field path/);
    expect(() => eq('board/', 1)).toThrow(/field path/);
  });

  it('joins with and/or, skipping absent parts and bracketing compound ones', () => {
    expect(and(null, undefined)).toBeNull();
    expect(and(eq('id', 1), null)?.text).toBe('id=1');
    const c = and(or(eq('id', 1), eq('id', 2)), compare('closedFlag', '=', false));
    expect(c?.text).toBe('(id=1 or id=2) and closedFlag=false');
    expect(not(c!).text).toBe('not ((id=1 or id=2) and closedFlag=false)');
    expect(inList('board/id', [1, 3]).text).toBe('board/id in (1,3)');
    expect(() => inList('id', [])).toThrow();
    expect(contains('summary', 'a"b').text).toBe('summary contains "a\\"b"');
    expect(like('summary', 'Print*').text).toBe('summary like "Print*"');
  });

  it('builds the sweep conditions the mock parses back', () => {
    const text = ticketConditions({ since: '2026-01-19T11:00:00.000Z', afterId: '1042' }, [1, 2]);
    expect(text).toBe('lastUpdated>=[2026-01-19T11:00:00Z] and id>1042 and board/id in (1,2)');
    expect(() => parseConditions(text!)).not.toThrow();
    expect(ticketConditions({ since: null, afterId: null }, null)).toBeNull();
    expect(() => ticketConditions({ since: null, afterId: '1 or 1=1' }, null)).toThrow(/afterId/);
  });

  it('round-trips hostile strings through the mock parser unchanged', () => {
    const nasty = 'He said "drop" \\ ) or id>0 (';
    const match = compileConditions(eq('summary', nasty).text);
    expect(match({ summary: nasty })).toBe(true);
    expect(match({ summary: 'other' })).toBe(false);
  });
});
