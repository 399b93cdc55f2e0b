/** Runs bench/sklearn_baseline.py on a split through Debian's python3 and reads its JSON result. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastTrainData } from '../engine/models/fast';

export interface BaselineResult {
  fields: Record<string, { accuracy: number; macro_f1: number; n: number }>;
  train_seconds: number;
  predict_seconds: number;
  features: number;
}

export type BaselineOutcome = { ok: true; result: BaselineResult } | { ok: false; reason: string };

// Debian's interpreter: python3-sklearn installs there, while a pyenv python3 earlier on PATH would lack it.
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
export const INSTALL_HINT = 'apt-get install -y python3-sklearn (then rerun; Debian python at /usr/bin/python3)';

export function runSklearnBaseline(script: string, train: FastTrainData, test: FastTrainData): BaselineOutcome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'triage-bench-fast-'));
  const file = path.join(dir, 'split.json');
  try {
    fs.writeFileSync(file, JSON.stringify({ train, test }));
    const r = spawnSync(PYTHON, [script, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.error) return { ok: false, reason: `cannot run ${PYTHON} (${r.error.message}); ${INSTALL_HINT}` };
    if (r.status === 3) return { ok: false, reason: `scikit-learn is not installed: ${INSTALL_HINT}` };
    if (r.status !== 0) return { ok: false, reason: `the baseline failed (exit ${r.status}): ${r.stderr.trim().slice(-500)}` };
    return { ok: true, result: JSON.parse(r.stdout) as BaselineResult };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
