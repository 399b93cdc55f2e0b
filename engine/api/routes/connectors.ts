import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { audit } from '../../auth/audit';
import { tenants } from '../../db/schema';
import { deleteConnector, requireConnector, upsertConnector, type ConnectorRow } from '../../store/connectors';
import { liveAccuracy } from '../../store/feedback';
import { createRouter, tenantOf } from '../app-types';
import { Connector, ConnectorInput, errorResponses, json, TenantParam, TriageSettings } from '../schemas';

/** The API view of a connection: the names of the secrets that are set, never their values. */
function publicConnector(row: ConnectorRow, secretNames: string[]) {
  const { secrets: _sealed, ...rest } = row;
  return { ...rest, secrets: secretNames };
}

export const connectorRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'put',
      path: '/tenants/{tenant}/connector',
      tags: ['connectors'],
      summary: "Set the tenant's PSA connection (Autotask or ConnectWise); secrets are encrypted at rest and never returned",
      request: { params: TenantParam, body: { required: true, content: { 'application/json': { schema: ConnectorInput } } } },
      responses: { 200: json(Connector), ...errorResponses(400, 404) },
    }),
    (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      const input = c.req.valid('json');
      const row = upsertConnector(engine.db, tenant.id, {
        kind: input.kind,
        config: input.config,
        secrets: engine.secrets.seal(input.secrets as Record<string, string>),
        scheduleMinutes: input.scheduleMinutes,
      });
      audit(engine.db, { actor: c.get('principal').actor, action: 'connector.set', tenantId: tenant.id, detail: { kind: input.kind, config: input.config } });
      engine.log.info(`tenant ${tenant.id}: ${input.kind} connection set`);
      return c.json(publicConnector(row, Object.keys(input.secrets)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/connector',
      tags: ['connectors'],
      summary: "The tenant's PSA connection: settings, sync cursor and last sync (no secret values)",
      request: { params: TenantParam },
      responses: { 200: json(Connector), ...errorResponses(404) },
    }),
    (c) => {
      const engine = c.get('engine');
      const row = requireConnector(engine.db, tenantOf(c, c.req.valid('param').tenant).id);
      return c.json(publicConnector(row, Object.keys(engine.secrets.open(row.secrets))), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/tenants/{tenant}/connector',
      tags: ['connectors'],
      summary: "Remove the tenant's PSA connection (synced tickets stay)",
      request: { params: TenantParam },
      responses: { 204: { description: 'Removed' }, ...errorResponses(404) },
    }),
    (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      requireConnector(engine.db, tenant.id);
      deleteConnector(engine.db, tenant.id);
      audit(engine.db, { actor: c.get('principal').actor, action: 'connector.delete', tenantId: tenant.id });
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/triage-settings',
      tags: ['connectors'],
      summary: 'How synced tickets are triaged: apply or shadow mode, per-field thresholds, internal note',
      request: { params: TenantParam },
      responses: { 200: json(TriageSettings), ...errorResponses(404) },
    }),
    (c) => {
      const engine = c.get('engine');
      return c.json(tenantOf(c, c.req.valid('param').tenant).triage, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/tenants/{tenant}/triage-settings',
      tags: ['connectors'],
      summary: 'Replace the triage settings (unset thresholds fall back to the 95%-precision threshold of the deployed model)',
      request: { params: TenantParam, body: { required: true, content: { 'application/json': { schema: TriageSettings } } } },
      responses: { 200: json(TriageSettings), ...errorResponses(400, 404) },
    }),
    (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      const settings = c.req.valid('json');
      engine.db.update(tenants).set({ triage: settings }).where(eq(tenants.id, tenant.id)).run();
      audit(engine.db, { actor: c.get('principal').actor, action: 'triage_settings.set', tenantId: tenant.id, detail: settings });
      return c.json(settings, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/live-accuracy',
      tags: ['connectors'],
      summary: "Accuracy of triage predictions against technicians' final values, per field and per day",
      request: { params: TenantParam, query: z.object({ days: z.coerce.number().int().min(1).max(3650).default(90) }) },
      responses: {
        200: json(
          z.object({
            fields: z.array(
              z.object({
                field: z.string(),
                n: z.number(),
                correct: z.number(),
                accuracy: z.number(),
                applied: z.object({ n: z.number(), correct: z.number(), accuracy: z.number().nullable() }),
              }),
            ),
            daily: z.array(z.object({ day: z.string(), field: z.string(), n: z.number(), accuracy: z.number() })),
          }),
        ),
        ...errorResponses(404),
      },
    }),
    (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      return c.json(liveAccuracy(engine.db, tenant.id, c.req.valid('query').days), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/triage',
      tags: ['connectors'],
      summary: 'Recent triage of synced tickets: predictions, what was written back, suggestions',
      request: { params: TenantParam, query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }) },
      responses: {
        200: json(
          z.object({
            triage: z.array(
              z.object({
                id: z.number(),
                ticketId: z.string().nullable(),
                checkpointId: z.number().nullable(),
                applyStatus: z.string().nullable(),
                applied: z.record(z.string(), z.object({ value: z.string(), confidence: z.number() })).nullable(),
                fields: z.record(z.string(), z.unknown()),
                createdAt: z.string(),
              }),
            ),
          }),
        ),
        ...errorResponses(404),
      },
    }),
    (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      const rows = engine.db.$client
        .prepare(
          `SELECT id, ticket_external_id, checkpoint_id, apply_status, applied, output, created_at FROM predictions
            WHERE tenant_id = ? AND source = 'sync' ORDER BY id DESC LIMIT ?`,
        )
        .all(tenant.id, c.req.valid('query').limit) as Record<string, string | number | null>[];
      return c.json(
        {
          triage: rows.map((r) => ({
            id: Number(r.id),
            ticketId: r.ticket_external_id as string | null,
            checkpointId: r.checkpoint_id as number | null,
            applyStatus: r.apply_status as string | null,
            applied: r.applied ? JSON.parse(String(r.applied)) : null,
            fields: JSON.parse(String(r.output)),
            createdAt: String(r.created_at),
          })),
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/model-flags',
      tags: ['models'],
      summary: 'Picklist changes that affect deployed checkpoints (retrain to use them)',
      request: { params: TenantParam },
      responses: {
        200: json(
          z.object({
            flags: z.array(
              z.object({ id: z.number(), checkpointId: z.number(), field: z.string(), change: z.string(), value: z.string(), detail: z.string(), runId: z.number().nullable(), createdAt: z.string() }),
            ),
          }),
        ),
        ...errorResponses(404),
      },
    }),
    (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      const flags = engine.db.$client
        .prepare(`SELECT id, checkpoint_id AS checkpointId, field, change, value, detail, run_id AS runId, created_at AS createdAt FROM model_flags WHERE tenant_id = ? ORDER BY id DESC`)
        .all(tenant.id) as { id: number; checkpointId: number; field: string; change: string; value: string; detail: string; runId: number | null; createdAt: string }[];
      return c.json({ flags }, 200);
    },
  );
