/**
 * The shape every reader (JSON, JSON Lines, CSV) produces before validation: where the ticket came from, its
 * text and id exactly as found, and its label keys in file order. Validation is then written once.
 */
import { type IssueList, describeType, previewValue, where } from './issues';

export interface RawRecord {
  /** 1-based ticket number. */
  row: number;
  /** 1-based physical line where the ticket starts (JSON Lines, CSV). */
  line?: number;
  /** undefined when the key or column is absent. */
  title: unknown;
  description: unknown;
  id: unknown;
  /** Label field name -> value as found (null, "" and wrong types included: validation judges them). */
  labels: Map<string, unknown>;
}

const TEXT_KEYS = new Set(['title', 'description', 'id']);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * One parsed JSON value as a ticket. Besides the prototype's flat shape ({title, description, <field>: label}),
 * a nested `fields` object (the contract's LabeledTicket shape) is accepted, so an export of the engine's own
 * tickets can be uploaded again. Returns undefined (after recording `not_an_object`) for anything else.
 */
export function recordFromJson(value: unknown, row: number, line: number | undefined, issues: IssueList): RawRecord | undefined {
  if (!isPlainObject(value)) {
    issues.add({
      code: 'not_an_object',
      message: `${where(row, line)}: a ticket must be an object with "title", "description" and label fields, got ${describeType(value)}`,
      row,
      line,
      value: previewValue(value),
    });
    return undefined;
  }
  const labels = new Map<string, unknown>();
  for (const [key, v] of Object.entries(value)) {
    if (TEXT_KEYS.has(key)) continue;
    if (key === 'fields' && isPlainObject(v)) continue;
    labels.set(key, v);
  }
  const nested = value.fields;
  if (isPlainObject(nested)) {
    for (const [key, v] of Object.entries(nested)) {
      if (labels.has(key)) {
        issues.add({
          code: 'duplicate_field',
          message: `${where(row, line)}: field "${key}" appears both at the top level and inside "fields"`,
          row,
          line,
          field: key,
        });
        continue;
      }
      labels.set(key, v);
    }
  }
  return { row, line, title: value.title, description: value.description, id: value.id, labels };
}
