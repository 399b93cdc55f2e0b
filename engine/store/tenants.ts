import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { tenants } from '../db/schema';
import { ApiError, notFound } from '../errors';

export type Tenant = typeof tenants.$inferSelect;

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function listTenants(db: Db): Tenant[] {
  return db.select().from(tenants).orderBy(tenants.id).all();
}

/** Expected absence is a value here; `requireTenant` is the throwing variant for request handlers. */
export function findTenant(db: Db, id: string): Tenant | null {
  return db.select().from(tenants).where(eq(tenants.id, id)).get() ?? null;
}

export function requireTenant(db: Db, id: string): Tenant {
  const tenant = findTenant(db, id);
  if (!tenant) throw notFound('tenant', id);
  return tenant;
}

export function createTenant(db: Db, input: { id: string; name?: string }): Tenant {
  if (!SLUG.test(input.id)) {
    throw new ApiError(
      422,
      'invalid_tenant_id',
      `tenant id "${input.id}" must be 1-63 lower-case letters, digits or dashes, starting with a letter or digit`,
    );
  }
  if (findTenant(db, input.id)) throw new ApiError(409, 'tenant_exists', `tenant "${input.id}" already exists`);
  return db
    .insert(tenants)
    .values({ id: input.id, name: input.name?.trim() || input.id })
    .returning()
    .get();
}
