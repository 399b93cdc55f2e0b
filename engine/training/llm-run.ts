/**
 * An llm-tier "training" run on the engine's side: it builds a checkpoint from a base model, an optional LoRA
 * adapter (a GGUF file, or a PEFT directory converted here) and the tenant's history. It freezes a dataset,
 * fits per-field temperatures on the validation split, decides per field group whether the llm or the tenant's
 * fast checkpoint is more accurate on the held-out split, and evaluates what will be served on the test split.
 * (The GPU trainer, which produces the adapter, is engine/trainer/.)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EngineContext } from '../context';
import type { EvalReport } from '../eval';
import { writeArtifact } from '../predict/artifacts';
import { FastPredictor } from '../predict/predictor';
import { convertPeftAdapter } from '../models/llm/formats/lora-gguf';
import { fitLlmTemperatures, recalibrate } from '../models/llm/calibration';
import { llmTriage, type LlmTriageResult } from '../models/llm/llm-triage';
import { LLM_MANIFEST_FORMAT, type LlmManifest } from '../models/llm/manifest';
import { ExampleIndex } from '../models/llm/retrieval';
import { configuredModelRef } from './base-models';
import { validateGguf, type LlmRuntime } from '../models/llm/runtime';
import type { RunHandler } from '../runs/runner';
import { createCheckpoint, listCheckpoints, type Checkpoint } from '../store/checkpoints';
import { loadSplit } from '../store/datasets';
import type { PromptExample } from '../triage/prompt';
import { ticketText, type FieldPrediction, type FieldSchema, type LabeledTicket } from '../triage/types';
import { reportFromPredictions } from './evaluate-predictions';
import { recordReports, runDataset, type TrainParams } from './train-run';
import { trainAdapter, type AdapterTrainParams } from './adapter-training';

export interface LlmTrainParams extends TrainParams {
  /** Name of a base model in the engine's configuration (TRIAGE_LLM_MODELS). */
  baseModel: string;
  /** A LoRA adapter: GGUF file or PEFT directory (admin only: it is a path on the engine's machine). */
  adapter?: string;
  /** Similar past tickets put in the prompt (default 4 without an adapter, 0 with one). */
  retrievalK?: number;
  /** Caps on the tickets decoded for calibration and evaluation (an LLM on CPU is slow). */
  maxValidation?: number;
  maxTest?: number;
  /** Serve a field group by the fast tier where its held-out accuracy is higher (default true). */
  mixTiers?: boolean;
  /** Train a LoRA adapter first with the Python trainer (on the GPU unless train.device is 'cpu'). */
  train?: AdapterTrainParams;
}

const RETRIEVAL_POOL = 5000;
const DEFAULT_MAX_EVALUATIONS = 48;

type RunContext = Parameters<RunHandler>[0];

export async function adapterBytes(adapter: string): Promise<Buffer> {
  if (!fs.existsSync(adapter)) throw new Error(`adapter ${adapter} does not exist`);
  if (fs.statSync(adapter).isDirectory()) {
    // A trainer checkpoint already has its GGUF (adapter-training.ts converts each one as it is saved).
    const gguf = path.join(adapter, 'adapter.gguf');
    const peft = path.join(adapter, 'adapter_model.safetensors');
    if (fs.existsSync(gguf) && fs.existsSync(peft) && fs.statSync(gguf).mtimeMs >= fs.statSync(peft).mtimeMs) {
      await validateGguf(gguf, 'adapter');
      return fs.readFileSync(gguf);
    }
    return convertPeftAdapter(adapter).bytes;
  }
  await validateGguf(adapter, 'adapter');
  return fs.readFileSync(adapter);
}

function sample<T>(items: T[], max: number | undefined): T[] {
  if (!max || items.length <= max) return items;
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)]);
}

/** Groups of linked fields (a root and its descendants): a group is served by one tier, so links stay valid. */
function fieldGroups(schema: FieldSchema[], fields: string[]): string[][] {
  const byName = new Map(schema.map((f) => [f.name, f]));
  const root = (name: string): string => {
    let f = byName.get(name);
    const seen = new Set<string>();
    while (f?.parentField && byName.has(f.parentField) && !seen.has(f.name)) {
      seen.add(f.name);
      f = byName.get(f.parentField);
    }
    return f?.name ?? name;
  };
  const groups = new Map<string, string[]>();
  for (const f of fields) {
    const r = root(f);
    groups.set(r, [...(groups.get(r) ?? []), f]);
  }
  return [...groups.values()];
}

