import type { Db } from '../db';
import type { Logger } from '../logger';
import { requireCheckpoint, type Checkpoint } from '../store/checkpoints';
import { allActiveDeployments, type Deployment } from '../store/deployments';
import { getFieldSchemas } from '../store/fields';
import type { FieldSchema } from '../triage/types';
import { readArtifact } from './artifacts';
import { loadPredictor, type Predictor } from './predictor';

/** A tenant's deployed model as served: everything a predict request reads, swapped as one object. */
export interface LiveModel {
  deployment: Deployment;
  checkpoint: Checkpoint;
  predictor: Predictor;
  schema: FieldSchema[];
}

/**
 * The deployed model of each tenant, in memory. Deploying builds a complete LiveModel first and then replaces
 * the map entry in one assignment: a request in flight keeps the object it started with, the next one gets the
 * new model, and there is never a moment without one.
 */
export class ModelRegistry {
  private readonly live = new Map<string, LiveModel>();

  constructor(
    private readonly db: Db,
    private readonly dataDir: string,
    private readonly log: Logger,
  ) {}

  /** Loads every active deployment at start; a broken artifact leaves that tenant without a model, loudly. */
  loadAll(): void {
    for (const deployment of allActiveDeployments(this.db)) {
      try {
        const checkpoint = requireCheckpoint(this.db, deployment.tenantId, deployment.checkpointId);
        this.live.set(deployment.tenantId, this.build(deployment, checkpoint, this.loadPredictor(checkpoint)));
      } catch (err) {
        this.log.error(`tenant ${deployment.tenantId}: deployment ${deployment.id} could not be loaded: ${(err as Error).message}`);
      }
    }
  }

  get(tenantId: string): LiveModel | null {
    return this.live.get(tenantId) ?? null;
  }

  loadPredictor(checkpoint: Checkpoint): Predictor {
    return loadPredictor(checkpoint.tier, readArtifact(this.dataDir, checkpoint.artifact, checkpoint.sha256));
  }

  activate(deployment: Deployment, checkpoint: Checkpoint, predictor: Predictor): LiveModel {
    const live = this.build(deployment, checkpoint, predictor);
    this.live.set(deployment.tenantId, live);
    return live;
  }

  /** Field schemas change with imports and syncs; the served snapshot follows. */
  refreshSchema(tenantId: string): void {
    const current = this.live.get(tenantId);
    if (current) this.live.set(tenantId, { ...current, schema: getFieldSchemas(this.db, tenantId) });
  }

  private build(deployment: Deployment, checkpoint: Checkpoint, predictor: Predictor): LiveModel {
    return { deployment, checkpoint, predictor, schema: getFieldSchemas(this.db, deployment.tenantId) };
  }
}
