import fs from 'node:fs';
import path from 'node:path';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { GOLDEN_FILE, renderGolden } from '../../../../engine/models/llm/tiny/prompt-golden';
import { answerFieldOrder, answerSegments, answerText, choiceTexts, promptMessages, trainingExample, MAX_LISTED_CHOICES } from '../../../../engine/triage/prompt';
import type { FieldSchema } from '../../../../engine/triage/types';

const field = (name: string, labels: string[], parentField?: string): FieldSchema => ({
  name,
  label: name.toUpperCase(),
  parentField,
  choices: labels.map((l, i) => ({ value: `${name}-${i}`, label: l, active: true, parent: parentField ? `${parentField}-0` : null })),
});

describe('prompt module', () => {
  it('puts every child right after its parent, roots in schema order', () => {
    const schema = [field('sub', ['a'], 'issue'), field('queue', ['q']), field('issue', ['i']), field('subsub', ['x'], 'sub')];
    expect(answerFieldOrder(schema).map((f) => f.name)).toEqual(['queue', 'issue', 'sub', 'subsub']);
    expect(() => answerFieldOrder([field('a', ['1'], 'b'), field('b', ['1'], 'a')])).toThrow(/a, b form a parentField cycle/);
  });

  it('writes each choice as a unique text, so an answer maps back to exactly one value', () => {
    const f: FieldSchema = { name: 'q', label: 'Q', choices: [{ value: '7', label: 'Tier 1', active: true }, { value: '9', label: 'Tier 1', active: false }, { value: '3', label: 'Tier 2', active: true }] };
    expect([...choiceTexts(f.choices).entries()]).toEqual([['7', 'Tier 1 (7)'], ['9', 'Tier 1 (9)'], ['3', 'Tier 2']]);
  });

  it('renders the answer as JSON whose segments alternate scaffold and escaped values', () => {
    const schema = [field('issue', ['E-mail "Exchange"', 'Back\\slash']), field('sub', ['Mailbox'], 'issue')];
    const values = { issue: 'issue-0', sub: 'sub-0' };
    const segments = answerSegments(schema, values);
    expect(segments).toEqual(['{"issue": "', 'E-mail \\"Exchange\\"', '", "sub": "', 'Mailbox', '"}']);
    expect(JSON.parse(answerText(schema, values))).toEqual({ issue: 'E-mail "Exchange"', sub: 'Mailbox' });
  });

  it('lists small choice lists in the system message and only counts large ones', () => {
    const big = field('sub', Array.from({ length: MAX_LISTED_CHOICES + 1 }, (_, i) => `choice ${i}`));
    const [system, user] = promptMessages({ title: 'VPN down', description: '' }, [field('prio', ['High', 'Low']), big]);
    expect(system.content).toContain('- prio (PRIO): one of "High", "Low"');
    expect(system.content).toContain(`- sub (SUB): one of the tenant's ${MAX_LISTED_CHOICES + 1} choices`);
    expect(user).toEqual({ role: 'user', content: 'VPN down' });
  });

  it('leaves a field the technician never set out of a training answer', () => {
    const schema = [field('prio', ['High']), field('queue', ['Q'])];
    const ex = trainingExample({ title: 't', description: 'd', fields: { queue: 'queue-0' } }, schema);
    expect(ex.answer_segments).toEqual(['{"queue": "', 'Q', '"}']);
    expect(ex.value_fields).toEqual(['queue']);
  });

  it('golden: serving renders the committed prompt (the trainer checks the same file on its side)', async () => {
    const golden = JSON.parse(fs.readFileSync(GOLDEN_FILE, 'utf8'));
    const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: path.join(path.dirname(GOLDEN_FILE), 'tiny/tiny-qwen2.gguf') });
    try {
      const now = renderGolden(model);
      expect(now.prompt_text).toBe(golden.prompt_text);
      expect(now.prompt_ids).toEqual(golden.prompt_ids);
      expect(now.answer_ids).toEqual(golden.answer_ids);
      expect(now.messages).toEqual(golden.messages);
      expect(now.prompt_text.startsWith('<|im_start|>system\n')).toBe(true);
      expect(now.prompt_text.endsWith('<|im_end|>\n<|im_start|>assistant\n')).toBe(true);
    } finally {
      await model.dispose();
    }
  });
});
