import type { EvalReport } from '../eval';
import { decodePrediction } from '../triage/decode';
import { ticketText, type FieldProbabilities, type FieldSchema, type LabeledTicket } from '../triage/types';
import { reportFromPredictions } from './evaluate-predictions';

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
  const outputs = tickets.map((_, i) => decodePrediction(probabilities[i], schema));
  return reportFromPredictions(tickets, outputs, schema, split);
}
