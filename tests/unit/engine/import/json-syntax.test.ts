import { describe, expect, it } from 'vitest';
import { locateJsonError } from '../../../../engine/import/json-error';
import { findJsonSyntaxProblem } from '../../../../engine/import/json-syntax';

/** Where JSON.parse and our scanner say the text is broken. */
function locate(text: string) {
  let error: unknown;
  try {
    JSON.parse(text);
  } catch (e) {
    error = e;
  }
  expect(error, 'JSON.parse must reject this text').toBeDefined();
  return locateJsonError(text, error);
}

describe('findJsonSyntaxProblem', () => {
  it.each([
    '[]',
    '{}',
    '[{"a": [1, -2.5e+3, true, false, null, "x\\n\\u00e9"]}, {}]',
    '  "text"  ',
    '0',
  ])('accepts valid JSON %s', (text) => {
    expect(findJsonSyntaxProblem(text)).toBeNull();
  });

  it.each([
    ['[{"a":}]', 6, 'expected a value'],
    ['[1,2,]', 5, 'trailing comma'],
    ['[1 2]', 3, "expected ',' or ']'"],
    ['{"a" 1}', 5, "expected ':'"],
    ['{a: 1}', 1, 'property name in double quotes'],
    ["['x']", 1, 'double quotes'],
    ['["a\u0001"]', 3, 'inside a string'],
    ['["abc', 1, 'never closed'],
    ['[tru]', 1, 'expected a value'],
    ['[01]', 2, "expected ',' or ']'"],
    ['[1.]', 3, 'digit'],
    ['["\\x"]', 2, 'invalid escape'],
    ['[1] x', 4, 'after the end'],
    ['[1,', 3, 'ends where a value was expected'],
  ])('locates the problem in %s', (text, offset, reason) => {
    expect(() => JSON.parse(text)).toThrow();
    const problem = findJsonSyntaxProblem(text);
    expect(problem?.offset).toBe(offset);
    expect(problem?.reason).toContain(reason);
  });

  it('handles deep nesting without overflowing the stack', () => {
    const text = `${'['.repeat(200_000)}x`;
    expect(findJsonSyntaxProblem(text)?.offset).toBe(200_000);
  });
});

describe('locateJsonError', () => {
  it('turns an offset into line and column on multi-line text', () => {
    const at = locate('[\n  {"a": 1},\n  {"b" 2}\n]');
    expect(at).toMatchObject({ line: 3, column: 8 });
    expect(at.reason).toContain("expected ':'");
  });

  it("gives the end of the text when nothing else is known", () => {
    // Valid JSON with a made-up error: the scanner finds nothing, and the message has no position.
    const at = locateJsonError('[1]\n', new SyntaxError('mystery'));
    expect(at).toMatchObject({ line: 2, column: 1, reason: 'mystery' });
  });

  it("falls back to the position in V8's message", () => {
    const at = locateJsonError('[1, 2]', new SyntaxError('Unexpected thing in JSON at position 4'));
    expect(at).toMatchObject({ line: 1, column: 5 });
  });
});
