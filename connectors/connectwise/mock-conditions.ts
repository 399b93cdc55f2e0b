/**
 * A real parser for ConnectWise's `conditions` grammar (facts B3), compiled to a predicate:
 *
 *   expr       := and ('or' and)*
 *   and        := unary ('and' unary)*
 *   unary      := 'not' unary | '(' expr ')' | comparison
 *   comparison := path op value | path ['not'] ('contains' | 'like') string | path ['not'] 'in' '(' value, ... ')'
 *   op         := = | != | < | <= | > | >=
 *   value      := "string" (\" and \\ escapes) | [date-time] | number | true | false | null
 *
 * Paths use `/` (board/id, _info/lastUpdated); a top-level name missing on the object is looked up in `_info`
 * (DJCW filters on `lastUpdated`). Keywords and field names are case-insensitive, and so is text comparison,
 * as on ConnectWise's SQL Server. A comparison with a missing (null) field is false, except `= null` and `!= null`.
 */

export class ConditionError extends Error {}

type Value = { kind: 'string'; v: string } | { kind: 'date'; v: number } | { kind: 'number'; v: number } | { kind: 'bool'; v: boolean } | { kind: 'null' };

export type ConditionNode =
  | { kind: 'and' | 'or'; items: ConditionNode[] }
  | { kind: 'not'; item: ConditionNode }
  | { kind: 'cmp'; path: string[]; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: Value }
  | { kind: 'contains' | 'like'; path: string[]; value: string; negate: boolean }
  | { kind: 'in'; path: string[]; values: Value[]; negate: boolean };

type Token =
  | { t: 'word'; v: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'punct'; v: '(' | ')' | ','; at: number }
  | { t: 'value'; v: Value; at: number };

