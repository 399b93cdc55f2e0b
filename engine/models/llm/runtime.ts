/**
 * The LLM runtime: one base GGUF model loaded once per engine, and llama.cpp contexts per LoRA adapter on top of
 * it. A context's LoRA applies to every sequence in it, so giving each adapter its own contexts is what keeps one
 * tenant's adapter out of another tenant's output; sequences inside a context are a pool that lets requests of the
 * same tenant decode in parallel (llama.cpp batches them together). On a GPU an adapter gets several contexts, each
 * with one KV cache for its sequences (SERVING_DEFAULTS says why).
 *
 * Memory is bounded by `maxAdapters`: past it the least recently used adapter's contexts are disposed. (llama.cpp
 * keeps an adapter's weights until the model is disposed, which for LoRA is a few MB per adapter; the contexts,
 * with their KV caches, are the large part and are what LRU frees.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StepGate } from './step-gate';
import { adoptPrefix } from './prefix-sharing';
import { CANDIDATE_LOGITS_CMAKE_OPTIONS, KV_UNIFIED_ENV } from './native/candidate-logits-options.mjs';
import { getLlama, InsufficientMemoryError, LlamaLogLevel, readGgufFileInfo, resolveModelFile, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel, type Token } from 'node-llama-cpp';

export interface LlmRuntimeOptions {
  /** A local GGUF path, or a Hugging Face reference `hf:<owner>/<repo>/<file.gguf>` (downloaded to modelsDir). */
  model: string;
  modelsDir?: string;
  /** 'auto' offloads to a GPU when llama.cpp finds one; false forces CPU. */
  gpu?: 'auto' | false;
  /** Adapters (the base model counts as one) whose contexts are kept in memory at once. */
  maxAdapters?: number;
  /** Parallel sequences per context (default: SERVING_DEFAULTS for the backend). */
  sequencesPerContext?: number;
  /**
   * llama.cpp contexts per adapter, each with `sequencesPerContext` sequences: requests spread over them and each
   * context decodes its own batches, at the same time as the others (default: SERVING_DEFAULTS for the backend).
   */
  contextsPerAdapter?: number;
  /** Tokens one sequence holds, prompt and answer (default: SERVING_DEFAULTS for the backend). */
  contextSize?: number;
  /**
   * One KV cache for all of a context's sequences instead of one each; needs the candidate-logits build
   * (native/candidate-logits-patch.mjs), which reads it from TICKET_TRIAGE_KV_UNIFIED when a context is made.
   * Default: that variable where it is set, else SERVING_DEFAULTS for the backend.
   */
  kvUnified?: boolean;
  /**
   * CPU threads a context evaluates with. llama.cpp's threads spin while they wait; more of them than free cores
   * turns a 3 ms step into 700 ms (measured on the 2-core CI machine), so the default leaves one core to the engine.
   * Contexts evaluating at once (several tenants' adapters) share a budget of max(threads, cores) through
   * node-llama-cpp's thread splitter, each getting at least one, instead of each taking `threads`: two busy
   * contexts with 2 threads each on 2 cores took 21-26 s for 20 tickets, 1.4 s within the budget.
   */
  threads?: number;
  /** Tokens evaluated in one llama.cpp batch (across a context's sequences); default gpuBatchSize on a GPU, else node-llama-cpp's. */
  batchSize?: number;
  /**
   * Trie branches a choice search may score at once, on sequences of the context that no other request is using
   * (choice-search.ts). Default 1: measured on an H200 (bench/README.md), width 4 took fewer steps (15.0 instead
   * of 17.5 a ticket) but was slower (p50 339 ms instead of 229 ms), because a spare sequence holds another
   * ticket's tokens and must first evaluate this ticket's part of the prompt. Under load no sequence is free and
   * every search runs one branch at a time anyway.
   */
  searchWidth?: number;
  /** llama.cpp's flash attention for the contexts (default: SERVING_DEFAULTS for the backend). */
  flashAttention?: boolean;
  /**
   * Load node-llama-cpp's stock prebuilt addon even where the candidate-logits build is installed
   * (native/build-candidate-logits.sh); for benchmarks that compare the two.
   */
  stockAddon?: boolean;
  /**
   * Most GPU memory / RAM (bytes) the model and its contexts may take, as node-llama-cpp accounts them: a GPU
   * shared with LoRA training keeps room for it. An adapter whose contexts do not fit unloads idle adapters first.
   */
  vramCapBytes?: number;
  ramCapBytes?: number;
  /** false: every context takes `threads` whatever the others use (the old behaviour), for benchmarks. */
  threadBudget?: boolean;
  /**
   * false: a sequence never copies a prompt prefix from another sequence of its context (prefix-sharing.ts) but
   * evaluates it, for benchmarks and tests that compare the two. Default true.
   */
  sharePrefixes?: boolean;
  log?: (line: string) => void;
}

