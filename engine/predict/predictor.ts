import path from 'node:path';
import { FastModel } from '../models/fast';
import { llmTriage } from '../models/llm/llm-triage';
import { parseLlmManifest, type LlmManifest } from '../models/llm/manifest';
import { ExampleIndex } from '../models/llm/retrieval';
import type { LlmRuntime } from '../models/llm/runtime';
import type { LlmRuntimes } from '../models/llm/runtimes';
import { decodePrediction } from '../triage/decode';
import { ticketText, type FieldPrediction, type FieldProbabilities, type FieldSchema, type TicketText } from '../triage/types';
import { readArtifact } from './artifacts';

export interface TriageInput extends TicketText {
  /** Allowed values per field for this ticket (overrides the tenant's choices). */
  choices?: Record<string, string[]>;
}

export type TriageOutput = Record<string, FieldPrediction>;

/** What serving needs from any tier: each ticket triaged within the allowed choices, with calibrated confidences. */
export interface Predictor {
  readonly tier: string;
  readonly fields: string[];
  triage(inputs: TriageInput[], schema: FieldSchema[]): Promise<TriageOutput[]>;
  /** Releases what the predictor holds (an LLM adapter's context); the base model stays for other tenants. */
  dispose(): Promise<void>;
}

export interface CheckpointRef {
  id: number;
  tier: string;
  artifact: string;
  sha256: string;
}

export interface PredictorDeps {
  dataDir: string;
  llm: LlmRuntimes;
  /** Loads another checkpoint of the same tenant (the fast fields of an llm checkpoint). */
  loadCheckpoint(id: number): Promise<CheckpointRef>;
}

export class FastPredictor implements Predictor {
  readonly tier = 'fast';
  constructor(readonly model: FastModel) {}

  get fields(): string[] {
    return this.model.fields;
  }

  probabilities(texts: string[]): FieldProbabilities[] {
    return this.model.predictProbaBatch(texts);
  }

  triageNow(inputs: TriageInput[], schema: FieldSchema[]): TriageOutput[] {
    const probs = this.probabilities(inputs.map((t) => ticketText(t)));
    return inputs.map((input, i) => decodePrediction(probs[i], schema, { choices: input.choices }));
  }

  async triage(inputs: TriageInput[], schema: FieldSchema[]): Promise<TriageOutput[]> {
    return this.triageNow(inputs, schema);
  }

  async dispose(): Promise<void> {}
}

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

/**
 * Builds a checkpoint's predictor, checking everything it needs now: a missing or corrupt model, adapter or
 * artifact fails here (at deploy), never at the first prediction.
 */
export async function loadPredictor(checkpoint: CheckpointRef, deps: PredictorDeps): Promise<Predictor> {
  const bytes = readArtifact(deps.dataDir, checkpoint.artifact, checkpoint.sha256);
  if (checkpoint.tier === 'fast') return new FastPredictor(FastModel.fromBuffer(bytes));
  if (checkpoint.tier === 'llm') {
    const manifest = parseLlmManifest(bytes);
    const runtime = await deps.llm.get(manifest.baseModel);
    let adapterFile: string | null = null;
    if (manifest.adapter) {
      readArtifact(deps.dataDir, manifest.adapter.artifact, manifest.adapter.sha256);
      adapterFile = path.join(deps.dataDir, manifest.adapter.artifact);
    }
    await runtime.preload(adapterFile);
    let fast: FastPredictor | null = null;
    if (manifest.fastFields) {
      const ref = await deps.loadCheckpoint(manifest.fastFields.checkpointId);
      const p = await loadPredictor(ref, deps);
      if (!(p instanceof FastPredictor)) throw new Error(`checkpoint ${ref.id} named for the fast fields is not a fast checkpoint`);
      fast = p;
    }
    return new LlmPredictor(manifest, runtime, adapterFile, fast);
  }
  throw new Error(`tier "${checkpoint.tier}" cannot be served by this engine (available: fast, llm)`);
}
