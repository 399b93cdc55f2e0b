import { fieldReport, type EvalReport, type EvalRecord } from '../eval';
import { decodePrediction } from '../triage/decode';
import { ticketText, type FieldProbabilities, type FieldSchema, type LabeledTicket } from '../triage/types';

/**
 * Scores a model on labelled tickets exactly as serving would answer them: the tenant's schema restricts and
 * links the choices, and an unpredictable field counts as wrong.
 */
export function evaluateSplit(
  predict: (texts: string[]) => FieldProbabilities[],
  tickets: LabeledTicket[],
  schema: FieldSchema[],
  split: string,
): EvalReport {
  const probabilities = predict(tickets.map((t) => ticketText(t)));
  const records = new Map<string, EvalRecord[]>();
  tickets.forEach((ticket, i) => {
    const decoded = decodePrediction(probabilities[i], schema);
    for (const [field, truth] of Object.entries(ticket.fields)) {
      const p = decoded[field];
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
