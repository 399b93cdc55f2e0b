/**
 * Writes the demo tenant's training examples exactly as an engine would for an llm run with `params.train`:
 * same generated tickets, same frozen dataset split, same prompt module. Used to run the Python trainer on the
 * GPU machine (which has no Node) and bring the adapter back: `npx tsx bench/gpu/trainer-e2e-data.ts .device/e2e`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../engine/db';
import { generateDemoTenant } from '../../engine/demo';
import { createDataset, loadSplit } from '../../engine/store/datasets';
import { getFieldSchemas, mergeFieldSchemas } from '../../engine/store/fields';
import { createTenant } from '../../engine/store/tenants';
import { storeImport } from '../../engine/store/tickets';
import { answerFieldOrder, choiceTexts, jsonStringContent, trainingExample } from '../../engine/triage/prompt';

const out = process.argv[2] ?? '.device/e2e';
fs.mkdirSync(out, { recursive: true });
const db = openDb(':memory:');
const demo = generateDemoTenant({ count: 4000, seed: 42 });
createTenant(db, { id: 'demo' });
mergeFieldSchemas(db, 'demo', demo.fields, 'demo');
storeImport(db, 'demo', { format: 'generated', filename: 'demo', sha256: 'generated-seed-42', fields: demo.fields.map((f) => f.name), tickets: demo.tickets, schemas: [] });
const dataset = createDataset(db, 'demo', {});
const schema = getFieldSchemas(db, 'demo');
for (const split of ['train', 'validation', 'test'] as const) {
  const rows = loadSplit(db, dataset.id, split).map((t) => JSON.stringify(trainingExample(t, schema)));
  fs.writeFileSync(path.join(out, `${split}.jsonl`), rows.join('\n') + '\n');
}
const fields = answerFieldOrder(schema);
fs.writeFileSync(
  path.join(out, 'fields.json'),
  JSON.stringify({
    field_choices: Object.fromEntries(fields.map((f) => [f.name, [...choiceTexts(f.choices.filter((c) => c.active)).values()].map(jsonStringContent)])),
  }),
);
console.log(`dataset ${dataset.id}: ${JSON.stringify(dataset.counts)} -> ${out}`);
