import { execFileSync } from 'node:child_process';
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
  /** Upper bound on any other request body (JSON). */
  maxBodyBytes: number;
  /** Ticket text beyond this many characters is cut (with a warning) before it reaches a model. */
  maxTextChars: number;
  /** Queued plus running runs one tenant may have; more answer 429. */
  maxRunsPerTenant: number;
  /** Predict requests per second per token (a burst of twice that is allowed). */
  predictRatePerSecond: number;
  /** Refuse requests without a token even from this machine (otherwise a loopback engine trusts loopback callers). */
  requireToken: boolean;
  /** The LLM tier's runtime (node-llama-cpp). */
  llm: LlmConfig;
  /** GPUs GPU training runs share (TRIAGE_GPUS, else counted with nvidia-smi at start; 0 without one). */
  gpus: number;
}

export interface LlmConfig {
  /** 'auto' uses a GPU when llama.cpp can load one (CUDA, Vulkan, Metal); 'off' forces CPU. */
  gpu: 'auto' | 'off';
  /** Adapters whose contexts are kept loaded at once; the least recently used beyond it are unloaded. */
  maxAdapters: number;
  /** CPU threads per context (default: all cores but one). */
  threads?: number;
  /** Where `hf:` base models are downloaded to. */
  modelsDir: string;
  /** Branches a choice search scores per llama.cpp batch (default 1: see LlmRuntimeOptions.searchWidth). */
  searchWidth?: number;
  /** llama.cpp flash attention (default: on with a GPU, node-llama-cpp's choice without). */
  flashAttention?: boolean;
  /**
   * How an adapter serves: llama.cpp contexts per adapter, parallel sequences per context, tokens per sequence, one
   * KV cache per context. Unset: runtime.ts SERVING_DEFAULTS for the backend (1 × 4 × 4096 on a CPU, 4 × 16 × 2048
   * with one KV cache per context on a GPU).
   */
  contexts?: number;
  sequences?: number;
  contextSize?: number;
  kvUnified?: boolean;
  /** Most GPU memory / RAM in bytes the LLM model and its contexts may take (TRIAGE_LLM_VRAM_CAP_GB, TRIAGE_LLM_RAM_CAP_GB). */
  vramCapBytes?: number;
  ramCapBytes?: number;
}

export const DEFAULT_PORT = 7420;

/** The data directory alone: what CLI commands need, without the rest (counting GPUs spawns nvidia-smi). */
export function resolveDataDir(dataDir?: string, env = process.env): string {
  return path.resolve(dataDir ?? env.TRIAGE_DATA_DIR ?? '.triage-data');
}

