/**
 * Reads JSON Lines: one ticket object per line, blank lines skipped. A broken line does not stop the read:
 * each line is independent, so every broken line is reported with its own line number.
 */
import { type IssueList, fail, where } from './issues';
import { locateJsonError } from './json-error';
import { type RawRecord, recordFromJson } from './raw-record';

export function readJsonLines(text: string, issues: IssueList): RawRecord[] {
  const records: RawRecord[] = [];
  const lines = text.split('\n');
  // A whole JSON array in a .jsonl file breaks on its first line ("["); name the likely cause once.
  const arrayHint = text.trimStart().startsWith('[')
    ? '; the file looks like a JSON array: name it .json or choose the "json" format'
    : '';
  let row = 0;
  for (let i = 0; i < lines.length; i++) {
    const lineText = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (lineText.trim() === '') continue;
    row++;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (error) {
      // Located within this line alone: its column is the column in the file.
      const { column, reason, excerpt } = locateJsonError(lineText, error);
      const hint = issues.size === 0 ? arrayHint : '';
      issues.add({
        code: 'invalid_json',
        message: `${where(row, line)}: invalid JSON at column ${column}: ${reason}${hint}`,
        row,
        line,
        column,
        value: excerpt,
      });
      continue;
    }
    const record = recordFromJson(value, row, line, issues);
    if (record) records.push(record);
  }
  if (row === 0) fail({ code: 'no_tickets', message: 'the file has no tickets (every line is blank)' });
  return records;
}
