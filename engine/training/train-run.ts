import type { EngineContext } from '../context';
import type { EvalReport } from '../eval';
import { deployCheckpoint } from '../predict/deploy';
import { writeArtifact } from '../predict/artifacts';
import type { RunHandler } from '../runs/runner';
import { addEvaluation, createCheckpoint, findCheckpointByRun, type Checkpoint } from '../store/checkpoints';
import { createDataset, loadSplit, requireDataset } from '../store/datasets';
import { getFieldSchemas } from '../store/fields';
import { updateRun } from '../store/runs';
import { runWorker } from './worker-host';
import type { LlmTrainParams } from './llm-run';

const FAST_WORKER = new URL('./fast-worker.ts', import.meta.url);

export interface TrainParams {
  seed?: number;
  maxEpochs?: number;
  /** Deploy the checkpoint when the run succeeds. */
  deploy?: boolean;
  /** Options for the dataset made when the run names none. */
  split?: { strategy?: 'hash' | 'time'; seed?: number; validation?: number; test?: number };
}

interface TrainOutput {
  model: Uint8Array;
  fields: string[];
  validation: EvalReport;
  test: EvalReport;
}

/**
 * A training run: freeze (or reuse) a dataset, train in a worker thread, store the artifact as a checkpoint
 * with its validation and test reports, and deploy it when asked. A fast run that was interrupted starts
 * again from the beginning: the same dataset and seed give the same model. A run that got as far as its
 * checkpoint before dying reuses it instead of training twice.
 */
export function trainRunHandler(ctx: EngineContext): RunHandler {
  return async (rc) => {
    const { run } = rc;
    const params = run.params as TrainParams;
    if (run.tier !== 'fast' && run.tier !== 'llm') throw new Error(`tier "${run.tier}" cannot be trained by this engine (available: fast, llm)`);

    let checkpoint = findCheckpointByRun(ctx.db, run.id);
    if (checkpoint) {
      rc.emit('log', { message: `checkpoint ${checkpoint.id} was already stored by an earlier attempt; reusing it` });
    } else {
      checkpoint = run.tier === 'llm' ? await (await import('./llm-run')).trainLlm(ctx, rc, params as LlmTrainParams) : await train(ctx, rc, params);
    }
    if (params.deploy) {
      const deployment = await deployCheckpoint(ctx, run.tenantId, checkpoint.id, `run ${run.id}`);
      rc.emit('log', { message: `deployed checkpoint ${checkpoint.id} (deployment ${deployment.id})` });
    }
    return { checkpointId: checkpoint.id, datasetId: checkpoint.datasetId, accuracy: accuracyOf(checkpoint) };
  };
}

/** The run's dataset (frozen now when the run names none) and the schema fields it can train. */
export function runDataset(ctx: EngineContext, rc: RunContext, split: TrainParams['split']) {
  const { run } = rc;
  const dataset = run.datasetId ? requireDataset(ctx.db, run.tenantId, run.datasetId) : createDataset(ctx.db, run.tenantId, split ?? {});
  if (!run.datasetId) updateRun(ctx.db, run.id, { datasetId: dataset.id });
  const schema = getFieldSchemas(ctx.db, run.tenantId);
  const fields = dataset.fields.filter((f) => schema.some((s) => s.name === f));
  if (dataset.counts.train === 0 || fields.length === 0) {
    throw new Error(`dataset ${dataset.id} has no labelled training tickets; import tickets with labels first`);
  }
  rc.emit('log', {
    message: `dataset ${dataset.id}: ${dataset.counts.train} train, ${dataset.counts.validation} validation, ${dataset.counts.test} test tickets; fields ${fields.join(', ')}`,
  });
  return { dataset, schema, fields };
}

type RunContext = Parameters<RunHandler>[0];

async function train(ctx: EngineContext, rc: RunContext, params: TrainParams): Promise<Checkpoint> {
  const { run } = rc;
  const { dataset, schema, fields } = runDataset(ctx, rc, params.split);
  rc.progress(0, { phase: 'training' });
  const out = await runWorker<TrainOutput>(
    FAST_WORKER,
    {
      type: 'train',
      fields,
      schema,
      train: loadSplit(ctx.db, dataset.id, 'train'),
      validation: loadSplit(ctx.db, dataset.id, 'validation'),
      test: loadSplit(ctx.db, dataset.id, 'test'),
      options: { seed: params.seed, maxEpochs: params.maxEpochs },
    },
    {
      signal: rc.signal,
      onMessage: (msg) => {
        if (msg.type !== 'progress') return;
        const { type: _type, ...data } = msg;
        const step = Number(msg.step ?? 0);
        const total = Number(msg.total ?? 0);
        // Training is most of the work; the last tenth is evaluation and storing the checkpoint.
        rc.progress(msg.phase === 'evaluating' ? 0.9 : total > 0 ? (0.9 * step) / total : 0, data);
      },
    },
  );
  const { artifact, sha256 } = writeArtifact(ctx.config.dataDir, run.tenantId, `run-${run.id}.fast`, out.model);
  const checkpoint = createCheckpoint(ctx.db, {
    tenantId: run.tenantId,
    runId: run.id,
    datasetId: dataset.id,
    tier: run.tier,
    artifact,
    sha256,
    fields: out.fields,
    metrics: { validation: out.validation, test: out.test },
  });
  recordReports(ctx, rc, checkpoint, [out.validation, out.test]);
  return checkpoint;
}

/** Stores a new checkpoint's reports as evaluations and streams them as metric events. */
export function recordReports(ctx: EngineContext, rc: RunContext, checkpoint: Checkpoint, reports: EvalReport[]): void {
  for (const report of reports) {
    addEvaluation(ctx.db, {
      tenantId: checkpoint.tenantId,
      checkpointId: checkpoint.id,
      datasetId: checkpoint.datasetId!,
      split: report.split,
      runId: rc.run.id,
      report: report as unknown as Record<string, unknown>,
    });
    for (const f of report.fields) {
      rc.emit('metric', { split: report.split, field: f.field, accuracy: f.accuracy, macroF1: f.macroF1, ece: f.ece });
    }
  }
  rc.emit('checkpoint', { checkpointId: checkpoint.id, accuracy: accuracyOf(checkpoint) });
}

/** Held-out (test) accuracy per field: what a checkpoint list shows at a glance. */
export function accuracyOf(checkpoint: Checkpoint): Record<string, number> {
  const test = (checkpoint.metrics as { test?: EvalReport } | null)?.test;
  return Object.fromEntries((test?.fields ?? []).map((f) => [f.field, f.accuracy]));
}