export function resolveConfig(overrides: Partial<EngineConfig> = {}, env = process.env): EngineConfig {
  return {
    dataDir: resolveDataDir(overrides.dataDir, env),
    host: overrides.host ?? env.TRIAGE_HOST ?? '127.0.0.1',
    port: overrides.port ?? (env.TRIAGE_PORT ? Number(env.TRIAGE_PORT) : DEFAULT_PORT),
    maxConcurrentRuns: overrides.maxConcurrentRuns ?? Number(env.TRIAGE_MAX_RUNS ?? 1),
    resumeInterrupted: overrides.resumeInterrupted ?? env.TRIAGE_RESUME !== '0',
    maxUploadBytes: overrides.maxUploadBytes ?? Number(env.TRIAGE_MAX_UPLOAD_BYTES ?? 50 * 1024 * 1024),
    maxBodyBytes: overrides.maxBodyBytes ?? Number(env.TRIAGE_MAX_BODY_BYTES ?? 10 * 1024 * 1024),
    maxTextChars: overrides.maxTextChars ?? Number(env.TRIAGE_MAX_TEXT_CHARS ?? 20_000),
    maxRunsPerTenant: overrides.maxRunsPerTenant ?? Number(env.TRIAGE_MAX_RUNS_PER_TENANT ?? 10),
    predictRatePerSecond: overrides.predictRatePerSecond ?? Number(env.TRIAGE_PREDICT_RATE ?? 500),
    requireToken: overrides.requireToken ?? env.TRIAGE_REQUIRE_TOKEN === '1',
    gpus: overrides.gpus ?? (env.TRIAGE_GPUS !== undefined ? parseGpuCount(env.TRIAGE_GPUS) : countGpus()),
    llm: {
      gpu: overrides.llm?.gpu ?? (env.TRIAGE_LLM_GPU === 'off' ? 'off' : 'auto'),
      maxAdapters: overrides.llm?.maxAdapters ?? Number(env.TRIAGE_LLM_MAX_ADAPTERS ?? 8),
      threads: overrides.llm?.threads ?? (env.TRIAGE_LLM_THREADS ? Number(env.TRIAGE_LLM_THREADS) : undefined),
      modelsDir: path.resolve(overrides.llm?.modelsDir ?? env.TRIAGE_LLM_MODELS_DIR ?? path.join(overrides.dataDir ?? env.TRIAGE_DATA_DIR ?? '.triage-data', 'llm-models')),
      searchWidth: overrides.llm?.searchWidth ?? parseCount('TRIAGE_LLM_SEARCH_WIDTH', env.TRIAGE_LLM_SEARCH_WIDTH),
      flashAttention: overrides.llm?.flashAttention ?? parseOnOff('TRIAGE_LLM_FLASH_ATTENTION', env.TRIAGE_LLM_FLASH_ATTENTION),
      contexts: overrides.llm?.contexts ?? parseCount('TRIAGE_LLM_CONTEXTS', env.TRIAGE_LLM_CONTEXTS),
      sequences: overrides.llm?.sequences ?? parseCount('TRIAGE_LLM_SEQUENCES', env.TRIAGE_LLM_SEQUENCES),
      contextSize: overrides.llm?.contextSize ?? parseCount('TRIAGE_LLM_CONTEXT_SIZE', env.TRIAGE_LLM_CONTEXT_SIZE, 256),
      kvUnified: overrides.llm?.kvUnified ?? parseOnOff('TRIAGE_LLM_KV_UNIFIED', env.TRIAGE_LLM_KV_UNIFIED),
      vramCapBytes: overrides.llm?.vramCapBytes ?? parseGigabytes('TRIAGE_LLM_VRAM_CAP_GB', env.TRIAGE_LLM_VRAM_CAP_GB),
      ramCapBytes: overrides.llm?.ramCapBytes ?? parseGigabytes('TRIAGE_LLM_RAM_CAP_GB', env.TRIAGE_LLM_RAM_CAP_GB),
    },
  };
}

/** 'on' / 'off' (or 1 / 0) for a boolean setting; undefined when unset; anything else is a named error. */
function parseOnOff(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'on' || value === '1') return true;
  if (value === 'off' || value === '0') return false;
  throw new Error(`${name} must be on or off, not "${value}"`);
}

/** A whole number of at least `min` for a count setting; undefined when unset; anything else is a named error. */
function parseCount(name: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of at least ${min}, not "${value}"`);
  return n;
}

/** A positive number of GiB (decimals allowed) as bytes; undefined when unset; anything else is a named error. */
function parseGigabytes(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of GiB, not "${value}"`);
  return Math.round(n * 1024 ** 3);
}

/** Loopback addresses: an engine bound only to one of these is reachable from this machine alone. */
export function isLoopback(host: string | undefined): boolean {
  if (!host) return false;
  const h = host.replace(/^\[|\]$/g, '').replace(/^::ffff:/, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** NVIDIA GPUs on this machine, by `nvidia-smi -L`; 0 when there is no driver. */
export function countGpus(): number {
  try {
    const out = execFileSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\n').filter((l) => l.startsWith('GPU ')).length;
  } catch {
    return 0;
  }
}

function parseGpuCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`TRIAGE_GPUS must be a whole number of GPUs (0 or more), not ${JSON.stringify(value)}`);
  return n;
}
