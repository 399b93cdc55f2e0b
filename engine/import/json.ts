/** Reads the prototype's upload format: one JSON array of ticket objects. */
import { type IssueList, describeType, fail } from './issues';
import { locateJsonError } from './json-error';
import { type RawRecord, isPlainObject, recordFromJson } from './raw-record';

/** A .json file that is really JSON Lines fails at the start of line 2; say so instead of only "unexpected {". */
function looksLikeJsonLines(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) return false;
  try {
    return isPlainObject(JSON.parse(lines[0]));
  } catch {
    return false;
  }
}

/** Names the key of an object that holds the ticket array, e.g. {"tickets": [...]}, to tell the user. */
function arrayKeyHint(data: unknown): string {
  if (!isPlainObject(data)) return '';
  const key = Object.keys(data).find((k) => Array.isArray(data[k]) && (data[k] as unknown[]).some(isPlainObject));
  return key === undefined ? '' : ` (its "${key}" key holds an array: upload that array itself)`;
}

export function readJson(text: string, issues: IssueList): RawRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const { line, column, reason, excerpt } = locateJsonError(text, error);
    const hint = looksLikeJsonLines(text)
      ? '; the file looks like JSON Lines (one ticket per line): name it .jsonl or choose the "jsonl" format'
      : '';
    fail({
      code: 'invalid_json',
      message: `invalid JSON at line ${line}, column ${column}: ${reason}${hint}`,
      line,
      column,
      value: excerpt,
    });
  }
  if (!Array.isArray(data)) {
    fail({
      code: 'not_an_array',
      message: `the file must hold a JSON array of tickets ([{"title": ..., "description": ..., ...}, ...]), got ${describeType(data)}${arrayKeyHint(data)}`,
    });
  }
  if (data.length === 0) fail({ code: 'no_tickets', message: 'the file holds an empty array: there are no tickets to import' });
  const records: RawRecord[] = [];
  data.forEach((value, index) => {
    const record = recordFromJson(value, index + 1, undefined, issues);
    if (record) records.push(record);
  });
  return records;
}
