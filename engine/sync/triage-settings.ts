import type { TriageSettings } from '../db/schema';
import type { EvalReport } from '../eval';
import type { Checkpoint } from '../store/checkpoints';

/** What a tenant gets until it says otherwise: nothing is written back before someone opts in. */
export const DEFAULT_TRIAGE: Required<Omit<TriageSettings, 'defaultThreshold'>> & Pick<TriageSettings, 'defaultThreshold'> = {
  mode: 'shadow',
  thresholds: {},
  note: true,
};

/**
 * The confidence at or above which a field is written back: the tenant's own threshold for the field, else its
 * default, else the threshold at which the deployed checkpoint reached 95% precision on its held-out test split
 * (the validation split may have been trained on, when the fast tier refits on train + validation).
 * A field that never reached that precision is never written back automatically (Infinity).
 */
export function thresholdFor(field: string, settings: TriageSettings, checkpoint: Checkpoint): number {
  const own = settings.thresholds?.[field] ?? settings.defaultThreshold;
  if (typeof own === 'number') return own;
  const metrics = checkpoint.metrics as { validation?: EvalReport; test?: EvalReport } | null;
  const report = metrics?.test ?? metrics?.validation;
  const t = report?.fields.find((f) => f.field === field)?.autoApply.threshold;
  return typeof t === 'number' ? t : Infinity;
}
