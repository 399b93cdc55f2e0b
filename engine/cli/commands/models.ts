import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EngineClient, Run } from '../../client/engine-client';
import { formatAccuracyReport, type EvalReport } from '../../eval';
import { pct, table } from '../output';
import { runProgressBar } from '../progress';

export const help = {
  train: `triage train <tenant> [--tier fast|llm] [--deploy] [--epochs N] [--seed N] [--dataset ID] [--detach]
             [--base-model NAME] [--adapter PATH] [--retrieval K] [--max-validation N] [--max-test N] [--no-mix]
             [--train-adapter [--device cuda|cpu] [--gpus N] [--max-steps N] [--lr X] [--rank R]]
  Trains a model with a live progress bar (step, loss, ETA); prints the held-out accuracy report.
  --tier llm builds an LLM checkpoint on a base model configured on the engine (TRIAGE_LLM_MODELS), with an
  optional LoRA adapter (GGUF or PEFT dir), calibrated on the validation split.`,
  eval: `triage eval <tenant> [checkpoint] [--split test|validation|train]
  Evaluates a checkpoint (default: the deployed one) and prints the accuracy report.`,
  checkpoints: `triage checkpoints <tenant>          Checkpoints with held-out accuracy per field`,
  deploy: `triage deploy <tenant> <checkpoint>  Deploy a checkpoint in the running engine`,
  rollback: `triage rollback <tenant>             Go back to the previous deployment`,
};

/** Waits for a run with a progress bar; returns the final run. */
export async function followWithBar(client: EngineClient, tenant: string, run: Run, label: string): Promise<Run> {
  const bar = runProgressBar(label);
  const final = await client.followRun(tenant, run.id, (e) => bar.onEvent(e));
  bar.stop(final.status === 'succeeded');
  return final;
}

export async function trainCommand(client: EngineClient, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tier: { type: 'string', default: 'fast' },
      deploy: { type: 'boolean', default: false },
      epochs: { type: 'string' },
      seed: { type: 'string' },
      dataset: { type: 'string' },
      detach: { type: 'boolean', default: false },
      'base-model': { type: 'string' },
      adapter: { type: 'string' },
      retrieval: { type: 'string' },
      'max-validation': { type: 'string' },
      'max-test': { type: 'string' },
      'no-mix': { type: 'boolean', default: false },
      'train-adapter': { type: 'boolean', default: false },
      device: { type: 'string' },
      gpus: { type: 'string' },
      'max-steps': { type: 'string' },
      lr: { type: 'string' },
      rank: { type: 'string' },
    },
  });
  const [tenant] = positionals;
  if (!tenant) throw new Error(`usage: ${help.train}`);
  const run = await client.startRun(tenant, {
    kind: 'train',
    tier: values.tier as 'fast' | 'llm',
    deploy: values.deploy,
    datasetId: values.dataset ? Number(values.dataset) : undefined,
    params: {
      // --epochs: the fast tier's epoch cap, or the adapter's training epochs with --train-adapter.
      ...(values.epochs && !values['train-adapter'] ? { maxEpochs: Number(values.epochs) } : {}),
      ...(values.seed ? { seed: Number(values.seed) } : {}),
      ...(values['base-model'] ? { baseModel: values['base-model'] } : {}),
      ...(values.adapter ? { adapter: path.resolve(values.adapter) } : {}),
      ...(values.retrieval ? { retrievalK: Number(values.retrieval) } : {}),
      ...(values['max-validation'] ? { maxValidation: Number(values['max-validation']) } : {}),
      ...(values['max-test'] ? { maxTest: Number(values['max-test']) } : {}),
      ...(values['no-mix'] ? { mixTiers: false } : {}),
      ...(values['train-adapter']
        ? {
            train: {
              ...(values.device ? { device: values.device as 'cuda' | 'cpu' } : {}),
              ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
              ...(values.gpus ? { gpus: Number(values.gpus) } : {}),
              ...(values['max-steps'] ? { maxSteps: Number(values['max-steps']) } : {}),
              ...(values.lr ? { learningRate: Number(values.lr) } : {}),
              ...(values.rank ? { rank: Number(values.rank) } : {}),
            },
          }
        : {}),
    },
  });
  console.log(`Started run ${run.id} (${run.tier}) for ${tenant}.`);
  if (values.detach) return;
  const final = await followWithBar(client, tenant, run, `train ${tenant}`);
  if (final.status !== 'succeeded') throw new Error(`run ${final.id} ${final.status}: ${final.error ?? ''}`);
  const checkpointId = Number(final.result?.checkpointId);
  const checkpoint = await client.getCheckpoint(tenant, checkpointId);
  const report = (checkpoint.metrics as { test?: EvalReport } | null)?.test;
  console.log(`Checkpoint ${checkpointId}${values.deploy ? ' (deployed)' : ''}.`);
  if (report) console.log(formatAccuracyReport(report));
}

export async function evalCommand(client: EngineClient, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { split: { type: 'string', default: 'test' } },
  });
  const [tenant, checkpointArg] = positionals;
  if (!tenant) throw new Error(`usage: ${help.eval}`);
  let checkpointId = checkpointArg ? Number(checkpointArg) : undefined;
  if (!checkpointId) {
    const t = await client.getTenant(tenant);
    if (!t.deployment) throw new Error(`tenant ${tenant} has no deployed model; name a checkpoint (see \`triage checkpoints ${tenant}\`)`);
    checkpointId = t.deployment.checkpointId;
  }
  const run = await client.startRun(tenant, { kind: 'evaluate', checkpointId, split: values.split as 'test' });
  const final = await followWithBar(client, tenant, run, `eval ${tenant}`);
  if (final.status !== 'succeeded') throw new Error(`run ${final.id} ${final.status}: ${final.error ?? ''}`);
  console.log(`Checkpoint ${checkpointId} on the ${values.split} split:`);
  console.log(formatAccuracyReport(final.result?.report as EvalReport));
}

export async function checkpointsCommand(client: EngineClient, argv: string[]): Promise<void> {
  const [tenant] = argv;
  if (!tenant) throw new Error(`usage: ${help.checkpoints}`);
  const list = await client.listCheckpoints(tenant);
  if (!list.length) return console.log(`No checkpoints yet. Train one with \`triage train ${tenant}\`.`);
  const fields = [...new Set(list.flatMap((c) => Object.keys(c.accuracy)))];
  console.log(
    table(
      ['checkpoint', 'tier', 'created', ...fields, 'deployed'],
      list.map((c) => [c.id, c.tier, c.createdAt.slice(0, 19), ...fields.map((f) => pct(c.accuracy[f])), c.deployed ? 'yes' : '']),
    ),
  );
}

export async function deployCommand(client: EngineClient, argv: string[]): Promise<void> {
  const [tenant, checkpoint] = argv;
  if (!tenant || !checkpoint) throw new Error(`usage: ${help.deploy}`);
  const d = await client.deploy(tenant, Number(checkpoint));
  console.log(`Deployed checkpoint ${d.checkpointId} for ${tenant} (deployment ${d.id}).`);
}

export async function rollbackCommand(client: EngineClient, argv: string[]): Promise<void> {
  const [tenant] = argv;
  if (!tenant) throw new Error(`usage: ${help.rollback}`);
  const d = await client.rollback(tenant);
  console.log(`Rolled back ${tenant} to checkpoint ${d.checkpointId} (deployment ${d.id}).`);
}
