import type { Db } from '../db';
import type { LiveAccuracy } from '../eval/types';

export type { LiveAccuracy };

/** Live accuracy per field from technicians' final values: overall, for written-back values, and per day. */
export function liveAccuracy(db: Db, tenantId: string, days = 90): LiveAccuracy {
  const since = new Date(Date.now() - days * 86_400_000).toISOString();
  const fields = db.$client
    .prepare(
      `SELECT field, count(*) AS n, sum(correct) AS correct,
              sum(applied) AS applied_n, sum(CASE WHEN applied = 1 THEN correct ELSE 0 END) AS applied_correct
         FROM feedback WHERE tenant_id = ? AND created_at >= ? GROUP BY field ORDER BY field`,
    )
    .all(tenantId, since) as { field: string; n: number; correct: number; applied_n: number; applied_correct: number }[];
  const daily = db.$client
    .prepare(
      `SELECT substr(created_at, 1, 10) AS day, field, count(*) AS n, avg(correct) AS accuracy
         FROM feedback WHERE tenant_id = ? AND created_at >= ? GROUP BY day, field ORDER BY day, field`,
    )
    .all(tenantId, since) as { day: string; field: string; n: number; accuracy: number }[];
  return {
    fields: fields.map((f) => ({
      field: f.field,
      n: f.n,
      correct: f.correct,
      accuracy: f.correct / f.n,
      applied: { n: f.applied_n, correct: f.applied_correct, accuracy: f.applied_n ? f.applied_correct / f.applied_n : null },
    })),
    daily,
  };
}