export interface BackendInfo {
  /** 'cuda' | 'vulkan' | 'metal' | false (CPU). */
  gpu: string | false;
  gpuLayers: number;
  totalLayers: number;
  model: string;
  /** Whether the loaded addon reads candidate logits directly (native/candidate-logits-patch.mjs). */
  candidateLogits: boolean;
  /** Whether contexts keep one KV cache for all their sequences (the candidate-logits build with TICKET_TRIAGE_KV_UNIFIED=1). */
  kvUnified: boolean;
}

/** A sequence held exclusively until `release()`, and spare sequences borrowed for one search step at a time. */
export interface SequenceLease {
  sequence: LlamaContextSequence;
  /** Up to `max` sequences nobody uses or waits for right now (possibly none); hand them back with `returnSpare`. */
  borrowSpare(max: number): LlamaContextSequence[];
  returnSpare(sequences: LlamaContextSequence[]): void;
  /** Runs one search step in line with the other requests' steps on this context, so they share a batch (step-gate.ts). */
  step<T>(evaluate: () => Promise<T>): Promise<T>;
  /** Copies the longest prefix of `tokens` another sequence of this context holds (prefix-sharing.ts); tokens gained. */
  adoptPrefix(tokens: readonly Token[]): Promise<number>;
  release(): void;
}

/** One llama.cpp context of an adapter: its sequences batch together, and only with each other. */
interface ContextShard {
  context: LlamaContext;
  /** All its sequences; `free` those nobody holds. */
  sequences: LlamaContextSequence[];
  free: LlamaContextSequence[];
  gate: StepGate;
}

interface AdapterContext {
  shards: ContextShard[];
  /** Requests waiting for a sequence of any shard. */
  waiting: ((s: HeldSequence) => void)[];
  inUse: number;
  lastUsed: number;
}

interface HeldSequence {
  sequence: LlamaContextSequence;
  shard: ContextShard;
}

const BASE_KEY = '<base>';

interface ServingShape {
  sequencesPerContext: number;
  contextsPerAdapter: number;
  contextSize: number;
  kvUnified: boolean;
  /** undefined: node-llama-cpp's choice. */
  flashAttention?: boolean;
}

/**
 * How an adapter serves when the options leave it open. A CPU evaluates a batch's tokens one core's worth at a
 * time, so a few sequences are enough. A GPU's batch costs little more for 64 tickets than for 8, but measured on
 * an H200 with a 7B model (bench/README.md, Q8_0, 128 tickets at once): 128 sequences in one context with a KV
 * cache each made 11 tickets/s, one KV cache for them 28, four contexts of 32 sequences with one KV cache each 51,
 * and this shape (four of 16, the other 64 tickets waiting) 69-71, because every token's attention spans all of
 * its context's cells and the contexts decode at the same time. 2048 tokens a sequence fit the prompt with
 * retrieval examples; 64 sequences of them are ~7.5 GB of F16 KV cache per adapter for Qwen2-7B, so a GPU with
 * less room wants fewer (TRIAGE_LLM_SEQUENCES, TRIAGE_LLM_MAX_ADAPTERS). Flash attention on a GPU: every
 * measurement above had it on (at batch 1 it was level with off: 225 vs 229 ms p50).
 */
