import { describe, expect, it } from 'vitest';
import { ConditionError, compileConditions, parseConditions } from '../../../../connectors/connectwise/mock-conditions';

const ticket = {
  id: 1042,
  summary: 'Printer offline on 3rd floor',
  closedFlag: false,
  board: { id: 1, name: 'Service Desk' },
  type: { id: 40, name: 'Hardware' },
  item: undefined,
  _info: { lastUpdated: '2026-01-19T11:00:00Z', dateEntered: '2026-01-18T01:00:00Z' },
};
const matches = (conditions: string) => compileConditions(conditions)(ticket);

describe('mock conditions parser', () => {
  it('compares numbers, strings, booleans and nested paths', () => {
    expect(matches('id=1042')).toBe(true);
    expect(matches('id != 1042')).toBe(false);
    expect(matches('id>1000 and id<=1042 and id>=1042 and id<2000')).toBe(true);
    expect(matches('board/name="service desk"')).toBe(true);
    expect(matches('board/id=2')).toBe(false);
    expect(matches('closedFlag=false')).toBe(true);
    expect(matches('closedFlag=true')).toBe(false);
  });

  it('compares [dates], also through _info and the top-level lastUpdated alias', () => {
    expect(matches('lastUpdated>=[2026-01-19T11:00:00Z]')).toBe(true);
    expect(matches('lastUpdated>[2026-01-19T11:00:00Z]')).toBe(false);
    expect(matches('_info/dateEntered<[2026-01-19T00:00:00Z]')).toBe(true);
  });

  it('handles contains, like with * and %, in, and null', () => {
    expect(matches('summary contains "OFFLINE"')).toBe(true);
    expect(matches('summary not contains "offline"')).toBe(false);
    expect(matches('summary like "Printer*"')).toBe(true);
    expect(matches('summary like "%3rd floor"')).toBe(true);
    expect(matches('summary like "Printer"')).toBe(false);
    expect(matches('summary not like "Scan*"')).toBe(true);
    expect(matches('id in (1, 1042, 7)')).toBe(true);
    expect(matches('type/name in ("Software","Hardware")')).toBe(true);
    expect(matches('id not in (1042)')).toBe(false);
    expect(matches('item = null')).toBe(true);
    expect(matches('type != null')).toBe(true);
    expect(matches('item = 3')).toBe(false);
  });

  it('gives and precedence over or, honours parentheses and not', () => {
    expect(matches('id=1 or id=1042 and closedFlag=false')).toBe(true);
    expect(matches('(id=1 or id=1042) and closedFlag=true')).toBe(false);
    expect(matches('not (id=1)')).toBe(true);
    expect(matches('not id=1042 or board/id=1')).toBe(true);
    expect(matches('NOT (board/id=1 AND closedFlag=false)')).toBe(false);
  });

  it('parses escapes inside strings', () => {
    const match = compileConditions('summary="say \\"hi\\""');
    expect(match({ summary: 'say "hi"' })).toBe(true);
  });

  it('builds a tree for a real triage pull', () => {
    const tree = parseConditions('(board/id=1 and closedFlag=false and lastUpdated>[2026-01-01T00:00:00Z])');
    expect(tree.kind).toBe('and');
  });

  it('rejects malformed conditions with a reason', () => {
    for (const bad of ['id=', 'id 5', '(id=1', 'id=1)', 'summary="open', 'lastUpdated>[soon]', 'id in ()', 'and id=1', 'summary like 5', '', 'id ! 3']) {
      expect(() => parseConditions(bad), bad).toThrow(ConditionError);
    }
    expect(() => compileConditions('id>null')).toThrow(ConditionError);
  });

  it('matches everything when empty', () => {
    expect(compileConditions('')(ticket)).toBe(true);
    expect(compileConditions(null)(ticket)).toBe(true);
  });
});
