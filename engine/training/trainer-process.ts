/**
 * Runs the Python GPU trainer (engine/trainer/) as a child process and reads its protocol: one JSON object per
 * line on stdout, each with an `event` (start, progress, eval, checkpoint, done, error, cancelled). Cancelling
 * sends SIGTERM, on which the trainer saves a checkpoint and exits; a later run with `resume: true` continues from
 * it. Nothing but the protocol is read from stdout; stderr is kept (its tail) to explain a crash.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';

export const TRAINER_ROOT = path.join(import.meta.dirname, '..');

export interface TrainerEvent {
  event: string;
  [key: string]: unknown;
}

export interface TrainerOptions {
  python?: string;
  jobFile: string;
  signal: AbortSignal;
  onEvent: (e: TrainerEvent) => void;
  /** torchrun processes per node when above 1 (data parallel over that many GPUs). */
  processes?: number;
  /**
   * Where the trainer's process group id is kept while it runs. A group still alive there when a new trainer
   * starts (an engine that crashed left it training into the same folder) is terminated first.
   */
  pidFile?: string;
  /** GPU indices the process(es) may use (CUDA_VISIBLE_DEVICES); all of them when absent. */
  devices?: number[];
  /** Seconds to wait after SIGTERM for the checkpoint before SIGKILL. */
  graceSeconds?: number;
}

const STDERR_TAIL = 30;

export function trainerPython(env = process.env): string {
  return env.TRIAGE_TRAINER_PYTHON ?? 'python3';
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A process's command line from /proc. It reads empty for a moment while the process is still inside execve
 * (the kernel closes the close-on-exec pipe that tells the parent the exec succeeded before it publishes the new
 * argv), so an empty read is retried briefly rather than taken as "not a trainer".
 */
async function commandLine(pid: number, waitMs = 1_000): Promise<string> {
  const file = `/proc/${pid}/cmdline`;
  const until = Date.now() + waitMs;
  for (;;) {
    let text = '';
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return ''; // gone, or no /proc on this system
    }
    if (text || Date.now() >= until) return text;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Stops a trainer group recorded in `pidFile` that is still running: SIGTERM (it saves), then SIGKILL. */
export async function stopLeftoverTrainer(pidFile: string, graceMs = 60_000): Promise<boolean> {
  if (!fs.existsSync(pidFile)) return false;
  const pgid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  fs.rmSync(pidFile, { force: true });
  if (!Number.isInteger(pgid) || pgid <= 1 || !groupAlive(pgid)) return false;
  // Only a group led by a Python trainer: a recycled pid of some unrelated process is left alone.
  if (!/trainer/.test(await commandLine(pgid))) return false;
  process.kill(-pgid, 'SIGTERM');
  const until = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
  return true;
}

/** Resolves with the `done` event; rejects with the trainer's own error, or the exit status and stderr tail. */
export async function runTrainer(opts: TrainerOptions): Promise<TrainerEvent> {
  if (opts.pidFile) await stopLeftoverTrainer(opts.pidFile);
  return spawnTrainer(opts);
}

function spawnTrainer(opts: TrainerOptions): Promise<TrainerEvent> {
  const python = opts.python ?? trainerPython();
  const args =
    (opts.processes ?? 1) > 1
      ? ['-m', 'torch.distributed.run', '--standalone', `--nproc_per_node=${opts.processes}`, '-m', 'trainer', '--job', opts.jobFile]
      : ['-m', 'trainer', '--job', opts.jobFile];
  return new Promise((resolve, reject) => {
    if (!fs.existsSync(opts.jobFile)) return reject(new Error(`trainer job file ${opts.jobFile} does not exist`));
    const child = spawn(python, args, {
      cwd: TRAINER_ROOT,
      env: {
        ...process.env,
        ...(opts.devices?.length ? { CUDA_VISIBLE_DEVICES: opts.devices.join(',') } : {}),
        PYTHONUNBUFFERED: '1',
        NCCL_NVLS_ENABLE: '0',
        TORCH_SYMM_MEM_DISABLE_MULTICAST: '1',
        NVSHMEM_DISABLE_NVLS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a Ctrl-C on the engine's terminal reaches the engine only (which then cancels the
      // run itself, so it is resumable), and a kill reaches torchrun's workers too, not only torchrun.
      detached: true,
    });
    if (opts.pidFile && child.pid) fs.writeFileSync(opts.pidFile, String(child.pid));
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        child.kill(sig); // the group is already gone, or never formed
      }
    };
    const stderr: string[] = [];
    let done: TrainerEvent | null = null;
    let failure: TrainerEvent | null = null;
    let cancelled: TrainerEvent | null = null;
    let killTimer: NodeJS.Timeout | undefined;

    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      let e: TrainerEvent;
      try {
        e = JSON.parse(line) as TrainerEvent;
        if (typeof e?.event !== 'string') throw new Error('no event');
      } catch {
        opts.onEvent({ event: 'log', message: line.slice(0, 2000) });
        return;
      }
      if (e.event === 'done') done = e;
      else if (e.event === 'error') failure = e;
      else if (e.event === 'cancelled') cancelled = e;
      opts.onEvent(e);
    });
    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      stderr.push(line);
      if (stderr.length > STDERR_TAIL) stderr.shift();
    });

    const onAbort = () => {
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => signalGroup('SIGKILL'), (opts.graceSeconds ?? 120) * 1000);
    };
    if (opts.signal.aborted) onAbort();
    else opts.signal.addEventListener('abort', onAbort, { once: true });

    child.on('error', (err) => {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      reject(new Error(missing ? `the trainer's Python (${python}) was not found: install Python 3 with engine/trainer/requirements.txt, or set TRIAGE_TRAINER_PYTHON` : err.message));
    });
    child.on('close', (code, sig) => {
      clearTimeout(killTimer);
      if (opts.pidFile) fs.rmSync(opts.pidFile, { force: true });
      opts.signal.removeEventListener('abort', onAbort);
      const f = failure as TrainerEvent | null;
      if (done) return resolve(done);
      if (cancelled || opts.signal.aborted) return reject(opts.signal.reason ?? new Error('trainer cancelled'));
      if (f) return reject(new Error(`trainer ${String(f.code ?? 'error')}: ${String(f.message ?? '')}`));
      reject(new Error(`the trainer exited with ${sig ? `signal ${sig}` : `code ${code}`} before it finished${stderr.length ? `:\n${stderr.slice(-10).join('\n')}` : ''}`));
    });
  });
}
