import type { EngineContext } from '../context';
import type { EvalReport } from '../eval';
import { readArtifact } from '../predict/artifacts';
import type { RunHandler } from '../runs/runner';
import { addEvaluation, requireCheckpoint } from '../store/checkpoints';
import { loadSplit, requireDataset, type Split } from '../store/datasets';
import { getFieldSchemas } from '../store/fields';
import { runWorker } from './worker-host';

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
    if (checkpoint.tier !== 'fast') throw new Error(`tier "${checkpoint.tier}" cannot be evaluated by this engine yet`);
    const datasetId = run.datasetId ?? checkpoint.datasetId;
    if (!datasetId) throw new Error(`checkpoint ${checkpoint.id} has no dataset; name one`);
    const dataset = requireDataset(ctx.db, run.tenantId, datasetId);
    const split = (run.params as EvaluateParams).split ?? 'test';
    const tickets = loadSplit(ctx.db, dataset.id, split);
    if (tickets.length === 0) throw new Error(`dataset ${dataset.id} has no ${split} tickets`);
    rc.progress(0, { phase: 'evaluating', tickets: tickets.length });
    const { report } = await runWorker<{ report: EvalReport }>(
      FAST_WORKER,
      {
        type: 'evaluate',
        model: readArtifact(ctx.config.dataDir, checkpoint.artifact, checkpoint.sha256),
        schema: getFieldSchemas(ctx.db, run.tenantId),
        tickets,
        split,
      },
      { signal: rc.signal },
    );
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
