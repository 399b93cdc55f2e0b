import { createRoute, z } from '@hono/zod-openapi';
import { deployCheckpoint, rollbackDeployment } from '../../predict/deploy';
import { listCheckpoints, listEvaluations, requireCheckpoint, type Checkpoint as CheckpointRow } from '../../store/checkpoints';
import { listDeployments } from '../../store/deployments';
import { accuracyOf } from '../../training/train-run';
import type { EngineContext } from '../../context';
import { createRouter, tenantOf } from '../app-types';
import { Checkpoint, Deployment, errorResponses, IdParam, json, TenantParam } from '../schemas';

const CheckpointParams = TenantParam.merge(IdParam('checkpoint'));

function publicCheckpoint(engine: EngineContext, c: CheckpointRow) {
  const live = engine.registry.get(c.tenantId);
  return {
    id: c.id,
    tenantId: c.tenantId,
    runId: c.runId,
    datasetId: c.datasetId,
    tier: c.tier,
    fields: c.fields,
    accuracy: accuracyOf(c),
    metrics: c.metrics,
    createdAt: c.createdAt,
    deployed: live?.checkpoint.id === c.id,
  };
}

export const modelRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/checkpoints',
      tags: ['models'],
      summary: "The tenant's checkpoints with held-out accuracy per field, newest first",
      request: { params: TenantParam },
      responses: { 200: json(z.object({ checkpoints: z.array(Checkpoint) })), ...errorResponses(404) },
    }),
    (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      return c.json({ checkpoints: listCheckpoints(engine.db, tenant.id).map((ck) => publicCheckpoint(engine, ck)) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/checkpoints/{checkpoint}',
      tags: ['models'],
      summary: 'One checkpoint with its validation and test reports',
      request: { params: CheckpointParams },
      responses: { 200: json(Checkpoint), ...errorResponses(404) },
    }),
    (c) => {
      const engine = c.get('engine');
      const p = c.req.valid('param');
      return c.json(publicCheckpoint(engine, requireCheckpoint(engine.db, tenantOf(c, p.tenant).id, Number(p.checkpoint))), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/checkpoints/{checkpoint}/evaluations',
      tags: ['models'],
      summary: 'Evaluation reports of a checkpoint (per field: accuracy, macro-F1, confusion matrix, ECE, auto-apply share)',
      request: { params: CheckpointParams },
      responses: {
        200: json(
          z.object({
            evaluations: z.array(
              z.object({ id: z.number(), checkpointId: z.number(), datasetId: z.number(), split: z.string(), runId: z.number().nullable(), report: z.record(z.string(), z.unknown()), createdAt: z.string() }),
            ),
          }),
        ),
        ...errorResponses(404),
      },
    }),
    (c) => {
      const engine = c.get('engine');
      const p = c.req.valid('param');
      const tenant = tenantOf(c, p.tenant);
      const checkpoint = requireCheckpoint(engine.db, tenant.id, Number(p.checkpoint));
      const evaluations = listEvaluations(engine.db, tenant.id, checkpoint.id).map(({ tenantId: _t, ...e }) => e);
      return c.json({ evaluations }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/deployments',
      tags: ['models'],
      summary: "The tenant's deployment history, newest first; the active one is live",
      request: { params: TenantParam },
      responses: { 200: json(z.object({ deployments: z.array(Deployment) })), ...errorResponses(404) },
    }),
    (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      return c.json({ deployments: listDeployments(engine.db, tenant.id) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/tenants/{tenant}/deployments',
      tags: ['models'],
      summary: 'Deploy a checkpoint: swapped in the running engine, the previous one kept for rollback',
      request: {
        params: TenantParam,
        body: { required: true, content: { 'application/json': { schema: z.object({ checkpointId: z.number().int().positive() }) } } },
      },
      responses: { 201: json(Deployment, 'Deployed'), ...errorResponses(400, 404, 409) },
    }),
    async (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      return c.json(await deployCheckpoint(engine, tenant.id, c.req.valid('json').checkpointId, c.get('principal').actor), 201);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/tenants/{tenant}/deployments/rollback',
      tags: ['models'],
      summary: 'Roll back to the deployment before the active one',
      request: { params: TenantParam },
      responses: { 201: json(Deployment, 'Rolled back'), ...errorResponses(404, 409) },
    }),
    async (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      return c.json(await rollbackDeployment(engine, tenant.id, c.get('principal').actor), 201);
    },
  );
