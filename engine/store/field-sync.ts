import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { choices, fields } from '../db/schema';
import type { FieldSchema } from '../triage/types';

export interface ChoiceChange {
  field: string;
  change: 'added' | 'removed' | 'renamed' | 'deactivated' | 'reactivated' | 'reparented';
  value: string;
  detail: string;
}

/**
 * Makes the tenant's stored picklists match what the PSA says now and reports every difference. A choice the PSA
 * no longer lists is kept (old tickets and models refer to it) but marked inactive, so it is never predicted.
 * Runs inside the caller's transaction.
 */
export function syncFieldSchemas(db: Db, tenantId: string, schemas: FieldSchema[], source: string): ChoiceChange[] {
  const changes: ChoiceChange[] = [];
  const existing = db.select().from(fields).where(eq(fields.tenantId, tenantId)).all();
  let position = existing.length;
  for (const schema of schemas) {
    let field = existing.find((f) => f.name === schema.name);
    const isNewField = !field;
    if (!field) {
      field = db
        .insert(fields)
        .values({ tenantId, name: schema.name, label: schema.label, parentField: schema.parentField ?? null, source, position: position++ })
        .returning()
        .get();
    } else if (field.source !== source || field.label !== schema.label || field.parentField !== (schema.parentField ?? null)) {
      db.update(fields).set({ source, label: schema.label, parentField: schema.parentField ?? null }).where(eq(fields.id, field.id)).run();
    }
    const stored = new Map(db.select().from(choices).where(eq(choices.fieldId, field.id)).all().map((c) => [c.value, c]));
    schema.choices.forEach((choice, i) => {
      const old = stored.get(choice.value);
      const parent = choice.parent ?? null;
      if (!old) {
        db.insert(choices)
          .values({ fieldId: field.id, value: choice.value, label: choice.label, active: choice.active, parentValue: parent, position: i })
          .run();
        if (!isNewField) changes.push({ field: schema.name, change: 'added', value: choice.value, detail: `"${choice.label}" was added` });
        return;
      }
      stored.delete(choice.value);
      if (old.label !== choice.label) {
        changes.push({ field: schema.name, change: 'renamed', value: choice.value, detail: `"${old.label}" was renamed to "${choice.label}"` });
      }
      if (old.active && !choice.active) {
        changes.push({ field: schema.name, change: 'deactivated', value: choice.value, detail: `"${choice.label}" was deactivated` });
      }
      if (!old.active && choice.active) {
        changes.push({ field: schema.name, change: 'reactivated', value: choice.value, detail: `"${choice.label}" is active again` });
      }
      if ((old.parentValue ?? null) !== parent) {
        changes.push({ field: schema.name, change: 'reparented', value: choice.value, detail: `"${choice.label}" moved from parent ${old.parentValue ?? '(none)'} to ${parent ?? '(none)'}` });
      }
      if (old.label !== choice.label || old.active !== choice.active || (old.parentValue ?? null) !== parent || old.position !== i) {
        db.update(choices).set({ label: choice.label, active: choice.active, parentValue: parent, position: i }).where(eq(choices.id, old.id)).run();
      }
    });
    for (const gone of stored.values()) {
      if (!gone.active) continue;
      db.update(choices).set({ active: false }).where(eq(choices.id, gone.id)).run();
      changes.push({ field: schema.name, change: 'removed', value: gone.value, detail: `"${gone.label}" is no longer in the PSA's list` });
    }
  }
  return changes;
}
