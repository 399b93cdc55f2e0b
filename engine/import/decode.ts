/**
 * Turns the uploaded bytes into text: size limit, empty check, strict UTF-8 (a UTF-8 BOM is accepted and
 * stripped). A file saved as Windows-1252 or Latin-1 must fail loudly here, where we can point at the byte,
 * rather than import mojibake labels that then never match the tenant's picklists.
 */
import { fail } from './issues';

export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

const BOM = [0xef, 0xbb, 0xbf];

export function hasBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${bytes.toLocaleString('en-US')} bytes`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Checks size before anything is decoded, so an oversized upload costs no more than its length. */
export function checkSize(bytes: Uint8Array, maxBytes = DEFAULT_MAX_BYTES): void {
  if (bytes.length > maxBytes) {
    fail({
      code: 'file_too_large',
      message: `the file is ${formatSize(bytes.length)} (${bytes.length.toLocaleString('en-US')} bytes); the limit is ${formatSize(maxBytes)} (${maxBytes.toLocaleString('en-US')} bytes)`,
      value: bytes.length,
    });
  }
  if (bytes.length === 0) fail({ code: 'empty_file', message: 'the file is empty (0 bytes)' });
}

/**
 * For a lead byte: how many continuation bytes follow, and the allowed range of the first of them (the tighter
 * range is what excludes overlong forms, surrogates and code points above U+10FFFF). need 0: not a lead byte.
 */
function sequenceShape(b: number): [need: number, lo: number, hi: number] {
  if (b >= 0xc2 && b <= 0xdf) return [1, 0x80, 0xbf];
  if (b === 0xe0) return [2, 0xa0, 0xbf];
  if (b === 0xed) return [2, 0x80, 0x9f];
  if (b >= 0xe1 && b <= 0xef) return [2, 0x80, 0xbf];
  if (b === 0xf0) return [3, 0x90, 0xbf];
  if (b >= 0xf1 && b <= 0xf3) return [3, 0x80, 0xbf];
  if (b === 0xf4) return [3, 0x80, 0x8f];
  return [0, 0, 0];
}

/**
 * Offset of the first byte that does not start a well-formed UTF-8 sequence (overlong forms, surrogates and
 * code points above U+10FFFF included, as the WHATWG decoder rejects them), or -1 when all bytes are valid.
 */
export function findInvalidUtf8(bytes: Uint8Array, from = 0): number {
  const n = bytes.length;
  let i = from;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const [need, lo, hi] = sequenceShape(b);
    if (need === 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = i + k < n ? bytes[i + k] : -1;
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c < min || c > max) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Line and column (characters, not bytes) of a byte offset, skipping a leading BOM as an editor would. */
export function bytePosition(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = hasBom(bytes) ? 3 : 0;
  for (let i = lineStart; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  let column = 1;
  // Each character starts with a byte that is not a continuation byte (10xxxxxx).
  for (let i = lineStart; i < offset; i++) if ((bytes[i] & 0xc0) !== 0x80) column++;
  return { line, column };
}

function hex(bytes: Uint8Array, offset: number): string {
  return (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
}

/** Decodes strict UTF-8 and strips a BOM. Throws `invalid_utf8` or `empty_file` (whitespace only). */
export function decodeText(bytes: Uint8Array): string {
  const start = hasBom(bytes) ? 3 : 0;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(start));
  } catch {
    // The decoder says only that something is wrong; find where, so the user can fix that spot.
    const offset = findInvalidUtf8(bytes, start);
    const at = offset < 0 ? bytes.length : offset;
    const { line, column } = bytePosition(bytes, at);
    fail({
      code: 'invalid_utf8',
      message:
        `the file is not valid UTF-8: byte 0x${hex(bytes, at)} at offset ${at} (line ${line}, column ${column}) ` +
        'is not part of a valid character; save the file with UTF-8 encoding (it may be Windows-1252 or Latin-1)',
      line,
      column,
      value: at,
    });
  }
  if (text.trim() === '') fail({ code: 'empty_file', message: 'the file contains only whitespace' });
  return text;
}
