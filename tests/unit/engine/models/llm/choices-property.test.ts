import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../../../engine/demo/prng';
import { generateDemoTenant } from '../../../../../engine/demo/generate';
import { generateAnswer } from '../../../../../engine/models/llm/generate';
import { llmTriage } from '../../../../../engine/models/llm/llm-triage';
import { LlmRuntime } from '../../../../../engine/models/llm/runtime';
import { allowedChoices } from '../../../../../engine/triage/decode-choices';
import { answerFieldOrder, choiceTexts } from '../../../../../engine/triage/prompt';
import type { FieldSchema } from '../../../../../engine/triage/types';

const TINY = path.resolve('tests/fixtures/llm/tiny');
const WORDS = ['printer', 'VPN', 'Outlook', 'passwort', 'écran', '"quoted"', 'back\\slash', '<|im_start|>', '{"issue_type": "x"}', 'ünïcödé', '🙂', '\n', 'urgent', ''];

function randomText(rng: Rng, max: number): string {
  return Array.from({ length: rng.int(0, max) }, () => rng.pick(WORDS)).join(' ');
}

/** A random request: some fields restricted to a random subset of their choices (plus, sometimes, a new value). */
function randomChoices(rng: Rng, schema: FieldSchema[]): Record<string, string[]> | undefined {
  if (rng.chance(0.3)) return undefined;
  const out: Record<string, string[]> = {};
  for (const f of schema) {
    if (!rng.chance(0.5)) continue;
    const picked = f.choices.filter(() => rng.chance(0.4)).map((c) => (rng.chance(0.5) ? c.value : c.label.toUpperCase()));
    if (rng.chance(0.1)) picked.push(`New ${f.name} value`);
    if (picked.length === 0) picked.push(rng.pick(f.choices).value);
    out[f.name] = picked;
  }
  return out;
}

describe('the llm tier never leaves the allowed choices or breaks a parent link (property test, tiny model)', () => {
  let runtime: LlmRuntime;
  const schema = generateDemoTenant({ count: 1, seed: 1 }).fields;

  beforeAll(async () => {
    runtime = await LlmRuntime.load({ model: path.join(TINY, 'tiny-qwen2.gguf'), gpu: false });
  });
  afterAll(async () => {
    await runtime?.dispose();
  });

  it('choice search: 1,000 random tickets and choice sets', async () => {
    const rng = new Rng(20261202);
    let predictedChildren = 0;
    for (let n = 0; n < 1000; n++) {
      const choices = randomChoices(rng, schema);
      const ticket = { title: randomText(rng, 6), description: randomText(rng, 12) };
      const result = await llmTriage(runtime, ticket, schema, { adapterFile: rng.chance(0.5) ? path.join(TINY, 'adapter-0.gguf') : null, choices, topK: 3 });
      // The answer is the prompt's JSON, keys in answer order, every value one of the field's choice texts.
      const answer = JSON.parse(result.answer) as Record<string, string>;
      expect(Object.keys(answer)).toEqual(answerFieldOrder(schema).map((f) => f.name));
      for (const f of schema) {
        const p = result.fields[f.name];
        const allowed = allowedChoices(f, choices?.[f.name]);
        if (p.status === 'unpredictable') {
          expect(p.reason).toMatch(/no allowed choice|allows no choices/);
          continue;
        }
        expect(allowed.map((a) => a.value)).toContain(p.value);
        const text = choiceTexts(f.choices).get(p.value!) ?? p.label;
        expect(answer[f.name]).toBe(text);
        for (const alt of p.alternatives) expect(allowed.map((a) => a.value)).toContain(alt.value);
        expect(p.confidence).toBeGreaterThan(0);
        expect(p.confidence).toBeLessThanOrEqual(1);
        if (f.parentField && result.fields[f.parentField].status === 'predicted') {
          const parent = f.choices.find((c) => c.value === p.value)?.parent;
          if (parent) {
            expect(parent).toBe(result.fields[f.parentField].value);
            predictedChildren++;
          }
        }
      }
    }
    expect(predictedChildren).toBeGreaterThan(300);
  }, 600_000);

  it('free generation under the answer grammar: 100 random tickets and choice sets', async () => {
    const rng = new Rng(7);
    for (let n = 0; n < 100; n++) {
      const choices = randomChoices(rng, schema);
      let answer: Record<string, string>;
      try {
        const out = await generateAnswer(runtime, { title: randomText(rng, 6), description: randomText(rng, 10) }, schema, { adapterFile: null, choices, maxTokens: 1024 });
        answer = JSON.parse(out.text);
      } catch (err) {
        // A child with no allowed choice under some parent makes no grammar at all: refused up front, clearly.
        expect((err as Error).message).toMatch(/no allowed choice of "sub_issue_type" belongs to|has no allowed choices/);
        continue;
      }
      for (const f of schema) {
        const texts = choiceTexts(f.choices);
        const allowed = allowedChoices(f, choices?.[f.name]);
        const match = allowed.find((a) => (texts.get(a.value) ?? a.label) === answer[f.name]);
        expect(match, `${f.name}: ${answer[f.name]}`).toBeDefined();
        if (f.parentField && match?.parent) {
          const parentField = schema.find((s) => s.name === f.parentField)!;
          const parentTexts = choiceTexts(parentField.choices);
          expect(parentTexts.get(match.parent)).toBe(answer[f.parentField]);
        }
      }
    }
  }, 600_000);
});
