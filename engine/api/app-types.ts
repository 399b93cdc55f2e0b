import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { canSee, type Principal } from '../auth/tokens';
import type { EngineContext } from '../context';
import { ApiError, notFound } from '../errors';
import { requireTenant, type Tenant } from '../store/tenants';

export type AppEnv = { Variables: { engine: EngineContext; principal: Principal } };

/**
 * Every router validates with the same hook, so a bad request always answers 400 with the zod issues as
 * `details` (path and message), never a stack trace.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
        const first = issues[0];
        throw new ApiError(400, 'invalid_request', first ? `${first.path || 'body'}: ${first.message}` : 'invalid request', issues);
      }
    },
  });
}

/**
 * The one place a route turns the `{tenant}` path parameter into a tenant, checked against the caller's token.
 * A tenant the caller may not see answers exactly like one that does not exist, so a token cannot even learn
 * which other tenants there are.
 */
export function tenantOf(c: Context<AppEnv>, id: string): Tenant {
  if (!canSee(c.get('principal'), id)) throw notFound('tenant', id);
  return requireTenant(c.get('engine').db, id);
}
