import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_TOKEN_FILE } from '../auth/bootstrap';
import { DEFAULT_PORT, resolveDataDir } from '../config';

/** The file `triage serve` writes so other commands find the engine without being told its port. */
export function engineFile(dataDir: string): string {
  return path.join(dataDir, 'engine.json');
}

/** TRIAGE_TOKEN, else the admin token a local engine wrote into its data directory, else none. */
export function resolveToken(dataDir?: string): string | undefined {
  if (process.env.TRIAGE_TOKEN) return process.env.TRIAGE_TOKEN;
  try {
    return fs.readFileSync(path.join(resolveDataDir(dataDir), ADMIN_TOKEN_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** --url, else TRIAGE_URL, else the running engine of the data directory, else the default port. */
export function resolveEngineUrl(flagUrl?: string, dataDir?: string): string {
  if (flagUrl) return flagUrl;
  if (process.env.TRIAGE_URL) return process.env.TRIAGE_URL;
  const file = engineFile(resolveDataDir(dataDir));
  try {
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as { url: string; pid: number };
    process.kill(info.pid, 0); // throws when that process is gone: the file is stale
    return info.url;
  } catch {
    return `http://127.0.0.1:${DEFAULT_PORT}`;
  }
}
