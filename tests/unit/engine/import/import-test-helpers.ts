/** Shared by the import tests: bytes from text, and catching the ImportError a call must throw. */
import { expect } from 'vitest';
import { ImportError, type ImportIssue } from '../../../../engine/import/issues';
import { type ParseOptions, parseTicketFile } from '../../../../engine/import/parse-ticket-file';

export const bytes = (text: string) => new TextEncoder().encode(text);

export function importError(run: () => unknown): ImportError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return error as ImportError;
  }
  throw new Error('expected an ImportError, but nothing was thrown');
}

/** Parses text that must fail, returning its issues. */
export function issuesOf(text: string | Uint8Array, opts?: ParseOptions): ImportIssue[] {
  const input = typeof text === 'string' ? bytes(text) : text;
  return importError(() => parseTicketFile(input, opts)).issues;
}

export const codes = (issues: ImportIssue[]) => issues.map((i) => i.code);

/** A JSON array text of tickets. */
export const json = (tickets: unknown[]) => JSON.stringify(tickets);
