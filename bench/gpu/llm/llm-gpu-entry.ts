/**
 * Entry point of the single-file LLM bench bundle that runs on the GPU machine (bench/gpu/llm/prepare.sh bundles
 * it with esbuild; node-llama-cpp stays external). `node llm-bench.mjs [bench options]` = `npm run bench -- llm`.
 */
import { runLlmBench } from '../../llm';

await runLlmBench(process.argv.slice(2));
process.exit(0);