export const SERVING_DEFAULTS: { cpu: ServingShape; gpu: ServingShape } = {
  cpu: { sequencesPerContext: 4, contextsPerAdapter: 1, contextSize: 4096, kvUnified: false },
  gpu: { sequencesPerContext: 16, contextsPerAdapter: 4, contextSize: 2048, kvUnified: true, flashAttention: true },
};

/**
 * Tokens per llama.cpp batch for a GPU context of `sequences` sequences: room for each to evaluate 64 prompt tokens
 * in one decode (node-llama-cpp's default, 512, makes 16 new tickets' prompts take a dozen decodes), within
 * llama.cpp's usual bounds.
 */
export function gpuBatchSize(sequences: number): number {
  return Math.max(512, Math.min(8192, sequences * 64));
}

export class LlmRuntime {
  private readonly contexts = new Map<string, Promise<AdapterContext>>();
  /** The same contexts once loaded. */
  private readonly ready = new Map<string, AdapterContext>();
  private clock = 0;

  private constructor(
    readonly llama: Llama,
    readonly model: LlamaModel,
    readonly modelFile: string,
    private readonly opts: Required<Pick<LlmRuntimeOptions, 'maxAdapters' | 'sequencesPerContext' | 'contextsPerAdapter' | 'contextSize' | 'threads'>> & { batchSize?: number; searchWidth?: number; flashAttention?: boolean; sharePrefixes: boolean },
    private readonly log: (line: string) => void,
  ) {}

  static async load(options: LlmRuntimeOptions): Promise<LlmRuntime> {
    const log = options.log ?? (() => {});
    const modelFile = await resolveBaseModel(options.model, options.modelsDir);
    await validateGguf(modelFile, 'model');
    const threads = options.threads ?? Math.max(1, os.availableParallelism() - 1);
    // Asking for the candidate-logits option loads that local build where native/build-candidate-logits.sh
    // installed one, and node-llama-cpp's stock prebuilt binary otherwise.
    const llama = await getLlama({
      gpu: options.gpu ?? 'auto',
      logLevel: LlamaLogLevel.error,
      maxThreads: options.threadBudget === false ? 0 : Math.max(threads, os.availableParallelism()),
      ...(options.stockAddon ? {} : { cmakeOptions: CANDIDATE_LOGITS_CMAKE_OPTIONS }),
    });
    if (options.vramCapBytes !== undefined) await llama.setVramCap(options.vramCapBytes);
    if (options.ramCapBytes !== undefined) await llama.setRamCap(options.ramCapBytes);
    const model = await llama.loadModel({ modelPath: modelFile });
    const shape = model.gpuLayers > 0 ? SERVING_DEFAULTS.gpu : SERVING_DEFAULTS.cpu;
    const kvUnifiedEnv = process.env[KV_UNIFIED_ENV];
    const kvUnified = options.kvUnified ?? (kvUnifiedEnv ? kvUnifiedEnv === '1' : shape.kvUnified);
    // The patched addon reads it when a context is made; the engine's runtimes share one backend and one setting.
    if (kvUnified !== (kvUnifiedEnv === '1')) process.env[KV_UNIFIED_ENV] = kvUnified ? '1' : '0';
    const sequencesPerContext = Math.max(1, Math.floor(options.sequencesPerContext ?? shape.sequencesPerContext));
    const runtime = new LlmRuntime(llama, model, modelFile, {
      maxAdapters: options.maxAdapters ?? 8,
      sequencesPerContext,
      contextsPerAdapter: Math.max(1, Math.floor(options.contextsPerAdapter ?? shape.contextsPerAdapter)),
      contextSize: options.contextSize ?? shape.contextSize,
      threads,
      batchSize: options.batchSize ?? (shape === SERVING_DEFAULTS.gpu ? gpuBatchSize(sequencesPerContext) : undefined),
      searchWidth: options.searchWidth,
      flashAttention: options.flashAttention ?? shape.flashAttention,
      sharePrefixes: options.sharePrefixes ?? true,
    }, log);
    const b = runtime.backend();
    const where = b.gpu
      ? `${b.gpu}, ${b.gpuLayers}/${b.totalLayers} layers offloaded`
      : `CPU${options.gpu === false ? '' : ' (no GPU backend could be loaded)'}`;
    log(
      `llm: ${path.basename(modelFile)} on ${where}${b.candidateLogits ? ', candidate-logits build' : ''}; ${runtime.describeShape()} per adapter` +
        `${b.kvUnified ? ', one KV cache per context' : kvUnified ? ' (one KV cache per context needs the candidate-logits build: npm run build:llm-addon)' : ''}`,
    );
    return runtime;
  }

