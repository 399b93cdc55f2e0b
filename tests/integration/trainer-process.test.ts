import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTrainer, stopLeftoverTrainer, type TrainerEvent } from '../../engine/training/trainer-process';
import { trainingExample } from '../../engine/triage/prompt';
import type { FieldSchema } from '../../engine/triage/types';

/**
 * The engine's side of the trainer protocol against the real Python trainer (engine/trainer): the engine writes
 * examples with its prompt module and a job file, spawns `python3 -m trainer`, and reads JSON events. Where Python
 * is missing everything skips; where torch/transformers/peft are missing (CI) the trainer's own dependency error
 * is what the engine must surface; where they are installed, a real run on the tiny model is cancelled and resumed.
 */
const PYTHON = process.env.TRIAGE_TRAINER_PYTHON ?? 'python3';
const TINY_HF = path.resolve('tests/fixtures/llm/tiny/hf');
const hasPython = spawnSync(PYTHON, ['--version']).status === 0;
const torchProbe = hasPython ? spawnSync(PYTHON, ['-c', 'import torch, transformers, peft, safetensors']) : null;
const hasTorch = torchProbe?.status === 0;
if (!hasPython) console.warn(`trainer-process tests skipped: ${PYTHON} is not installed`);
else if (!hasTorch) console.warn('trainer-process: torch/transformers/peft are not installed here, so the real training run is skipped (run `npm run test:gpu` where they are; on the Node-less GPU machine: bash bench/gpu/run_on_h200.sh)');

const PRIORITIES = ['High', 'Low'];
const ISSUES: Record<string, string[]> = { Printer: ['printer', 'toner'], Email: ['outlook', 'mailbox'], Network: ['vpn', 'wifi'] };
const schema: FieldSchema[] = [
  { name: 'priority', label: 'Priority', choices: PRIORITIES.map((p) => ({ value: p, label: p, active: true, parent: null })) },
  { name: 'issue_type', label: 'Issue Type', choices: Object.keys(ISSUES).map((i) => ({ value: i, label: i, active: true, parent: null })) },
];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function writeJob(over: Record<string, unknown> = {}): { dir: string; jobFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-trainer-'));
  dirs.push(dir);
  const lines = (n: number, seed: number) =>
    Array.from({ length: n }, (_, i) => {
      const issue = Object.keys(ISSUES)[(i * 7 + seed) % 3]!;
      const priority = PRIORITIES[(i * 5 + seed) % 2]!;
      const words = ISSUES[issue]!;
      const ticket = { title: `${words[i % 2]} problem`, description: `user says ${words[(i + 1) % 2]} ${priority === 'High' ? 'asap' : 'whenever'}`, fields: { priority, issue_type: issue } };
      return JSON.stringify(trainingExample(ticket, schema));
    }).join('\n') + '\n';
  fs.writeFileSync(path.join(dir, 'train.jsonl'), lines(48, 1));
  fs.writeFileSync(path.join(dir, 'validation.jsonl'), lines(8, 2));
  const job = {
    base_model: TINY_HF,
    train_file: path.join(dir, 'train.jsonl'),
    validation_file: path.join(dir, 'validation.jsonl'),
    output_dir: path.join(dir, 'checkpoints'),
    device: 'cpu',
    lora: { r: 4, alpha: 8, dropout: 0, target_modules: ['q_proj', 'v_proj'] },
    optim: { lr: 1e-3, epochs: 1, max_steps: 8 },
    batch: { max_tokens_per_micro_batch: 1024, grad_accum: 1 },
    eval_every: 4,
    checkpoint_every: 2,
    keep_best: 2,
    log_every: 1,
    field_choices: { priority: PRIORITIES, issue_type: Object.keys(ISSUES) },
    ...over,
  };
  const jobFile = path.join(dir, 'job.json');
  fs.writeFileSync(jobFile, JSON.stringify(job));
  return { dir, jobFile };
}

function run(jobFile: string, signal = new AbortController().signal, onEvent: (e: TrainerEvent) => void = () => {}) {
  return runTrainer({ python: PYTHON, jobFile, signal, onEvent, graceSeconds: 60 });
}

