/**
 * Decides which CSV column feeds the title, the description, the id and each label field, from the user's
 * mapping or, without one, from the column names. A mapping that names a column the file lacks is the most
 * common CSV mistake, so that error lists the columns the file does have.
 */
import { type IssueList, fail } from './issues';

export interface CsvMapping {
  title?: string;
  description?: string;
  id?: string;
  /** Label field name -> column. Without it, every column not used for title/description/id is a field. */
  fields?: Record<string, string>;
}

export interface CsvColumns {
  title: number;
  description: number;
  id: number;
  /** [field name, column index] in output order. */
  fields: [string, number][];
}

const quoteList = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

/** Exact name first; otherwise a case-insensitive match, if exactly one column matches. -1 when none does. */
function findColumn(header: string[], name: string): number {
  const exact = header.indexOf(name.trim());
  if (exact >= 0) return exact;
  const wanted = name.trim().toLowerCase();
  const matches = header.flatMap((h, i) => (h.toLowerCase() === wanted ? [i] : []));
  return matches.length === 1 ? matches[0] : -1;
}

export function resolveColumns(header: string[], mapping: CsvMapping | undefined, warnings: IssueList): CsvColumns {
  const unknown: { role: string; column: string; field?: string }[] = [];
  const mapped = (role: string, column: string | undefined, fallback: string, field?: string): number => {
    if (column === undefined) return findColumn(header, fallback);
    const index = column.trim() === '' ? -1 : findColumn(header, column);
    if (index < 0) unknown.push({ role, column, field });
    return index;
  };
  const title = mapped('the title', mapping?.title, 'title');
  const description = mapped('the description', mapping?.description, 'description');
  const id = mapped('the id', mapping?.id, 'id');

  const fields: [string, number][] = [];
  if (mapping?.fields) {
    for (const [field, column] of Object.entries(mapping.fields)) {
      const index = mapped(`field "${field}"`, column, column, field);
      if (index >= 0) fields.push([field, index]);
    }
  } else {
    const used = new Set([title, description, id]);
    header.forEach((name, index) => {
      if (used.has(index)) return;
      if (name === '') {
        warnings.add({
          code: 'unnamed_column',
          message: `column ${index + 1} has no name in the header row and is ignored; give it a name to import it as a label field`,
          line: 1,
        });
        return;
      }
      fields.push([name, index]);
    });
  }

  if (unknown.length > 0) {
    const available = quoteList(header.filter((h) => h !== ''));
    fail({
      code: 'unknown_column',
      message:
        unknown.map((u) => `column "${u.column}" (mapped to ${u.role}) is not in the file`).join('; ') +
        `; the columns are: ${available}`,
      value: unknown.map((u) => u.column),
      field: unknown.length === 1 ? unknown[0].field : undefined,
    });
  }
  if (title < 0 && description < 0) {
    fail({
      code: 'no_text_column',
      message: `the file has no "title" or "description" column; map the ticket text with the csv.title / csv.description options (the columns are: ${quoteList(header.filter((h) => h !== ''))})`,
    });
  }
  checkDuplicates(header, [title, description, id, ...fields.map(([, i]) => i)]);
  return { title, description, id, fields };
}

/** Two columns with the same name make a mapping by name ambiguous: refuse rather than pick one silently. */
function checkDuplicates(header: string[], usedColumns: number[]): void {
  const used = new Set(usedColumns.filter((i) => i >= 0).map((i) => header[i]));
  const seen = new Map<string, number>();
  header.forEach((name, index) => {
    if (!used.has(name)) return;
    const first = seen.get(name);
    if (first !== undefined) {
      fail({
        code: 'duplicate_column',
        message: `the header names column "${name}" twice (columns ${first + 1} and ${index + 1}); rename one of them`,
        line: 1,
        value: name,
      });
    }
    seen.set(name, index);
  });
}