function meanAccuracy(report: EvalReport, fields: string[]): number {
  const accs = report.fields.filter((f) => fields.includes(f.field)).map((f) => f.accuracy);
  return accs.length ? accs.reduce((a, b) => a + b, 0) / accs.length : 0;
}

async function decodeAll(
  rc: RunContext,
  phase: string,
  tickets: LabeledTicket[],
  decode: (t: LabeledTicket) => Promise<LlmTriageResult>,
  progressFrom: number,
  progressTo: number,
  /** Tickets decoded at once: as many as the adapter has sequences (the runtime batches concurrent tickets). */
  width: number,
): Promise<LlmTriageResult[]> {
  const out: LlmTriageResult[] = [];
  const started = Date.now();
  for (let i = 0; i < tickets.length; i += width) {
    if (rc.signal.aborted) throw new Error('cancelled');
    out.push(...(await Promise.all(tickets.slice(i, i + width).map(decode))));
    const done = Math.min(tickets.length, i + width);
    const elapsed = (Date.now() - started) / 1000;
    rc.progress(progressFrom + ((progressTo - progressFrom) * done) / tickets.length, {
      phase,
      step: done,
      total: tickets.length,
      etaSeconds: Math.round((elapsed / done) * (tickets.length - done)),
    });
  }
  return out;
}

/** The tenant's most recent fast checkpoint on the same dataset, to compare field by field. */
async function fastRival(ctx: EngineContext, tenantId: string, datasetId: number): Promise<{ checkpoint: Checkpoint; predictor: FastPredictor } | null> {
  const rival = listCheckpoints(ctx.db, tenantId)
    .filter((c) => c.tier === 'fast' && c.datasetId === datasetId)
    .sort((a, b) => b.id - a.id)[0];
  if (!rival) return null;
  const predictor = await ctx.registry.loadPredictor(rival);
  return predictor instanceof FastPredictor ? { checkpoint: rival, predictor } : null;
}

