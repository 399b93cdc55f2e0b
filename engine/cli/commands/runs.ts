import { parseArgs } from 'node:util';
import type { EngineClient, Run } from '../../client/engine-client';
import { pct, table } from '../output';
import { followWithBar } from './models';

export const help = `triage runs [tenant]                 List runs (all tenants, or one)
triage runs show|cancel|resume|follow <tenant> <run>
triage runs gpu                      The GPU queue: the training run holding the GPUs and those waiting`;

const duration = (r: Run) => {
  if (!r.startedAt) return '-';
  const end = r.finishedAt ? Date.parse(r.finishedAt) : Date.now();
  return `${((end - Date.parse(r.startedAt)) / 1000).toFixed(1)}s`;
};

export async function runsCommand(client: EngineClient, argv: string[]): Promise<void> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const [first, tenant, id] = positionals;
  if (first === 'gpu') {
    const q = await client.gpuQueue();
    const name = (r: { runId: number; tenantId: string }) => (r.runId ? `run ${r.runId} (${r.tenantId})` : 'a run of another tenant');
    console.log(`GPUs: ${q.gpus}`);
    console.log(q.running.length ? q.running.map((r) => `  running: ${name(r)} on ${r.gpus} GPU(s) (#${r.devices.join(', #')})`).join('\n') : '  running: none');
    q.queued.forEach((r, i) => console.log(`  ${i + 1}. waiting: ${name(r)} for ${r.gpus} GPU(s)`));
    return;
  }
  if (['show', 'cancel', 'resume', 'follow'].includes(first ?? '')) {
    if (!tenant || !id) throw new Error(`usage: ${help}`);
    const runId = Number(id);
    if (first === 'cancel') return printRun(await client.cancelRun(tenant, runId));
    if (first === 'resume') return printRun(await client.resumeRun(tenant, runId));
    if (first === 'follow') return printRun(await followWithBar(client, tenant, await client.getRun(tenant, runId), `run ${runId}`));
    printRun(await client.getRun(tenant, runId));
    for (const e of await client.runEvents(tenant, runId)) console.log(`  ${e.seq.toString().padStart(4)} ${e.at.slice(11, 19)} ${e.kind.padEnd(10)} ${JSON.stringify(e.data)}`);
    return;
  }
  const runs = await client.listRuns(first);
  if (!runs.length) return console.log('No runs yet. Start one with `triage train <tenant>`.');
  console.log(
    table(
      ['run', 'tenant', 'kind', 'tier', 'status', 'progress', 'duration', 'created'],
      runs.map((r) => [r.id, r.tenantId, r.kind, r.tier, r.status, pct(r.progress), duration(r), r.createdAt.slice(0, 19)]),
    ),
  );
}

function printRun(r: Run): void {
  console.log(`run ${r.id} (${r.kind}, ${r.tier}) of ${r.tenantId}: ${r.status}, ${pct(r.progress)}, ${duration(r)}${r.error ? ` — ${r.error}` : ''}`);
}
