import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { EngineClient } from '../../engine/client/engine-client';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'engine/cli/main.ts');
export const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;

export interface EngineProcess {
  url: string;
  client: EngineClient;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM (graceful) or SIGKILL (a crash); resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function tempDataDir(prefix = 'triage-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Starts the real engine (`triage serve`) as a child process on a free port and a given data directory, and
 * waits until it prints its URL. Integration tests talk to it over HTTP only.
 */
export async function startEngine(opts: { dataDir?: string; args?: string[]; env?: Record<string, string>; waitFor?: RegExp } = {}): Promise<EngineProcess> {
  const dataDir = opts.dataDir ?? tempDataDir();
  const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI, 'serve', '--port', '0', '--data-dir', dataDir, ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`engine did not start in time:\n${out}`)), 60_000);
    const check = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && (!opts.waitFor || opts.waitFor.test(out))) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`engine exited with code ${code} before it was ready:\n${out}`));
    });
  });
  return {
    url,
    client: new EngineClient(url),
    dataDir,
    child,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

/** Runs a CLI command to completion and returns its exit code and output. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A small labelled tenant file in the upload format, with text that determines the labels. */
export function sampleTickets(n: number, seed = 1): { title: string; description: string; category: string; urgency: string }[] {
  const topics = [
    { category: 'Printing', words: ['printer', 'toner', 'paper jam', 'print queue'] },
    { category: 'Email', words: ['outlook', 'mailbox', 'inbox', 'smtp'] },
    { category: 'Network', words: ['wifi', 'vpn', 'switch', 'dns'] },
  ];
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, (_, i) => {
    const t = topics[i % topics.length];
    const w = t.words[Math.floor(rnd() * t.words.length)];
    const urgent = rnd() < 0.3;
    return {
      title: `${urgent ? 'URGENT ' : ''}${w} problem ${i}`,
      description: `The ${w} is not working for user ${Math.floor(rnd() * 100)}.${urgent ? ' Everyone is blocked, outage!' : ''}`,
      category: t.category,
      urgency: urgent ? 'high' : 'normal',
    };
  });
}

/** Response bodies in assertions: typed loosely on purpose, the assertions say what is expected. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const bodyOf = async (res: Response): Promise<any> => res.json();
