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
      refuseForeignBrowserPages(c);
      c.set('principal', LOCAL_ADMIN);
    } else {
      throw new ApiError(401, 'unauthenticated', 'send an API token as "Authorization: Bearer <token>"; an admin can create one with `triage token create`');
    }
    await next();
  };
}

/**
 * Loopback trust is for programs on this machine, not for web pages open in its browser: a page from another
 * site (CSRF, an Origin that is not the engine's) or a DNS-rebinding page (a Host name that is not loopback)
 * could otherwise act as the local admin. Such requests need a token like any other caller.
 */
function refuseForeignBrowserPages(c: Context<AppEnv>): void {
  const host = c.req.header('host')?.replace(/:\d+$/, '');
  const origin = c.req.header('origin');
  let foreign = host !== undefined && !isLoopback(host);
  if (origin && origin !== 'null') {
    try {
      foreign ||= new URL(origin).host !== c.req.header('host');
    } catch {
      foreign = true;
    }
  } else if (origin === 'null') {
    foreign = true;
  }
  if (foreign) throw new ApiError(403, 'cross_site', 'requests from another site or host name need an API token');
}

export function requireAdmin(c: Context<AppEnv>): void {
  if (!c.get('principal').admin) throw new ApiError(403, 'admin_only', 'this needs an admin token');
}
