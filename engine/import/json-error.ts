/** Explains a JSON.parse failure: a line, a column and a reason a user can act on. */
import { findJsonSyntaxProblem } from './json-syntax';
import { excerptAt, positionAt } from './text-position';

export interface JsonSyntaxLocation {
  line: number;
  column: number;
  reason: string;
  /** The text around the problem, on one line. */
  excerpt: string;
}

/**
 * Where and why `text` is not valid JSON. Our scanner gives both; if it ever disagrees with JSON.parse (it
 * should not), fall back to the "at position N" of V8's message, and failing that to the end of the text.
 */
export function locateJsonError(text: string, error: unknown): JsonSyntaxLocation {
  const problem = findJsonSyntaxProblem(text);
  let index: number;
  let reason: string;
  if (problem) {
    index = problem.offset;
    reason = problem.reason;
  } else {
    const message = error instanceof Error ? error.message : String(error);
    const at = /at position (\d+)/.exec(message);
    index = at ? Number(at[1]) : text.length;
    // V8 echoes the whole input in some messages; keep only the part before it.
    reason = message.split(', "')[0];
  }
  const { line, column } = positionAt(text, index);
  return { line, column, reason, excerpt: excerptAt(text, index) };
}
