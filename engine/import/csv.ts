/**
 * Reads CSV with a header row. csv-parse handles quoting (fields with commas, quotes and line breaks); this
 * file adds what a user needs to fix a file: the physical line of every row, and every ragged row at once.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { type CsvMapping, resolveColumns } from './csv-columns';
import { type IssueList, fail, where } from './issues';
import type { RawRecord } from './raw-record';

interface ParsedRow {
  cells: string[];
  /** Physical line where the row starts. */
  line: number;
}

/**
 * European spreadsheet exports use ';', some tools tab: pick whichever of the three the header line uses most
 * (outside quotes). Header names rarely contain any of them, so the header is a reliable witness.
 */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\n') break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

const countNewlines = (cell: string) => {
  let n = 0;
  for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) n++;
  return n;
};

/** First line at or after `line` that is not blank: where a row that follows blank lines begins. */
function nextContentLine(lines: string[], line: number): number {
  let l = line;
  while (l <= lines.length && lines[l - 1].trim() === '') l++;
  return Math.min(l, lines.length);
}

function parseRows(text: string): ParsedRow[] {
  const rows: ParsedRow[] = [];
  let lastLine = 0;
  try {
    parse(text, {
      delimiter: sniffDelimiter(text),
      // Ragged rows are reported by us, all of them with their lines, rather than csv-parse's first one.
      relax_column_count: true,
      // A stray quote inside an unquoted field (5" monitor) is text, as spreadsheets read it.
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (cells: string[], context) => {
        // context.lines is the line where the row ends; a quoted line break inside it moves the start up.
        const line = context.lines - cells.reduce((n, c) => n + countNewlines(c), 0);
        rows.push({ cells, line });
        lastLine = context.lines;
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // csv-parse reports where it gave up (the end of the file for an unclosed quote): the broken row starts
    // after the last good one.
    const line = nextContentLine(text.split('\n'), lastLine + 1);
    const reason =
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted value that starts on this row is never closed (missing ")'
        : error.message;
    fail({ code: 'invalid_csv', message: `invalid CSV at line ${line}: ${reason}`, line, value: error.code });
  }
  return rows;
}

export function readCsv(text: string, mapping: CsvMapping | undefined, issues: IssueList, warnings: IssueList): RawRecord[] {
  // Line breaks inside quoted values become "\n" like every other format's text; it also keeps line counts true.
  const rows = parseRows(text.replace(/\r\n/g, '\n'));
  if (rows.length === 0) fail({ code: 'no_tickets', message: 'the CSV file has no header row' });
  const header = rows[0].cells.map((h) => h.trim());
  const columns = resolveColumns(header, mapping, warnings);
  const records: RawRecord[] = [];
  let row = 0;
  for (const { cells, line } of rows.slice(1)) {
    // Spreadsheets leave rows of bare delimiters (",,,") below the data: they are not tickets.
    if (cells.every((c) => c.trim() === '')) continue;
    row++;
    if (cells.length !== header.length) {
      issues.add({
        code: 'invalid_csv',
        message: `${where(row, line)}: has ${cells.length} values but the header has ${header.length} columns (a missing or extra delimiter, or an unquoted value with a comma?)`,
        row,
        line,
        value: cells.length,
      });
      continue;
    }
    const cell = (index: number) => (index >= 0 ? cells[index] : undefined);
    records.push({
      row,
      line,
      title: cell(columns.title),
      description: cell(columns.description),
      id: cell(columns.id),
      labels: new Map(columns.fields.map(([field, index]) => [field, cells[index]])),
    });
  }
  if (row === 0) fail({ code: 'no_tickets', message: 'the CSV file has a header row but no tickets' });
  return records;
}
