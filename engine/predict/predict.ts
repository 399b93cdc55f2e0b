import { performance } from 'node:perf_hooks';
import type { EngineContext } from '../context';
import { ApiError } from '../errors';
import { decodePrediction } from '../triage/decode';
import { ticketText, type FieldPrediction } from '../triage/types';

export interface PredictInput {
  id?: string;
  title: string;
  description: string;
  /** Allowed values per field for this ticket; overrides the tenant's choices (as the prototype's `choices`). */
  choices?: Record<string, string[]>;
}

export interface PredictionResult {
  ticketId: string | null;
  fields: Record<string, FieldPrediction>;
  model: { tier: string; checkpointId: number; deploymentId: number };
  latencyMs: number;
}

/**
 * Triages tickets with the tenant's deployed model. The model is read once per call, so a deploy that lands
 * mid-batch never mixes two models in one answer. Every prediction is stored for live accuracy later.
 */
export function predictTickets(ctx: EngineContext, tenantId: string, inputs: PredictInput[], shared?: Record<string, string[]>): PredictionResult[] {
  const live = ctx.registry.get(tenantId);
  if (!live) {
    throw new ApiError(
      409,
      'no_deployment',
      `tenant "${tenantId}" has no deployed model: train one (POST /api/tenants/${tenantId}/runs) and deploy a checkpoint (POST /api/tenants/${tenantId}/deployments)`,
    );
  }
  const started = performance.now();
  const probabilities = live.predictor.predict(inputs.map((t) => ticketText(t)));
  const results = inputs.map((input, i) => {
    const choices = input.choices || shared ? { ...shared, ...input.choices } : undefined;
    return {
      ticketId: input.id ?? null,
      fields: decodePrediction(probabilities[i], live.schema, { choices }),
      model: { tier: live.predictor.tier, checkpointId: live.checkpoint.id, deploymentId: live.deployment.id },
      latencyMs: 0,
    };
  });
  const perTicket = (performance.now() - started) / Math.max(inputs.length, 1);
  for (const r of results) r.latencyMs = Math.round(perTicket * 1000) / 1000;
  storePredictions(ctx, tenantId, results);
  return results;
}

function storePredictions(ctx: EngineContext, tenantId: string, results: PredictionResult[]): void {
  const insert = ctx.db.$client.prepare(
    `INSERT INTO predictions (tenant_id, deployment_id, checkpoint_id, ticket_external_id, tier, output, latency_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  ctx.db.$client.transaction(() => {
    for (const r of results) {
      insert.run(tenantId, r.model.deploymentId, r.model.checkpointId, r.ticketId, r.model.tier, JSON.stringify(r.fields), r.latencyMs);
    }
  })();
}
