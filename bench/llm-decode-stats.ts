/**
 * Where the batched bench's time goes: counts and times llama.cpp's decodes (one `decodeBatch` of node-llama-cpp's
 * addon is one llama_decode over every queued sequence's tokens) and the reads of their logits (`sampleToken`, one
 * per sequence that asked for logits). If decodes take nearly all the wall time, llama.cpp (the GPU, or llama.cpp's
 * own CPU work such as building the attention mask) is the limit; if not, the JavaScript side is.
 *
 * It subclasses the addon's context class (node-llama-cpp internals: `llama._bindings.AddonContext`), so it is for
 * benchmarks only; where that is missing it reports nothing rather than failing the bench.
 */
import type { Llama } from 'node-llama-cpp';

export interface DecodeStats {
  decodes: number;
  /** Tokens over all decodes. */
  tokens: number;
  /** Summed duration of the decodes (contexts decoding at once each count their own). */
  decodeMs: number;
  logitReads: number;
  logitReadMs: number;
}

type AddonContextClass = new (...args: never[]) => {
  initBatch(size: number): void;
  decodeBatch(): Promise<void>;
  sampleToken(...args: unknown[]): Promise<unknown>;
};

export class DecodeMeter {
  private stats: DecodeStats = DecodeMeter.empty();
  readonly active: boolean;

  /** Meters the contexts created after this (node-llama-cpp constructs them from `llama._bindings.AddonContext`). */
  constructor(llama: Llama) {
    const bindings = (llama as unknown as { _bindings?: { AddonContext?: AddonContextClass } })._bindings;
    const Original = bindings?.AddonContext;
    this.active = typeof Original === 'function' && typeof Original.prototype.decodeBatch === 'function';
    if (!bindings || !Original || !this.active) return;
    // The addon's methods are read-only properties, so a subclass overrides them rather than an assignment.
    const stats = () => this.stats;
    bindings.AddonContext = class MeteredAddonContext extends Original {
      override initBatch(size: number): void {
        stats().tokens += size;
        super.initBatch(size);
      }
      override async decodeBatch(): Promise<void> {
        const start = performance.now();
        try {
          await super.decodeBatch();
        } finally {
          stats().decodes++;
          stats().decodeMs += performance.now() - start;
        }
      }
      override async sampleToken(...args: unknown[]): Promise<unknown> {
        const start = performance.now();
        try {
          return await super.sampleToken(...args);
        } finally {
          stats().logitReads++;
          stats().logitReadMs += performance.now() - start;
        }
      }
    };
  }

  private static empty(): DecodeStats {
    return { decodes: 0, tokens: 0, decodeMs: 0, logitReads: 0, logitReadMs: 0 };
  }

  /** What was counted since the last call. */
  take(): DecodeStats {
    const s = this.stats;
    this.stats = DecodeMeter.empty();
    return s;
  }
}
