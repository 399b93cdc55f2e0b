/**
 * The prompt: one module turns a ticket and a tenant's field schema into chat messages and the JSON answer, for
 * serving (engine/models/llm) and for training (the examples the GPU trainer reads). The answer is a JSON object
 * with one key per field, in an order where a parent field comes before its children, so a child is always chosen
 * knowing its parent.
 *
 * The answer is also given as segments: JSON scaffolding and field values alternate, and each segment is
 * tokenized on its own, by the trainer and by serving alike. That fixes the token boundaries around every value,
 * so the tokens a model learned for "Laptop" are the tokens serving scores for "Laptop".
 */
import { ticketText, type Choice, type FieldSchema, type TicketText } from './types';

export type ChatRole = 'system' | 'user' | 'assistant';
export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** A past ticket with its labels, shown to the model as a worked example (retrieval). */
export interface PromptExample extends TicketText {
  fields: Record<string, string>;
}

export interface PromptOptions {
  /** Similar past tickets with their answers (retrieval); most similar first. */
  examples?: PromptExample[];
}

/** Fields with at most this many choices have them listed in the prompt; larger lists are only named. */
export const MAX_LISTED_CHOICES = 30;
/** Description text kept per example, so examples never crowd out the ticket itself. */
const EXAMPLE_TEXT_CHARS = 400;

/**
 * The answer's field order: each root field in schema order, followed at once by its children (depth first). A
 * child right after its parent lets a grammar tie the child's choices to the parent's value (grammar.ts), and the
 * model always writes a child knowing its parent.
 */
export function answerFieldOrder(schema: FieldSchema[]): FieldSchema[] {
  const names = new Set(schema.map((f) => f.name));
  const isRoot = (f: FieldSchema) => !f.parentField || !names.has(f.parentField);
  const out: FieldSchema[] = [];
  const visit = (f: FieldSchema, depth: number) => {
    if (depth > schema.length) throw new Error(`field "${f.name}" is its own ancestor through parentField`);
    out.push(f);
    for (const child of schema) if (child.parentField === f.name && child !== f) visit(child, depth + 1);
  };
  for (const f of schema) if (isRoot(f)) visit(f, 0);
  if (out.length !== schema.length) {
    const cyclic = schema.filter((f) => !out.includes(f)).map((f) => f.name);
    throw new Error(`fields ${cyclic.join(', ')} form a parentField cycle`);
  }
  return out;
}

/**
 * The text a choice is written as in the answer: its label, made unique within the field (two choices with the
 * same label get their value appended), so every answer maps back to exactly one value.
 */
export function choiceTexts(choices: Choice[]): Map<string, string> {
  const counts = new Map<string, number>();
  for (const c of choices) counts.set(c.label, (counts.get(c.label) ?? 0) + 1);
  return new Map(choices.map((c) => [c.value, (counts.get(c.label) ?? 0) > 1 ? `${c.label} (${c.value})` : c.label]));
}

function describeField(f: FieldSchema): string {
  const active = f.choices.filter((c) => c.active);
  // Texts made unique over every choice, as the answer, the search and the training examples spell them.
  const texts = choiceTexts(f.choices);
  const parent = f.parentField ? `, depends on ${f.parentField}` : '';
  if (active.length <= MAX_LISTED_CHOICES) {
    return `- ${f.name} (${f.label}${parent}): one of ${active.map((c) => JSON.stringify(texts.get(c.value))).join(', ')}`;
  }
  return `- ${f.name} (${f.label}${parent}): one of the tenant's ${active.length} choices`;
}

export function systemMessage(schema: FieldSchema[]): string {
  const fields = answerFieldOrder(schema);
  return [
    'You triage helpdesk tickets for a managed service provider.',
    'Answer with one JSON object that has exactly these keys, each set to one of its allowed values:',
    ...fields.map(describeField),
  ].join('\n');
}

function ticketBlock(t: TicketText, maxChars?: number): string {
  const text = ticketText(t);
  return maxChars && text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

export function userMessage(ticket: TicketText, schema: FieldSchema[], opts: PromptOptions = {}): string {
  const parts: string[] = [];
  if (opts.examples?.length) {
    parts.push('Similar past tickets and how they were triaged:');
    opts.examples.forEach((ex, i) => {
      parts.push(`Example ${i + 1}:\n${ticketBlock(ex, EXAMPLE_TEXT_CHARS)}\nAnswer: ${answerText(schema, ex.fields)}`);
    });
    parts.push('Now this ticket:');
  }
  parts.push(ticketBlock(ticket));
  return parts.join('\n\n');
}

export function promptMessages(ticket: TicketText, schema: FieldSchema[], opts: PromptOptions = {}): ChatMessage[] {
  return [
    { role: 'system', content: systemMessage(schema) },
    { role: 'user', content: userMessage(ticket, schema, opts) },
  ];
}

/** JSON-escapes a string's content (what goes between the quotes). */
export function jsonStringContent(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

/**
 * The answer's scaffolding around the values: `scaffold[i]` comes before field i's value, and the last element
 * closes the object. `scaffold.length === fields.length + 1`.
 */
export function answerScaffold(fields: FieldSchema[]): string[] {
  if (fields.length === 0) return ['{}'];
  return [
    `{"${jsonStringContent(fields[0].name)}": "`,
    ...fields.slice(1).map((f) => `", "${jsonStringContent(f.name)}": "`),
    '"}',
  ];
}

/** The answer as alternating segments: scaffold, value, scaffold, value, …, scaffold. Values are choice texts. */
export function answerSegments(schema: FieldSchema[], values: Record<string, string>): string[] {
  const fields = answerFieldOrder(schema);
  const scaffold = answerScaffold(fields);
  const segments: string[] = [];
  fields.forEach((f, i) => {
    const text = choiceTexts(f.choices).get(values[f.name]) ?? values[f.name] ?? '';
    segments.push(scaffold[i], jsonStringContent(text));
  });
  segments.push(scaffold[fields.length]);
  return segments;
}

export function answerText(schema: FieldSchema[], values: Record<string, string>): string {
  return answerSegments(schema, values).join('');
}

/** One line of the trainer's examples file (JSON Lines): what the GPU trainer reads. */
export interface TrainingExample {
  messages: ChatMessage[];
  /** Tokenize each on its own and concatenate; loss is taken on these tokens (and the end-of-turn token). */
  answer_segments: string[];
  /** Which segments hold field values (odd indexes), for per-field metrics in the trainer. */
  value_fields: string[];
}

/**
 * A training example for a labelled ticket. Fields the ticket has no label for are left out of its answer: the
 * model is not taught to guess a value the technician never chose.
 */
export function trainingExample(ticket: TicketText & { fields: Record<string, string> }, schema: FieldSchema[], opts: PromptOptions = {}): TrainingExample {
  const labelled = schema.filter((f) => ticket.fields[f.name] !== undefined);
  return {
    messages: promptMessages(ticket, schema, opts),
    answer_segments: answerSegments(labelled, ticket.fields),
    value_fields: answerFieldOrder(labelled).map((f) => f.name),
  };
}
