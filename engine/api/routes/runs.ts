import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { startRun } from '../../services/start-run';
import { configuredModelRef, trainingWeightsRef } from '../../training/base-models';
import { ApiError } from '../../errors';
import { listEvents, listRuns, requireRun, type RunEvent as RunEventRow } from '../../store/runs';
import { listTenants } from '../../store/tenants';
import { canSee } from '../../auth/tokens';
import { RUN_STATUSES } from '../../db/schema';
import { createRouter, tenantOf } from '../app-types';
import { errorResponses, GpuQueue, IdParam, json, QueuedGpuRun, Run, RunEvent, StartRun, TenantParam } from '../schemas';

const RunParams = TenantParam.merge(IdParam('run'));
const RunFilter = z.object({
  status: z.enum(RUN_STATUSES).optional(),
  kind: z.enum(['train', 'evaluate', 'sync']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const publicEvent = (e: RunEventRow) => ({ run: e.runId, seq: e.seq, at: e.at, kind: e.kind, data: e.data });

export const runRoutes = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/gpu-queue',
      tags: ['runs'],
      summary: 'The GPU queue: training runs holding the GPUs and those waiting, in the order they will get them (runs of tenants you may see)',
      responses: { 200: json(GpuQueue) },
    }),
    (c) => {
      const q = c.get('engine').runner.gpuQueue();
      const visible = (r: { tenantId: string }) => canSee(c.get('principal'), r.tenantId);
      // Another tenant's run still takes a place in the line: it is shown without its tenant or id.
      const mask = <T extends z.infer<typeof QueuedGpuRun>>(r: T): T => (visible(r) ? r : { ...r, runId: 0, tenantId: '' });
      return c.json({ gpus: q.gpus, running: q.running.map(mask), queued: q.queued.map(mask) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/runs',
      tags: ['runs'],
      summary: 'Runs of every tenant, newest first',
      request: { query: RunFilter },
      responses: { 200: json(z.object({ runs: z.array(Run) })) },
    }),
    (c) => {
      const engine = c.get('engine');
      const q = c.req.valid('query');
      const tenantIds = listTenants(engine.db).map((t) => t.id).filter((id) => canSee(c.get('principal'), id));
      return c.json({ runs: listRuns(engine.db, { tenantIds, status: q.status ? [q.status] : undefined, kind: q.kind, limit: q.limit }) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/runs',
      tags: ['runs'],
      summary: "The tenant's runs, newest first",
      request: { params: TenantParam, query: RunFilter },
      responses: { 200: json(z.object({ runs: z.array(Run) })), ...errorResponses(404) },
    }),
    (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      const q = c.req.valid('query');
      return c.json({ runs: listRuns(engine.db, { tenantIds: [tenant.id], status: q.status ? [q.status] : undefined, kind: q.kind, limit: q.limit }) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/tenants/{tenant}/runs',
      tags: ['runs'],
      summary: 'Start a training or evaluation run; answers at once with the queued run',
      request: { params: TenantParam, body: { required: true, content: { 'application/json': { schema: StartRun } } } },
      responses: { 202: json(Run, 'Queued'), ...errorResponses(400, 403, 404, 409, 429) },
    }),
    (c) => {
      const engine = c.get('engine');
      const tenant = tenantOf(c, c.req.valid('param').tenant);
      const body = c.req.valid('json');
      if (body.kind === 'train' && body.tier === 'llm') {
        if (body.params.adapter && !c.get('principal').admin) {
          throw new ApiError(403, 'forbidden', 'params.adapter names a path on the engine machine: only an admin token may use it');
        }
        if (!body.params.baseModel) throw new ApiError(400, 'invalid_request', 'an llm run needs params.baseModel (a base model configured on the engine)');
        // Checked here, not hours later when the run reaches the head of the GPU line.
        const train = body.params.train;
        if (train && body.params.adapter) {
          throw new ApiError(400, 'invalid_request', 'an llm run either trains an adapter (params.train) or uses one (params.adapter), not both');
        }
        try {
          configuredModelRef(body.params.baseModel);
          if (train) trainingWeightsRef(body.params.baseModel);
        } catch (err) {
          throw new ApiError(400, 'invalid_request', `params.baseModel: ${(err as Error).message}`);
        }
        if (train && train.device !== 'cpu') {
          const gpus = engine.config.gpus;
          if (gpus === 0) throw new ApiError(409, 'no_gpu', 'this engine has no GPU for params.train (set train.device "cpu" for a small model, or run the engine on a GPU machine)');
          if ((train.gpus ?? gpus) > gpus) throw new ApiError(400, 'invalid_request', `params.train.gpus is ${train.gpus}, this engine has ${gpus} GPU(s)`);
        }
      }
      return c.json(startRun(engine, tenant.id, body), 202);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/runs/{run}',
      tags: ['runs'],
      summary: 'One run with its status, progress and result',
      request: { params: RunParams },
      responses: { 200: json(Run), ...errorResponses(404) },
    }),
    (c) => {
      const engine = c.get('engine');
      const p = c.req.valid('param');
      return c.json(requireRun(engine.db, tenantOf(c, p.tenant).id, Number(p.run)), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/tenants/{tenant}/runs/{run}/cancel',
      tags: ['runs'],
      summary: 'Cancel a queued or running run',
      request: { params: RunParams },
      responses: { 200: json(Run), ...errorResponses(404, 409) },
    }),
    (c) => {
      const engine = c.get('engine');
      const p = c.req.valid('param');
      const run = requireRun(engine.db, tenantOf(c, p.tenant).id, Number(p.run));
      return c.json(engine.runner.cancel(run), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/tenants/{tenant}/runs/{run}/resume',
      tags: ['runs'],
      summary: 'Queue an interrupted, failed or cancelled run again',
      request: { params: RunParams },
      responses: { 200: json(Run), ...errorResponses(404, 409) },
    }),
    (c) => {
      const engine = c.get('engine');
      const p = c.req.valid('param');
      const run = requireRun(engine.db, tenantOf(c, p.tenant).id, Number(p.run));
      return c.json(engine.runner.resume(run), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/runs/{run}/events',
      tags: ['runs'],
      summary: "The run's stored events after a sequence number (progress, metric, checkpoint, log, error, done)",
      request: { params: RunParams, query: z.object({ after: z.coerce.number().int().min(0).default(0) }) },
      responses: { 200: json(z.object({ events: z.array(RunEvent) })), ...errorResponses(404) },
    }),
    (c) => {
      const engine = c.get('engine');
      const p = c.req.valid('param');
      const run = requireRun(engine.db, tenantOf(c, p.tenant).id, Number(p.run));
      return c.json({ events: listEvents(engine.db, run.id, c.req.valid('query').after).map(publicEvent) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/tenants/{tenant}/runs/{run}/events/stream',
      tags: ['runs'],
      summary: 'Server-sent events: stored events first, then live ones until the run is done (resume with Last-Event-ID)',
      request: { params: RunParams, query: z.object({ after: z.coerce.number().int().min(0).optional() }) },
      responses: {
        200: { description: 'An event stream; each event\'s id is its seq and its name its kind', content: { 'text/event-stream': { schema: z.string() } } },
        ...errorResponses(404),
      },
    }),
    (c) => {
      const engine = c.get('engine');
      const p = c.req.valid('param');
      const run = requireRun(engine.db, tenantOf(c, p.tenant).id, Number(p.run));
      const lastEventId = Number(c.req.header('last-event-id') ?? NaN);
      let last = Number.isFinite(lastEventId) ? lastEventId : (c.req.valid('query').after ?? 0);
      return streamSSE(c, async (stream) => {
        const pending: RunEventRow[] = [];
        let wake: (() => void) | null = null;
        // Subscribe before reading stored events so nothing published in between is missed; seq dedupes.
        const unsubscribe = engine.bus.subscribe(run.id, (e) => {
          pending.push(e);
          wake?.();
        });
        stream.onAbort(() => wake?.());
        let finished = false;
        const send = async (e: RunEventRow) => {
          if (e.seq <= last) return;
          last = e.seq;
          await stream.writeSSE({ id: String(e.seq), event: e.kind, data: JSON.stringify(publicEvent(e)) });
          // A 'done' of an earlier attempt (interrupted, then resumed) must not end the stream of the current one.
          if (e.kind === 'done') finished = !['queued', 'running'].includes(requireRun(engine.db, run.tenantId, run.id).status);
        };
        try {
          for (const e of listEvents(engine.db, run.id, last, 100_000)) await send(e);
          const status = requireRun(engine.db, run.tenantId, run.id).status;
          if (!['queued', 'running'].includes(status)) finished = true;
          while (!finished && !stream.aborted) {
            while (pending.length) await send(pending.shift()!);
            if (finished) break;
            const timedOut = await new Promise<boolean>((resolve) => {
              const timer = setTimeout(() => resolve(true), 15_000);
              wake = () => {
                clearTimeout(timer);
                resolve(false);
              };
            });
            wake = null;
            if (timedOut) await stream.write(': keep-alive\n\n');
          }
        } finally {
          unsubscribe();
        }
      });
    },
  );
