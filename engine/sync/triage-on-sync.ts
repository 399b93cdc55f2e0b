import type { PsaConnector } from '../../connectors/types';
import { audit } from '../auth/audit';
import type { EngineContext } from '../context';
import type { TriageSettings } from '../db/schema';
import type { LiveModel } from '../predict/registry';
import { loadTickets, type StoredTicket } from '../store/synced-tickets';
import type { FieldPrediction, FieldSchema } from '../triage/types';
import { DEFAULT_TRIAGE, thresholdFor } from './triage-settings';

export interface TriageCounts {
  triaged: number;
  applied: number;
  shadow: number;
  suggested: number;
}

type Applied = Record<string, { value: string; confidence: number }>;

/**
 * Triages the open tickets this sync brought that have no triage yet (a resumed sync finds those an earlier
 * attempt stored but did not reach). Each gets one stored prediction; confident fields that are still empty on
 * the ticket are written back in 'apply' mode, only stored in 'shadow' mode. The prediction is stored as
 * 'pending' before the PSA call, so a crash between the two is retried by the next sync, never forgotten.
 */
export async function triageNewTickets(
  ctx: EngineContext,
  tenantId: string,
  connector: PsaConnector,
  opts: { since: string; settings: TriageSettings; actor: string; signal?: AbortSignal },
): Promise<TriageCounts> {
  const counts: TriageCounts = { triaged: 0, applied: 0, shadow: 0, suggested: 0 };
  // whenLoaded: right after a start an LLM deployment may still be loading; waiting beats skipping the tenant.
  const live = await ctx.registry.whenLoaded(tenantId);
  if (!live) return counts;
  const ids = (
    ctx.db.$client
      .prepare(
        `SELECT t.id FROM tickets t
          WHERE t.tenant_id = ? AND t.source = ? AND t.completed = 0 AND t.created_at >= ?
            AND NOT EXISTS (SELECT 1 FROM predictions p WHERE p.ticket_id = t.id AND p.source = 'sync')
          ORDER BY t.id`,
      )
      .all(tenantId, connector.kind, opts.since) as { id: number }[]
  ).map((r) => r.id);
  if (ids.length === 0) return counts;
  const tickets = loadTickets(ctx.db, tenantId, ids);
  const started = performance.now();
  const triaged = await live.predictor.triage(tickets, live.schema);
  const latencyMs = (performance.now() - started) / tickets.length;
  const settings = { ...DEFAULT_TRIAGE, ...opts.settings };
  const insert = ctx.db.$client.prepare(
    `INSERT INTO predictions (tenant_id, deployment_id, checkpoint_id, ticket_external_id, ticket_id, source, tier, output, apply_status, applied, latency_ms)
     VALUES (?, ?, ?, ?, ?, 'sync', ?, ?, ?, ?, ?)`,
  );
  const pending: { predictionId: number; ticket: StoredTicket; applied: Applied }[] = [];
  ctx.db.$client.transaction(() => {
    tickets.forEach((ticket, i) => {
      const fields = triaged[i];
      const applied = chooseWriteBack(fields, ticket, live, settings);
      const status = Object.keys(applied).length === 0 ? 'suggested' : settings.mode === 'apply' ? 'pending' : 'shadow';
      const row = insert.run(
        tenantId, live.deployment.id, live.checkpoint.id, ticket.externalId, ticket.id, live.predictor.tier,
        JSON.stringify(fields), status, JSON.stringify(applied), latencyMs,
      );
      counts.triaged++;
      if (status === 'pending') pending.push({ predictionId: Number(row.lastInsertRowid), ticket, applied });
      else counts[status]++;
    });
  })();
  for (const p of pending) {
    await writeBack(ctx, tenantId, opts.actor, connector, p.predictionId, p.ticket.externalId, p.applied, settings.note, opts.signal);
    counts.applied++;
  }
  return counts;
}

/** Retries write-backs that an earlier sync stored as pending but did not finish (the PSA failed, or we died). */
export async function retryPendingWriteBacks(ctx: EngineContext, tenantId: string, actor: string, connector: PsaConnector, settings: TriageSettings, signal?: AbortSignal): Promise<number> {
  const rows = ctx.db.$client
    .prepare(`SELECT id, ticket_external_id, applied FROM predictions WHERE tenant_id = ? AND source = 'sync' AND apply_status = 'pending' ORDER BY id`)
    .all(tenantId) as { id: number; ticket_external_id: string; applied: string }[];
  for (const r of rows) {
    await writeBack(ctx, tenantId, actor, connector, r.id, r.ticket_external_id, JSON.parse(r.applied) as Applied, settings.note ?? DEFAULT_TRIAGE.note, signal);
  }
  return rows.length;
}

async function writeBack(
  ctx: EngineContext,
  tenantId: string,
  actor: string,
  connector: PsaConnector,
  predictionId: number,
  externalId: string,
  applied: Applied,
  note: boolean,
  signal?: AbortSignal,
) {
  await connector.updateTicket(externalId, Object.fromEntries(Object.entries(applied).map(([f, a]) => [f, a.value])), signal);
  if (note) await connector.addNote(externalId, noteText(applied), signal);
  ctx.db.transaction(() => {
    ctx.db.$client.prepare(`UPDATE predictions SET apply_status = 'applied' WHERE id = ?`).run(predictionId);
    audit(ctx.db, { actor, action: 'psa.write_back', tenantId, detail: { ticket: externalId, psa: connector.kind, fields: applied, note } });
  });
}

/**
 * Fields to write: predicted, at or above their threshold, and still empty on the ticket (a technician's value is
 * never overwritten). A child field goes only with its parent's value, so the PSA never gets a broken pair.
 */
function chooseWriteBack(fields: Record<string, FieldPrediction>, ticket: StoredTicket, live: LiveModel, settings: TriageSettings): Applied {
  const applied: Applied = {};
  const byName = new Map<string, FieldSchema>(live.schema.map((f) => [f.name, f]));
  // Parents first, so a child can check what its parent will be.
  const ordered = [...live.schema].sort((a, b) => depth(a, byName) - depth(b, byName));
  for (const schema of ordered) {
    const p = fields[schema.name];
    if (!p || p.status !== 'predicted' || p.value === null) continue;
    if (ticket.fields[schema.name]) continue;
    if (p.confidence < thresholdFor(schema.name, settings, live.checkpoint)) continue;
    if (schema.parentField) {
      const parentValue = applied[schema.parentField]?.value ?? ticket.fields[schema.parentField];
      const parentPrediction = fields[schema.parentField];
      if (!parentValue || parentValue !== parentPrediction?.value) continue;
    }
    applied[schema.name] = { value: p.value, confidence: p.confidence };
  }
  return applied;
}

function depth(f: FieldSchema, byName: Map<string, FieldSchema>): number {
  let d = 0;
  for (let p = f.parentField; p && d < 10; p = byName.get(p)?.parentField) d++;
  return d;
}

function noteText(applied: Applied): string {
  const parts = Object.entries(applied).map(([f, a]) => `${f} = ${a.value} (${Math.round(a.confidence * 100)}% sure)`);
  return `Auto-triage set ${parts.join(', ')}.`;
}