  /** Tickets one adapter decodes at once: its contexts' sequences together. More wait for a free sequence. */
  get parallelism(): number {
    return this.opts.sequencesPerContext * this.opts.contextsPerAdapter;
  }

  /** The serving shape in force (options, else SERVING_DEFAULTS); null: node-llama-cpp's default. */
  get serving(): { contextsPerAdapter: number; sequencesPerContext: number; contextSize: number; batchSize: number | null; flashAttention: boolean | null } {
    const { contextsPerAdapter, sequencesPerContext, contextSize, batchSize, flashAttention } = this.opts;
    return { contextsPerAdapter, sequencesPerContext, contextSize, batchSize: batchSize ?? null, flashAttention: flashAttention ?? null };
  }

  /** "4 contexts of 16 sequences × 2048 tokens": the shape, for logs and errors. */
  describeShape(): string {
    const { contextsPerAdapter: n, sequencesPerContext, contextSize } = this.opts;
    return `${n} context${n > 1 ? 's' : ''} of ${sequencesPerContext} sequences × ${contextSize} tokens`;
  }

  /** Tokens one sequence holds (prompt + answer). */
  get contextSize(): number {
    return this.opts.contextSize;
  }

  /** Branches a choice search scores per step: see LlmRuntimeOptions.searchWidth. */
  get searchWidth(): number {
    const width = this.opts.searchWidth ?? 1;
    return Math.max(1, Math.min(width, this.opts.sequencesPerContext));
  }

  /**
   * CPU threads: the budget all contexts share (0: none, each takes its full count) and the count each loaded
   * context last evaluated with (its adapter file, null for the base model).
   */
  threadUse(): { budget: number; contexts: { adapter: string | null; threads: number }[] } {
    return {
      budget: this.llama.maxThreads,
      contexts: [...this.ready.entries()].flatMap(([key, e]) => e.shards.map((s) => ({ adapter: key === BASE_KEY ? null : key, threads: s.context.currentThreads }))),
    };
  }

  backend(): BackendInfo {
    const totalLayers = Number(this.model.fileInsights.totalLayers ?? 0);
    const candidateLogits =
      this.llama.buildType === 'localBuild' && Object.entries(CANDIDATE_LOGITS_CMAKE_OPTIONS).every(([key, value]) => this.llama.cmakeOptions[key] === value);
    const kvUnified = candidateLogits && process.env[KV_UNIFIED_ENV] === '1';
    return { gpu: this.llama.gpu, gpuLayers: this.model.gpuLayers, totalLayers, model: this.modelFile, candidateLogits, kvUnified };
  }

  /** Loads an adapter's context now, so a broken adapter fails a deploy rather than the first prediction. */
  async preload(adapterFile: string | null): Promise<void> {
    const lease = await this.acquire(adapterFile);
    lease.release();
  }

