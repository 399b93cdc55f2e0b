/** Shared plumbing of the resources: JSON contents, template variables, and errors worded like the tools'. */
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { Variables } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import type { McpContext } from '../context';
import { describeError } from '../errors';

export function jsonContents(uri: URL, data: unknown): ReadResourceResult {
  return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(data, null, 2) }] };
}

/** A template variable as one string (a URI template may bind a list). */
export function variable(vars: Variables, name: string): string {
  const v = vars[name];
  return decodeURIComponent(Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
}

/** A positive id from the URI, or an error that says which part is wrong. */
export function idVariable(vars: Variables, name: string): number {
  const raw = variable(vars, name);
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new Error(`${name} in the URI must be a positive whole number, got "${raw}"`);
  return id;
}

/** Runs a read and rethrows any failure with the same recoverable message a tool would give. */
export async function readOrExplain(ctx: McpContext, read: () => Promise<ReadResourceResult>): Promise<ReadResourceResult> {
  try {
    return await read();
  } catch (err) {
    throw new Error(await describeError(ctx.client, err));
  }
}
