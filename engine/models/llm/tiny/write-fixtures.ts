/**
 * Regenerates the committed tiny-model fixtures: `npx tsx engine/models/llm/tiny/write-fixtures.ts [dir]`
 * (default tests/fixtures/llm/tiny). The output is deterministic; tests/unit checks that it still matches.
 */
import path from 'node:path';
import { writeTinyModel } from './tiny-model';

const dir = process.argv[2] ?? path.join(import.meta.dirname, '../../../../tests/fixtures/llm/tiny');
const files = writeTinyModel(dir);
console.log(`tiny model written to ${path.relative(process.cwd(), dir) || dir}: ${path.basename(files.gguf)}, hf/, ${files.adapters.length} adapters`);