  /**
   * A sequence of the adapter's context, exclusively until `release()`. Its state is whatever the last user left:
   * callers align it to their tokens (the shared prompt prefix is reused when it matches).
   */
  async acquire(adapterFile: string | null): Promise<SequenceLease> {
    const key = adapterFile ?? BASE_KEY;
    let pending = this.contexts.get(key);
    if (!pending) {
      pending = this.createContext(adapterFile);
      this.contexts.set(key, pending);
      pending.then((entry) => this.ready.set(key, entry), () => this.contexts.delete(key));
    }
    const entry = await pending;
    // Between the load finishing and this line an eviction may have disposed the entry: load it again.
    if (this.contexts.get(key) !== pending) return this.acquire(adapterFile);
    entry.lastUsed = ++this.clock;
    entry.inUse++;
    const held = takeFree(entry) ?? (await new Promise<HeldSequence>((resolve) => entry.waiting.push(resolve)));
    const { sequence, shard } = held;
    let released = false;
    const borrowed = new Set<LlamaContextSequence>();
    const giveBack = (s: HeldSequence) => {
      const next = entry.waiting.shift();
      if (next) next(s);
      else s.shard.free.push(s.sequence);
    };
    return {
      sequence,
      borrowSpare: (max) => {
        // Spares come from the lease's own context: only they batch with its sequence.
        if (released || entry.waiting.length > 0 || max <= 0) return [];
        const spare = shard.free.splice(Math.max(0, shard.free.length - max));
        for (const s of spare) borrowed.add(s);
        return spare;
      },
      returnSpare: (sequences) => {
        for (const s of sequences) if (borrowed.delete(s)) giveBack({ sequence: s, shard });
      },
      step: (evaluate) => shard.gate.run(evaluate),
      adoptPrefix: (tokens) => (this.opts.sharePrefixes ? adoptPrefix(sequence, shard.sequences, tokens) : Promise.resolve(0)),
      release: () => {
        if (released) return;
        released = true;
        entry.inUse--;
        // Spares a failed search did not hand back go home with the lease.
        for (const s of borrowed) giveBack({ sequence: s, shard });
        borrowed.clear();
        giveBack(held);
        this.evictIdle().catch((err) => this.log(`llm: could not unload an idle adapter: ${(err as Error).message}`));
      },
    };
  }

  private async createContext(adapterFile: string | null): Promise<AdapterContext> {
    if (adapterFile) await validateGguf(adapterFile, 'adapter');
    // After the await above, acquire has already counted this context in `contexts`; without one it has not yet.
    await this.evictIdle(this.contexts.has(adapterFile ?? BASE_KEY) ? 0 : 1);
    for (;;) {
      try {
        return await this.createShards(adapterFile);
      } catch (err) {
        if (!(err instanceof InsufficientMemoryError)) throw err;
        // Idle adapters' contexts hold the memory this one needs (a GPU adapter's KV caches are gigabytes): the
        // least recently used goes, and this one tries again, before maxAdapters would have unloaded anything.
        const unloaded = await this.unloadLeastRecentIdle();
        if (unloaded !== undefined) {
          this.log(`llm: unloaded the idle ${unloaded === BASE_KEY ? 'base model' : `adapter ${path.basename(unloaded)}`} to make room (${err.message})`);
          continue;
        }
        throw new Error(
          `${adapterFile ? `adapter ${path.basename(adapterFile)}` : 'the base model'}: ${this.describeShape()} do not fit in memory, even with every idle adapter unloaded ` +
            `(${err.message}); lower TRIAGE_LLM_SEQUENCES, TRIAGE_LLM_CONTEXTS or TRIAGE_LLM_CONTEXT_SIZE, or serve fewer tenants at once`,
        );
      }
    }
  }

  /** The adapter's contexts, all or none. */
  private async createShards(adapterFile: string | null): Promise<AdapterContext> {
    const shards: ContextShard[] = [];
    try {
      for (let i = 0; i < this.opts.contextsPerAdapter; i++) {
        const context = await this.model.createContext({
          contextSize: this.opts.contextSize,
          sequences: this.opts.sequencesPerContext,
          // Ideally `threads`, fewer while other contexts use the budget, at least one (a context waits for one
          // only while more contexts than the budget has threads are evaluating).
          threads: { ideal: this.opts.threads, min: 1 },
          ...(this.opts.batchSize ? { batchSize: this.opts.batchSize } : {}),
          ...(this.opts.flashAttention !== undefined ? { flashAttention: this.opts.flashAttention } : {}),
          ...(adapterFile ? { lora: { adapters: [{ filePath: adapterFile }] } } : {}),
        });
        const sequences = Array.from({ length: this.opts.sequencesPerContext }, () => context.getSequence());
        shards.push({ context, sequences, free: [...sequences], gate: new StepGate() });
      }
    } catch (err) {
      // A context that does not fit (memory) leaves none of the adapter's others behind.
      for (const shard of shards) await shard.context.dispose();
      throw err;
    }
    return { shards, waiting: [], inUse: 0, lastUsed: ++this.clock };
  }

