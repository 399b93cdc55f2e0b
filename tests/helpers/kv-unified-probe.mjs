/**
 * Child process for candidate-logits.test.ts: on the candidate-logits build, evaluates three prompts at once on three
 * sequences of one context (so llama.cpp decodes them in one batch) and prints, as JSON, each sequence's candidate
 * logits and whether llama.cpp reported a unified KV cache. The parent runs it with and without
 * TICKET_TRIAGE_KV_UNIFIED=1 in the environment (the patched addon reads it when it creates a context).
 * Usage: node kv-unified-probe.mjs
 */
import path from 'node:path';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { CANDIDATE_LOGITS_CMAKE_OPTIONS } from '../../engine/models/llm/native/candidate-logits-options.mjs';

const TINY = path.resolve('tests/fixtures/llm/tiny');
let unified = null;
const llama = await getLlama({
  gpu: false,
  build: 'never',
  cmakeOptions: CANDIDATE_LOGITS_CMAKE_OPTIONS,
  logLevel: LlamaLogLevel.info,
  logger: (_level, message) => {
    const m = /kv_unified\s*=\s*(true|false)/.exec(message);
    if (m) unified = m[1] === 'true';
  },
});
const model = await llama.loadModel({ modelPath: path.join(TINY, 'tiny-qwen2.gguf') });
const context = await model.createContext({ contextSize: 256, sequences: 3, threads: 1, lora: { adapters: [{ filePath: path.join(TINY, 'adapter-0.gguf') }] } });
const candidates = Array.from({ length: 40 }, (_, i) => (i * 31) % 256);
const texts = ['Outlook asks for the password again', 'VPN drops every hour since Monday', 'printer toner low'];
const logits = await Promise.all(
  texts.map(async (text, i) => {
    const sequence = context.getSequence();
    const tokens = model.tokenize(text);
    const out = await sequence.controlledEvaluate(tokens.map((t, j) => (j === tokens.length - 1 ? [t, { generateNext: { logits: { filter: { tokens: candidates } } } }] : t)));
    return [...out.at(-1).next.logits].sort((a, b) => a[0] - b[0]);
  }),
);
process.stdout.write(`${JSON.stringify({ buildType: llama.buildType, unified, logits })}\n`);
await context.dispose();
await llama.dispose();
