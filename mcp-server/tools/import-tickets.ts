import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { EngineError, type EngineClient } from '../../engine/client/engine-client';
import { fail, ok } from '../results';
import { tenantArg } from '../shapes';
import { defineTool } from './define-tool';

const Output = z.object({
  tenant: z.string(),
  importId: z.number(),
  tickets: z.number(),
  inserted: z.number(),
  updated: z.number(),
  fields: z.array(z.string()),
  format: z.string(),
  warnings: z.array(z.unknown()),
  dryRun: z.boolean(),
  preview: z.array(z.unknown()).optional(),
});

/** Creates the tenant when it is missing (an admin-only call: a tenant token gets the engine's refusal). */
async function ensureTenant(client: EngineClient, tenant: string): Promise<void> {
  try {
    await client.getTenant(tenant);
  } catch (err) {
    if (!(err instanceof EngineError && err.status === 404)) throw err;
    await client.createTenant(tenant);
  }
}

export const importTickets = defineTool({
  name: 'import_tickets',
  title: 'Import labelled tickets',
  description:
    "Imports a tenant's ticket history, all-or-nothing: either `tickets` inline (a JSON array of objects with `title`, `description` " +
    'and one key per label field, e.g. {"title":"…","description":"…","priority":"P2","queue":"Service Desk"}) or `path`, a JSON, ' +
    'JSON Lines or CSV file on the machine that runs this MCP server (stdio only; over HTTP send tickets inline). The label keys become ' +
    "the tenant's fields and their values its choices. Importing the same tickets again updates them. An invalid file is refused with " +
    'every problem listed by row and field; fix them and call again. Use dryRun to check first. Then call start_training.',
  input: z.object({
    tenant: tenantArg,
    tickets: z
      .array(z.record(z.string(), z.unknown()))
      .min(1)
      .optional()
      .describe('Inline tickets: [{title, description, <field>: <label>, …}]'),
    path: z.string().min(1).optional().describe('A local file to import instead of inline tickets (stdio transport only)'),
    format: z.enum(['json', 'jsonl', 'csv']).optional().describe('File format; detected from the file name or content when absent'),
    mapping: z
      .object({
        title: z.string().optional(),
        description: z.string().optional(),
        id: z.string().optional(),
        fields: z.record(z.string(), z.string()).optional(),
      })
      .optional()
      .describe('CSV only: which column holds what, e.g. {"title":"Subject","description":"Body","fields":{"priority":"Prio"}}'),
    dryRun: z.boolean().default(false).describe('Validate and preview only; store nothing'),
    create: z.boolean().default(false).describe('Create the tenant first if it does not exist (needs an admin token)'),
  }),
  output: Output,
  async run(args, ctx) {
    if ((args.tickets === undefined) === (args.path === undefined)) {
      return fail('Send exactly one of `tickets` (an inline JSON array of tickets) or `path` (a file to import).');
    }
    let bytes: Uint8Array;
    let filename: string;
    if (args.path !== undefined) {
      if (!ctx.allowFilePaths) {
        return fail('`path` is only accepted over the stdio transport (a path here would name a file on the engine\'s host); send the tickets inline as `tickets`.');
      }
      try {
        bytes = await fs.readFile(args.path);
      } catch (err) {
        return fail(`cannot read "${args.path}": ${(err as Error).message}. Give an absolute path to a JSON, JSON Lines or CSV file.`);
      }
      filename = path.basename(args.path);
    } else {
      bytes = new TextEncoder().encode(JSON.stringify(args.tickets));
      filename = 'inline.json';
    }
    if (args.create) await ensureTenant(ctx.client, args.tenant);
    const s = await ctx.client.importFile(args.tenant, bytes, { filename, format: args.format, mapping: args.mapping, dryRun: args.dryRun });
    const what = `${s.tickets} tickets (${s.inserted} new, ${s.updated} updated); fields: ${s.fields.join(', ') || 'none'}`;
    const warn = s.warnings.length ? ` ${s.warnings.length} warning(s), see structured content.` : '';
    const text = s.dryRun
      ? `Dry run for ${args.tenant}: the file is valid, ${what}. Nothing was stored.${warn}`
      : `Imported into ${args.tenant}: ${what}.${warn} Next: start_training.`;
    return ok(Output, { tenant: args.tenant, ...s }, text);
  },
});
