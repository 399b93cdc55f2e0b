/**
 * Turns a model's per-field probabilities into predictions that never leave the allowed choices and never break a
 * parent link. The model may know classes the request does not allow (or that were deactivated), and the request
 * may allow values the model never saw: decoding conditions the model on the allowed set, decodes linked fields
 * jointly, and says why when a field cannot be answered instead of inventing a value.
 */
import { allowedChoices, resolveCandidates, type Candidate } from './decode-choices';
import { decodeForest, type TreeField } from './decode-tree';
import type { Alternative, FieldPrediction, FieldProbabilities, FieldSchema } from './types';

export interface DecodeOptions {
  /** Allowed choices per field for this request (values or labels); overrides the schema's active choices. */
  choices?: Record<string, string[]>;
  /** How many alternatives to return after the chosen value (default 3). */
  topK?: number;
}

const DEFAULT_TOP_K = 3;

/** Confidences travel to clients and the DB: four decimals are plenty and keep payloads stable. */
function round4(x: number): number {
  const clamped = Math.min(1, Math.max(0, x));
  return Math.round(clamped * 1e4) / 1e4;
}

function unpredictable(reason: string): FieldPrediction {
  return { status: 'unpredictable', value: null, label: null, confidence: 0, alternatives: [], reason };
}

function predicted(cands: Candidate[], chosenIndex: number, marginals: number[], topK: number): FieldPrediction {
  const chosen = cands[chosenIndex];
  // Stable sort keeps candidate order among equal marginals; zero-marginal values are impossible under the parent
  // links, so they are never offered as alternatives. Alternatives are ranked by marginal over all the field's
  // values, so a child's alternative may belong to another parent value than the one chosen (and may even have a
  // higher marginal than the chosen child: see decode-tree.ts).
  const alternatives: Alternative[] = cands
    .map((c, i) => ({ c, i, m: marginals[i] }))
    .filter((x) => x.i !== chosenIndex && x.m > 0)
    .sort((a, b) => b.m - a.m)
    .slice(0, topK)
    .map((x) => ({ value: x.c.value, label: x.c.label, confidence: round4(x.m) }));
  return {
    status: 'predicted',
    value: chosen.value,
    label: chosen.label,
    confidence: round4(marginals[chosenIndex]),
    alternatives,
  };
}

/**
 * One prediction per field of `schema`, plus any field named only in `opts.choices` (its strings are plain values).
 * Fields linked by `parentField` are decoded jointly (see decode-tree.ts): each confidence is the exact marginal of
 * the chosen value, values are chosen top-down by marginals (a root takes its most likely value, so it never shows a
 * lower confidence than its alternatives), and every chosen child is valid under its chosen parent.
 */
export function decodePrediction(
  probs: FieldProbabilities,
  schema: FieldSchema[],
  opts: DecodeOptions = {},
): Record<string, FieldPrediction> {
  const topK = Math.max(0, Math.floor(opts.topK ?? DEFAULT_TOP_K));
  const requested = opts.choices ?? {};
  const schemaByName = new Map(schema.map((f) => [f.name, f]));
  const fieldNames = [...schemaByName.keys()];
  for (const name of Object.keys(requested)) if (!schemaByName.has(name)) fieldNames.push(name);

  const out: Record<string, FieldPrediction> = {};
  const treeFields: TreeField[] = [];
  const candidatesOf = new Map<string, Candidate[]>();
  for (const name of fieldNames) {
    const fieldSchema = schemaByName.get(name);
    const req = Object.prototype.hasOwnProperty.call(requested, name) ? requested[name] : undefined;
    const allowed = allowedChoices(fieldSchema, req);
    const resolved = resolveCandidates(name, allowed, probs[name], req !== undefined);
    if (!resolved.ok) {
      out[name] = unpredictable(resolved.reason);
      continue;
    }
    candidatesOf.set(name, resolved.candidates);
    // A parent that is unpredictable is simply not a node, so its children decode on their own.
    treeFields.push({ field: name, parentField: fieldSchema?.parentField ?? null, candidates: resolved.candidates });
  }

  const decoded = decodeForest(treeFields);
  for (const [name, d] of decoded) {
    out[name] = d.ok ? predicted(candidatesOf.get(name)!, d.chosen, d.marginals, topK) : unpredictable(d.reason);
  }

  // Keep the schema's field order in the output: clients render it as is.
  const ordered: Record<string, FieldPrediction> = {};
  for (const name of fieldNames) ordered[name] = out[name];
  return ordered;
}