export async function trainLlm(ctx: EngineContext, rc: RunContext, params: LlmTrainParams): Promise<Checkpoint> {
  const { run } = rc;
  if (!params.baseModel) throw new Error('an llm run needs params.baseModel (a base model configured on the engine)');
  const baseModel = configuredModelRef(params.baseModel);
  const { dataset, schema: fullSchema, fields } = runDataset(ctx, rc, params.split);
  const schema = fullSchema.filter((f) => fields.includes(f.name));

  let adapter: LlmManifest['adapter'] = null;
  let adapterSource = params.adapter;
  let trainerMetrics: Record<string, unknown> | null = null;
  if (params.train) {
    if (params.adapter) throw new Error('an llm run either trains an adapter (params.train) or uses one (params.adapter), not both');
    const trained = await trainAdapter(ctx, rc, { dataset, schema, baseModel: params.baseModel, params: params.train, progressTo: 0.6 });
    adapterSource = trained.adapterDir;
    trainerMetrics = trained.metrics;
  }
  const progressBase = params.train ? 0.6 : 0;
  const scaled = (x: number) => progressBase + (1 - progressBase) * x;
  if (adapterSource) {
    const bytes = await adapterBytes(adapterSource);
    adapter = writeArtifact(ctx.config.dataDir, run.tenantId, `run-${run.id}.lora.gguf`, bytes);
    rc.emit('log', { message: `adapter ${path.basename(adapterSource)} stored (${bytes.length} bytes)` });
  }
  const adapterFile = adapter ? path.join(ctx.config.dataDir, adapter.artifact) : null;
  rc.progress(scaled(0.02), { phase: 'loading model' });
  const runtime: LlmRuntime = await ctx.registry.llm.get(baseModel);
  await runtime.preload(adapterFile);
  const backend = runtime.backend();
  rc.emit('log', {
    message:
      `base model ${params.baseModel} on ${backend.gpu || 'CPU'} (${backend.gpuLayers}/${backend.totalLayers} layers on the GPU); ` +
      `${runtime.parallelism} tickets at once (${runtime.describeShape()}${backend.kvUnified ? ', one KV cache per context' : ''})`,
  });

  const k = params.retrievalK ?? (adapter ? 0 : 4);
  const examples: PromptExample[] = k > 0 ? loadSplit(ctx.db, dataset.id, 'train').slice(-RETRIEVAL_POOL).map((t) => ({ title: t.title, description: t.description, fields: t.fields })) : [];
  const index = examples.length ? new ExampleIndex(examples) : null;
  const decoder = (temperatures: Record<string, number>, forced?: (t: LabeledTicket) => Record<string, FieldPrediction> | undefined) => (t: LabeledTicket) =>
    llmTriage(runtime, t, schema, {
      adapterFile,
      temperatures,
      examples: index?.nearest(ticketText(t), k),
      maxEvaluations: DEFAULT_MAX_EVALUATIONS,
      forced: forced?.(t),
    });

  const validation = sample(loadSplit(ctx.db, dataset.id, 'validation'), params.maxValidation ?? 300);
  const test = sample(loadSplit(ctx.db, dataset.id, 'test'), params.maxTest ?? 1000);
  if (validation.length === 0 || test.length === 0) throw new Error(`dataset ${dataset.id} needs validation and test tickets for an llm checkpoint`);

  const valResults = await decodeAll(rc, 'calibrating', validation, decoder({}), scaled(0.05), scaled(0.4), runtime.parallelism);
  const temperatures = fitLlmTemperatures(validation, valResults, fields);
  rc.emit('log', { message: `temperatures ${JSON.stringify(temperatures)}` });
  const validationReport = reportFromPredictions(validation, valResults.map((r) => recalibrate(r, schema, temperatures)), schema, 'validation');

  const llmResults = await decodeAll(rc, 'evaluating', test, decoder(temperatures), scaled(0.4), scaled(0.7), runtime.parallelism);
  const llmReport = reportFromPredictions(test, llmResults.map((r) => r.fields), schema, 'test');

  // Per field group, the tier with the higher held-out accuracy serves it.
  let fastFields: LlmManifest['fastFields'] = null;
  let testReport = llmReport;
  const tiers: Record<string, { llm: number; fast: number | null; served: 'llm' | 'fast' }> = {};
  const rival = params.mixTiers === false ? null : await fastRival(ctx, run.tenantId, dataset.id);
  if (rival) {
    const fastOut = rival.predictor.triageNow(test, schema);
    const fastReport = reportFromPredictions(test, fastOut, schema, 'test');
    const chosen: string[] = [];
    for (const group of fieldGroups(schema, fields)) {
      const useFast = meanAccuracy(fastReport, group) > meanAccuracy(llmReport, group);
      if (useFast) chosen.push(...group);
      for (const f of group) {
        tiers[f] = { llm: meanAccuracy(llmReport, [f]), fast: meanAccuracy(fastReport, [f]), served: useFast ? 'fast' : 'llm' };
      }
    }
    if (chosen.length) {
      fastFields = { checkpointId: rival.checkpoint.id, fields: chosen };
      rc.emit('log', { message: `fields served by fast checkpoint ${rival.checkpoint.id} (more accurate on the test split): ${chosen.join(', ')}` });
      if (chosen.length < fields.length) {
        const byTicket = new Map(test.map((t, i) => [t, fastOut[i]]));
        const forced = (t: LabeledTicket) => Object.fromEntries(Object.entries(byTicket.get(t) ?? {}).filter(([f]) => chosen.includes(f)));
        const mixed = await decodeAll(rc, 'evaluating mixed tiers', test, decoder(temperatures, forced), scaled(0.7), scaled(0.95), runtime.parallelism);
        testReport = reportFromPredictions(test, mixed.map((r) => r.fields), schema, 'test');
      } else {
        testReport = fastReport;
      }
    }
  } else {
    for (const f of fields) tiers[f] = { llm: meanAccuracy(llmReport, [f]), fast: null, served: 'llm' };
  }

  const manifest: LlmManifest = {
    format: LLM_MANIFEST_FORMAT,
    baseModel,
    adapter,
    fields,
    temperatures,
    retrieval: k > 0 ? { k, examples } : null,
    maxEvaluations: DEFAULT_MAX_EVALUATIONS,
    fastFields,
  };
  const { artifact, sha256 } = writeArtifact(ctx.config.dataDir, run.tenantId, `run-${run.id}.llm.json`, Buffer.from(JSON.stringify(manifest)));
  const checkpoint = createCheckpoint(ctx.db, {
    tenantId: run.tenantId,
    runId: run.id,
    datasetId: dataset.id,
    tier: 'llm',
    artifact,
    sha256,
    fields,
    metrics: { validation: validationReport, test: testReport, llmOnlyTest: llmReport, tiers, baseModel: params.baseModel, retrievalK: k, ...(trainerMetrics ? { trainer: trainerMetrics } : {}) },
  });
  recordReports(ctx, rc, checkpoint, [validationReport, testReport]);
  return checkpoint;
}
