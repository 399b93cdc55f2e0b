import { describe, expect, it } from 'vitest';
import { bytePosition, checkSize, decodeText, findInvalidUtf8 } from '../../../../engine/import/decode';
import { bytes, importError } from './import-test-helpers';

const concat = (...parts: (string | number[])[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...bytes(p)] : p)));

describe('checkSize', () => {
  it('rejects a file over the limit with its size and the limit', () => {
    const error = importError(() => checkSize(new Uint8Array(2048), 1024));
    expect(error.issues[0].code).toBe('file_too_large');
    expect(error.message).toContain('2,048 bytes');
    expect(error.message).toContain('1,024 bytes');
  });

  it('rejects 0 bytes as empty and accepts a file at the limit', () => {
    expect(importError(() => checkSize(new Uint8Array(0))).issues[0].code).toBe('empty_file');
    expect(() => checkSize(new Uint8Array(1024), 1024)).not.toThrow();
  });
});

describe('decodeText', () => {
  it('strips a UTF-8 BOM', () => {
    expect(decodeText(concat([0xef, 0xbb, 0xbf], '[1]'))).toBe('[1]');
  });

  it('rejects whitespace-only content as empty, BOM included', () => {
    expect(importError(() => decodeText(bytes(' \n\t\r\n'))).issues[0].code).toBe('empty_file');
    expect(importError(() => decodeText(concat([0xef, 0xbb, 0xbf], '  '))).issues[0].code).toBe('empty_file');
  });

  it('reports the offset, line and column of the first invalid byte', () => {
    // "é" in Windows-1252 is the single byte E9.
    const input = concat('ab\ncd', [0xe9], 'f\n', [0xff]);
    const issue = importError(() => decodeText(input)).issues[0];
    expect(issue).toMatchObject({ code: 'invalid_utf8', value: 5, line: 2, column: 3 });
    expect(issue.message).toContain('offset 5');
    expect(issue.message).toContain('0xE9');
  });

  it('counts characters, not bytes, for the column, and skips the BOM', () => {
    const input = concat([0xef, 0xbb, 0xbf], 'ü€x', [0xc3, 0x28]);
    const issue = importError(() => decodeText(input)).issues[0];
    expect(issue).toMatchObject({ value: 3 + 2 + 3 + 1, line: 1, column: 4 });
  });
});

describe('findInvalidUtf8', () => {
  it('accepts well-formed text of every length', () => {
    expect(findInvalidUtf8(bytes('aé€😀'))).toBe(-1);
  });

  it.each([
    ['overlong', [0xc0, 0xaf]],
    ['surrogate', [0xed, 0xa0, 0x80]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['truncated at the end', [0xe2, 0x82]],
    ['lone continuation byte', [0x80]],
    ['overlong 3-byte', [0xe0, 0x80, 0x80]],
  ])('rejects %s', (_name, seq) => {
    const input = concat('ok', seq);
    expect(findInvalidUtf8(input)).toBe(2);
    // The fatal decoder agrees that these bytes are invalid.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(input)).toThrow();
  });
});

describe('bytePosition', () => {
  it('finds line and column of a byte offset', () => {
    expect(bytePosition(bytes('a\nbc'), 3)).toEqual({ line: 2, column: 2 });
  });
});