describe.skipIf(!hasPython)('trainer process (engine side, real Python trainer)', () => {
  it('a trainer Python that does not exist is a clear error', async () => {
    const { jobFile } = writeJob();
    const signal = new AbortController().signal;
    await expect(runTrainer({ python: 'python3-that-is-not-installed', jobFile, signal, onEvent: () => {} })).rejects.toThrow(
      /python3-that-is-not-installed\) was not found.*TRIAGE_TRAINER_PYTHON/,
    );
  });

  it('stops a trainer an earlier engine left running, and leaves an unrelated process with a recycled pid alone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-pid-'));
    dirs.push(dir);
    const sleeper = (name: string) => spawn(PYTHON, ['-c', 'import time; time.sleep(120)', name], { detached: true, stdio: 'ignore' });
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const exited = (p: ReturnType<typeof spawn>) => new Promise((r) => p.once('exit', r));
    // Several leftovers, each stopped right after it starts: that is when /proc/<pid>/cmdline can still read empty
    // (the process is inside execve), which once made a real trainer look like an unrelated process.
    const leftovers: ReturnType<typeof spawn>[] = [];
    const other = sleeper('something-else');
    try {
      const pidFile = path.join(dir, 'trainer.pid');
      for (let i = 0; i < 8; i++) {
        const leftover = sleeper('trainer');
        leftovers.push(leftover);
        fs.writeFileSync(pidFile, String(leftover.pid));
        const gone = exited(leftover);
        expect(await stopLeftoverTrainer(pidFile, 5_000)).toBe(true);
        await gone;
        expect(fs.existsSync(pidFile)).toBe(false);
      }
      fs.writeFileSync(pidFile, String(other.pid));
      expect(await stopLeftoverTrainer(pidFile, 5_000)).toBe(false);
      expect(alive(other.pid!)).toBe(true);
    } finally {
      for (const leftover of leftovers) leftover.kill('SIGKILL');
      other.kill('SIGKILL');
    }
  });

  it("an invalid job comes back as the trainer's error event naming the key", async () => {
    const { jobFile } = writeJob({ batch: { max_tokens_per_micro_batch: 'lots' } });
    const events: TrainerEvent[] = [];
    await expect(run(jobFile, undefined, (e) => events.push(e))).rejects.toThrow(/trainer invalid_job: .*max_tokens_per_micro_batch/);
    expect(events.map((e) => e.event)).toEqual(['error']);
  });

  it.skipIf(hasTorch)('without torch the trainer names what is missing and how to install it', async () => {
    const { jobFile } = writeJob();
    await expect(run(jobFile)).rejects.toThrow(/trainer missing_dependency: .*torch.*pip install -r engine\/trainer\/requirements\.txt/);
  });

  it.skipIf(!hasTorch)('trains on the tiny model with live events, is cancelled with a checkpoint, and resumes to the end', async () => {
    const { dir, jobFile } = writeJob();
    const first: TrainerEvent[] = [];
    const abort = new AbortController();
    await expect(
      run(jobFile, abort.signal, (e) => {
        first.push(e);
        if (e.event === 'progress' && e.step === 3) abort.abort(new Error('cancelled by the test'));
      }),
    ).rejects.toThrow(/cancelled by the test/);
    const start = first.find((e) => e.event === 'start')!;
    expect(start.total).toBe(8);
    const progress = first.filter((e) => e.event === 'progress');
    for (const p of progress) {
      expect(Number.isFinite(p.loss)).toBe(true);
      expect(typeof p.eta_s).toBe('number');
    }
    const cancelled = first.find((e) => e.event === 'cancelled')!;
    expect(Number(cancelled.step)).toBeGreaterThanOrEqual(3);
    expect(fs.existsSync(String(cancelled.checkpoint))).toBe(true);

    const job = JSON.parse(fs.readFileSync(jobFile, 'utf8'));
    fs.writeFileSync(jobFile, JSON.stringify({ ...job, resume: true }));
    const second: TrainerEvent[] = [];
    const done = await run(jobFile, undefined, (e) => second.push(e));
    const resumed = second.find((e) => e.event === 'start')!;
    expect(resumed.start_step).toBe(cancelled.step);
    expect(resumed.plan_changed).toBe(false);
    expect(done.steps).toBe(8);
    const evals = [...first, ...second].filter((e) => e.event === 'eval');
    expect(evals.length).toBeGreaterThan(0);
    expect(Object.keys(evals.at(-1)!.fields as object).sort()).toEqual(['issue_type', 'priority']);
    expect(fs.existsSync(String(done.best_checkpoint))).toBe(true);
    expect(String(done.best_checkpoint).startsWith(dir)).toBe(true);
  }, 300_000);
});
