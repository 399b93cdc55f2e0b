import fs from 'node:fs';
import path from 'node:path';
import { createApp } from './api/app';
import { resolveConfig, type EngineConfig } from './config';
import type { EngineContext } from './context';
import { openDb } from './db';
import { createLogger, type Logger } from './logger';
import { ModelRegistry } from './predict/registry';
import { RunEventBus } from './runs/event-bus';
import { RunRunner } from './runs/runner';
import { evaluateRunHandler } from './training/evaluate-run';
import { trainRunHandler } from './training/train-run';
import { SecretBox } from './secrets/secret-box';
import { connectorFor } from './sync/connector-factory';
import { SyncScheduler } from './sync/scheduler';
import { syncRunHandler } from './sync/sync-run';
import { requireConnector } from './store/connectors';
import { gpusForRun } from './training/gpu-needs';

export interface Engine extends EngineContext {
  app: ReturnType<typeof createApp>;
  /** Interrupts running runs (they resume at the next start) and closes the database. */
  close(): Promise<void>;
}

/**
 * Builds an engine on a data directory: opens and migrates the database, loads deployed models, recovers runs
 * that a previous process left running, and starts queued ones. Serving over HTTP is separate (server.ts).
 */
export function createEngine(overrides: Partial<EngineConfig> = {}, log: Logger = createLogger()): Engine {
  const config = resolveConfig(overrides);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const db = openDb(path.join(config.dataDir, 'triage.db'));
  const bus = new RunEventBus();
  const registry = new ModelRegistry(db, config.dataDir, log, config.llm);
  const secrets = SecretBox.fromEnvOrFile(config.dataDir);
  const ctx = { config, db, bus, registry, log, secrets } as EngineContext;
  ctx.runner = new RunRunner(
    db,
    bus,
    {
      train: trainRunHandler(ctx),
      evaluate: evaluateRunHandler(ctx),
      sync: syncRunHandler(ctx, (tenantId) => connectorFor(requireConnector(db, tenantId), secrets)),
    },
    { maxConcurrent: config.maxConcurrentRuns, gpus: config.gpus, gpusFor: (run) => gpusForRun(run, config.gpus) },
  );
  void registry.loadAll();
  const resumed = ctx.runner.recover(config.resumeInterrupted);
  if (resumed.length) log.info(`resuming ${resumed.length} run(s) interrupted by the last shutdown: ${resumed.join(', ')}`);
  const app = createApp(ctx);
  const scheduler = new SyncScheduler(ctx);
  scheduler.start();
  return {
    ...ctx,
    app,
    async close() {
      scheduler.stop();
      await ctx.runner.shutdown();
      await registry.close();
      db.$client.close();
    },
  };
}
