/**
 * Finds where JSON text is broken and says why. Node 20's JSON.parse gives a position for some errors
 * ("... in JSON at position 8") but not for others ("Unexpected token '}', "[{"a":}]" is not valid JSON"),
 * so on failure we rescan the text ourselves. Runs only after JSON.parse has failed: speed matters little,
 * but it is a loop over characters with an explicit stack, so deep nesting cannot overflow the call stack.
 */

export interface JsonSyntaxProblem {
  /** UTF-16 index in the text where the problem is. */
  offset: number;
  reason: string;
}

function describeChar(ch: string | undefined): string {
  if (ch === undefined) return 'the end of the text';
  if (ch === '\n' || ch === '\r') return 'a line break';
  const code = ch.charCodeAt(0);
  if (code < 0x20) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${ch}'`;
}

const isWs = (ch: string) => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
const HEX = /^[0-9a-fA-F]{4}$/;

class Scanner {
  i = 0;
  constructor(readonly text: string) {}

  skipWs(): void {
    while (this.i < this.text.length && isWs(this.text[this.i])) this.i++;
  }

  problem(reason: string, at = this.i): JsonSyntaxProblem {
    return { offset: at, reason };
  }

  string(): JsonSyntaxProblem | null {
    const start = this.i;
    this.i++; // opening quote
    const t = this.text;
    while (this.i < t.length) {
      const ch = t[this.i];
      if (ch === '"') {
        this.i++;
        return null;
      }
      if (ch === '\\') {
        const esc = t[this.i + 1];
        if (esc === 'u') {
          if (!HEX.test(t.slice(this.i + 2, this.i + 6))) return this.problem('invalid \\u escape in a string (needs 4 hex digits)');
          this.i += 6;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) {
          this.i += 2;
        } else {
          return this.problem(`invalid escape "\\${esc ?? ''}" in a string`);
        }
        continue;
      }
      if (ch.charCodeAt(0) < 0x20) {
        return this.problem(`${describeChar(ch)} inside a string (a line break in text must be written as \\n)`);
      }
      this.i++;
    }
    return this.problem('a string is never closed (missing ")', start);
  }

  number(): JsonSyntaxProblem | null {
    const t = this.text;
    if (t[this.i] === '-') this.i++;
    if (t[this.i] === '0') this.i++;
    else if (isDigit(t[this.i])) while (isDigit(t[this.i])) this.i++;
    else return this.problem(`invalid number: expected a digit, found ${describeChar(t[this.i])}`);
    if (t[this.i] === '.') {
      this.i++;
      if (!isDigit(t[this.i])) return this.problem(`invalid number: expected a digit after '.', found ${describeChar(t[this.i])}`);
      while (isDigit(t[this.i])) this.i++;
    }
    if (t[this.i] === 'e' || t[this.i] === 'E') {
      this.i++;
      if (t[this.i] === '+' || t[this.i] === '-') this.i++;
      if (!isDigit(t[this.i])) return this.problem(`invalid number: expected an exponent digit, found ${describeChar(t[this.i])}`);
      while (isDigit(t[this.i])) this.i++;
    }
    return null;
  }

  /** A string, number or literal; containers are handled by the caller's loop. */
  scalar(): JsonSyntaxProblem | null {
    const ch = this.text[this.i];
    if (ch === '"') return this.string();
    if (ch === '-' || isDigit(ch)) return this.number();
    for (const word of ['true', 'false', 'null']) {
      if (ch === word[0]) {
        if (this.text.startsWith(word, this.i)) {
          this.i += word.length;
          return null;
        }
        return this.problem(`unexpected ${describeChar(ch)}: expected a value (strings need double quotes)`);
      }
    }
    if (ch === ']' || ch === '}') return this.problem(`unexpected ${describeChar(ch)}: expected a value (is there a trailing comma?)`);
    if (ch === "'") return this.problem("unexpected ''': strings need double quotes");
    return this.problem(`unexpected ${describeChar(ch)}: expected a value`);
  }

  /** After '{' or ',' in an object: a quoted key and a colon. */
  key(): JsonSyntaxProblem | null {
    this.skipWs();
    if (this.text[this.i] !== '"') {
      return this.problem(`expected a property name in double quotes, found ${describeChar(this.text[this.i])}`);
    }
    const bad = this.string();
    if (bad) return bad;
    this.skipWs();
    if (this.text[this.i] !== ':') return this.problem(`expected ':' after a property name, found ${describeChar(this.text[this.i])}`);
    this.i++;
    return null;
  }
}

/** The first syntax problem in `text`, or null if it is valid JSON. */
export function findJsonSyntaxProblem(text: string): JsonSyntaxProblem | null {
  const s = new Scanner(text);
  const stack: string[] = []; // open containers: '[' or '{'
  for (;;) {
    // A value is expected here.
    s.skipWs();
    const ch = text[s.i];
    if (ch === undefined) return s.problem('the text ends where a value was expected');
    let bad: JsonSyntaxProblem | null = null;
    let opened = false;
    if (ch === '[' || ch === '{') {
      s.i++;
      s.skipWs();
      const close = ch === '[' ? ']' : '}';
      if (text[s.i] === close) s.i++;
      else {
        stack.push(ch);
        opened = true;
        if (ch === '{') bad = s.key();
      }
    } else bad = s.scalar();
    if (bad) return bad;
    if (opened) continue;
    // A value just ended: close containers until one wants a next element.
    for (;;) {
      s.skipWs();
      const top = stack[stack.length - 1];
      const next = text[s.i];
      if (top === undefined) {
        return next === undefined ? null : s.problem(`unexpected ${describeChar(next)} after the end of the JSON value`);
      }
      const close = top === '[' ? ']' : '}';
      if (next === close) {
        stack.pop();
        s.i++;
        continue;
      }
      if (next === ',') {
        s.i++;
        if (top === '{') {
          bad = s.key();
          if (bad) return bad;
        }
        break;
      }
      const what = top === '[' ? 'an array element' : 'a property value';
      return s.problem(`expected ',' or '${close}' after ${what}, found ${describeChar(next)}`);
    }
  }
}
