/**
 * `npm run bench -- <name> [options]`: runs one benchmark. Each prints a table with its baseline measured in
 * the same run (machines are noisy: read the ratios). See bench/README.md for what each measures.
 */
const BENCHES: Record<string, { about: string; run: () => Promise<void> }> = {
  fast: { about: 'fast tier vs a scikit-learn baseline: accuracy, macro-F1, train time, predict latency', run: async () => (await import('./fast')).runFastBench() },
  sync: { about: 'PSA sync throughput and API calls against each mock [--tickets N] [--latency MS]', run: async () => (await import('./sync')).runSyncBench() },
  llm: { about: 'LLM tier serving: choice search vs grammar vs free generation, throughput by batch [--model GGUF] [--batches 1,8,32]', run: async () => (await import('./llm')).runLlmBench() },
  'llm-value': { about: 'what zero-shot, retrieval and the LoRA adapter each add, on held-out demo tickets [--model GGUF] [--adapter DIR]', run: async () => (await import('./llm-value')).runLlmValueBench() },
  'llm-logits': { about: 'host cost of reading candidate logits, by vocabulary size and candidate count [--steps N]', run: async () => (await import('./llm-logits')).runLlmLogitsBench() },
  'llm-tenants': { about: 'several tenants triaging at once on CPU: shared thread budget vs a full thread count per context [--threads N]', run: async () => (await import('./llm-tenants')).runLlmTenantsBench() },
  load: { about: 'concurrent predict load, alone and during training and sync [--clients N] [--seconds S] [--quick]', run: async () => (await import('./load')).runLoadBench() },
};

const name = process.argv[2];
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  process.stdout.write(`usage: npm run bench -- <name> [options]\n\n${Object.entries(BENCHES).map(([n, b]) => `  ${n.padEnd(6)} ${b.about}`).join('\n')}\n`);
  process.exit(name ? 2 : 0);
}
await bench.run();
process.exit(0);
export {};
