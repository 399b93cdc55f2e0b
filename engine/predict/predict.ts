import { performance } from 'node:perf_hooks';
import type { EngineContext } from '../context';
import { ApiError } from '../errors';
import type { FieldPrediction } from '../triage/types';

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
  /** E.g. text that was cut to the engine's limit. */
  warnings?: string[];
}

const MAX_TITLE_CHARS = 1000;

/** Cuts oversized text to the limits so a huge paste costs nothing and fails nothing; says what it cut. */
function boundText(input: PredictInput, maxChars: number): { title: string; description: string; warnings: string[] } {
  const warnings: string[] = [];
  let { title, description } = input;
  if (title.length > MAX_TITLE_CHARS) {
    warnings.push(`title truncated from ${title.length} to ${MAX_TITLE_CHARS} characters`);
    title = title.slice(0, MAX_TITLE_CHARS);
  }
  if (description.length > maxChars) {
    warnings.push(`description truncated from ${description.length} to ${maxChars} characters`);
    description = description.slice(0, maxChars);
  }
  return { title, description, warnings };
}

/**
 * Triages tickets with the tenant's deployed model. The model is read once per call, so a deploy that lands
 * mid-batch never mixes two models in one answer. Every prediction is stored for live accuracy later.
 */
export async function predictTickets(ctx: EngineContext, tenantId: string, inputs: PredictInput[], shared?: Record<string, string[]>): Promise<PredictionResult[]> {
  const live = await ctx.registry.whenLoaded(tenantId);
  if (!live) {
    throw new ApiError(
      409,
      'no_deployment',
      `tenant "${tenantId}" has no deployed model: train one (POST /api/tenants/${tenantId}/runs) and deploy a checkpoint (POST /api/tenants/${tenantId}/deployments)`,
    );
  }
  const started = performance.now();
  const bounded = inputs.map((t) => boundText(t, ctx.config.maxTextChars));
  const triaged = await live.predictor.triage(
    inputs.map((input, i) => ({
      title: bounded[i].title,
      description: bounded[i].description,
      choices: input.choices || shared ? { ...shared, ...input.choices } : undefined,
    })),
    live.schema,
  );
  const results = inputs.map((input, i): PredictionResult => {
    return {
      ticketId: input.id ?? null,
      fields: triaged[i],
      model: { tier: live.predictor.tier, checkpointId: live.checkpoint.id, deploymentId: live.deployment.id },
      latencyMs: 0,
      ...(bounded[i].warnings.length ? { warnings: bounded[i].warnings } : {}),
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
