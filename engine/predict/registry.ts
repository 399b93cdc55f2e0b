import type { LlmConfig } from '../config';
import type { Db } from '../db';
import type { Logger } from '../logger';
import { LlmRuntimes } from '../models/llm/runtimes';
import { requireCheckpoint, type Checkpoint } from '../store/checkpoints';
import { activeDeployment, allActiveDeployments, type Deployment } from '../store/deployments';
import { getFieldSchemas } from '../store/fields';
import type { FieldSchema } from '../triage/types';
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
  /** The tail of each tenant's deploy/rollback line (see `exclusive`). */
  private readonly queues = new Map<string, Promise<void>>();
  /** Deployments still loading at start (an LLM takes seconds); predict waits for them. */
  private readonly loading = new Map<string, Promise<void>>();
  readonly llm: LlmRuntimes;

  constructor(
    private readonly db: Db,
    private readonly dataDir: string,
    private readonly log: Logger,
    llmConfig: LlmConfig,
  ) {
    this.llm = new LlmRuntimes(llmConfig, (line) => log.info(line));
  }

  /**
   * Loads every active deployment at start; a broken artifact leaves that tenant without a model, loudly. Fast
   * models are in memory when this returns; LLM ones finish in the background (see `whenLoaded`).
   */
  loadAll(): Promise<void> {
    const all: Promise<void>[] = [];
    for (const deployment of allActiveDeployments(this.db)) {
      const tenantId = deployment.tenantId;
      const done = (async () => {
        const checkpoint = requireCheckpoint(this.db, tenantId, deployment.checkpointId);
        const predictor = await this.loadPredictor(checkpoint);
        // An LLM loads for seconds: a deploy or rollback that finished meanwhile is newer and stays.
        if (activeDeployment(this.db, tenantId)?.id !== deployment.id) {
          await predictor.dispose();
          return;
        }
        this.live.set(tenantId, this.build(deployment, checkpoint, predictor));
      })()
        .catch((err) => this.log.error(`tenant ${tenantId}: deployment ${deployment.id} could not be loaded: ${(err as Error).message}`))
        .finally(() => this.loading.delete(tenantId));
      this.loading.set(tenantId, done);
      all.push(done);
    }
    return Promise.all(all).then(() => undefined);
  }

  /** Runs `fn` after every earlier `exclusive` call of this tenant settled (deploys and rollbacks queue up). */
  exclusive<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(tenantId) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(tenantId, tail);
    void tail.then(() => {
      if (this.queues.get(tenantId) === tail) this.queues.delete(tenantId);
    });
    return next;
  }

  get(tenantId: string): LiveModel | null {
    return this.live.get(tenantId) ?? null;
  }

  /** The live model once any load in progress for the tenant has finished. */
  async whenLoaded(tenantId: string): Promise<LiveModel | null> {
    await this.loading.get(tenantId);
    return this.get(tenantId);
  }

  loadPredictor(checkpoint: Checkpoint): Promise<Predictor> {
    return loadPredictor(checkpoint, {
      dataDir: this.dataDir,
      llm: this.llm,
      loadCheckpoint: async (id) => requireCheckpoint(this.db, checkpoint.tenantId, id),
    });
  }

  activate(deployment: Deployment, checkpoint: Checkpoint, predictor: Predictor): LiveModel {
    const live = this.build(deployment, checkpoint, predictor);
    const previous = this.live.get(deployment.tenantId);
    this.live.set(deployment.tenantId, live);
    if (previous && previous.predictor !== predictor) {
      previous.predictor.dispose().catch((err) => this.log.error(`tenant ${deployment.tenantId}: disposing the replaced model failed: ${(err as Error).message}`));
    }
    return live;
  }

  /** Field schemas change with imports and syncs; the served snapshot follows. */
  refreshSchema(tenantId: string): void {
    const current = this.live.get(tenantId);
    if (current) this.live.set(tenantId, { ...current, schema: getFieldSchemas(this.db, tenantId) });
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.loading.values());
    await this.llm.disposeAll();
  }

  private build(deployment: Deployment, checkpoint: Checkpoint, predictor: Predictor): LiveModel {
    return { deployment, checkpoint, predictor, schema: getFieldSchemas(this.db, deployment.tenantId) };
  }
}
