/** Tool results: structured content checked against the tool's output schema, plus a short text for humans. */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';

/**
 * A successful result. The data is parsed through the output schema first, so structuredContent carries exactly
 * the advertised keys (clients validate it against the schema, which forbids extra properties).
 */
export function ok<S extends z.ZodType>(schema: S, data: z.input<S>, text: string): CallToolResult {
  const structuredContent = schema.parse(data) as Record<string, unknown>;
  return { content: [{ type: 'text', text }], structuredContent };
}

/** A failure the agent can act on: isError with a message that says what went wrong and what to do. */
export function fail(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

export const pct = (x: number | null | undefined) => (typeof x === 'number' ? `${(x * 100).toFixed(1)}%` : '-');
