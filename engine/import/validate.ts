/**
 * Judges raw records from any reader and turns them into LabeledTickets. Every recoverable problem is
 * collected, so the user sees all bad rows of a file at once; the caller throws them together.
 */
import type { LabeledTicket } from '../triage/types';
import { type IssueList, describeType, previewValue, truncate, where } from './issues';
import type { RawRecord } from './raw-record';

export const DEFAULT_MAX_TEXT_LENGTH = 100_000;
const MAX_FIELD_NAME_LENGTH = 64;

export interface ValidatedTickets {
  fields: string[];
  tickets: LabeledTicket[];
}

/** Why a field name is unusable, or null. `__proto__` would turn a ticket's fields object into a prototype. */
export function fieldNameProblem(name: string): string | null {
  if (name.trim() === '') return 'is empty';
  if (name.length > MAX_FIELD_NAME_LENGTH) return `is longer than ${MAX_FIELD_NAME_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'contains control characters';
  if (name === '__proto__') return 'is reserved';
  return null;
}

/** Cuts text over the limit at a character boundary; a warning, not an error: the start carries the meaning. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = text.charCodeAt(max - 1) >= 0xd800 && text.charCodeAt(max - 1) <= 0xdbff ? max - 1 : max;
  return text.slice(0, end);
}

function listNames(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

class Validator {
  private reference: RawRecord | undefined;
  private referenceKeys = new Set<string>();
  private readonly idRows = new Map<string, number>();

  constructor(
    private readonly issues: IssueList,
    private readonly warnings: IssueList,
    private readonly maxTextLength: number,
  ) {}

  /** The first object's label keys are the file's fields; every other ticket must have the same set. */
  fieldsOf(record: RawRecord): string[] {
    if (!this.reference) {
      this.reference = record;
      this.referenceKeys = new Set(record.labels.keys());
      for (const name of this.referenceKeys) {
        const problem = fieldNameProblem(name);
        if (problem) {
          this.issues.add({
            code: 'invalid_field_name',
            message: `field name "${truncate(name)}" ${problem} (found in ${where(record.row, record.line)})`,
            row: record.row,
            line: record.line,
            field: truncate(name),
          });
        }
      }
    }
    return [...this.referenceKeys];
  }

  checkSameFields(record: RawRecord): void {
    const ref = this.reference!;
    const missing = [...this.referenceKeys].filter((k) => !record.labels.has(k));
    const extra = [...record.labels.keys()].filter((k) => !this.referenceKeys.has(k));
    if (missing.length === 0 && extra.length === 0) return;
    const parts = [];
    if (missing.length) parts.push(`lacks ${listNames(missing)}`);
    if (extra.length) parts.push(`has extra ${listNames(extra)}`);
    this.issues.add({
      code: 'mixed_fields',
      message: `${where(record.row, record.line)}: the label fields differ from the first ticket (${where(ref.row, ref.line)}): it ${parts.join(' and ')}; every ticket needs the same keys (use null for "no label")`,
      row: record.row,
      line: record.line,
      field: (missing[0] ?? extra[0]),
      value: { missing, extra },
    });
  }

  text(record: RawRecord, key: 'title' | 'description'): string | undefined {
    const value = record[key];
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') {
      this.issues.add({
        code: 'invalid_text',
        message: `${where(record.row, record.line)}: "${key}" must be a string, got ${describeType(value)}`,
        row: record.row,
        line: record.line,
        field: key,
        value: previewValue(value),
      });
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed.length <= this.maxTextLength) return trimmed;
    this.warnings.add({
      code: 'text_truncated',
      message: `${where(record.row, record.line)}: "${key}" has ${trimmed.length.toLocaleString('en-US')} characters; only the first ${this.maxTextLength.toLocaleString('en-US')} are kept`,
      row: record.row,
      line: record.line,
      field: key,
    });
    return clip(trimmed, this.maxTextLength);
  }

  id(record: RawRecord): string | undefined {
    const value = record.id;
    let id: string;
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number') id = String(value);
    else if (typeof value === 'string') id = value.trim();
    else {
      this.issues.add({
        code: 'invalid_id',
        message: `${where(record.row, record.line)}: "id" must be a string or number, got ${describeType(value)}`,
        row: record.row,
        line: record.line,
        field: 'id',
        value: previewValue(value),
      });
      return undefined;
    }
    if (id === '') return undefined;
    const firstRow = this.idRows.get(id);
    if (firstRow !== undefined) {
      this.issues.add({
        code: 'duplicate_id',
        message: `${where(record.row, record.line)}: id "${truncate(id)}" is already used by row ${firstRow}`,
        row: record.row,
        line: record.line,
        field: 'id',
        value: truncate(id),
      });
    } else this.idRows.set(id, record.row);
    return id;
  }

  labels(record: RawRecord): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [field, value] of record.labels) {
      if (value === null || value === undefined) continue;
      let label: string;
      if (typeof value === 'string') label = value.trim();
      else if (typeof value === 'number' && Number.isFinite(value)) label = String(value);
      else {
        this.issues.add({
          code: 'invalid_label',
          message: `${where(record.row, record.line)}: field "${truncate(field)}" must be a string or number, got ${describeType(value)}`,
          row: record.row,
          line: record.line,
          field,
          value: previewValue(value),
        });
        continue;
      }
      if (label !== '') out[field] = label;
    }
    return out;
  }

  ticket(record: RawRecord): LabeledTicket | undefined {
    this.fieldsOf(record);
    if (record !== this.reference) this.checkSameFields(record);
    const title = this.text(record, 'title');
    const description = this.text(record, 'description');
    if (title === '' && description === '') {
      this.issues.add({
        code: 'missing_text',
        message: `${where(record.row, record.line)}: the ticket has neither a title nor a description`,
        row: record.row,
        line: record.line,
      });
    }
    const id = this.id(record);
    const fields = this.labels(record);
    if (title === undefined || description === undefined) return undefined;
    return id === undefined ? { title, description, fields } : { id, title, description, fields };
  }
}

/**
 * Validates records in order. `fields` lists the first ticket's label keys in file order, minus any key that
 * no ticket labels (warned about: it cannot be learned). Problems go to `issues`; the caller throws them.
 */
export function validateRecords(
  records: RawRecord[],
  issues: IssueList,
  warnings: IssueList,
  maxTextLength = DEFAULT_MAX_TEXT_LENGTH,
): ValidatedTickets {
  const validator = new Validator(issues, warnings, maxTextLength);
  const tickets: LabeledTicket[] = [];
  for (const record of records) {
    const ticket = validator.ticket(record);
    if (ticket) tickets.push(ticket);
  }
  const keys = records.length > 0 ? validator.fieldsOf(records[0]) : [];
  if (records.length > 0 && keys.length === 0) {
    issues.add({
      code: 'no_fields',
      message: 'the tickets have no label fields: besides "title", "description" and "id" each ticket needs at least one field to learn (e.g. "priority")',
    });
  }
  const labelled = new Set(tickets.flatMap((t) => Object.keys(t.fields)));
  const fields = keys.filter((k) => labelled.has(k));
  for (const key of keys) {
    if (labelled.has(key) || fieldNameProblem(key)) continue;
    warnings.add({
      code: 'empty_field',
      message: `field "${key}" has no label in any ticket and is left out`,
      field: key,
    });
  }
  if (keys.length > 0 && fields.length === 0 && issues.size === 0) {
    issues.add({ code: 'no_fields', message: `no ticket has a label in any of its fields (${listNames(keys)})` });
  }
  return { fields, tickets };
}
