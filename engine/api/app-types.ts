import { OpenAPIHono } from '@hono/zod-openapi';
import type { EngineContext } from '../context';
import { ApiError } from '../errors';
import { requireTenant, type Tenant } from '../store/tenants';

export type AppEnv = { Variables: { engine: EngineContext } };

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
 * The one place a route turns the `{tenant}` path parameter into a tenant. Authorisation by token scope
 * belongs here too, so no route can forget it.
 */
export function tenantOf(engine: EngineContext, id: string): Tenant {
  return requireTenant(engine.db, id);
}
