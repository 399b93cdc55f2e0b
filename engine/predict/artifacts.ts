import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Model artifacts live under `<dataDir>/models/<tenant>/`. They are written to a temporary name, synced and renamed,
 * then the directory is synced, so a crash or power cut never leaves a truncated file under the final name nor
 * loses a checkpoint the database already points to; they are read back with a checksum.
 */
export function writeArtifact(dataDir: string, tenantId: string, name: string, bytes: Uint8Array): { artifact: string; sha256: string } {
  const rel = path.join('models', tenantId, name);
  const abs = path.join(dataDir, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const tmp = `${abs}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, abs);
  syncDirectory(path.dirname(abs));
  return { artifact: rel, sha256: sha256(bytes) };
}

/** Makes the rename itself durable: until the directory is synced, a power cut can lose the new name. */
function syncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function readArtifact(dataDir: string, artifact: string, expectedSha256: string): Uint8Array {
  const abs = path.join(dataDir, artifact);
  if (!fs.existsSync(abs)) throw new Error(`model artifact ${artifact} is missing from ${dataDir}`);
  const bytes = fs.readFileSync(abs);
  const actual = sha256(bytes);
  if (actual !== expectedSha256) {
    throw new Error(`model artifact ${artifact} is corrupt (sha256 ${actual.slice(0, 12)}… expected ${expectedSha256.slice(0, 12)}…)`);
  }
  return bytes;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
