import { openDb, type Db } from '../../engine/db';
import { createTenant } from '../../engine/store/tenants';

/** A migrated in-memory database with one tenant: the real schema, no files. */
export function memoryDb(tenant = 't1'): Db {
  const db = openDb(':memory:');
  createTenant(db, { id: tenant });
  return db;
}
