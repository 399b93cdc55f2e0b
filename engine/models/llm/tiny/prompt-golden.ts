/**
 * The prompt golden file: one ticket with a realistic schema (parent links, a label needing JSON escapes, a
 * non-ASCII description, a retrieval example) rendered through the serving path (node-llama-cpp, the GGUF's own
 * chat template) into text and token ids. The engine's test checks serving still renders exactly this; the
 * trainer's test (engine/trainer/tests) checks that transformers' apply_chat_template + its tokenizer render the
 * same text and ids. Together they prove training and serving see byte-identical prompts.
 *
 * Regenerate (only when the prompt module changes on purpose): npx tsx engine/models/llm/tiny/prompt-golden.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LlamaModel } from 'node-llama-cpp';
import { trainingExample, type TrainingExample } from '../../../triage/prompt';
import type { FieldSchema } from '../../../triage/types';
import { renderPromptText, promptTokens } from '../chat-render';

export const GOLDEN_FILE = path.join(import.meta.dirname, '../../../../tests/fixtures/llm/prompt-golden.json');

export const GOLDEN_SCHEMA: FieldSchema[] = [
  { name: 'priority', label: 'Priority', choices: [{ value: '1', label: 'High', active: true }, { value: '2', label: 'Low', active: true }] },
  {
    name: 'issue_type',
    label: 'Issue Type',
    choices: [
      { value: '10', label: 'Hardware', active: true },
      { value: '11', label: 'E-mail "Exchange"', active: true },
    ],
  },
  {
    name: 'sub_issue_type',
    label: 'Sub-Issue Type',
    parentField: 'issue_type',
    choices: [
      { value: '100', label: 'Laptop', active: true, parent: '10' },
      { value: '101', label: 'Mailbox full', active: true, parent: '11' },
      { value: '102', label: 'Old choice', active: false, parent: '11' },
    ],
  },
];

export const GOLDEN_TICKET = {
  title: 'Outlook: Postfach voll — "quota exceeded"',
  description: 'Seit heute früh kann ich keine Mails senden.\nBitte dringend prüfen!',
  fields: { priority: '1', issue_type: '11', sub_issue_type: '101' },
};

export const GOLDEN_EXAMPLE = {
  title: 'Laptop will not boot',
  description: 'Black screen after the update',
  fields: { priority: '2', issue_type: '10', sub_issue_type: '100' },
};

export interface PromptGolden extends TrainingExample {
  prompt_text: string;
  prompt_ids: number[];
  answer_ids: number[];
}

export function renderGolden(model: LlamaModel): PromptGolden {
  const example = trainingExample(GOLDEN_TICKET, GOLDEN_SCHEMA, { examples: [GOLDEN_EXAMPLE] });
  const eos = model.tokens.eos;
  if (eos === null) throw new Error('the model has no end-of-turn token');
  return {
    ...example,
    prompt_text: renderPromptText(model, example.messages),
    prompt_ids: promptTokens(model, example.messages).map(Number),
    answer_ids: [...example.answer_segments.flatMap((s) => model.tokenize(s, false).map(Number)), Number(eos)],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: path.join(path.dirname(GOLDEN_FILE), 'tiny/tiny-qwen2.gguf') });
  fs.writeFileSync(GOLDEN_FILE, `${JSON.stringify(renderGolden(model), null, 2)}\n`);
  console.log(`wrote ${GOLDEN_FILE}`);
  await model.dispose();
}
