import path from 'node:path';
import { FastModel } from '../models/fast';
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
  /**
   * Called when the predictor is replaced. An LLM adapter's context is not closed here (a request may still be
   * using it, and the same adapter may be redeployed): the runtime unloads idle adapters least recently used first.
   */
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
 * Builds a checkpoint's predictor, checking everything it needs now: a missing or corrupt model, adapter or
 * artifact fails here (at deploy), never at the first prediction.
 */
export async function loadPredictor(checkpoint: CheckpointRef, deps: PredictorDeps): Promise<Predictor> {
  const bytes = readArtifact(deps.dataDir, checkpoint.artifact, checkpoint.sha256);
  if (checkpoint.tier === 'fast') return new FastPredictor(FastModel.fromBuffer(bytes));
  if (checkpoint.tier === 'llm') {
    const [{ parseLlmManifest }, { LlmPredictor }] = await Promise.all([import('../models/llm/manifest'), import('./llm-predictor')]);
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
