import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../engine/client/engine-client';
import { bodyOf, sampleTickets, startEngine, type EngineProcess } from '../helpers/engine-process';

/**
 * Tenant isolation, route by route from the OpenAPI document: a token of tenant "alpha" gets, for every route of
 * tenant "beta", exactly the answer a tenant that does not exist gets, changes nothing, and sees only its own
 * tenant in every list.
 */
describe('tenant isolation', () => {
  let engine: EngineProcess;
  let alphaToken: string;
  let ids: { run: number; checkpoint: number; dataset: number };

  async function prepare(tenant: string) {
    await engine.client.createTenant(tenant);
    await engine.client.importFile(tenant, Buffer.from(JSON.stringify(sampleTickets(240))), { filename: `${tenant}.json` });
    const run = await engine.client.startRun(tenant, { kind: 'train', tier: 'fast', deploy: true });
    const done = await engine.client.followRun(tenant, run.id, () => {});
    return { run: done.id, checkpoint: Number(done.result!.checkpointId), dataset: Number(done.result!.datasetId) };
  }

  beforeAll(async () => {
    engine = await startEngine();
    await prepare('alpha');
    ids = await prepare('beta');
    const res = await fetch(`${engine.url}/api/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'alpha only', role: 'tenant', tenants: ['alpha'] }),
    });
    alphaToken = (await bodyOf(res)).token;
  });
  afterAll(async () => {
    await engine?.stop();
  });

  /** A valid request for each route, so nothing but the tenant check can refuse it. */
  function validBody(method: string, path: string): { body?: string; type?: string } {
    if (method === 'get' || method === 'delete') return {};
    const json = (v: unknown) => ({ body: JSON.stringify(v), type: 'application/json' });
    if (path.endsWith('/imports')) return { body: JSON.stringify(sampleTickets(3)), type: 'application/octet-stream' };
    if (path.endsWith('/predict')) return json({ ticket: { title: 'printer jam', description: '' } });
    if (path.endsWith('/runs')) return json({ kind: 'train', tier: 'fast' });
    if (path.endsWith('/deployments')) return json({ checkpointId: ids.checkpoint });
    if (path.endsWith('/datasets')) return json({});
    if (path.endsWith('/connector')) {
      return json({ kind: 'autotask', config: { username: 'x@example.com', discoveryUrl: 'http://127.0.0.1:9/' }, secrets: { secret: 's', integrationCode: 'c' } });
    }
    if (path.endsWith('/triage-settings')) return json({ mode: 'apply' });
    return json({});
  }

  function fill(path: string, tenant: string): string {
    return path
      .replace('{tenant}', tenant)
      .replace('{run}', String(ids.run))
      .replace('{checkpoint}', String(ids.checkpoint))
      .replace('{dataset}', String(ids.dataset));
  }

  async function call(method: string, url: string, token: string | null, req: { body?: string; type?: string }) {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (req.type) headers['content-type'] = req.type;
    const res = await fetch(url, { method: method.toUpperCase(), headers, body: req.body });
    const text = await res.text();
    return { status: res.status, text };
  }

  it('refuses every tenant route of another tenant exactly as if that tenant did not exist', async () => {
    const doc = await bodyOf(await fetch(`${engine.url}/api/openapi.json`));
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.includes('{tenant}'))
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method, path })));
    expect(routes.length).toBeGreaterThanOrEqual(25);
    const before = await engine.client.getTenant('beta');
    const betaRunsBefore = (await engine.client.listRuns('beta')).length;
    for (const { method, path } of routes) {
      const req = validBody(method, path);
      const asAlpha = await call(method, `${engine.url}${fill(path, 'beta')}`, alphaToken, req);
      const ghost = await call(method, `${engine.url}${fill(path, 'ghost')}`, null, req);
      expect(asAlpha.status, `${method} ${path}`).toBe(404);
      expect(ghost.status, `${method} ${path} (ghost)`).toBe(404);
      expect(asAlpha.text.replaceAll('beta', 'ghost'), `${method} ${path}`).toBe(ghost.text);
      // The same token is welcome on its own tenant (reads at least).
      if (method === 'get' && !/\{(run|checkpoint|dataset)\}/.test(path) && !path.endsWith('/connector')) {
        const own = await call(method, `${engine.url}${fill(path, 'alpha')}`, alphaToken, req);
        expect(own.status, `${method} ${path} on alpha`).toBe(200);
      }
    }
    // Nothing of beta's changed.
    const after = await engine.client.getTenant('beta');
    expect(after).toEqual(before);
    expect((await engine.client.listRuns('beta')).length).toBe(betaRunsBefore);
  });

  it('lists only the token\'s own tenant, runs and audit entries, and refuses admin routes', async () => {
    const alpha = new EngineClient(engine.url, alphaToken);
    expect((await alpha.listTenants()).map((t) => t.id)).toEqual(['alpha']);
    expect(new Set((await alpha.listRuns()).map((r) => r.tenantId))).toEqual(new Set(['alpha']));
    const audit = await alpha.rawRequest<{ entries: { tenantId: string | null }[] }>('GET', '/api/audit');
    expect(audit.entries.length).toBeGreaterThan(0);
    expect(audit.entries.every((e) => e.tenantId === 'alpha')).toBe(true);
    for (const [method, path, body] of [
      ['POST', '/api/tenants', { id: 'gamma' }],
      ['GET', '/api/tokens', undefined],
      ['POST', '/api/tokens', { name: 'x', role: 'admin' }],
      ['DELETE', '/api/tokens/1', undefined],
    ] as const) {
      const err = await alpha.rawRequest(method, path, body).catch((e) => e);
      expect(err, `${method} ${path}`).toMatchObject({ status: 403, code: 'admin_only' });
    }
  });

  it('an unknown or revoked token is refused at once', async () => {
    const created = await engine.client.rawRequest<{ token: string; info: { id: number } }>('POST', '/api/tokens', { name: 'short-lived', role: 'tenant', tenants: ['beta'] });
    const beta = new EngineClient(engine.url, created.token);
    expect((await beta.listTenants()).map((t) => t.id)).toEqual(['beta']);
    await engine.client.rawRequest('DELETE', `/api/tokens/${created.info.id}`);
    expect(await beta.listTenants().catch((e) => e)).toMatchObject({ status: 401, code: 'invalid_token' });
    const bogus = new EngineClient(engine.url, 'tt_not-a-real-token');
    expect(await bogus.listTenants().catch((e) => e)).toMatchObject({ status: 401, code: 'invalid_token' });
    const entries = (await engine.client.rawRequest<{ entries: { action: string; detail: { tokenId?: number } }[] }>('GET', '/api/audit')).entries;
    expect(entries.filter((e) => e.detail.tokenId === created.info.id).map((e) => e.action).sort()).toEqual(['token.create', 'token.revoke']);
  });
});

describe('authentication modes', () => {
  it('with --require-token, even a local caller needs a token; the admin token file works', async () => {
    const engine = await startEngine({ args: ['--require-token'], waitFor: /admin API token/ });
    try {
      expect(engine.output()).toMatch(/An admin API token was created in .*admin-token/);
      const anonymous = await fetch(`${engine.url}/api/tenants`);
      expect(anonymous.status).toBe(401);
      expect((await bodyOf(anonymous)).error.code).toBe('unauthenticated');
      expect((await fetch(`${engine.url}/api/health`)).status).toBe(200);
      expect((await fetch(`${engine.url}/api/openapi.json`)).status).toBe(200);
      const fs = await import('node:fs');
      const token = fs.readFileSync(`${engine.dataDir}/admin-token`, 'utf8').trim();
      expect((fs.statSync(`${engine.dataDir}/admin-token`).mode & 0o777).toString(8)).toBe('600');
      expect(await new EngineClient(engine.url, token).listTenants()).toEqual([]);
    } finally {
      await engine.stop();
    }
  });

  it('refuses to listen on a network address until a token exists', async () => {
    const { tempDataDir, runCli } = await import('../helpers/engine-process');
    const dataDir = tempDataDir();
    const err = await startEngine({ dataDir, args: ['--host', '0.0.0.0'] }).catch((e: Error) => e);
    expect(String(err)).toMatch(/refusing to listen on 0\.0\.0\.0 without an API token/);
    const created = await runCli(['token', 'create', '--offline', '--admin', '--name', 'ops', '--data-dir', dataDir]);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^tt_/);
    const engine = await startEngine({ dataDir, args: ['--host', '0.0.0.0'] });
    try {
      const url = engine.url.replace('0.0.0.0', '127.0.0.1');
      // Bound to the network, even this machine's calls need the token.
      expect((await fetch(`${url}/api/tenants`)).status).toBe(401);
      expect((await fetch(`${url}/api/tenants`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await engine.stop();
    }
  });
});

describe('local trust is for local programs, not for other sites in the browser', () => {
  it('refuses a tokenless request with a foreign Origin or a non-loopback Host name', async () => {
    const engine = await startEngine();
    try {
      const port = new URL(engine.url).port;
      expect((await fetch(`${engine.url}/api/tenants`, { headers: { origin: engine.url } })).status).toBe(200);
      const csrf = await fetch(`${engine.url}/api/tenants`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'text/plain' }, body: '{"id":"x"}' });
      expect(csrf.status).toBe(403);
      expect((await bodyOf(csrf)).error.code).toBe('cross_site');
      const http = await import('node:http');
      const rebinding = await new Promise<number>((resolve) => {
        http.get({ host: '127.0.0.1', port, path: '/api/tenants', headers: { host: `evil.example:${port}` } }, (res) => resolve(res.statusCode!)).end();
      });
      expect(rebinding).toBe(403);
    } finally {
      await engine.stop();
    }
  });
});
