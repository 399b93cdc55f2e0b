import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { audit } from '../../auth/audit';
import { createToken } from '../../auth/tokens';
import type { EngineClient } from '../../client/engine-client';
import { resolveDataDir } from '../../config';
import { openDb } from '../../db';
import { table } from '../output';

export const help = {
  token: `triage token create --name N (--admin | --tenant T…) [--offline]   Create an API token (shown once)
triage token list | triage token revoke <id>
  --offline writes to the data directory's database directly, e.g. before the first start on a network address.`,
  backup: `triage backup <dest-dir> [--data-dir DIR] [--with-secret-key]
  Online, consistent copy of the database (SQLite's backup API, safe while the engine runs) and the model files.`,
};

interface TokenAnswer {
  token: string;
  info: { id: number; name: string; role: string; tenants: string[] };
}

export async function tokenCommand(client: EngineClient, argv: string[], dataDir?: string): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      admin: { type: 'boolean', default: false },
      tenant: { type: 'string', multiple: true },
      offline: { type: 'boolean', default: false },
    },
  });
  const [action, id] = positionals;
  if (action === 'create') {
    if (!values.name || (!values.admin && !values.tenant?.length)) throw new Error(`usage: ${help.token}`);
    const input = { name: values.name, role: values.admin ? ('admin' as const) : ('tenant' as const), tenants: values.tenant ?? [] };
    let answer: TokenAnswer;
    if (values.offline) {
      const dir = resolveDataDir(dataDir);
      fs.mkdirSync(dir, { recursive: true });
      const db = openDb(path.join(dir, 'triage.db'));
      const { token, row } = createToken(db, input);
      audit(db, { actor: 'cli (offline)', action: 'token.create', detail: { tokenId: row.id, name: row.name, role: row.role, tenants: row.tenants } });
      db.$client.close();
      answer = { token, info: row };
    } else {
      answer = await client.rawRequest<TokenAnswer>('POST', '/api/tokens', input);
    }
    console.log(`Token ${answer.info.id} (${answer.info.role}${answer.info.tenants.length ? `: ${answer.info.tenants.join(', ')}` : ''}):`);
    console.log(answer.token);
    console.error('It is shown only now; store it somewhere safe.');
    return;
  }
  if (action === 'list') {
    const { tokens } = await client.rawRequest<{ tokens: { id: number; name: string; prefix: string; role: string; tenants: string[]; createdAt: string; revokedAt: string | null }[] }>('GET', '/api/tokens');
    console.log(table(['id', 'name', 'prefix', 'role', 'tenants', 'created', 'revoked'], tokens.map((t) => [t.id, t.name, `${t.prefix}…`, t.role, t.tenants.join(', ') || '-', t.createdAt.slice(0, 19), t.revokedAt?.slice(0, 19) ?? ''])));
    return;
  }
  if (action === 'revoke' && id) {
    await client.rawRequest('DELETE', `/api/tokens/${Number(id)}`);
    console.log(`Revoked token ${id}.`);
    return;
  }
  throw new Error(`usage: ${help.token}`);
}

/** Consistent while the engine writes: SQLite's online backup copies pages under its own locking. */
export async function backupCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, 'with-secret-key': { type: 'boolean', default: false } },
  });
  const [dest] = positionals;
  if (!dest) throw new Error(`usage: ${help.backup}`);
  const dataDir = resolveDataDir(values['data-dir']);
  const source = path.join(dataDir, 'triage.db');
  if (!fs.existsSync(source)) throw new Error(`no engine database at ${source}`);
  fs.mkdirSync(dest, { recursive: true });
  const target = path.join(dest, 'triage.db');
  if (fs.existsSync(target)) throw new Error(`${target} already exists; choose an empty directory`);
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(target);
  } finally {
    db.close();
  }
  // Models are written once under a temporary name and renamed, so copying them after the database is safe:
  // every checkpoint in the copied database already has its complete file.
  const models = path.join(dataDir, 'models');
  if (fs.existsSync(models)) fs.cpSync(models, path.join(dest, 'models'), { recursive: true, filter: (f) => !f.includes('.tmp-') });
  if (values['with-secret-key'] && fs.existsSync(path.join(dataDir, 'secret.key'))) {
    fs.copyFileSync(path.join(dataDir, 'secret.key'), path.join(dest, 'secret.key'));
  }
  const check = new Database(target, { readonly: true });
  const integrity = check.pragma('integrity_check', { simple: true });
  const tickets = (check.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
  check.close();
  if (integrity !== 'ok') throw new Error(`the backup failed its integrity check: ${integrity}`);
  console.log(`Backed up ${tickets} tickets and the model files to ${dest} (integrity ok).`);
  if (!values['with-secret-key']) {
    console.log('The secret key (secret.key or TRIAGE_SECRET_KEY) is not in the backup: keep it separately, or PSA connections cannot be restored.');
  }
}
