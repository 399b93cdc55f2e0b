/**
 * Turns engine errors into messages an agent can recover from. An unknown tenant lists the tenants this caller
 * may use: the engine answers a tenant the token may not see exactly like a missing one, and the list comes from
 * the same token, so the message never reveals another tenant.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { EngineError, type EngineClient } from '../engine/client/engine-client';
import { fail } from './results';

const UNKNOWN_TENANT = /^tenant ".*" was not found$/;
const MAX_DETAILS = 20;

async function knownTenants(client: EngineClient): Promise<string> {
  try {
    const ids = (await client.listTenants()).map((t) => t.id);
    return ids.length
      ? `Known tenants: ${ids.join(', ')}.`
      : 'No tenant is visible to this caller yet (an admin creates one, e.g. import_tickets with create: true).';
  } catch {
    return 'Call list_tenants to see the known tenants.';
  }
}

/** One line per detail the engine sent (import rows, validation issues), capped so the text stays readable. */
function detailLines(details: unknown): string[] {
  const list = Array.isArray(details) ? details : (details as { issues?: unknown[] } | undefined)?.issues;
  if (!Array.isArray(list)) return [];
  const lines = list.slice(0, MAX_DETAILS).map((d) => {
    const item = d as { message?: unknown; path?: unknown };
    if (typeof item?.message === 'string') return `  - ${item.path ? `${String(item.path)}: ` : ''}${item.message}`;
    return `  - ${JSON.stringify(d)}`;
  });
  if (list.length > MAX_DETAILS) lines.push(`  … and ${list.length - MAX_DETAILS} more`);
  return lines;
}

export async function describeError(client: EngineClient, err: unknown): Promise<string> {
  if (!(err instanceof EngineError)) return err instanceof Error ? err.message : String(err);
  const lines = [`${err.message} (${err.code})`];
  if (err.status === 404 && err.code === 'not_found' && UNKNOWN_TENANT.test(err.message)) lines.push(await knownTenants(client));
  if (err.status === 401) lines.push('The MCP server needs an engine API token: set TRIAGE_TOKEN, or send "Authorization: Bearer <token>" to /mcp.');
  return [...lines, ...detailLines(err.details)].join('\n');
}

export async function toolError(client: EngineClient, err: unknown): Promise<CallToolResult> {
  return fail(await describeError(client, err));
}
