/**
 * Writes the demo tenant's training examples exactly as an engine would for an llm run with `params.train`:
 * same generated tickets, same frozen dataset split, same prompt module, same field candidates. Used to run the
 * Python trainer on the GPU machine (which has no Node) and bring the adapter back:
 * `npx tsx bench/gpu/trainer-e2e-data.ts .device/e2e`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { trainerFieldChoices } from '../../engine/training/adapter-training';
import { trainingExample } from '../../engine/triage/prompt';
import { demoSplits } from '../demo-splits';

const out = process.argv[2] ?? '.device/e2e';
fs.mkdirSync(out, { recursive: true });
const demo = demoSplits();
for (const split of ['train', 'validation', 'test'] as const) {
  const rows = demo[split].map((t) => JSON.stringify(trainingExample(t, demo.schema)));
  fs.writeFileSync(path.join(out, `${split}.jsonl`), rows.join('\n') + '\n');
}
fs.writeFileSync(path.join(out, 'fields.json'), JSON.stringify(trainerFieldChoices(demo.schema)));
console.log(`dataset ${demo.dataset.id}: ${JSON.stringify(demo.dataset.counts)} -> ${out}`);
