/**
 * The contract every part shares (see ARCHITECTURE.md, "The contract that every part shares").
 * Plain types only: zod lives at the edges (HTTP, files), these are what flows inside.
 */

/** One allowed value of a tenant field. `parent` ties a child choice (sub-issue type) to a parent field's value. */
export interface Choice {
  value: string;
  label: string;
  active: boolean;
  parent?: string | null;
}

/** A tenant's field with its choice list. `parentField` names the field whose value `Choice.parent` refers to. */
export interface FieldSchema {
  name: string;
  label: string;
  parentField?: string | null;
  choices: Choice[];
}

export interface TicketText {
  title: string;
  description: string;
}

/** A ticket as imported: text plus one label per field (a field may be missing for some tickets). */
export interface LabeledTicket extends TicketText {
  id?: string;
  fields: Record<string, string>;
}

export interface Alternative {
  value: string;
  label: string;
  confidence: number;
}

/**
 * The prediction for one field. `status: 'unpredictable'` means the model cannot answer among the allowed
 * choices (it never saw any of them, or was not trained on the field): `value` is then null and `reason` says why.
 */
export interface FieldPrediction {
  status: 'predicted' | 'unpredictable';
  value: string | null;
  label: string | null;
  /** Calibrated probability (0..1) that `value` is the technician's final value. */
  confidence: number;
  /** Top alternatives after `value`, best first (at most 3). */
  alternatives: Alternative[];
  reason?: string;
}

/** Per-field probability over the model's known classes (values), already calibrated. */
export type FieldProbabilities = Record<string, Map<string, number>>;

/** The text a model sees for a ticket: one place, so training and serving agree. */
export function ticketText(t: TicketText): string {
  const title = t.title.trim();
  const description = t.description.trim();
  if (!title) return description;
  if (!description) return title;
  return `${title}\n${description}`;
}
