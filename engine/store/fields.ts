import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { choices, fields } from '../db/schema';
import type { FieldSchema } from '../triage/types';

/** The tenant's fields with their choices, in a stable order (the contract's FieldSchema). */
export function getFieldSchemas(db: Db, tenantId: string): FieldSchema[] {
  const rows = db
    .select()
    .from(fields)
    .where(eq(fields.tenantId, tenantId))
    .orderBy(asc(fields.position), asc(fields.id))
    .all();
  if (rows.length === 0) return [];
  const choiceRows = db
    .select()
    .from(choices)
    .where(inArray(choices.fieldId, rows.map((r) => r.id)))
    .orderBy(asc(choices.position), asc(choices.id))
    .all();
  return rows.map((f) => ({
    name: f.name,
    label: f.label,
    parentField: f.parentField,
    choices: choiceRows
      .filter((c) => c.fieldId === f.id)
      .map((c) => ({ value: c.value, label: c.label, active: c.active, parent: c.parentValue })),
  }));
}

/** Map of field name to row id for a tenant; fields are created by `mergeFieldSchemas`. */
export function fieldIds(db: Db, tenantId: string): Map<string, number> {
  const rows = db.select({ id: fields.id, name: fields.name }).from(fields).where(eq(fields.tenantId, tenantId)).all();
  return new Map(rows.map((r) => [r.name, r.id]));
}

/**
 * Adds fields and choices that the tenant does not have yet. Choices derived from labels never override a
 * picklist that a connector synced (source !== 'labels'): labels only add values the picklist lacks.
 * Must run inside the caller's transaction so that an import stays all-or-nothing.
 */
export function mergeFieldSchemas(db: Db, tenantId: string, schemas: FieldSchema[], source = 'labels'): void {
  const existing = db.select().from(fields).where(eq(fields.tenantId, tenantId)).all();
  let position = existing.length;
  for (const schema of schemas) {
    let field = existing.find((f) => f.name === schema.name);
    if (!field) {
      field = db
        .insert(fields)
        .values({
          tenantId,
          name: schema.name,
          label: schema.label,
          parentField: schema.parentField ?? null,
          source,
          position: position++,
        })
        .returning()
        .get();
    }
    const known = new Set(
      db
        .select({ value: choices.value })
        .from(choices)
        .where(eq(choices.fieldId, field.id))
        .all()
        .map((c) => c.value),
    );
    let choicePosition = known.size;
    for (const choice of schema.choices) {
      if (known.has(choice.value)) continue;
      db.insert(choices)
        .values({
          fieldId: field.id,
          value: choice.value,
          label: choice.label,
          active: choice.active,
          parentValue: choice.parent ?? null,
          position: choicePosition++,
        })
        .run();
      known.add(choice.value);
    }
  }
}
