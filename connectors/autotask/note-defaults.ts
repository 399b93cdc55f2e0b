/**
 * Which noteType and publish values a triage note gets. Both are tenant picklists on TicketNotes (facts A9),
 * so they are read from `TicketNotes/entityInformation/fields`, never hard-coded:
 * - publish: the note is for technicians, not the customer, so an "Internal Only"-style value wins, then
 *   "All Autotask Users" (visible to every internal user, never to the client portal), then the default.
 * - noteType: the tenant's default note type (what a technician's note gets), else the first active one.
 * A connection can override either with explicit ids.
 */
import type { FieldInfo, PicklistValue } from './schemas';

export interface NoteDefaults {
  noteType: number;
  publish: number;
}

const active = (values: PicklistValue[] | null | undefined) => (values ?? []).filter((v) => v.isActive ?? true);

function defaultOrFirst(values: PicklistValue[]): PicklistValue | undefined {
  return values.find((v) => v.isDefaultValue) ?? values[0];
}

export function chooseNoteDefaults(fields: FieldInfo[], overrides: Partial<NoteDefaults> = {}): NoteDefaults {
  const field = (name: string) => fields.find((f) => f.name.toLowerCase() === name.toLowerCase());
  const noteTypes = active(field('noteType')?.picklistValues);
  const publishes = active(field('publish')?.picklistValues);
  const publish =
    publishes.find((v) => /^internal( only)?$/i.test(v.label.trim())) ??
    publishes.find((v) => /all autotask users/i.test(v.label)) ??
    defaultOrFirst(publishes);
  const noteType = defaultOrFirst(noteTypes);
  const pickedNoteType = overrides.noteType ?? (noteType ? Number(noteType.value) : undefined);
  const pickedPublish = overrides.publish ?? (publish ? Number(publish.value) : undefined);
  if (pickedNoteType === undefined || pickedPublish === undefined || !Number.isInteger(pickedNoteType) || !Number.isInteger(pickedPublish)) {
    throw new Error('Autotask ticket notes: no active noteType/publish picklist values were found; set noteType and notePublish explicitly');
  }
  return { noteType: pickedNoteType, publish: pickedPublish };
}
