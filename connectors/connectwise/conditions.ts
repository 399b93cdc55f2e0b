/**
 * Builds ConnectWise `conditions` strings safely. Every value goes through one literal writer, so a ticket
 * summary or a board name can never break out of its quotes, and field paths are checked against a strict
 * pattern, so nothing user-supplied becomes syntax.
 *
 * Escaping inside "strings": ConnectWise documents double quotes but not how to put a quote inside one; we
 * use backslash escapes (\" and \\), which the mock parses too. Unverified on a real tenant (facts Part F).
 */

export type CwLiteral = string | number | boolean | null | Date | CwDate;

/** A date-time written in [brackets]; a plain string would be quoted and compared as text. */
export interface CwDate {
  readonly date: string;
}

export const cwDate = (iso: string): CwDate => ({ date: iso });

export interface Condition {
  readonly text: string;
  /** Leaves need no parentheses; compound parts are wrapped when nested, so precedence never surprises. */
  readonly compound: boolean;
}

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;

function fieldPath(path: string): string {
  if (!PATH.test(path)) throw new Error(`not a ConnectWise field path: ${JSON.stringify(path)}`);
  return path;
}

export function quoteString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * ConnectWise stores whole seconds and writes `2026-01-19T11:00:00Z`. Dropping milliseconds rounds down, so a
 * `>=` bound can only widen (a ticket may be read twice, never missed).
 */
export function dateLiteral(value: Date | string): string {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(ms)) throw new Error(`not a date: ${JSON.stringify(String(value))}`);
  return `[${new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')}]`;
}

export function literal(value: CwLiteral): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return quoteString(value);
  if (value instanceof Date) return dateLiteral(value);
  return dateLiteral(value.date);
}

const leaf = (text: string): Condition => ({ text, compound: false });

export function compare(path: string, op: ComparisonOp, value: CwLiteral): Condition {
  return leaf(`${fieldPath(path)}${op}${literal(value)}`);
}

export const eq = (path: string, value: CwLiteral) => compare(path, '=', value);

export function contains(path: string, text: string): Condition {
  return leaf(`${fieldPath(path)} contains ${quoteString(text)}`);
}

/** `*` and `%` are the wildcards; they cannot be escaped, so a literal one in `pattern` stays a wildcard. */
export function like(path: string, pattern: string): Condition {
  return leaf(`${fieldPath(path)} like ${quoteString(pattern)}`);
}

export function inList(path: string, values: readonly CwLiteral[]): Condition {
  if (values.length === 0) throw new Error(`"in" needs at least one value (${path})`);
  return leaf(`${fieldPath(path)} in (${values.map(literal).join(',')})`);
}

const wrap = (c: Condition) => (c.compound ? `(${c.text})` : c.text);

function join(word: 'and' | 'or', parts: (Condition | null | undefined)[]): Condition | null {
  const present = parts.filter((p): p is Condition => p != null);
  if (present.length === 0) return null;
  if (present.length === 1) return present[0];
  return { text: present.map(wrap).join(` ${word} `), compound: true };
}

/** Null and undefined parts are skipped, so optional filters compose without branching; null when none is left. */
export const and = (...parts: (Condition | null | undefined)[]) => join('and', parts);
export const or = (...parts: (Condition | null | undefined)[]) => join('or', parts);

export function not(part: Condition): Condition {
  return leaf(`not (${part.text})`);
}
