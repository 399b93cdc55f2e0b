/**
 * Which choices a field may take for one request, and which of them the model can score.
 *
 * A prediction never leaves the tenant's choices: the allowed set comes from the request (`choices[field]`, as in
 * the prototype's `/predict`) or else from the schema's active choices, and the model's distribution is conditioned
 * on it. When that leaves nothing to score, the field is unpredictable and the reason says exactly why, so that a
 * caller never receives a made-up value.
 */
import type { Choice, FieldSchema } from './types';

/** A choice allowed for this request. `parent` is the parent field's value this choice belongs to (null: any). */
export interface AllowedChoice {
  value: string;
  label: string;
  parent: string | null;
}

/** An allowed choice the model knows, with its probability renormalised over the field's candidates. */
export interface Candidate extends AllowedChoice {
  p: number;
}

export type ResolvedField = { ok: true; candidates: Candidate[] } | { ok: false; reason: string };

/** How many allowed values a reason quotes before summarising the rest: reasons stay one readable line. */
const QUOTED_IN_REASON = 5;

function toAllowed(c: Choice): AllowedChoice {
  // An empty-string parent means "no parent" in some PSA exports; treat it as compatible with every parent value.
  return { value: c.value, label: c.label, parent: c.parent ? c.parent : null };
}

/** Prefer an active choice when two share a key (renamed picklist entries often leave an inactive twin). */
function indexBy(choices: Choice[], key: (c: Choice) => string): Map<string, Choice> {
  const map = new Map<string, Choice>();
  for (const c of choices) {
    const k = key(c);
    const seen = map.get(k);
    if (!seen || (!seen.active && c.active)) map.set(k, c);
  }
  return map;
}

/**
 * The allowed choices of a field. A requested string matches a schema choice by exact value, then by value or label
 * ignoring case; a string that matches nothing is still allowed as a plain value (the caller may know values the
 * synced schema does not yet have). A request may name an inactive choice: the caller asked for it explicitly.
 * Without a request list, only the schema's active choices are allowed.
 */
export function allowedChoices(schema: FieldSchema | undefined, requested: string[] | undefined): AllowedChoice[] {
  const choices = schema?.choices ?? [];
  if (requested === undefined) return choices.filter((c) => c.active).map(toAllowed);

  const byValue = indexBy(choices, (c) => c.value);
  const byValueCi = indexBy(choices, (c) => c.value.toLowerCase());
  const byLabelCi = indexBy(choices, (c) => c.label.toLowerCase());
  const out: AllowedChoice[] = [];
  const seen = new Set<string>();
  for (const raw of requested) {
    const s = String(raw).trim();
    if (!s) continue;
    const lower = s.toLowerCase();
    const match = byValue.get(s) ?? byValueCi.get(lower) ?? byLabelCi.get(lower);
    const allowed = match ? toAllowed(match) : { value: s, label: s, parent: null };
    if (seen.has(allowed.value)) continue;
    seen.add(allowed.value);
    out.push(allowed);
  }
  return out;
}

function quoteList(values: string[]): string {
  const shown = values.slice(0, QUOTED_IN_REASON).map((v) => JSON.stringify(v));
  const rest = values.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}

/** A probability as the model gave it, with anything that is not a finite non-negative number read as 0. */
function cleanProbability(p: number | undefined): number {
  return typeof p === 'number' && Number.isFinite(p) && p > 0 ? p : 0;
}

/**
 * The candidates of a field: allowed choices the model knows, with the model's probability conditioned on the
 * allowed set. `fromRequest` only changes the wording of the reason for an empty allowed list.
 */
export function resolveCandidates(
  field: string,
  allowed: AllowedChoice[],
  dist: Map<string, number> | undefined,
  fromRequest: boolean,
): ResolvedField {
  if (!dist || dist.size === 0) return { ok: false, reason: `model was not trained on field "${field}"` };
  if (allowed.length === 0) {
    const reason = fromRequest
      ? `the request allows no choices for field "${field}"`
      : `field "${field}" has no active choices in the schema`;
    return { ok: false, reason };
  }
  const known = allowed.filter((a) => dist.has(a.value));
  if (known.length === 0) {
    const reason =
      allowed.length === 1
        ? `the only allowed choice (${quoteList([allowed[0].value])}) does not appear in this model's training data`
        : `none of the ${allowed.length} allowed choices (${quoteList(allowed.map((a) => a.value))}) appear in this model's training data`;
    return { ok: false, reason };
  }
  const scored = known.map((a) => ({ ...a, p: cleanProbability(dist.get(a.value)) }));
  const total = scored.reduce((s, c) => s + c.p, 0);
  if (total <= 0) {
    return {
      ok: false,
      reason: `the model gives zero probability to all ${known.length} allowed choices of "${field}" that it knows`,
    };
  }
  // Zero-probability candidates can never be chosen nor offered, so they are dropped here once.
  const candidates = scored.filter((c) => c.p > 0).map((c) => ({ ...c, p: c.p / total }));
  return { ok: true, candidates };
}
