import { llmTriage } from '../models/llm/llm-triage';
import type { LlmManifest } from '../models/llm/manifest';
import { ExampleIndex } from '../models/llm/retrieval';
import type { LlmRuntime } from '../models/llm/runtime';
import { ticketText, type FieldSchema } from '../triage/types';
import type { FastPredictor, Predictor, TriageInput, TriageOutput } from './predictor';

/**
 * The llm tier: the base model shared by the engine, this checkpoint's adapter, calibration and retrieval.
 * Tickets of one call decode concurrently (the runtime's sequences are batched together by llama.cpp).
 */
export class LlmPredictor implements Predictor {
  readonly tier = 'llm';
  private readonly index: ExampleIndex | null;

  constructor(
    readonly manifest: LlmManifest,
    readonly runtime: LlmRuntime,
    readonly adapterFile: string | null,
    private readonly fast: FastPredictor | null,
  ) {
    this.index = manifest.retrieval?.examples.length ? new ExampleIndex(manifest.retrieval.examples) : null;
  }

  get fields(): string[] {
    return this.manifest.fields;
  }

  async triage(inputs: TriageInput[], schema: FieldSchema[]): Promise<TriageOutput[]> {
    const known = schema.filter((f) => this.manifest.fields.includes(f.name));
    const fastFields = new Set(this.manifest.fastFields?.fields ?? []);
    const fastOut = this.fast && fastFields.size ? this.fast.triageNow(inputs, known) : null;
    return Promise.all(
      inputs.map(async (input, i) => {
        const forced = fastOut ? Object.fromEntries(Object.entries(fastOut[i]).filter(([f]) => fastFields.has(f))) : undefined;
        const k = this.manifest.retrieval?.k ?? 0;
        const result = await llmTriage(this.runtime, input, known, {
          adapterFile: this.adapterFile,
          temperatures: this.manifest.temperatures,
          examples: this.index ? this.index.nearest(ticketText(input), k) : undefined,
          choices: input.choices,
          maxEvaluations: this.manifest.maxEvaluations,
          forced,
        });
        return result.fields;
      }),
    );
  }

  async dispose(): Promise<void> {}
}

