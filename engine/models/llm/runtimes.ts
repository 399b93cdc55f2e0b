/**
 * The engine's LLM runtimes, one per base model, loaded on first use and shared by every tenant deployed on that
 * base model: a 7B model is loaded once, whatever the number of tenants.
 */
import type { LlmConfig } from '../../config';
import type { LlmRuntime } from './runtime';

export class LlmRuntimes {
  private readonly runtimes = new Map<string, Promise<LlmRuntime>>();

  constructor(
    private readonly config: LlmConfig,
    private readonly log: (line: string) => void,
  ) {}

  get(model: string): Promise<LlmRuntime> {
    let pending = this.runtimes.get(model);
    if (!pending) {
      // node-llama-cpp takes ~1-2 s to import: engines and CLI calls that never serve an LLM never pay it.
      pending = import('./runtime').then(({ LlmRuntime }) => LlmRuntime.load({
        model,
        modelsDir: this.config.modelsDir,
        gpu: this.config.gpu === 'off' ? false : 'auto',
        maxAdapters: this.config.maxAdapters,
        threads: this.config.threads,
        searchWidth: this.config.searchWidth,
        flashAttention: this.config.flashAttention,
        contextsPerAdapter: this.config.contexts,
        sequencesPerContext: this.config.sequences,
        contextSize: this.config.contextSize,
        kvUnified: this.config.kvUnified,
        vramCapBytes: this.config.vramCapBytes,
        ramCapBytes: this.config.ramCapBytes,
        log: this.log,
      }));
      this.runtimes.set(model, pending);
      pending.catch(() => this.runtimes.delete(model));
    }
    return pending;
  }

  async disposeAll(): Promise<void> {
    for (const p of this.runtimes.values()) await (await p.catch(() => null))?.dispose();
    this.runtimes.clear();
  }
}
