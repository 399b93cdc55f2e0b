import fs from 'node:fs';
import path from 'node:path';
import { isLoopback } from '../config';
import type { EngineContext } from '../context';
import { audit } from './audit';
import { activeTokenCount, createToken } from './tokens';

export const ADMIN_TOKEN_FILE = 'admin-token';

/**
 * Makes sure someone can administer the engine before it listens. On a loopback-only engine with no tokens yet,
 * an admin token is created and written to `<dataDir>/admin-token` (owner-only), where the CLI finds it. An
 * engine bound to any other address must already have a token: it will not start open to the network.
 * Returns the token file's path when it created one.
 */
export function prepareAccess(ctx: EngineContext): string | null {
  if (activeTokenCount(ctx.db) > 0) return null;
  if (!isLoopback(ctx.config.host)) {
    throw new Error(
      `refusing to listen on ${ctx.config.host} without an API token: anyone who can reach it could read every tenant. ` +
        `Create one first with \`triage token create --offline --admin --name ops --data-dir ${ctx.config.dataDir}\`, or bind 127.0.0.1.`,
    );
  }
  const { token, row } = createToken(ctx.db, { name: 'initial admin', role: 'admin' });
  const file = path.join(ctx.config.dataDir, ADMIN_TOKEN_FILE);
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  audit(ctx.db, { actor: 'engine', action: 'token.create', detail: { tokenId: row.id, name: row.name, role: 'admin', file } });
  return file;
}
