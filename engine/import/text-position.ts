/** Positions in decoded text, as a user's editor shows them: 1-based line and column. */

export interface TextPosition {
  line: number;
  column: number;
}

/**
 * Line and column of a UTF-16 index. Columns count characters (code points), so an emoji or an accented letter
 * before the problem counts once, as an editor would show it. Lines break at "\n" ("\r\n" included).
 */
export function positionAt(text: string, index: number): TextPosition {
  const end = Math.max(0, Math.min(index, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  let column = 1;
  for (let i = lineStart; i < end; i++) {
    const code = text.charCodeAt(i);
    // The low half of a surrogate pair belongs to the character its high half already counted.
    if (code < 0xdc00 || code > 0xdfff) column++;
  }
  return { line, column };
}

/** A short excerpt of the text around an index, on one line, for an issue's `value`. */
export function excerptAt(text: string, index: number, radius = 30): string {
  const start = Math.max(0, index - radius);
  const end = Math.min(text.length, index + radius);
  return text.slice(start, end).replace(/\s+/g, ' ');
}
