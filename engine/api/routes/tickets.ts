import { createRoute, z } from '@hono/zod-openapi';
import { ApiError } from '../../errors';
import { importFile } from '../../services/import-file';
import { listTickets } from '../../store/tickets';
import { createRouter, tenantOf } from '../app-types';
import { errorResponses, ImportSummary, json, TenantParam } from '../schemas';

const ImportQuery = z.object({
  format: z.enum(['json', 'jsonl', 'csv']).optional().openapi({ description: 'Detected from the filename or content when absent' }),
  filename: z.string().max(255).optional(),
  mapping: z
    .string()
    .optional()
    .openapi({ description: 'CSV column mapping as JSON: {"title":"Subject","description":"Body","id":"Ticket #","fields":{"priority":"Prio"}}' }),
  dryRun: z.enum(['true', 'false', '1', '0']).optional().openapi({ description: 'Validate and preview; store nothing' }),
});

const CsvMapping = z.object({
  title: z.string().optional(),
  description: z.string().optional(),
  id: z.string().optional(),
  fields: z.record(z.string(), z.string()).optional(),
});

function parseMapping(raw: string | undefined) {
  if (!raw) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'invalid_request', 'mapping: must be JSON, e.g. {"title":"Subject","fields":{"priority":"Prio"}}');
  }
  const parsed = CsvMapping.safeParse(value);
  if (!parsed.success) throw new ApiError(400, 'invalid_request', `mapping: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

export const ticketRoutes = createRouter();

ticketRoutes
  .openapi(
    createRoute({
      method: 'post',
      path: '/tenants/{tenant}/imports',
      tags: ['tickets'],
      summary: 'Import tickets (JSON array, JSON Lines or CSV) as the raw request body; all-or-nothing',
      request: {
        params: TenantParam,
        query: ImportQuery,
        body: {
          content: {
            // Declared as raw bytes on purpose: a JSON validator would reject a broken file before the importer
            // could say on which line and column it breaks. Any content type is accepted.
            'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) },
            'text/csv': { schema: z.string() },
            'application/x-ndjson': { schema: z.string() },
          },
        },
      },
      responses: { 200: json(ImportSummary, 'Imported (or validated, with dryRun)'), ...errorResponses(400, 404, 413, 422) },
    }),
    async (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      const q = c.req.valid('query');
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const result = importFile(engine, tenant.id, bytes, {
        format: q.format,
        filename: q.filename,
        csv: parseMapping(q.mapping),
        dryRun: q.dryRun === 'true' || q.dryRun === '1',
      });
      return c.json(result, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/tickets',
      tags: ['tickets'],
      summary: "A page of the tenant's tickets, newest first, with an optional text search",
      request: {
        params: TenantParam,
        query: z.object({
          q: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
      },
      responses: {
        200: json(
          z.object({
            total: z.number(),
            tickets: z.array(
              z.object({ id: z.string(), title: z.string(), description: z.string(), fields: z.record(z.string(), z.string()), createdAt: z.string() }),
            ),
          }),
        ),
        ...errorResponses(404),
      },
    }),
    (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      return c.json(listTickets(engine.db, tenant.id, c.req.valid('query')), 200);
    },
  );
