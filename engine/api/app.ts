import { HTTPException } from 'hono/http-exception';
import { authenticateRequests } from '../auth/middleware';
import { limitBody } from './body-limit';
import { rateLimit } from './rate-limit';
import { adminRoutes } from './routes/admin';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { EngineContext } from '../context';
import { ApiError } from '../errors';
import { createRouter } from './app-types';
import { renderDocsPage } from './docs-page';
import { dashboard } from './dashboard';
import { connectorRoutes } from './routes/connectors';
import { datasetRoutes } from './routes/datasets';
import { modelRoutes } from './routes/models';
import { predictRoutes } from './routes/predict';
import { runRoutes } from './routes/runs';
import { tenantRoutes } from './routes/tenants';
import { ticketRoutes } from './routes/tickets';
import { bearerToken, handleMcpHttp } from '../../mcp-server/http';

const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'ticket-triage engine',
    version: '0.1.0',
    description:
      "Learns each tenant's own ticket classification and triages new tickets: import tickets, train, evaluate, deploy, predict.",
  },
};

/** Routes anyone may call: liveness and the API's own description. */
const PUBLIC = new Set(['/api/health', '/api/openapi.json', '/api/docs']);

/** The routes whose request body is JSON (their other methods, and action routes like /cancel, take none). */
const JSON_BODY_ROUTES = /^\/api\/(tenants|tokens|tenants\/[^/]+\/(predict|runs|deployments|datasets|connector|triage-settings))$/;

/** The engine's HTTP API: every route under /api, JSON errors, an OpenAPI document and a docs page. */
export function createApp(engine: EngineContext) {
  const api = createRouter();
  api.use('*', async (c, next) => {
    c.set('engine', engine);
    await next();
  });
  api.get('/health', (c) => c.json({ ok: true }));
  // Everything below needs a caller: a token, or the local user of a loopback-only engine.
  api.use('*', async (c, next) => (PUBLIC.has(c.req.path) ? next() : authenticateRequests()(c, next)));
  // Uploads have their own, larger limit; every other body is bounded by maxBodyBytes.
  api.use('*', async (c, next) =>
    /\/imports$/.test(c.req.path)
      ? limitBody(() => engine.config.maxUploadBytes, 'file_too_large', 'the upload')(c, next)
      : limitBody(() => engine.config.maxBodyBytes, 'body_too_large', 'the request body')(c, next),
  );
  // Routes that take a JSON body take only JSON: an empty or form-encoded body must not pass as `{}`.
  api.use('*', async (c, next) => {
    if ((c.req.method === 'POST' || c.req.method === 'PUT') && JSON_BODY_ROUTES.test(c.req.path) && !/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      throw new ApiError(415, 'unsupported_media_type', 'send the body as JSON, with "content-type: application/json"');
    }
    await next();
  });
  api.use('/tenants/:tenant/predict', rateLimit(() => engine.config.predictRatePerSecond));
  api.route('/', tenantRoutes);
  api.route('/', ticketRoutes);
  api.route('/', datasetRoutes);
  api.route('/', runRoutes);
  api.route('/', modelRoutes);
  api.route('/', predictRoutes);
  api.route('/', connectorRoutes);
  api.route('/', adminRoutes);

  const app = createRouter();
  app.route('/api', api);
  // Documented on the outer app, where the routes carry their full /api paths.
  app.doc31('/api/openapi.json', OPENAPI_INFO);
  app.get('/api/docs', (c) => c.html(renderDocsPage(app.getOpenAPI31Document(OPENAPI_INFO) as never)));
  // The dashboard (a single-page app) on every other GET path; it leaves /api and /mcp alone.
  app.get('*', dashboard());
  // MCP over Streamable HTTP: the same authentication as /api; its tools call /api in-process as the same caller.
  app.use('/mcp', async (c, next) => {
    c.set('engine', engine);
    await next();
  });
  app.use('/mcp', authenticateRequests());
  app.all('/mcp', (c) =>
    handleMcpHttp(c.req.raw, {
      appFetch: (request, env) => app.fetch(request, env as never),
      env: c.env,
      token: bearerToken(c.req.header('authorization')),
      maxBodyBytes: engine.config.maxUploadBytes,
      log: (m) => engine.log.warn(m),
    }),
  );
  app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  app.onError((err, c) => {
    if (err instanceof ApiError) {
      return c.json({ error: { code: err.code, message: err.message, details: err.details } }, err.status, err.headers);
    }
    if (err instanceof HTTPException) {
      // hono's own exceptions: a malformed JSON body, for instance.
      const status = err.status as ContentfulStatusCode;
      const code = status === 400 ? 'invalid_request' : 'http_error';
      return c.json({ error: { code, message: err.message || 'bad request' } }, status);
    }
    engine.log.error(`${c.req.method} ${c.req.path} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return c.json({ error: { code: 'internal', message: 'the engine hit an unexpected error; it is logged on the server' } }, 500);
  });
  return app;
}
