import { fieldReport, type EvalRecord, type EvalReport } from '../eval';
import type { FieldPrediction, FieldSchema, LabeledTicket } from '../triage/types';

/**
 * The report of any tier's answers on labelled tickets: per field, against the technician's value; an
 * unpredictable field counts as wrong. Fields in the schema's order.
 */
export function reportFromPredictions(
  tickets: LabeledTicket[],
  outputs: Record<string, FieldPrediction>[],
  schema: FieldSchema[],
  split: string,
): EvalReport {
  const records = new Map<string, EvalRecord[]>();
  tickets.forEach((ticket, i) => {
    for (const [field, truth] of Object.entries(ticket.fields)) {
      const p = outputs[i][field];
      if (!p) continue;
      let list = records.get(field);
      if (!list) records.set(field, (list = []));
      list.push({ truth, predicted: p.value, confidence: p.confidence });
    }
  });
  const order = schema.map((f) => f.name).filter((name) => records.has(name));
  return {
    split,
    n: tickets.length,
    fields: order.map((field) => fieldReport(field, records.get(field)!)),
    createdAt: new Date().toISOString(),
  };
}
