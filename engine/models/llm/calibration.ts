/**
 * Calibration of the llm tier on the validation split: one temperature per field over the search's top-choice
 * log-probabilities (with the unexplored tail as one more class), fitted like the fast tier's (calibrate.ts).
 */
import { fitTemperature } from '../../triage/calibrate';
import { answerFieldOrder } from '../../triage/prompt';
import type { FieldPrediction, FieldSchema, LabeledTicket } from '../../triage/types';
import { calibratedTop, type LlmTriageResult } from './llm-triage';

export function fitLlmTemperatures(tickets: LabeledTicket[], results: LlmTriageResult[], fields: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const field of fields) {
    const logits: number[][] = [];
    const labels: number[] = [];
    tickets.forEach((ticket, i) => {
      const s = results[i].scores[field];
      const truth = ticket.fields[field];
      if (!s || truth === undefined) return;
      const row = [...s.logProbs];
      const hasLump = s.residual > 1e-9;
      if (hasLump) row.push(Math.log(s.residual));
      const at = s.values.indexOf(truth);
      if (at >= 0) labels.push(at);
      else if (hasLump) labels.push(row.length - 1);
      else return; // the truth was not an allowed choice: nothing to learn about confidence here
      logits.push(row);
    });
    out[field] = fitTemperature(logits, labels);
  }
  return out;
}

/** The same answers with confidences under new temperatures (a child's still times its parent's). */
export function recalibrate(result: LlmTriageResult, schema: FieldSchema[], temperatures: Record<string, number>): Record<string, FieldPrediction> {
  const out: Record<string, FieldPrediction> = { ...result.fields };
  const conf = new Map<string, number>();
  for (const field of answerFieldOrder(schema)) {
    const p = result.fields[field.name];
    const s = result.scores[field.name];
    if (!p || p.status !== 'predicted') continue;
    if (!s) {
      conf.set(field.name, p.confidence); // answered by another tier
      continue;
    }
    const parent = field.parentField ? (conf.get(field.parentField) ?? 1) : 1;
    const probs = calibratedTop(s, temperatures[field.name] ?? 1);
    const byValue = new Map(s.values.map((v, i) => [v, probs[i] * parent]));
    const confidence = byValue.get(p.value!) ?? 0;
    conf.set(field.name, confidence);
    out[field.name] = {
      ...p,
      confidence: Math.round(confidence * 1e4) / 1e4,
      alternatives: p.alternatives.map((a) => ({ ...a, confidence: Math.round((byValue.get(a.value) ?? 0) * 1e4) / 1e4 })),
    };
  }
  return out;
}
