/**
 * A GBNF grammar (llama.cpp's grammar format) for the answer: exactly the prompt module's JSON, each value one of
 * its field's allowed choices, and a child field's value one of the choices under the value its parent took.
 * The answer order puts every child right after its parent (prompt.ts), so the grammar can branch on the
 * parent's value: one rule per parent value lists that value's children.
 */
import type { AllowedChoice } from '../../triage/decode-choices';
import { answerFieldOrder, answerScaffold, choiceTexts, jsonStringContent } from '../../triage/prompt';
import type { FieldSchema } from '../../triage/types';

/** A GBNF string literal. */
function literal(text: string): string {
  let out = '"';
  for (const ch of text) {
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return `${out}"`;
}

export interface GrammarField {
  schema: FieldSchema;
  allowed: AllowedChoice[];
}

/**
 * `allowed` gives each field's allowed choices (the request's, or the schema's active ones). A field with no
 * allowed choice makes the whole answer impossible and is refused here rather than producing a grammar that
 * matches nothing.
 */
export function answerGrammar(schema: FieldSchema[], allowed: Record<string, AllowedChoice[]>): string {
  const fields = answerFieldOrder(schema);
  const scaffold = answerScaffold(fields);
  const index = new Map(fields.map((f, i) => [f.name, i]));
  const rules: string[] = [];
  let counter = 0;
  const textOf = new Map(fields.map((f) => [f.name, choiceTexts(f.choices)]));

  const valueText = (f: FieldSchema, c: AllowedChoice) => jsonStringContent(textOf.get(f.name)!.get(c.value) ?? c.label);

  /** Rule for field i onwards within its subtree sequence, given the parent's chosen value (if any). */
  const subtree = (f: FieldSchema, parentValue: string | null): string => {
    let choices = allowed[f.name] ?? [];
    if (parentValue !== null) choices = choices.filter((c) => c.parent === null || c.parent === parentValue);
    if (choices.length === 0) {
      throw new Error(parentValue === null ? `field "${f.name}" has no allowed choices` : `no allowed choice of "${f.name}" belongs to "${parentValue}"`);
    }
    const children = fields.filter((c) => c.parentField === f.name);
    const name = `f${counter++}`;
    const alternatives = choices.map((c) => {
      const parts = [literal(valueText(f, c))];
      for (const child of children) {
        parts.push(literal(scaffold[index.get(child.name)!]), subtree(child, c.value));
      }
      return parts.join(' ');
    });
    rules.push(`${name} ::= ${alternatives.join(' | ')}`);
    return name;
  };

  const top: string[] = [];
  fields.forEach((f, i) => {
    const isRoot = !f.parentField || !index.has(f.parentField);
    if (!isRoot) return;
    top.push(literal(scaffold[i]), subtree(f, null));
  });
  top.push(literal(scaffold[fields.length]));
  return [`root ::= ${top.join(' ')}`, ...rules].join('\n');
}