const WORD = /[A-Za-z_][A-Za-z0-9_./]*/y;
const NUMBER = /-?\d+(\.\d+)?/y;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ t: 'punct', v: c, at: i++ });
    } else if ('=!<>'.includes(c)) {
      const two = src.slice(i, i + 2);
      const op = two === '!=' || two === '<=' || two === '>=' ? two : c;
      if (op === '!') throw new ConditionError(`unexpected "!" at ${i}`);
      out.push({ t: 'op', v: op, at: i });
      i += op.length;
    } else if (c === '"') {
      const start = i++;
      let s = '';
      for (;;) {
        if (i >= src.length) throw new ConditionError(`unterminated string at ${start}`);
        const ch = src[i++];
        if (ch === '"') break;
        if (ch === '\\' && i < src.length) s += src[i++];
        else s += ch;
      }
      out.push({ t: 'value', v: { kind: 'string', v: s }, at: start });
    } else if (c === '[') {
      const end = src.indexOf(']', i);
      if (end < 0) throw new ConditionError(`unterminated [date] at ${i}`);
      const text = src.slice(i + 1, end).trim();
      const ms = Date.parse(text);
      if (!Number.isFinite(ms)) throw new ConditionError(`not a date-time: [${text}]`);
      out.push({ t: 'value', v: { kind: 'date', v: ms }, at: i });
      i = end + 1;
    } else {
      NUMBER.lastIndex = i;
      const num = NUMBER.exec(src);
      if (num) {
        out.push({ t: 'value', v: { kind: 'number', v: Number(num[0]) }, at: i });
        i += num[0].length;
        continue;
      }
      WORD.lastIndex = i;
      const word = WORD.exec(src);
      if (!word) throw new ConditionError(`unexpected "${c}" at ${i}`);
      const lower = word[0].toLowerCase();
      if (lower === 'true' || lower === 'false') out.push({ t: 'value', v: { kind: 'bool', v: lower === 'true' }, at: i });
      else if (lower === 'null') out.push({ t: 'value', v: { kind: 'null' }, at: i });
      else out.push({ t: 'word', v: word[0], at: i });
      i += word[0].length;
    }
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): ConditionNode {
    const node = this.expr();
    const rest = this.tokens[this.i];
    if (rest) throw new ConditionError(`unexpected ${describe(rest)} at ${rest.at}`);
    return node;
  }

  private peekWord(...words: string[]): boolean {
    const t = this.tokens[this.i];
    return t?.t === 'word' && words.includes(t.v.toLowerCase());
  }

  private expect(t: Token['t'], v?: string): Token {
    const tok = this.tokens[this.i];
    if (!tok || tok.t !== t || (v !== undefined && tok.v !== v)) {
      throw new ConditionError(`expected ${v ?? t} ${tok ? `at ${tok.at}, got ${describe(tok)}` : 'at the end'}`);
    }
    this.i++;
    return tok;
  }

  private expr(): ConditionNode {
    const items = [this.conj()];
    while (this.peekWord('or')) {
      this.i++;
      items.push(this.conj());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  private conj(): ConditionNode {
    const items = [this.unary()];
    while (this.peekWord('and')) {
      this.i++;
      items.push(this.unary());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  private unary(): ConditionNode {
    if (this.peekWord('not')) {
      this.i++;
      return { kind: 'not', item: this.unary() };
    }
    const t = this.tokens[this.i];
    if (t?.t === 'punct' && t.v === '(') {
      this.i++;
      const inner = this.expr();
      this.expect('punct', ')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): ConditionNode {
    const field = this.expect('word') as Extract<Token, { t: 'word' }>;
    if (['and', 'or', 'not', 'contains', 'like', 'in'].includes(field.v.toLowerCase())) {
      throw new ConditionError(`expected a field name at ${field.at}, got "${field.v}"`);
    }
    const path = field.v.split('/');
    if (path.some((p) => !p)) throw new ConditionError(`bad field path "${field.v}"`);
    const next = this.tokens[this.i];
    if (next?.t === 'op') {
      this.i++;
      const value = this.value();
      return { kind: 'cmp', path, op: next.v as Extract<ConditionNode, { kind: 'cmp' }>['op'], value };
    }
    let negate = false;
    if (this.peekWord('not')) {
      this.i++;
      negate = true;
    }
    if (this.peekWord('contains', 'like')) {
      const kind = (this.tokens[this.i++] as { v: string }).v.toLowerCase() as 'contains' | 'like';
      const value = this.value();
      if (value.kind !== 'string') throw new ConditionError(`${kind} needs a "string"`);
      return { kind, path, value: value.v, negate };
    }
    if (this.peekWord('in')) {
      this.i++;
      this.expect('punct', '(');
      const values = [this.value()];
      while (this.tokens[this.i]?.t === 'punct' && this.tokens[this.i].v === ',') {
        this.i++;
        values.push(this.value());
      }
      this.expect('punct', ')');
      return { kind: 'in', path, values, negate };
    }
    throw new ConditionError(`expected an operator after "${field.v}"${next ? ` at ${next.at}` : ''}`);
  }

  private value(): Value {
    const t = this.tokens[this.i];
    if (t?.t !== 'value') throw new ConditionError(`expected a value ${t ? `at ${t.at}, got ${describe(t)}` : 'at the end'}`);
    this.i++;
    return t.v;
  }
}

function describe(t: Token): string {
  if (t.t === 'value') return t.v.kind === 'null' ? 'null' : `${t.v.kind} value`;
  return `"${t.v}"`;
}

export function parseConditions(src: string): ConditionNode {
  const tokens = tokenize(src);
  if (tokens.length === 0) throw new ConditionError('empty conditions');
  return new Parser(tokens).parse();
}

/** Field lookup: exact key, then case-insensitive; at the top level, `_info` as a fallback. */
export function resolvePath(obj: unknown, path: string[]): unknown {
  let cur: unknown = obj;
  for (let depth = 0; depth < path.length; depth++) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const rec = cur as Record<string, unknown>;
    const key = path[depth];
    let next = key in rec ? rec[key] : rec[Object.keys(rec).find((k) => k.toLowerCase() === key.toLowerCase()) ?? ''];
    if (next === undefined && depth === 0 && rec._info && typeof rec._info === 'object') {
      next = resolvePath(rec._info, [key]);
    }
    cur = next;
  }
  return cur;
}

/** -1/0/1, or null when the two cannot be compared (a type mismatch behaves like SQL's unknown). */
function compareTo(actual: unknown, value: Value): number | null {
  switch (value.kind) {
    case 'number': {
      const n = typeof actual === 'number' ? actual : typeof actual === 'string' && actual.trim() !== '' ? Number(actual) : NaN;
      return Number.isFinite(n) ? Math.sign(n - value.v) : null;
    }
    case 'date': {
      const ms = typeof actual === 'string' ? Date.parse(actual) : NaN;
      return Number.isFinite(ms) ? Math.sign(ms - value.v) : null;
    }
    case 'string': {
      if (typeof actual !== 'string' && typeof actual !== 'number') return null;
      const a = String(actual).toLowerCase();
      const b = value.v.toLowerCase();
      return a < b ? -1 : a > b ? 1 : 0;
    }
    case 'bool':
      return typeof actual === 'boolean' ? (actual === value.v ? 0 : 1) : null;
    case 'null':
      return null;
  }
}

function likeRegex(pattern: string): RegExp {
  const body = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/[*%]/g, '.*');
  return new RegExp(`^${body}$`, 'is');
}

export type Predicate = (obj: unknown) => boolean;

export function compileNode(node: ConditionNode): Predicate {
  switch (node.kind) {
    case 'and': {
      const parts = node.items.map(compileNode);
      return (o) => parts.every((p) => p(o));
    }
    case 'or': {
      const parts = node.items.map(compileNode);
      return (o) => parts.some((p) => p(o));
    }
    case 'not': {
      const inner = compileNode(node.item);
      return (o) => !inner(o);
    }
    case 'cmp': {
      const { path, op, value } = node;
      if (value.kind === 'null') {
        if (op !== '=' && op !== '!=') throw new ConditionError(`null only compares with = or !=`);
        return (o) => (resolvePath(o, path) == null) === (op === '=');
      }
      return (o) => {
        const c = compareTo(resolvePath(o, path), value);
        if (c === null) return false;
        if (op === '=') return c === 0;
        if (op === '!=') return c !== 0;
        if (value.kind === 'bool') return false;
        return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
      };
    }
    case 'contains': {
      const needle = node.value.toLowerCase();
      return (o) => {
        const v = resolvePath(o, node.path);
        if (typeof v !== 'string') return false;
        return v.toLowerCase().includes(needle) !== node.negate;
      };
    }
    case 'like': {
      const re = likeRegex(node.value);
      return (o) => {
        const v = resolvePath(o, node.path);
        if (typeof v !== 'string' && typeof v !== 'number') return false;
        return re.test(String(v)) !== node.negate;
      };
    }
    case 'in':
      return (o) => {
        const v = resolvePath(o, node.path);
        if (v == null) return false;
        return node.values.some((val) => compareTo(v, val) === 0) !== node.negate;
      };
  }
}

/** Parses and compiles; an empty or missing string matches everything. */
export function compileConditions(src: string | null | undefined): Predicate {
  if (src === null || src === undefined || src.trim() === '') return () => true;
  return compileNode(parseConditions(src));
}
