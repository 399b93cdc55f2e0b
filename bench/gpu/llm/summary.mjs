// Summary of the GPU LLM bench run: reads every OUT/bench-<name>.json (written by llm-bench.mjs --json) and prints
// markdown tables: the search step profile, batch-1 latency per mode, and tickets/s by batch. Usage: node summary.mjs OUT_DIR
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ?? '.';
const runs = fs
  .readdirSync(dir)
  .filter((f) => /^bench-.*\.json$/.test(f))
  .sort()
  .map((f) => ({ name: f.slice(6, -5), r: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) }));
const missing = fs
  .readdirSync(dir)
  .filter((f) => /^bench-.*\.log$/.test(f) && !runs.some((x) => `bench-${x.name}.log` === f))
  .map((f) => f.slice(6, -4));
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const out = [];
const addon = (r) => (r.backend.candidateLogits ? 'candidate-logits' : 'stock');

for (const { name, r } of runs.filter((x) => x.r.profile)) {
  out.push(`step profile, ${name} (${r.backend.gpu || 'CPU'}, flash attention ${r.flashAttention ? 'on' : 'default'}):`);
  out.push(table(['evaluate', 'base model ms', 'with the adapter ms'], r.profile.map((p) => [p.what, p.base.toFixed(2), p.adapter === null ? '-' : p.adapter.toFixed(2)])));
  out.push('');
}

const rows = [];
for (const { name, r } of runs) {
  for (const m of r.modes) {
    rows.push([name, `${r.backend.gpu || 'CPU'} (${r.backend.gpuLayers}/${r.backend.totalLayers})`, addon(r), r.adapter ?? '?', r.flashAttention ? 'on' : 'default', m.mode, String(m.tickets), m.p50.toFixed(1), m.p99.toFixed(1), m.tokensPerTicket.toFixed(1), m.stepsPerTicket?.toFixed(1) ?? '-', `${(m.valid * 100).toFixed(0)}%`]);
  }
}
out.push(table(['run', 'backend (layers)', 'addon', 'adapter', 'flash attn', 'mode (batch 1)', 'tickets', 'p50 ms', 'p99 ms', 'branches or tokens / ticket', 'steps / ticket', 'valid'], rows));
out.push('');

const batches = [...new Set(runs.flatMap((x) => x.r.throughput.map((t) => t.batch)))].sort((a, b) => a - b);
if (batches.length) {
  out.push(
    table(
      ['run', 'load s', 'contexts × sequences', ...batches.map((b) => `tickets/s @${b}`), ...batches.map((b) => `p50 ms @${b}`)],
      runs
        .filter((x) => x.r.throughput.length)
        .map(({ name, r }) => [
          name,
          r.loadSeconds.toFixed(1),
          r.serving ? `${r.serving.contextsPerAdapter} × ${r.serving.sequencesPerContext}${r.backend.kvUnified ? ', one KV cache each' : ''}` : '-',
          ...batches.map((b) => r.throughput.find((t) => t.batch === b)?.perSecond.toFixed(1) ?? '-'),
          ...batches.map((b) => r.throughput.find((t) => t.batch === b)?.p50.toFixed(0) ?? '-'),
        ]),
    ),
  );
  out.push('');
}
if (missing.length) out.push(`no result (failed or timed out, see its log): ${missing.join(', ')}`);
out.push(`prompt ~${runs[0]?.r.promptLength ?? '?'} tokens; search width ${runs.map((x) => `${x.name} ${x.r.searchWidth}`).join(', ')}`);
process.stdout.write(`${out.join('\n')}\n`);
