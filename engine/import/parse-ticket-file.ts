/**
 * The import entry point: bytes in, validated tickets out, or an ImportError listing what is wrong.
 * All-or-nothing by construction: nothing is returned until every check has passed.
 */
import { createHash } from 'node:crypto';
import type { LabeledTicket } from '../triage/types';
import type { CsvMapping } from './csv-columns';
import { readCsv } from './csv';
import { checkSize, decodeText } from './decode';
import { type ImportFormat, chooseFormat } from './detect-format';
import { type ImportIssue, IssueList } from './issues';
import { readJson } from './json';
import { readJsonLines } from './jsonl';
import type { RawRecord } from './raw-record';
import { validateRecords } from './validate';

export interface ParseOptions {
  format?: ImportFormat;
  /** Used to pick the format by extension when `format` is not given. */
  filename?: string;
  /** Default 50 MiB. */
  maxBytes?: number;
  csv?: CsvMapping;
  /** Default 100,000 characters; a longer title or description is truncated with a warning. */
  maxTextLength?: number;
}

export interface ParsedImport {
  format: ImportFormat;
  fields: string[];
  tickets: LabeledTicket[];
  warnings: ImportIssue[];
  /** Hex SHA-256 of the raw bytes: recognises a re-upload of the same file. */
  sha256: string;
}

/** Warnings are capped like errors; the last entry then says how many were left out. */
function warningList(warnings: IssueList): ImportIssue[] {
  const left = warnings.total - warnings.items.length;
  if (left <= 0) return warnings.items;
  return [...warnings.items, { code: 'more_warnings', message: `and ${left} more warnings` }];
}

export function parseTicketFile(bytes: Uint8Array, opts: ParseOptions = {}): ParsedImport {
  checkSize(bytes, opts.maxBytes);
  const text = decodeText(bytes);
  const format = chooseFormat(text, opts.format, opts.filename);
  const issues = new IssueList();
  const warnings = new IssueList();
  let records: RawRecord[];
  if (format === 'json') records = readJson(text, issues);
  else if (format === 'jsonl') records = readJsonLines(text, issues);
  else records = readCsv(text, opts.csv, issues, warnings);
  const { fields, tickets } = validateRecords(records, issues, warnings, opts.maxTextLength);
  issues.throwIfAny();
  return {
    format,
    fields,
    tickets,
    warnings: warningList(warnings),
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