  /** Disposes least recently used idle contexts until `room` more fit under maxAdapters. */
  private async evictIdle(room = 0): Promise<void> {
    let excess = this.contexts.size + room - this.opts.maxAdapters;
    if (excess <= 0) return;
    for (const [key, entry] of this.idleOldestFirst()) {
      if (excess <= 0) break;
      if (await this.unload(key, entry)) excess--;
    }
  }

  /** Unloads the least recently used adapter nobody is using; its key, or undefined when every loaded one is busy. */
  private async unloadLeastRecentIdle(): Promise<string | undefined> {
    for (const [key, entry] of this.idleOldestFirst()) if (await this.unload(key, entry)) return key;
    return undefined;
  }

  /**
   * Loaded adapters nobody is using, least recently used first. Only contexts that finished loading can be idle:
   * one still loading (maybe the caller's own) is not among them.
   */
  private idleOldestFirst(): [string, AdapterContext][] {
    return [...this.ready.entries()].filter(([, e]) => e.inUse === 0).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
  }

  private async unload(key: string, entry: AdapterContext): Promise<boolean> {
    // Re-checked here: a request may have taken it (or another eviction removed it) during an await.
    if (entry.inUse > 0 || this.ready.get(key) !== entry) return false;
    this.contexts.delete(key);
    this.ready.delete(key);
    for (const shard of entry.shards) await shard.context.dispose();
    return true;
  }

  loadedAdapters(): string[] {
    return [...this.contexts.keys()].filter((k) => k !== BASE_KEY);
  }

  async dispose(): Promise<void> {
    for (const p of this.contexts.values()) for (const shard of (await p.catch(() => null))?.shards ?? []) await shard.context.dispose();
    this.contexts.clear();
    this.ready.clear();
    await this.model.dispose();
  }
}

/**
 * A free sequence from the shard with the most free ones, so that requests spread over the adapter's contexts and
 * each context's batches stay small; null when all are held.
 */
function takeFree(entry: AdapterContext): HeldSequence | null {
  let best: ContextShard | null = null;
  for (const shard of entry.shards) if (shard.free.length > (best?.free.length ?? 0)) best = shard;
  const sequence = best?.free.pop();
  return best && sequence ? { sequence, shard: best } : null;
}

async function resolveBaseModel(model: string, modelsDir?: string): Promise<string> {
  if (model.startsWith('hf:')) {
    const dir = modelsDir ?? path.resolve('.triage-data/llm-models');
    try {
      return await resolveModelFile(model, { directory: dir, cli: false });
    } catch (err) {
      throw new Error(`base model ${model} could not be resolved into ${dir}: ${(err as Error).message}`);
    }
  }
  const file = path.resolve(model);
  if (!fs.existsSync(file)) throw new Error(`base model file ${file} does not exist`);
  return file;
}

/** Reads the GGUF header so a missing, truncated or non-GGUF file is named clearly before llama.cpp sees it. */
export async function validateGguf(file: string, what: 'model' | 'adapter'): Promise<void> {
  if (!fs.existsSync(file)) throw new Error(`${what} file ${file} does not exist`);
  let info;
  try {
    info = await readGgufFileInfo(file, { readTensorInfo: false });
  } catch (err) {
    throw new Error(`${what} file ${file} is not a readable GGUF file: ${(err as Error).message}`);
  }
  // A truncated tensor section passes this header check; llama.cpp then refuses it when the context is made,
  // which preload() does at deploy time.
  const general = info.metadata?.general as { type?: string; architecture?: string } | undefined;
  if (!general?.architecture) throw new Error(`${what} file ${file} is not a readable GGUF file: it has no general.architecture`);
  const isAdapter = general.type === 'adapter';
  if (what === 'adapter' && !isAdapter) throw new Error(`adapter file ${file} is a GGUF model, not a LoRA adapter (general.type is not "adapter")`);
  if (what === 'model' && isAdapter) throw new Error(`model file ${file} is a LoRA adapter, not a base model`);
}
