import { createHash, randomBytes } from 'node:crypto';
import { desc, eq, isNull, and } from 'drizzle-orm';
import type { Db } from '../db';
import { apiTokens } from '../db/schema';
import { ApiError, notFound } from '../errors';

export type TokenRow = typeof apiTokens.$inferSelect;

/** Who is calling: an admin sees every tenant; a tenant token only its own. */
export interface Principal {
  /** For the audit log: the token's name and id, or 'local' for the trusted loopback user. */
  actor: string;
  tokenId: number | null;
  admin: boolean;
  tenants: ReadonlySet<string>;
}

export const LOCAL_ADMIN: Principal = { actor: 'local', tokenId: null, admin: true, tenants: new Set() };

export function canSee(p: Principal, tenantId: string): boolean {
  return p.admin || p.tenants.has(tenantId);
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates a token and returns it in clear: the only time it is ever shown. */
export function createToken(db: Db, input: { name: string; role: 'admin' | 'tenant'; tenants?: string[] }): { token: string; row: TokenRow } {
  if (input.role === 'tenant' && !input.tenants?.length) {
    throw new ApiError(422, 'invalid_token_scope', 'a tenant token needs at least one tenant');
  }
  const token = `tt_${randomBytes(32).toString('base64url')}`;
  const row = db
    .insert(apiTokens)
    .values({ name: input.name, hash: hashOf(token), prefix: token.slice(0, 10), role: input.role, tenants: input.role === 'admin' ? [] : input.tenants! })
    .returning()
    .get();
  return { token, row };
}

export function revokeToken(db: Db, id: number): TokenRow {
  const row = db.select().from(apiTokens).where(eq(apiTokens.id, id)).get();
  if (!row) throw notFound('token', id);
  if (row.revokedAt) return row;
  return db.update(apiTokens).set({ revokedAt: new Date().toISOString() }).where(eq(apiTokens.id, id)).returning().get();
}

export function listTokens(db: Db): TokenRow[] {
  return db.select().from(apiTokens).orderBy(desc(apiTokens.id)).all();
}

export function activeTokenCount(db: Db): number {
  return db.select({ id: apiTokens.id }).from(apiTokens).where(isNull(apiTokens.revokedAt)).all().length;
}

/** The principal of a presented token, or null when it is unknown or revoked. */
export function authenticate(db: Db, token: string): Principal | null {
  const row = db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.hash, hashOf(token)), isNull(apiTokens.revokedAt)))
    .get();
  if (!row) return null;
  return { actor: `token ${row.id} (${row.name})`, tokenId: row.id, admin: row.role === 'admin', tenants: new Set(row.tenants) };
}

/** The public view of a token: never its hash. */
export function publicToken(row: TokenRow) {
  const { hash: _hash, ...rest } = row;
  return rest;
}
