import type { EngineContext } from '../context';
import { requireCheckpoint } from '../store/checkpoints';
import { requireDataset } from '../store/datasets';
import { ApiError } from '../errors';
import { createRun, listRuns, type Run } from '../store/runs';
import { requireConnector } from '../store/connectors';

export type StartRunInput =
  | { kind: 'train'; tier: string; datasetId?: number; deploy?: boolean; params?: Record<string, unknown> }
  | { kind: 'evaluate'; checkpointId: number; datasetId?: number; split?: string }
  | { kind: 'sync' };

/** Stores a queued run after checking that what it names belongs to the tenant, then hands it to the runner. */
export function startRun(ctx: EngineContext, tenantId: string, input: StartRunInput): Run {
  const open = listRuns(ctx.db, { tenantIds: [tenantId], status: ['queued', 'running'], limit: ctx.config.maxRunsPerTenant + 1 }).length;
  if (open >= ctx.config.maxRunsPerTenant) {
    throw new ApiError(429, 'too_many_runs', `tenant "${tenantId}" already has ${open} queued or running runs (the limit is ${ctx.config.maxRunsPerTenant}); wait for one to finish or cancel one`);
  }
  if ('datasetId' in input && input.datasetId) requireDataset(ctx.db, tenantId, input.datasetId);
  let run: Run;
  if (input.kind === 'sync') {
    const connector = requireConnector(ctx.db, tenantId);
    run = createRun(ctx.db, { tenantId, kind: 'sync', tier: connector.kind, params: {} });
  } else if (input.kind === 'train') {
    run = createRun(ctx.db, {
      tenantId,
      kind: 'train',
      tier: input.tier,
      datasetId: input.datasetId,
      params: { ...input.params, deploy: input.deploy ?? false },
    });
  } else {
    const checkpoint = requireCheckpoint(ctx.db, tenantId, input.checkpointId);
    run = createRun(ctx.db, {
      tenantId,
      kind: 'evaluate',
      tier: checkpoint.tier,
      datasetId: input.datasetId,
      checkpointId: checkpoint.id,
      params: { split: input.split ?? 'test' },
    });
  }
  ctx.runner.submit(run);
  return run;
}
