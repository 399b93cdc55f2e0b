/**
 * Child process for candidate-logits.test.ts: loads one node-llama-cpp build (one binding per process) and reads the
 * tiny model's candidate logits after a few prompts, with and without an adapter, twice each: as the choice search
 * asks (logits only, which the candidate build answers with its direct read) and with the token's confidence too
 * (which always takes node-llama-cpp's stock sampling path). Prints both as JSON.
 * Usage: node logits-probe.mjs <stock|candidate>
 */
import path from 'node:path';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { CANDIDATE_LOGITS_CMAKE_OPTIONS } from '../../engine/models/llm/native/candidate-logits-options.mjs';

const build = process.argv[2];
const TINY = path.resolve('tests/fixtures/llm/tiny');
const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error, ...(build === 'candidate' ? { cmakeOptions: CANDIDATE_LOGITS_CMAKE_OPTIONS } : {}) });
const model = await llama.loadModel({ modelPath: path.join(TINY, 'tiny-qwen2.gguf') });
const reads = [];
for (const adapter of [null, 'adapter-0']) {
  const context = await model.createContext({ contextSize: 256, threads: 1, ...(adapter ? { lora: { adapters: [{ filePath: path.join(TINY, `${adapter}.gguf`) }] } } : {}) });
  const sequence = context.getSequence();
  for (const text of ['Outlook asks for the password again', 'VPN drops every hour', 'printer toner low']) {
    const tokens = model.tokenize(text);
    // Candidates as the choice search sends them, plus a repeat and out-of-range ids, which both builds must skip alike.
    const filters = [[tokens[0]], Array.from({ length: 40 }, (_, i) => (i * 31) % 256), [5, 5, 9, -1, 1_000_000]];
    for (const filter of filters) {
      const read = async (confidence) => {
        await sequence.eraseContextTokenRanges([{ start: 0, end: sequence.nextTokenIndex }]);
        const next = { logits: { filter: { tokens: filter } }, ...(confidence ? { confidence: true } : {}) };
        const out = await sequence.controlledEvaluate(tokens.map((t, i) => (i === tokens.length - 1 ? [t, { generateNext: next }] : t)));
        return [...out.at(-1).next.logits];
      };
      reads.push({ direct: await read(false), stockPath: await read(true) });
    }
  }
  await context.dispose();
}
process.stdout.write(`${JSON.stringify({ buildType: llama.buildType, reads })}\n`);
await llama.dispose();
