/** Picks the reader: the caller's explicit choice, else the file name's extension, else the content's shape. */
import { isPlainObject } from './raw-record';

export type ImportFormat = 'json' | 'jsonl' | 'csv';

const EXTENSIONS: Record<string, ImportFormat> = { json: 'json', jsonl: 'jsonl', ndjson: 'jsonl', csv: 'csv' };

export function formatFromFilename(filename: string | undefined): ImportFormat | undefined {
  const match = /\.([a-z0-9]+)$/i.exec(filename?.trim() ?? '');
  return match ? EXTENSIONS[match[1].toLowerCase()] : undefined;
}

/**
 * Sniffs decoded text. "[" starts a JSON array. "{" starts either one JSON object (a wrong upload that the JSON
 * reader explains) or JSON Lines: only parsing tells them apart, and a JSON Lines file fails fast, at line 2.
 * Anything else is taken as CSV, whose reader explains what it finds.
 */
export function sniffFormat(text: string): ImportFormat {
  const start = text.trimStart();
  if (start.startsWith('[')) return 'json';
  if (start.startsWith('{')) {
    try {
      return isPlainObject(JSON.parse(text)) ? 'json' : 'jsonl';
    } catch {
      return 'jsonl';
    }
  }
  return 'csv';
}

export function chooseFormat(text: string, format?: ImportFormat, filename?: string): ImportFormat {
  return format ?? formatFromFilename(filename) ?? sniffFormat(text);
}
