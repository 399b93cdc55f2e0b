/**
 * Regenerates the committed tiny-model fixtures: `npx tsx engine/models/llm/tiny/write-fixtures.ts [dir]`
 * (default tests/fixtures/llm/tiny). The output is deterministic; tests/unit checks that it still matches.
 */
import path from 'node:path';
import { SMALL_SHAPE, writeTinyModel } from './tiny-model';

const args = process.argv.slice(2);
const small = args.includes('--small');
const dir = args.find((a) => !a.startsWith('--')) ?? path.join(import.meta.dirname, '../../../../tests/fixtures/llm/tiny');
// --small writes the larger SMALL_SHAPE model (not committed: 25 MB) for the trainer's end-to-end check.
const files = writeTinyModel(dir, small ? { shape: SMALL_SHAPE, adapterCount: 0 } : {});
console.log(`tiny model written to ${path.relative(process.cwd(), dir) || dir}: ${path.basename(files.gguf)}, hf/, ${files.adapters.length} adapters`);
