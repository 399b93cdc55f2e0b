import type { Db } from '../db';
import { loadTickets } from '../store/synced-tickets';
import type { FieldPrediction } from '../triage/types';

/**
 * Scores triage predictions against the technicians' final values once their tickets are completed: one
 * feedback row per predicted field. This is the live accuracy. Each prediction is scored once (scored_at).
 */
export function scoreCompletedTickets(db: Db, tenantId: string): number {
  const rows = db.$client
    .prepare(
      `SELECT p.id, p.ticket_id, p.checkpoint_id, p.output, p.applied, p.apply_status
         FROM predictions p JOIN tickets t ON t.id = p.ticket_id
        WHERE p.tenant_id = ? AND p.source = 'sync' AND p.scored_at IS NULL AND t.completed = 1`,
    )
    .all(tenantId) as { id: number; ticket_id: number; checkpoint_id: number; output: string; applied: string | null; apply_status: string }[];
  if (rows.length === 0) return 0;
  const finals = new Map(loadTickets(db, tenantId, rows.map((r) => r.ticket_id)).map((t) => [t.id, t.fields]));
  const insert = db.$client.prepare(
    `INSERT OR IGNORE INTO feedback (tenant_id, prediction_id, checkpoint_id, field, predicted, final, correct, confidence, applied)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const mark = db.$client.prepare(`UPDATE predictions SET scored_at = ? WHERE id = ?`);
  const now = new Date().toISOString();
  let scored = 0;
  db.$client.transaction(() => {
    for (const r of rows) {
      const output = JSON.parse(r.output) as Record<string, FieldPrediction>;
      const applied = r.apply_status === 'applied' ? (JSON.parse(r.applied ?? '{}') as Record<string, unknown>) : {};
      const final = finals.get(r.ticket_id) ?? {};
      for (const [field, p] of Object.entries(output)) {
        const truth = final[field];
        if (truth === undefined) continue;
        insert.run(tenantId, r.id, r.checkpoint_id, field, p.value, truth, p.value === truth ? 1 : 0, p.confidence, field in applied ? 1 : 0);
        scored++;
      }
      mark.run(now, r.id);
    }
  })();
  return scored;
}
