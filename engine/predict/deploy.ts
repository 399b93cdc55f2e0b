import { audit } from '../auth/audit';
import type { EngineContext } from '../context';
import { ApiError } from '../errors';
import { requireCheckpoint } from '../store/checkpoints';
import { activeDeployment, getDeployment, recordDeployment, type Deployment } from '../store/deployments';

/**
 * Makes a checkpoint the tenant's live model. The artifact is loaded and verified before anything changes,
 * so a broken checkpoint fails the deploy and leaves the current model serving.
 */
export function deployCheckpoint(ctx: EngineContext, tenantId: string, checkpointId: number, actor = 'engine'): Promise<Deployment> {
  return ctx.registry.exclusive(tenantId, () => deployNow(ctx, tenantId, checkpointId, actor));
}

/** Goes back to the deployment before the active one; repeated rollbacks walk further back in history. */
export function rollbackDeployment(ctx: EngineContext, tenantId: string, actor = 'engine'): Promise<Deployment> {
  return ctx.registry.exclusive(tenantId, () => rollbackNow(ctx, tenantId, actor));
}

// Both run one at a time per tenant (an LLM loads for seconds): the deployment read as current is still current
// when the new one is recorded, and the last requested wins.
async function deployNow(ctx: EngineContext, tenantId: string, checkpointId: number, actor: string): Promise<Deployment> {
  const checkpoint = requireCheckpoint(ctx.db, tenantId, checkpointId);
  const predictor = await loadOrFail(ctx, checkpoint);
  const current = activeDeployment(ctx.db, tenantId);
  const deployment = recordDeployment(ctx.db, tenantId, {
    checkpointId,
    reason: 'deploy',
    previousId: current?.id ?? null,
  });
  ctx.registry.activate(deployment, checkpoint, predictor);
  audit(ctx.db, { actor, action: 'deploy', tenantId, detail: { checkpointId, deploymentId: deployment.id, previousId: deployment.previousId } });
  ctx.log.info(`tenant ${tenantId}: deployed checkpoint ${checkpointId} (deployment ${deployment.id})`);
  return deployment;
}

async function rollbackNow(ctx: EngineContext, tenantId: string, actor: string): Promise<Deployment> {
  const current = activeDeployment(ctx.db, tenantId);
  if (!current) throw new ApiError(409, 'no_deployment', `tenant "${tenantId}" has no deployed model to roll back`);
  const previous = current.previousId ? getDeployment(ctx.db, tenantId, current.previousId) : null;
  if (!previous) {
    throw new ApiError(409, 'nothing_to_roll_back_to', `deployment ${current.id} of tenant "${tenantId}" has no earlier deployment to roll back to`);
  }
  const checkpoint = requireCheckpoint(ctx.db, tenantId, previous.checkpointId);
  const predictor = await loadOrFail(ctx, checkpoint);
  const deployment = recordDeployment(ctx.db, tenantId, {
    checkpointId: previous.checkpointId,
    reason: 'rollback',
    previousId: previous.previousId,
  });
  ctx.registry.activate(deployment, checkpoint, predictor);
  audit(ctx.db, { actor, action: 'rollback', tenantId, detail: { checkpointId: previous.checkpointId, deploymentId: deployment.id, from: current.id } });
  ctx.log.info(`tenant ${tenantId}: rolled back to checkpoint ${previous.checkpointId} (deployment ${deployment.id})`);
  return deployment;
}

async function loadOrFail(ctx: EngineContext, checkpoint: Parameters<EngineContext['registry']['loadPredictor']>[0]) {
  try {
    return await ctx.registry.loadPredictor(checkpoint);
  } catch (err) {
    throw new ApiError(409, 'checkpoint_unloadable', `checkpoint ${checkpoint.id} cannot be loaded: ${(err as Error).message}`);
  }
}
