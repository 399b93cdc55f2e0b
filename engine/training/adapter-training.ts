/**
 * Trains a tenant's LoRA adapter with the Python trainer, as the first part of an llm run: writes the dataset's
 * examples through the prompt module (so training sees exactly what serving will), writes the job, runs the
 * trainer, streams its progress as run events, converts every checkpoint it saves to a GGUF adapter, and returns
 * the best checkpoint by validation accuracy. A run resumed after a crash, a restart or a cancel continues the
 * trainer from its last checkpoint (same directory, same data, same order).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EngineContext } from '../context';
import { convertPeftAdapter } from '../models/llm/formats/lora-gguf';
import type { RunHandler } from '../runs/runner';
import type { Dataset } from '../store/datasets';
import { loadSplit } from '../store/datasets';
import { answerFieldOrder, choiceTexts, jsonStringContent, trainingExample } from '../triage/prompt';
import type { FieldSchema } from '../triage/types';
import { trainingWeightsRef } from './base-models';
import { runTrainer, type TrainerEvent } from './trainer-process';

type RunContext = Parameters<RunHandler>[0];

export interface AdapterTrainParams {
  /** 'cuda' (default) or 'cpu' (tiny models, tests). */
  device?: 'cuda' | 'cpu';
  /** GPUs to train on (data parallel through torchrun); default all the engine has. */
  gpus?: number;
  epochs?: number;
  maxSteps?: number;
  learningRate?: number;
  rank?: number;
  alpha?: number;
  maxTokensPerMicroBatch?: number;
  evalEvery?: number;
  checkpointEvery?: number;
  keepBest?: number;
  seed?: number;
}

/** Writes JSON Lines under a temporary name first, so a crash never leaves a half file under the real one. */
function writeJsonl(file: string, rows: unknown[]): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  fs.renameSync(tmp, file);
}

export async function trainAdapter(
  ctx: EngineContext,
  rc: RunContext,
  input: { dataset: Dataset; schema: FieldSchema[]; baseModel: string; params: AdapterTrainParams; progressTo: number },
): Promise<{ adapterDir: string; metrics: Record<string, unknown> }> {
  const { run } = rc;
  const dir = path.join(ctx.config.dataDir, 'trainer', `run-${run.id}`);
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const trainFile = path.join(dataDir, 'train.jsonl');
  const validationFile = path.join(dataDir, 'validation.jsonl');
  // Examples and job are written once per run: a resume trains on exactly what the first attempt started with,
  // even if the tenant's schema (choice labels) changed in between.
  if (!fs.existsSync(trainFile) || !fs.existsSync(validationFile)) {
    writeJsonl(trainFile, loadSplit(ctx.db, input.dataset.id, 'train').map((t) => trainingExample(t, input.schema)));
    writeJsonl(validationFile, loadSplit(ctx.db, input.dataset.id, 'validation').map((t) => trainingExample(t, input.schema)));
  }
  const p = input.params;
  const outputDir = path.join(dir, 'checkpoints');
  const resume = fs.existsSync(outputDir) && fs.readdirSync(outputDir).length > 0;
  const job = {
    base_model: trainingWeightsRef(input.baseModel),
    train_file: trainFile,
    validation_file: validationFile,
    output_dir: outputDir,
    resume,
    device: p.device ?? 'cuda',
    seed: p.seed ?? 1,
    lora: { r: p.rank ?? 16, alpha: p.alpha ?? 32, dropout: 0, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] },
    optim: { lr: p.learningRate ?? 2e-4, weight_decay: 0.01, warmup_steps: 10, epochs: p.epochs ?? 2, ...(p.maxSteps ? { max_steps: p.maxSteps } : {}) },
    // 12,288 tokens per micro-batch: 121 GiB eager / 91 GiB compiled for a 7B model on an H200 (bench/README.md).
    batch: { max_tokens_per_micro_batch: p.maxTokensPerMicroBatch ?? 12288, grad_accum: 1 },
    eval_every: p.evalEvery ?? 50,
    checkpoint_every: p.checkpointEvery ?? 100,
    keep_best: p.keepBest ?? 3,
    validation_max_tickets: 200,
    dtype: p.device === 'cpu' ? 'fp32' : 'bf16',
    gradient_checkpointing: false,
    // Compiled decoder layers: 1.67x the eager tokens/s on an H200, same losses step by step (bench/README.md).
    compile: p.device !== 'cpu',
    ...trainerFieldChoices(input.schema),
  };
  const jobFile = path.join(dir, 'job.json');
  if (resume && fs.existsSync(jobFile)) {
    const first = JSON.parse(fs.readFileSync(jobFile, 'utf8')) as typeof job;
    Object.assign(job, first, { resume: true });
  }
  fs.writeFileSync(jobFile, JSON.stringify(job, null, 2));
  rc.emit('log', { message: `${resume ? 'resuming' : 'starting'} the trainer on ${job.device} (base model ${input.baseModel})` });

  // The runner reserved these GPUs for this run (gpus-needs.ts): one trainer process per GPU, on those only.
  const devices = job.device === 'cpu' ? [] : rc.gpuDevices;
  if (job.device !== 'cpu' && devices.length === 0) throw new Error('this run holds no GPU: the engine counted none (set TRIAGE_GPUS) or the run was queued as a CPU run');
  const done = await runTrainer({
    jobFile,
    // A trainer left running by an engine that died (its own process group) is stopped before this one starts.
    pidFile: path.join(dir, 'trainer.pid'),
    signal: rc.signal,
    processes: Math.max(1, devices.length),
    devices,
    onEvent: (e) => onTrainerEvent(rc, e, input.progressTo),
  });
  const best = String(done.best_checkpoint ?? '');
  if (!best || !fs.existsSync(best)) throw new Error(`the trainer finished without a best checkpoint (${JSON.stringify(done)})`);
  const metricsFile = path.join(best, 'metrics.json');
  const metrics = fs.existsSync(metricsFile) ? (JSON.parse(fs.readFileSync(metricsFile, 'utf8')) as Record<string, unknown>) : {};
  return { adapterDir: best, metrics };
}

