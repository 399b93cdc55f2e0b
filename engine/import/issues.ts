/**
 * Problems found while importing a ticket file. An import is all-or-nothing, so every problem we can find is
 * collected first and thrown together: a user fixing a 4,000-row export wants the whole list, not one per upload.
 */

export interface ImportIssue {
  code: string;
  message: string;
  /** 1-based ticket number (array index + 1 for JSON; data row for CSV). */
  row?: number;
  /** 1-based physical line of the file. */
  line?: number;
  /** 1-based column (characters) within `line`. */
  column?: number;
  field?: string;
  value?: unknown;
}

/** Enough to spot a problem without echoing a 100 kB description back into an error response. */
export const MAX_ISSUES = 100;
const PREVIEW_CHARS = 80;

export class ImportError extends Error {
  readonly issues: ImportIssue[];
  /** How many problems were found in all; `issues` holds at most MAX_ISSUES of them. */
  readonly total: number;

  constructor(issues: ImportIssue[], total = issues.length) {
    if (issues.length === 0) throw new Error('ImportError needs at least one issue');
    const more = total - 1;
    const suffix = more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : '';
    super(issues[0].message + suffix);
    this.name = 'ImportError';
    this.issues = issues;
    this.total = total;
  }
}

/** Collects issues up to a cap while still counting the ones left out, so the message can say how many. */
export class IssueList {
  readonly items: ImportIssue[] = [];
  total = 0;

  constructor(private readonly cap = MAX_ISSUES) {}

  add(issue: ImportIssue): void {
    this.total++;
    if (this.items.length < this.cap) this.items.push(issue);
  }

  get size(): number {
    return this.total;
  }

  /**
   * Throws everything collected so far, if anything. Readers and validation find problems in different passes;
   * ordering by row (stable, file-wide problems first) lets the user walk the file top to bottom.
   */
  throwIfAny(): void {
    if (this.total === 0) return;
    const sorted = [...this.items].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    throw new ImportError(sorted, this.total);
  }
}

/** Throws a single unrecoverable problem: nothing after it could be checked meaningfully. */
export function fail(issue: ImportIssue): never {
  throw new ImportError([issue]);
}

/** "row 3" or "row 3 (line 7)": the prefix every per-ticket message starts with. */
export function where(row: number, line?: number): string {
  return line === undefined ? `row ${row}` : `row ${row} (line ${line})`;
}

/** "an object", "an array", "a boolean (true)", "null": for messages like "..., got an object". */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'boolean':
      return `a boolean (${value})`;
    case 'number':
      return `a number (${value})`;
    case 'string':
      return 'a string';
    default:
      return typeof value;
  }
}

/** Truncates a string to about `max` characters without splitting a surrogate pair. */
export function truncate(text: string, max = PREVIEW_CHARS): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * The offending value as it goes into an issue: primitives as they are (strings truncated), objects and
 * arrays as truncated JSON text, so an issue never carries a large nested structure.
 */
export function previewValue(value: unknown): unknown {
  if (typeof value === 'string') return truncate(value);
  if (value !== null && typeof value === 'object') {
    let json: string;
    try {
      json = JSON.stringify(value) ?? Object.prototype.toString.call(value);
    } catch {
      // Too deep (or cyclic) to print: String() would recurse through it and overflow the stack as well.
      json = Array.isArray(value) ? `[array of ${value.length}]` : '[object]';
    }
    return truncate(json);
  }
  return value;
}
