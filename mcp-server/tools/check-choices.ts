/**
 * Checks triage_ticket's `choices` against the tenant's field schema, so a value the tenant does not have is an
 * error that lists the allowed ones instead of a silently unpredictable field.
 */
import type { FieldSchema } from '../../engine/client/engine-client';

const MAX_LISTED = 60;

function allowedList(field: FieldSchema): string {
  const shown = field.choices.slice(0, MAX_LISTED).map((c) => {
    const label = c.label !== c.value ? ` (${c.label})` : '';
    return `"${c.value}"${label}${c.active ? '' : ' [inactive]'}`;
  });
  const more = field.choices.length > MAX_LISTED ? `, … ${field.choices.length - MAX_LISTED} more (see get_tenant_fields)` : '';
  return `${shown.join(', ')}${more}`;
}

/** Null when every field and value exists; otherwise the message for the agent. */
export function checkChoices(tenant: string, schema: FieldSchema[], choices: Record<string, string[]>): string | null {
  const problems: string[] = [];
  for (const [name, values] of Object.entries(choices)) {
    const field = schema.find((f) => f.name === name);
    if (!field) {
      problems.push(`choices.${name}: tenant "${tenant}" has no field "${name}"; its fields are: ${schema.map((f) => f.name).join(', ') || 'none yet'}.`);
      continue;
    }
    // The engine accepts a choice's value or its label.
    const known = new Set(field.choices.flatMap((c) => [c.value, c.label]));
    const bad = values.filter((v) => !known.has(v));
    if (bad.length) {
      problems.push(`choices.${name}: ${bad.map((v) => JSON.stringify(v)).join(', ')} ${bad.length === 1 ? 'is' : 'are'} not among the choices of "${name}". Allowed values: ${allowedList(field)}.`);
    }
  }
  return problems.length ? problems.join('\n') : null;
}
