import { createRoute, z } from '@hono/zod-openapi';
import { audit, listAudit } from '../../auth/audit';
import { requireAdmin } from '../../auth/middleware';
import { createToken, listTokens, publicToken, revokeToken } from '../../auth/tokens';
import { ApiError } from '../../errors';
import { listTenants } from '../../store/tenants';
import { createRouter } from '../app-types';
import { errorResponses, IdParam, json } from '../schemas';

const Token = z
  .object({
    id: z.number(),
    name: z.string(),
    prefix: z.string(),
    role: z.enum(['admin', 'tenant']),
    tenants: z.array(z.string()),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  })
  .openapi('Token');

export const adminRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/tokens',
      tags: ['admin'],
      summary: 'Create an API token (admin only); the token is in the answer and never shown again',
      request: {
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({
                name: z.string().min(1).max(100),
                role: z.enum(['admin', 'tenant']),
                tenants: z.array(z.string().max(63)).max(1000).optional(),
              }),
            },
          },
        },
      },
      responses: { 201: json(z.object({ token: z.string(), info: Token }), 'Created'), ...errorResponses(400, 401, 403, 422) },
    }),
    (c) => {
      requireAdmin(c);
      const engine = c.get('engine');
      const input = c.req.valid('json');
      const known = new Set(listTenants(engine.db).map((t) => t.id));
      const unknown = (input.tenants ?? []).filter((t) => !known.has(t));
      if (unknown.length) throw new ApiError(422, 'unknown_tenant', `unknown tenant(s): ${unknown.join(', ')}`);
      const { token, row } = createToken(engine.db, input);
      audit(engine.db, { actor: c.get('principal').actor, action: 'token.create', detail: { tokenId: row.id, name: row.name, role: row.role, tenants: row.tenants } });
      return c.json({ token, info: publicToken(row) }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tokens',
      tags: ['admin'],
      summary: 'List API tokens (admin only; never their values)',
      responses: { 200: json(z.object({ tokens: z.array(Token) })), ...errorResponses(401, 403) },
    }),
    (c) => {
      requireAdmin(c);
      return c.json({ tokens: listTokens(c.get('engine').db).map(publicToken) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/tokens/{token}',
      tags: ['admin'],
      summary: 'Revoke an API token (admin only); it stops working at once',
      request: { params: IdParam('token') },
      responses: { 200: json(Token), ...errorResponses(401, 403, 404) },
    }),
    (c) => {
      requireAdmin(c);
      const engine = c.get('engine');
      const row = revokeToken(engine.db, Number(c.req.valid('param').token));
      audit(engine.db, { actor: c.get('principal').actor, action: 'token.revoke', detail: { tokenId: row.id, name: row.name } });
      return c.json(publicToken(row), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/audit',
      tags: ['admin'],
      summary: 'The append-only audit log, newest first: deploys, rollbacks, PSA write-backs, token changes (a tenant token sees its tenants only)',
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }) },
      responses: {
        200: json(
          z.object({
            entries: z.array(z.object({ id: z.number(), at: z.string(), actor: z.string(), action: z.string(), tenantId: z.string().nullable(), detail: z.record(z.string(), z.unknown()) })),
          }),
        ),
        ...errorResponses(401),
      },
    }),
    (c) => {
      const p = c.get('principal');
      const entries = listAudit(c.get('engine').db, { tenantIds: p.admin ? undefined : [...p.tenants], limit: c.req.valid('query').limit });
      return c.json({ entries }, 200);
    },
  );
