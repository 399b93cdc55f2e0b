import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Encrypts PSA credentials at rest with AES-256-GCM. The key comes from TRIAGE_SECRET_KEY (32 bytes, base64 or
 * hex) or from `<dataDir>/secret.key`, created with owner-only permissions at first start. The database alone
 * never reveals a secret; GCM's tag makes a tampered or wrongly keyed value fail loudly instead of decoding to junk.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromEnvOrFile(dataDir: string, env = process.env): SecretBox {
    if (env.TRIAGE_SECRET_KEY) return new SecretBox(parseKey(env.TRIAGE_SECRET_KEY));
    const file = path.join(dataDir, 'secret.key');
    if (!fs.existsSync(file)) {
      // 'wx' fails if another process created it in between, and the mode keeps it readable by the owner only.
      try {
        fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    return new SecretBox(parseKey(fs.readFileSync(file, 'utf8').trim()));
  }

  static fromKey(key: Buffer): SecretBox {
    if (key.length !== 32) throw new Error('a secret key must be 32 bytes');
    return new SecretBox(key);
  }

  seal(value: Record<string, string>): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64')).join('.');
  }

  open(sealed: string): Record<string, string> {
    const [iv, tag, data] = sealed.split('.').map((p) => Buffer.from(p, 'base64'));
    if (!iv || !tag || !data) throw new Error('stored secrets are malformed');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      return JSON.parse(Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8'));
    } catch {
      throw new Error('stored secrets cannot be decrypted: the secret key (TRIAGE_SECRET_KEY or secret.key) is not the one they were sealed with');
    }
  }
}

function parseKey(text: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('TRIAGE_SECRET_KEY / secret.key must hold 32 bytes, as base64 or hex');
  return key;
}
