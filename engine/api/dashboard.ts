/**
 * Serves the dashboard (dashboard/build, a single-page app) on the engine's own port, so the user has one URL.
 * Hashed assets under /_app/immutable are cached for a year; every other path that looks like a page gets
 * index.html and the app's router takes over. /api and /mcp are never answered from here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-types';

export const DASHBOARD_BUILD = path.resolve(import.meta.dirname, '../../dashboard/build');

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Paths the dashboard must never answer: the API (JSON 404s stay JSON) and the MCP endpoint. */
const isReserved = (p: string) => p === '/api' || p.startsWith('/api/') || p === '/mcp' || p.startsWith('/mcp/');

/** A path with a file extension asks for a file; anything else is a page of the app. */
const looksLikeFile = (p: string) => /\.[a-z0-9]+$/i.test(p);

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ticket triage</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>The dashboard is not built yet</h1>
<p>Run <code>npm run build:dashboard</code> (or <code>npm run build</code>), then reload this page.</p>
<p>The engine's API works meanwhile: see the <a href="/api/docs">API docs</a>.</p>
</body></html>`;

/**
 * The dashboard as one middleware for GET and HEAD requests outside /api and /mcp.
 * @example app.get('*', dashboard())
 */
export function dashboard(opts: { root?: string } = {}): MiddlewareHandler<AppEnv> {
  const root = opts.root ?? DASHBOARD_BUILD;
  const index = path.join(root, 'index.html');
  // Made on first use: serveStatic complains at creation when its folder does not exist yet.
  let handlers: { assets: MiddlewareHandler<AppEnv>; page: MiddlewareHandler<AppEnv> } | null = null;
  const served = () =>
    (handlers ??= {
      assets: serveStatic<AppEnv>({
        root,
        onFound: (file, c) => {
          c.header('Cache-Control', file.includes(`${path.sep}_app${path.sep}immutable${path.sep}`) ? IMMUTABLE : 'no-cache');
        },
      }),
      page: serveStatic<AppEnv>({ path: index, onFound: (_file, c) => c.header('Cache-Control', 'no-cache') }),
    });

  return async (c, next) => {
    const p = c.req.path;
    if (isReserved(p)) return next();
    // Checked per request, so a dashboard built while the engine runs is served without a restart.
    if (!fs.existsSync(index)) {
      if (p === '/' || !looksLikeFile(p)) return c.html(NOT_BUILT, 503);
      return next();
    }
    const { assets, page } = served();
    if (p !== '/' && looksLikeFile(p)) return assets(c, next);
    // A client route (or /): the app's shell, where the app's router takes over.
    return page(c, next);
  };
}
