/** Field schemas learned from labels alone, for tenants whose picklists come from an uploaded file. */
import type { FieldSchema, LabeledTicket } from '../triage/types';

/**
 * One schema per field, choices ordered by how often they occur (then by value, so ties are stable across
 * runs). A file carries no picklist hierarchy or inactive values, so every choice is active and has no parent.
 */
export function deriveFieldSchemas(tickets: LabeledTicket[], fields: string[]): FieldSchema[] {
  return fields.map((name) => {
    const counts = new Map<string, number>();
    for (const ticket of tickets) {
      const label = ticket.fields[name];
      if (label !== undefined) counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    const values = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
    return {
      name,
      label: name,
      parentField: null,
      choices: values.map((value) => ({ value, label: value, active: true })),
    };
  });
}
