import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, startEngine, tempDataDir, type EngineProcess } from '../helpers/engine-process';

describe('the HTTP server', () => {
  let engine: EngineProcess;
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(async () => {
    await engine?.stop();
  });

  it('binds 127.0.0.1 by default', () => {
    expect(engine.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves an OpenAPI document that lists every route, and a docs page', async () => {
    const doc = await bodyOf(await fetch(`${engine.url}/api/openapi.json`));
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/tenants',
      '/api/tenants/{tenant}/fields',
      '/api/tenants/{tenant}/imports',
      '/api/tenants/{tenant}/datasets',
      '/api/tenants/{tenant}/runs',
      '/api/tenants/{tenant}/runs/{run}/events/stream',
      '/api/tenants/{tenant}/checkpoints',
      '/api/tenants/{tenant}/deployments',
      '/api/tenants/{tenant}/deployments/rollback',
      '/api/tenants/{tenant}/predict',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const page = await fetch(`${engine.url}/api/docs`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('/api/tenants/{tenant}/predict');
  });

  it('answers errors as JSON with a code and message, never a stack trace', async () => {
    const cases: [string, RequestInit, number, string][] = [
      ['/api/nope', {}, 404, 'not_found'],
      ['/api/tenants/ghost', {}, 404, 'not_found'],
      ['/api/tenants', { method: 'POST', body: '{"id": ', headers: { 'content-type': 'application/json' } }, 400, 'invalid_request'],
      ['/api/tenants', { method: 'POST', body: '{"id": "Bad Id!"}', headers: { 'content-type': 'application/json' } }, 422, 'invalid_tenant_id'],
      ['/api/tenants/ghost/runs', { method: 'POST', body: '{"kind":"dance"}', headers: { 'content-type': 'application/json' } }, 400, 'invalid_request'],
    ];
    for (const [path, init, status, code] of cases) {
      const res = await fetch(`${engine.url}${path}`, init);
      expect(res.status, path).toBe(status);
      const body = await bodyOf(res);
      expect(body.error.code, path).toBe(code);
      expect(body.error.message, path).toEqual(expect.any(String));
      expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
    }
  });

  it('validates predict requests', async () => {
    await engine.client.createTenant('p');
    const res = await fetch(`${engine.url}/api/tenants/p/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: { title: '', description: '' } }),
    });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).error.message).toMatch(/title or a description/);
  });

  it('a busy port is a clear error, and the process holding it is left alone', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    const err = await startEngine({ dataDir: tempDataDir(), args: ['--port', String(port)] }).catch((e: Error) => e);
    expect(String(err)).toMatch(new RegExp(`port ${port} .*already in use`));
    expect(blocker.listening).toBe(true);
    blocker.close();
  });
});
