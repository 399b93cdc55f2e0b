import { createRoute, z } from '@hono/zod-openapi';
import { requireAdmin } from '../../auth/middleware';
import { canSee } from '../../auth/tokens';
import { createTenant, listTenants } from '../../store/tenants';
import { countTickets } from '../../store/tickets';
import { getFieldSchemas } from '../../store/fields';
import { createRouter, tenantOf } from '../app-types';
import { errorResponses, FieldSchema, json, Tenant, TenantParam, TenantSummary } from '../schemas';
import type { EngineContext } from '../../context';

function summary(engine: EngineContext, t: { id: string; name: string; createdAt: string }) {
  const live = engine.registry.get(t.id);
  return {
    ...t,
    tickets: countTickets(engine.db, t.id),
    fields: getFieldSchemas(engine.db, t.id).map((f) => f.name),
    deployment: live
      ? { id: live.deployment.id, checkpointId: live.checkpoint.id, tier: live.checkpoint.tier, createdAt: live.deployment.createdAt }
      : null,
  };
}

export const tenantRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants',
      tags: ['tenants'],
      summary: 'List tenants with their ticket count, fields and deployed model',
      responses: { 200: json(z.object({ tenants: z.array(TenantSummary) })) },
    }),
    (c) => {
      const engine = c.get('engine');
      const visible = listTenants(engine.db).filter((t) => canSee(c.get('principal'), t.id));
      return c.json({ tenants: visible.map((t) => summary(engine, t)) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/tenants',
      tags: ['tenants'],
      summary: 'Create a tenant',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({ id: z.string().openapi({ example: 'acme' }), name: z.string().max(200).optional() }),
            },
          },
        },
      },
      responses: { 201: json(Tenant, 'Created'), ...errorResponses(400, 403, 409, 422) },
    }),
    (c) => {
      requireAdmin(c);
      return c.json(createTenant(c.get('engine').db, c.req.valid('json')), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}',
      tags: ['tenants'],
      summary: 'One tenant',
      request: { params: TenantParam },
      responses: { 200: json(TenantSummary), ...errorResponses(404) },
    }),
    (c) => {
      const engine = c.get('engine');
      return c.json(summary(engine, tenantOf(c, c.req.valid('param').tenant)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/fields',
      tags: ['tenants'],
      summary: "The tenant's fields with their choices and parent links",
      request: { params: TenantParam },
      responses: { 200: json(z.object({ fields: z.array(FieldSchema) })), ...errorResponses(404) },
    }),
    (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      return c.json({ fields: getFieldSchemas(engine.db, tenant.id) }, 200);
    },
  );
