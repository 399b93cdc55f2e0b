// Summary of the GPU LLM bench run: reads OUT/bench-<quant>.json (written by llm-bench.mjs --json) and prints
// one markdown table. Usage: node summary.mjs OUT_DIR
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] ?? '.';
const rows = [];
let batches = [];
for (const quant of ['q4_k_m', 'q8_0', 'f16']) {
  const file = path.join(dir, `bench-${quant}.json`);
  if (!fs.existsSync(file)) {
    const log = path.join(dir, `bench-${quant}.log`);
    rows.push({ quant, missing: fs.existsSync(log) ? 'no result (failed or timed out: see log)' : 'not run' });
    continue;
  }
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const t of r.throughput) if (!batches.includes(t.batch)) batches.push(t.batch);
  rows.push({ quant, r });
}
batches.sort((a, b) => a - b);
const head = ['quant', 'backend (layers on GPU)', 'load s', 'search p50/p99 ms', 'grammar p50/p99 ms', 'free p50/p99 ms', ...batches.map((b) => `tickets/s @${b}`)];
const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
const pp = (m) => (m ? `${m.p50.toFixed(1)} / ${m.p99.toFixed(1)}` : '-');
for (const { quant, r, missing } of rows) {
  if (missing) {
    lines.push(`| ${quant.toUpperCase()} | ${missing} |${' |'.repeat(head.length - 2)}`);
    continue;
  }
  const b = r.backend;
  lines.push(
    `| ${quant.toUpperCase()} | ${b.gpu || 'CPU'} (${b.gpuLayers}/${b.totalLayers}) | ${r.loadSeconds.toFixed(1)} | ${pp(r.modes[0])} | ${pp(r.modes[1])} | ${pp(r.modes[2])} | ` +
      `${batches.map((n) => r.throughput.find((t) => t.batch === n)?.perSecond.toFixed(1) ?? '-').join(' | ')} |`,
  );
}
process.stdout.write(`${lines.join('\n')}\n\nbatch 1 modes: choice search (engine), generation under the answer grammar, unconstrained generation; prompt ~${rows.find((x) => x.r)?.r.promptLength ?? '?'} tokens\n`);
