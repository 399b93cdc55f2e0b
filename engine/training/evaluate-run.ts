import type { EngineContext } from '../context';
import type { EvalReport } from '../eval';
import { readArtifact } from '../predict/artifacts';
import type { RunHandler } from '../runs/runner';
import { addEvaluation, requireCheckpoint } from '../store/checkpoints';
import { loadSplit, requireDataset, type Split } from '../store/datasets';
import { getFieldSchemas } from '../store/fields';
import { runWorker } from './worker-host';
import { reportFromPredictions } from './evaluate-predictions';
import type { Checkpoint } from '../store/checkpoints';
import type { FieldPrediction, FieldSchema, LabeledTicket } from '../triage/types';

const FAST_WORKER = new URL('./fast-worker.ts', import.meta.url);

export interface EvaluateParams {
  split?: Split;
}

/** Scores a checkpoint on a dataset split (the checkpoint's own dataset unless the run names one). */
export function evaluateRunHandler(ctx: EngineContext): RunHandler {
  return async (rc) => {
    const { run } = rc;
    if (!run.checkpointId) throw new Error('an evaluate run needs a checkpoint');
    const checkpoint = requireCheckpoint(ctx.db, run.tenantId, run.checkpointId);
    const datasetId = run.datasetId ?? checkpoint.datasetId;
    if (!datasetId) throw new Error(`checkpoint ${checkpoint.id} has no dataset; name one`);
    const dataset = requireDataset(ctx.db, run.tenantId, datasetId);
    const split = (run.params as EvaluateParams).split ?? 'test';
    const tickets = loadSplit(ctx.db, dataset.id, split);
    if (tickets.length === 0) throw new Error(`dataset ${dataset.id} has no ${split} tickets`);
    rc.progress(0, { phase: 'evaluating', tickets: tickets.length });
    const schema = getFieldSchemas(ctx.db, run.tenantId);
    const { report } = checkpoint.tier === 'fast' ? await runWorker<{ report: EvalReport }>(
      FAST_WORKER,
      {
        type: 'evaluate',
        model: readArtifact(ctx.config.dataDir, checkpoint.artifact, checkpoint.sha256),
        schema,
        tickets,
        split,
      },
      { signal: rc.signal },
    ) : { report: await evaluateInProcess(ctx, checkpoint, tickets, schema, split, rc) };
    const evaluation = addEvaluation(ctx.db, {
      tenantId: run.tenantId,
      checkpointId: checkpoint.id,
      datasetId: dataset.id,
      split,
      runId: run.id,
      report: report as unknown as Record<string, unknown>,
    });
    for (const f of report.fields) rc.emit('metric', { split, field: f.field, accuracy: f.accuracy, macroF1: f.macroF1, ece: f.ece });
    return { evaluationId: evaluation.id, checkpointId: checkpoint.id, datasetId: dataset.id, split, report };
  };
}

/**
 * Tiers whose work runs outside JavaScript (the LLM: llama.cpp's threads) are evaluated on the engine's thread
 * through the same predictor that serves them, a few tickets at a time, with progress.
 */
async function evaluateInProcess(
  ctx: EngineContext,
  checkpoint: Checkpoint,
  tickets: LabeledTicket[],
  schema: FieldSchema[],
  split: string,
  rc: Parameters<RunHandler>[0],
): Promise<EvalReport> {
  const predictor = await ctx.registry.loadPredictor(checkpoint);
  const outputs: Record<string, FieldPrediction>[] = [];
  const width = 8;
  for (let i = 0; i < tickets.length; i += width) {
    if (rc.signal.aborted) throw new Error('cancelled');
    outputs.push(...(await predictor.triage(tickets.slice(i, i + width), schema)));
    rc.progress(Math.min(tickets.length, i + width) / tickets.length, { phase: 'evaluating', step: Math.min(tickets.length, i + width), total: tickets.length });
  }
  return reportFromPredictions(tickets, outputs, schema, split);
}
