import type { EngineConfig } from './config';
import type { Db } from './db';
import type { Logger } from './logger';
import type { ModelRegistry } from './predict/registry';
import type { RunEventBus } from './runs/event-bus';
import type { RunRunner } from './runs/runner';
import type { SecretBox } from './secrets/secret-box';

/** What request handlers and run handlers share: one per engine process. */
export interface EngineContext {
  config: EngineConfig;
  db: Db;
  bus: RunEventBus;
  runner: RunRunner;
  registry: ModelRegistry;
  log: Logger;
  /** Seals and opens PSA credentials. */
  secrets: SecretBox;
}
