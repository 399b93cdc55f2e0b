import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, HttpError } from '../../../../connectors/shared/http';

/** A tiny server that answers each request with the next scripted response. */
async function scriptedServer(script: ((req: http.IncomingMessage, res: http.ServerResponse) => void)[]) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const step = script.shift() ?? ((_q, r) => r.end('{"ok":true}'));
    step(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const status = (code: number, headers: Record<string, string> = {}, body = '{}') => (_q: http.IncomingMessage, r: http.ServerResponse) => {
  r.writeHead(code, { 'content-type': 'application/json', ...headers });
  r.end(body);
};

describe('HttpClient', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
  });

  it('retries a 429 after the Retry-After the server asked for, then returns the JSON body', async () => {
    const s = await scriptedServer([status(429, { 'retry-after': '2' }), status(200, {}, '{"items":[1]}')]);
    close = s.close;
    const slept: number[] = [];
    const client = new HttpClient({ sleep: async (ms) => void slept.push(ms) });
    const res = await client.request({ method: 'GET', url: `${s.url}/x` });
    expect(res.body).toEqual({ items: [1] });
    expect(slept).toEqual([2000]);
    expect(client.stats).toEqual({ requests: 2, retries: 1 });
  });

  it('backs off exponentially on 5xx and gives up with the last status and body', async () => {
    const s = await scriptedServer([status(500), status(502), status(503, {}, '{"errors":["down"]}')]);
    close = s.close;
    const slept: number[] = [];
    const client = new HttpClient({ maxRetries: 2, baseDelayMs: 100, sleep: async (ms) => void slept.push(ms) });
    const err = await client.request({ method: 'GET', url: `${s.url}/x` }).catch((e) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ status: 503, body: { errors: ['down'] } });
    expect(slept).toHaveLength(2);
    expect(slept[0]).toBeGreaterThanOrEqual(50);
    expect(slept[0]).toBeLessThanOrEqual(100);
    expect(slept[1]).toBeGreaterThanOrEqual(100);
    expect(slept[1]).toBeLessThanOrEqual(200);
  });

  it('does not retry a 4xx, nor a POST after a 500 (it may have been applied)', async () => {
    const s = await scriptedServer([status(404), status(500)]);
    close = s.close;
    const client = new HttpClient({ sleep: async () => {} });
    expect(await client.request({ method: 'GET', url: `${s.url}/a` }).catch((e) => e.status)).toBe(404);
    expect(await client.request({ method: 'POST', url: `${s.url}/b`, body: { text: 'note' } }).catch((e) => e.status)).toBe(500);
    expect(s.seen).toEqual(['GET /a', 'POST /b']);
  });

  it('retries a request that timed out or whose connection dropped', async () => {
    const s = await scriptedServer([
      () => {}, // never answers: the client times out
      (_q, r) => r.socket?.destroy(), // drops the connection
      status(200, {}, '{"done":1}'),
    ]);
    close = s.close;
    const client = new HttpClient({ timeoutMs: 200, sleep: async () => {} });
    expect((await client.request({ method: 'GET', url: `${s.url}/x` })).body).toEqual({ done: 1 });
    expect(client.stats.retries).toBe(2);
  });

  it('never has more than maxConcurrent requests in flight, and an aborted waiter does not block the queue', async () => {
    let inFlight = 0;
    let peak = 0;
    const server = http.createServer((_q, r) => {
      peak = Math.max(peak, ++inFlight);
      setTimeout(() => {
        inFlight--;
        r.end('{}');
      }, 30);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    close = () => new Promise<void>((r) => server.close(() => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
    const client = new HttpClient({ maxConcurrent: 1 });
    const first = client.request({ method: 'GET', url });
    const abort = new AbortController();
    const aborted = client.request({ method: 'GET', url, signal: abort.signal }).catch((e) => e);
    abort.abort(new Error('stop'));
    const third = client.request({ method: 'GET', url });
    await Promise.all([first, third]);
    expect(String(await aborted)).toMatch(/stop/);
    expect(peak).toBe(1);
  });

  it('waits instead of exceeding the hourly budget', async () => {
    const s = await scriptedServer([]);
    close = s.close;
    const slept: number[] = [];
    // A sleep that records and never wakes: the request must still be waiting, not sent.
    const client = new HttpClient({ hourlyBudget: 2, sleep: (ms) => (slept.push(ms), new Promise<void>(() => {})) });
    await client.request({ method: 'GET', url: `${s.url}/1` });
    await client.request({ method: 'GET', url: `${s.url}/2` });
    expect(slept).toEqual([]);
    // The third would exceed the budget: the client sleeps until the oldest request is an hour old.
    const third = client.request({ method: 'GET', url: `${s.url}/3` });
    await expect(Promise.race([third.then(() => 'sent'), new Promise((r) => setTimeout(() => r('waiting'), 100))])).resolves.toBe('waiting');
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(3_500_000);
    expect(s.seen).toEqual(['GET /1', 'GET /2']);
  });
});
