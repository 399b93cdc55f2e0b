import { createRoute, z } from '@hono/zod-openapi';
import { createDataset, listDatasets, requireDataset } from '../../store/datasets';
import { createRouter, tenantOf } from '../app-types';
import { Dataset, errorResponses, IdParam, json, TenantParam } from '../schemas';

export const datasetRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/datasets',
      tags: ['datasets'],
      summary: "The tenant's frozen datasets, newest first",
      request: { params: TenantParam },
      responses: { 200: json(z.object({ datasets: z.array(Dataset) })), ...errorResponses(404) },
    }),
    (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      return c.json({ datasets: listDatasets(engine.db, tenant.id) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/tenants/{tenant}/datasets',
      tags: ['datasets'],
      summary: "Freeze the tenant's labelled tickets into a dataset with a train/validation/test split (reused when identical)",
      request: {
        params: TenantParam,
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({
                name: z.string().max(200).optional(),
                strategy: z.enum(['hash', 'time']).default('hash'),
                seed: z.number().int().default(1),
                validation: z.number().min(0).max(0.5).default(0.1),
                test: z.number().min(0).max(0.5).default(0.1),
              }),
            },
          },
        },
      },
      responses: { 201: json(Dataset, 'Created or reused'), ...errorResponses(400, 404) },
    }),
    (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      return c.json(createDataset(engine.db, tenant.id, c.req.valid('json')), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/datasets/{dataset}',
      tags: ['datasets'],
      summary: 'One dataset',
      request: { params: TenantParam.merge(IdParam('dataset')) },
      responses: { 200: json(Dataset), ...errorResponses(404) },
    }),
    (c) => {
      const engine = c.get('engine');
      const p = c.req.valid('param');
      const tenant = tenantOf(c, p.tenant);
      return c.json(requireDataset(engine.db, tenant.id, Number(p.dataset)), 200);
    },
  );
