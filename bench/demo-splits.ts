/**
 * The demo tenant stored and split exactly as the engine does for a run (same generated tickets, same frozen
 * dataset split), in an in-memory database. Shared by the GPU trainer's data (bench/gpu/trainer-e2e-data.ts) and
 * the LLM value bench (bench/llm-value.ts), so the adapter is scored on tickets it never trained on.
 */
import { openDb } from '../engine/db';
import { generateDemoTenant } from '../engine/demo';
import { createDataset, loadSplit } from '../engine/store/datasets';
import { getFieldSchemas, mergeFieldSchemas } from '../engine/store/fields';
import { createTenant } from '../engine/store/tenants';
import { storeImport } from '../engine/store/tickets';

export function demoSplits(count = 4000, seed = 42) {
  const db = openDb(':memory:');
  const demo = generateDemoTenant({ count, seed });
  createTenant(db, { id: 'demo' });
  mergeFieldSchemas(db, 'demo', demo.fields, 'demo');
  storeImport(db, 'demo', { format: 'generated', filename: 'demo', sha256: `generated-seed-${seed}`, fields: demo.fields.map((f) => f.name), tickets: demo.tickets, schemas: [] });
  const dataset = createDataset(db, 'demo', {});
  const schema = getFieldSchemas(db, 'demo');
  return {
    dataset,
    schema,
    train: loadSplit(db, dataset.id, 'train'),
    validation: loadSplit(db, dataset.id, 'validation'),
    test: loadSplit(db, dataset.id, 'test'),
  };
}