function onTrainerEvent(rc: RunContext, e: TrainerEvent, progressTo: number): void {
  const { event, ...data } = e;
  switch (event) {
    case 'progress': {
      const step = Number(e.step ?? 0);
      const total = Number(e.total ?? 0);
      rc.progress(total > 0 ? (progressTo * step) / total : 0, { phase: 'training adapter', ...data });
      return;
    }
    case 'eval':
      rc.emit('metric', { split: 'validation', source: 'trainer', ...data });
      return;
    case 'checkpoint': {
      // Each kept checkpoint becomes a GGUF adapter the llm tier can load, next to the PEFT files.
      let gguf: string | null = null;
      try {
        const dir = String(e.path);
        gguf = path.join(dir, 'adapter.gguf');
        fs.writeFileSync(gguf, convertPeftAdapter(dir).bytes);
      } catch (err) {
        rc.emit('log', { message: `checkpoint at step ${String(e.step)} could not be converted to GGUF: ${(err as Error).message}` });
        gguf = null;
      }
      rc.emit('checkpoint', { source: 'trainer', ...data, gguf });
      return;
    }
    case 'start': {
      // The weights' path is the admin's configuration, not something a tenant's run log shows.
      const { base_model: _path, ...shown } = data;
      rc.emit('log', { message: 'trainer started', ...shown });
      return;
    }
    case 'done':
    case 'cancelled':
    case 'error':
      rc.emit('log', { message: `trainer ${event}`, ...data });
      return;
    default:
      rc.emit('log', { ...data, message: String(e.message ?? event) });
  }
}

/**
 * The candidates the trainer scores per field (its held-out accuracy picks among them) and, for a child field,
 * each choice's parent: texts made unique over every choice, as the answers spell them; only active choices compete.
 */
export function trainerFieldChoices(schema: FieldSchema[]): { field_choices: Record<string, string[]>; field_parents: Record<string, Record<string, string>> } {
  const fields = answerFieldOrder(schema);
  return {
    field_choices: Object.fromEntries(
      fields.map((f) => {
        const texts = choiceTexts(f.choices);
        return [f.name, f.choices.filter((c) => c.active).map((c) => jsonStringContent(texts.get(c.value)!))];
      }),
    ),
    field_parents: Object.fromEntries(
      fields
        .filter((f) => f.parentField)
        .map((f) => {
          const parent = schema.find((s) => s.name === f.parentField);
          const parentTexts = parent ? choiceTexts(parent.choices) : new Map<string, string>();
          const texts = choiceTexts(f.choices);
          return [f.name, Object.fromEntries(f.choices.filter((c) => c.parent && parentTexts.has(c.parent)).map((c) => [jsonStringContent(texts.get(c.value)!), jsonStringContent(parentTexts.get(c.parent!)!)]))];
        }),
    ),
  };
}
