import path from 'node:path';

export interface EngineConfig {
  /** Holds the SQLite file and model artifacts. */
  dataDir: string;
  host: string;
  /** 0 asks the OS for a free port. */
  port: number;
  /** Runs executed at once; more wait as 'queued'. */
  maxConcurrentRuns: number;
  /** Re-queue runs that an engine crash or restart left interrupted. */
  resumeInterrupted: boolean;
  /** Upper bound on an uploaded file. */
  maxUploadBytes: number;
}

export const DEFAULT_PORT = 7420;

export function resolveConfig(overrides: Partial<EngineConfig> = {}, env = process.env): EngineConfig {
  return {
    dataDir: path.resolve(overrides.dataDir ?? env.TRIAGE_DATA_DIR ?? '.triage-data'),
    host: overrides.host ?? env.TRIAGE_HOST ?? '127.0.0.1',
    port: overrides.port ?? (env.TRIAGE_PORT ? Number(env.TRIAGE_PORT) : DEFAULT_PORT),
    maxConcurrentRuns: overrides.maxConcurrentRuns ?? Number(env.TRIAGE_MAX_RUNS ?? 1),
    resumeInterrupted: overrides.resumeInterrupted ?? env.TRIAGE_RESUME !== '0',
    maxUploadBytes: overrides.maxUploadBytes ?? Number(env.TRIAGE_MAX_UPLOAD_BYTES ?? 50 * 1024 * 1024),
  };
}
