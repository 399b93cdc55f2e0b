import type { Context, MiddlewareHandler } from 'hono';
import { isLoopback } from '../config';
import type { AppEnv } from '../api/app-types';
import { ApiError } from '../errors';
import { authenticate, LOCAL_ADMIN } from './tokens';

/** The caller's address as the socket saw it (a proxy header is never trusted for this). */
function remoteAddress(c: Context<AppEnv>): string | undefined {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress;
}

/**
 * Identifies the caller. A bearer token decides who it is; without one, a caller on this machine is the local
 * admin when the engine is bound to loopback only (so a local user is never locked out), and anyone else is
 * refused. Which tenants a principal may see is enforced where routes resolve `{tenant}` (tenantOf).
 */
export function authenticateRequests(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const engine = c.get('engine');
    const header = c.req.header('authorization');
    if (header) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const principal = m ? authenticate(engine.db, m[1]) : null;
      if (!principal) throw new ApiError(401, 'invalid_token', 'the API token is unknown or revoked');
      c.set('principal', principal);
    } else if (!engine.config.requireToken && isLoopback(engine.config.host) && isLoopback(remoteAddress(c))) {
      c.set('principal', LOCAL_ADMIN);
    } else {
      throw new ApiError(401, 'unauthenticated', 'send an API token as "Authorization: Bearer <token>"; an admin can create one with `triage token create`');
    }
    await next();
  };
}

export function requireAdmin(c: Context<AppEnv>): void {
  if (!c.get('principal').admin) throw new ApiError(403, 'admin_only', 'this needs an admin token');
}
