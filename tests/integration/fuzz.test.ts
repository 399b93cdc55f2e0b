import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleTickets, startEngine, type EngineProcess } from '../helpers/engine-process';
import {
  addJunk, BAD_AUTH, BAD_NUMERIC, BAD_TENANTS_RAW, BAD_TENANTS_TEXT, badUpload, DEEP_MARK, deepArray,
  deepObject, getAt, NASTY_TEXTS, POLLUTION_MARKER, Rng, SchemaKit, setAt, utf8, withInvalidUtf8, type Json,
  type JsonSchema, type Site,
} from '../helpers/fuzz-inputs';

/**
 * Throws thousands of malformed requests and uploads at one real engine. Every one must be answered with a 4xx and
 * a JSON `{error: {code, message}}` (never a 5xx, a dropped connection or a hang), bad uploads must store nothing,
 * nasty-but-valid ticket text must be triaged normally, and the engine must stay healthy throughout.
 * Deterministic: FUZZ_SEED=<n> replays a run; the seed is printed with any failure.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20_240_611);
const CONCURRENCY = 8;
const CHECK_EVERY = 500;
const LIMIT = 4 * 1024 * 1024; // the engine's body and upload limits in this test
const HUGE = 2 * 1024 * 1024; // "huge" inputs stay under the limits
const OVER = LIMIT + 64 * 1024; // ... and a few go over them
const TENANT = 'fz';

type Expect = 'error' | 'prediction' | 'not-5xx';
interface Case {
  category: string;
  method: string;
  /** Path and query, already encoded (sent as written). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  expect: Expect;
  /** A status the answer must have exactly (401 for bad tokens, 413 over the limit). */
  status?: number;
  note?: string;
}

interface Offender {
  category: string;
  request: string;
  body: string;
  status: number;
  response: string;
}

interface Route {
  method: string;
  template: string;
  pathParams: string[];
  query: { name: string; schema: JsonSchema }[];
  body?: JsonSchema;
  upload: boolean;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string; schema: JsonSchema }[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components: { schemas: Record<string, JsonSchema> };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const preview = (body: string | Uint8Array | undefined, max = 160): string => {
  if (body === undefined) return '(none)';
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('latin1');
  const shown = text.length > max ? `${text.slice(0, max)}… (${body.length} ${typeof body === 'string' ? 'chars' : 'bytes'})` : text;
  return JSON.stringify(shown);
};

describe('fuzz: malformed requests and uploads against one engine', () => {
  let engine: EngineProcess;
  let doc: OpenApiDoc;
  let kit: SchemaKit;
  let routes: Route[];
  const ids: Record<string, number> = {};
  let choices: Map<string, Set<string>>;
  let fieldsJson = '';
  let stateBefore: Record<string, unknown> = {};

  const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Loose }> => {
    const res = await fetch(engine.url + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };

  /** What must not change: no tenant, ticket, run, dataset, checkpoint, deployment, token, setting or audit entry. */
  const snapshot = async (): Promise<Record<string, unknown>> => {
    const t = `/api/tenants/${TENANT}`;
    const [tenants, tenant, fields, runs, datasets, checkpoints, deployments, tokens, settings, connector, audit] = await Promise.all([
      api('GET', '/api/tenants'), api('GET', t), api('GET', `${t}/fields`), api('GET', '/api/runs?limit=1000'), api('GET', `${t}/datasets`),
      api('GET', `${t}/checkpoints`), api('GET', `${t}/deployments`), api('GET', '/api/tokens'), api('GET', `${t}/triage-settings`),
      api('GET', `${t}/connector`), api('GET', '/api/audit?limit=1000'),
    ]);
    return {
      tenants: tenants.json.tenants.map((x: Loose) => `${x.id}:${x.tickets}:${x.deployment?.id}`),
      tickets: tenant.json.tickets,
      fields: JSON.stringify(fields.json),
      runs: runs.json.runs.map((r: Loose) => `${r.id}:${r.status}`),
      datasets: datasets.json.datasets.map((d: Loose) => d.id),
      checkpoints: checkpoints.json.checkpoints.map((c: Loose) => `${c.id}:${c.deployed}`),
      deployments: deployments.json.deployments.map((d: Loose) => `${d.id}:${d.active}`),
      tokens: tokens.json.tokens.map((x: Loose) => `${x.id}:${x.revokedAt}`),
      settings: JSON.stringify(settings.json),
      connector: connector.status,
      audit: audit.json.entries.length,
    };
  };

  /** A prediction answer: every field 'unpredictable' or one of the tenant's own choices. */
  const predictionProblem = (json: Loose): string | null => {
    const list: Loose[] = json?.predictions ?? (json?.prediction ? [json.prediction] : []);
    if (!list.length) return 'no prediction in the answer';
    for (const p of list) {
      const names = Object.keys(p.fields ?? {});
      if (!names.length) return 'a prediction without fields';
      for (const name of names) {
        const f = p.fields[name];
        const allowed = choices.get(name);
        if (!allowed) return `unknown field "${name}"`;
        if (f.status === 'unpredictable') continue;
        if (f.status !== 'predicted' || !allowed.has(f.value)) return `field "${name}" = ${JSON.stringify(f.value)} (${f.status}) is not one of the tenant's choices`;
      }
    }
    return null;
  };

  beforeAll(async () => {
    engine = await startEngine({
      env: { TRIAGE_MAX_BODY_BYTES: String(LIMIT), TRIAGE_MAX_UPLOAD_BYTES: String(LIMIT), TRIAGE_PREDICT_RATE: '0' },
    });
    await engine.client.createTenant(TENANT);
    await engine.client.importFile(TENANT, utf8(JSON.stringify(sampleTickets(300))), { filename: 'fz.json' });
    const run = await engine.client.startRun(TENANT, { kind: 'train', tier: 'fast', deploy: true });
    const done = await engine.client.followRun(TENANT, run.id, () => {});
    expect(done.status).toBe('succeeded');
    ids.run = done.id;
    ids.dataset = done.datasetId ?? (await engine.client.listDatasets(TENANT))[0].id;
    ids.checkpoint = done.checkpointId ?? (await engine.client.listCheckpoints(TENANT))[0].id;
    ids.token = 987_654; // never a real token: DELETE /api/tokens/{real} would revoke it
    const fields = await engine.client.getFields(TENANT);
    fieldsJson = JSON.stringify(fields);
    choices = new Map(fields.map((f) => [f.name, new Set(f.choices.map((c) => c.value))]));
    expect([...choices.keys()].sort()).toEqual(['category', 'urgency']);

    doc = (await (await fetch(`${engine.url}/api/openapi.json`)).json()) as OpenApiDoc;
    kit = new SchemaKit(doc.components.schemas);
    routes = Object.entries(doc.paths).flatMap(([template, ops]) =>
      Object.entries(ops).map(([method, op]): Route => {
        const content = op.requestBody?.content ?? {};
        return {
          method: method.toUpperCase(),
          template,
          pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
          query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema })),
          body: content['application/json']?.schema,
          upload: !!op.requestBody && !content['application/json'],
        };
      }),
    );
    expect(routes.length).toBeGreaterThan(30);
    stateBefore = await snapshot();
  }, 90_000);

  afterAll(async () => {
    await engine?.stop();
  });

  it('answers every malformed request with a JSON 4xx, stores nothing and stays healthy', async () => {
    const rng = new Rng(SEED);
    const good = sampleTickets(40, 7);
    const realValue = (name: string) => (name === 'tenant' ? TENANT : String(ids[name]));
    const fill = (template: string, values: Record<string, string>) =>
      template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? realValue(name));
    const real = (r: Route) => fill(r.template, {});
    const jsonHeaders = { 'content-type': 'application/json' };
    const validPredict = () => ({ ticket: { title: 'printer toner problem', description: 'The printer is not working for user 12.' } });
    const declaredAt = (sites: Site[], path: (string | number)[]) =>
      sites.filter((s) => s.path.length === path.length + 1 && s.path.slice(0, -1).join('/') === path.join('/')).map((s) => String(s.path[path.length]));

    const isContainer = (v: Json | undefined) => v !== null && typeof v === 'object';
    const isObject = (v: Json | undefined): v is { [key: string]: Json } => isContainer(v) && !Array.isArray(v);
    /** A body that the route's schema surely refuses: one to three sites broken (wrong type, out of range, required missing). */
    const invalidBody = (schema: JsonSchema, opts: { huge?: boolean; junk?: boolean } = {}): { value: Json; sites: Site[] } => {
      const { value, sites } = kit.sample(schema, rng);
      let root: Json = value;
      let broken = 0;
      const wanted = rng.int(1, 3);
      for (let attempt = 0; attempt < 12 && broken < wanted; attempt++) {
        const site = sites.length && rng.chance(0.9) ? rng.pick(sites) : null;
        if (!site) {
          root = kit.wrongValue(schema, rng) ?? 'not an object';
          return { value: root, sites: [] };
        }
        if (!isContainer(getAt(root, site.path.slice(0, -1)))) continue; // an ancestor was already replaced
        if (site.required && rng.chance(0.3)) {
          setAt(root, site.path, undefined);
          broken++;
          continue;
        }
        const wrong = kit.wrongValue(site.schema, rng, opts.huge ? rng.int(HUGE / 2, HUGE) : 0);
        if (wrong === undefined) continue;
        setAt(root, site.path, wrong);
        broken++;
      }
      if (broken === 0) root = rng.pick<Json>([null, 42, 'str', [root], true]);
      if (opts.junk !== false && root !== null && typeof root === 'object' && !Array.isArray(root) && rng.chance(0.5)) {
        addJunk(root, declaredAt(sites, []), rng, rng.int(1, 4));
      }
      return { value: root, sites };
    };

    function* bodyCases(r: Route, n: number): Generator<Case> {
      const schema = r.body!;
      for (let i = 0; i < n; i++) {
        const { value } = invalidBody(schema);
        yield { category: 'body-fields', method: r.method, path: real(r), headers: jsonHeaders, body: JSON.stringify(value), expect: 'error' };
      }
    }

    /** A valid body, then the same key again with a wrong value (JSON keeps the last one), and pollution keys. */
    const duplicateKeys = (schema: JsonSchema): string => {
      const { value, sites } = kit.sample(schema, rng);
      const top = sites.filter((x) => x.path.length === 1);
      const site = top.length ? rng.pick(top) : null;
      const wrong = site ? kit.wrongValue(site.schema, rng) : undefined;
      if (!site || wrong === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return '[{}]';
      const text = JSON.stringify(value);
      const extra = `,"__proto__":{"polluted":"${POLLUTION_MARKER}"},"constructor":{"prototype":{"polluted":"${POLLUTION_MARKER}"}}`;
      return `${text.slice(0, -1)}${rng.chance(0.5) ? extra : ''},${JSON.stringify(String(site.path[0]))}:${JSON.stringify(wrong)}}`;
    };

    function* syntaxCases(r: Route, n: number): Generator<Case> {
      const path = real(r);
      const texts = [
        'undefined', 'NaN', "{'a': 1}", '{"a": 1,}', '[1, 2', '{"ticket":', '{"kind": "train" "tier": "fast"}', '{a: 1}', '// comment\n{}',
        'null', '"a string"', '1e999', '-', 'true', '[]', '[{}]', '\u0000', '<xml/>', 'a=1&b=2', '\uFEFF[1]', '{"a":1}}', '{}{}', '{"a":"\\x"}',
        '{"a":"\u0001"}', '{"a":01}', '{"a":.5}', '{"a":+1}', '{"a":0x10}', '{"a":Infinity}', '{"a":NaN}', '{"a":undefined}',
      ];
      for (let i = 0; i < n; i++) {
        if (i % 6 === 5) {
          yield { category: 'body-duplicate-keys', method: r.method, path, headers: jsonHeaders, body: duplicateKeys(r.body!), expect: 'error' };
          continue;
        }
        const body = i < texts.length ? texts[i] : rng.asciiGarbage(rng.int(1, 300));
        // Garbage could by chance be valid JSON; a JSON value that suits a body never starts with '!'.
        yield { category: 'body-not-json', method: r.method, path, headers: jsonHeaders, body: i < texts.length ? body : `!${body}`, expect: 'error' };
      }
    }

    function* contentTypeCases(r: Route, n: number): Generator<Case> {
      const path = real(r);
      const types = [
        'text/plain', 'text/plain;charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/xml',
        'text/json', 'application/json5', 'application/jsonx', 'application/octet-stream', 'text/csv', 'image/png', 'json', '*/*', 'application/',
        'x'.repeat(500),
      ];
      for (let i = 0; i < n; i++) {
        const body = r.template.endsWith('/predict') ? JSON.stringify(validPredict()) : JSON.stringify(invalidBody(r.body!).value);
        if (i === n - 1) {
          // Bytes without any content type.
          yield { category: 'content-type', method: r.method, path, body: utf8(body), expect: 'error' };
        } else {
          yield { category: 'content-type', method: r.method, path, headers: { 'content-type': types[i % types.length] }, body, expect: 'error' };
        }
      }
    }

    function* emptyCases(r: Route): Generator<Case> {
      const path = real(r);
      yield { category: 'empty-body', method: r.method, path, headers: jsonHeaders, body: '', expect: 'error', note: 'content-type json, empty' };
      yield { category: 'empty-body', method: r.method, path, headers: jsonHeaders, body: '  \n\t ', expect: 'error', note: 'content-type json, whitespace' };
      yield { category: 'empty-body', method: r.method, path, body: new Uint8Array(0), expect: 'error', note: 'no content-type, empty bytes' };
      yield { category: 'empty-body', method: r.method, path, expect: 'error', note: 'no content-type, no body' };
    }

    function* utf8Cases(r: Route, n: number): Generator<Case> {
      const path = real(r);
      for (let i = 0; i < n; i++) {
        const text = JSON.stringify(invalidBody(r.body!).value);
        // Inside a string value (never a key: a key with U+FFFD in it would just be an unknown key), or between
        // tokens, where it breaks the syntax.
        const values = [...text.matchAll(/":"/g)].map((m) => (m.index ?? 0) + 3);
        const between = [0, text.length, ...[...text.matchAll(/,"/g)].map((m) => (m.index ?? 0) + 1)];
        const at = utf8(text.slice(0, rng.pick(values.length && rng.chance(0.5) ? values : between))).length;
        const bytes = utf8(text);
        yield { category: 'invalid-utf8', method: r.method, path, headers: jsonHeaders, body: withInvalidUtf8(bytes, rng, at), expect: 'error' };
      }
    }

    function* deepCases(r: Route, n: number): Generator<Case> {
      const path = real(r);
      const depth = 100_000;
      for (let i = 0; i < n; i++) {
        const variant = i % 5;
        let body: string;
        if (variant === 0) body = deepArray(depth);
        else if (variant === 1) body = deepArray(depth).slice(0, -1);
        else if (variant === 2) body = deepObject(depth).slice(0, -3);
        else {
          // An invalid body with a deep value at a junk key or in place of one of its fields.
          const { value, sites } = invalidBody(r.body!, { junk: false });
          // A root that is not an object is wrong already; it goes into an array, which is wrong too.
          const root: Json = isObject(value) ? value : [value];
          const site = variant === 4 && sites.length && isObject(value) ? rng.pick(sites) : null;
          if (site && isContainer(getAt(root, site.path.slice(0, -1)))) setAt(root, site.path, '__FUZZ_DEEP_PLACEHOLDER__');
          else if (Array.isArray(root)) root.push('__FUZZ_DEEP_PLACEHOLDER__');
          else setAt(root, [rng.pick(['deep', '__proto__', 'constructor', 'nested'])], '__FUZZ_DEEP_PLACEHOLDER__');
          // Of a wrong type where it lands: never a deep object where an object goes (its keys would just be ignored).
          const types = site ? kit.types(site.schema) : [];
          const deep = types.includes('object') ? deepArray(depth) : types.includes('array') || rng.chance(0.5) ? deepObject(depth) : deepArray(depth);
          body = JSON.stringify(root).replace(DEEP_MARK, deep);
        }
        yield { category: 'deep-nesting', method: r.method, path, headers: jsonHeaders, body, expect: 'error' };
      }
    }

    function* hugeCases(r: Route, n: number): Generator<Case> {
      const path = real(r);
      for (let i = 0; i < n; i++) {
        const { value } = invalidBody(r.body!, { huge: true, junk: false });
        // A huge value under a name no schema declares (or next to a root that is not an object, in an array):
        // the body stays invalid, it is only big.
        const huge = 'z'.repeat(rng.int(HUGE / 2, HUGE));
        const root: Json = isObject(value) ? value : [value, huge];
        if (isObject(root)) setAt(root, [rng.pick(['blob', 'padding', 'filler'])], huge);
        yield { category: 'huge-body', method: r.method, path, headers: jsonHeaders, body: JSON.stringify(root), expect: 'error' };
      }
    }

    /**
     * Over the limits: 413, whatever the body holds. Sent one at a time after the rest, so that concurrency plays no
     * part: the answer must reach the client, which is still writing the body when the engine refuses it.
     */
    function* overLimitCases(): Generator<Case> {
      for (const r of routes.filter((x) => x.body)) {
        const over = rng.chance(0.5) ? JSON.stringify({ ticket: { title: 'a'.repeat(OVER) } }) : 'q'.repeat(OVER);
        yield { category: 'over-limit', method: r.method, path: real(r), headers: jsonHeaders, body: over, expect: 'error', status: 413 };
      }
      for (let i = 0; i < 4; i++) {
        const bytes = utf8(JSON.stringify(good.slice(0, 1)).padEnd(OVER, ' '));
        const path = `/api/tenants/${TENANT}/imports?filename=big.${rng.pick(['json', 'csv', 'jsonl'])}`;
        yield { category: 'over-limit', method: 'POST', path, headers: { 'content-type': 'application/octet-stream' }, body: bytes, expect: 'error', status: 413 };
      }
    }

    const badTenant = (): string =>
      rng.chance(0.45) ? rng.pick(BAD_TENANTS_RAW) : rng.chance(0.3) ? rng.slug() : encodeURIComponent(rng.pick(BAD_TENANTS_TEXT));
    // Entries may hold percent-escapes on purpose (sent as they are); only what a URL cannot carry is encoded.
    const urlSafe = (s: string) => s.replace(/[^\x21-\x7e]/g, (ch) => encodeURIComponent(ch));
    const badId = (): string => (rng.chance(0.25) ? String(rng.int(1_000_000, 2 ** 31 - 1)) : urlSafe(rng.pick(BAD_NUMERIC)));

    function* pathCases(r: Route, n: number): Generator<Case> {
      for (let i = 0; i < n; i++) {
        const values: Record<string, string> = {};
        const numeric = r.pathParams.filter((p) => p !== 'tenant');
        const breakTenant = r.pathParams.includes('tenant') && (numeric.length === 0 || rng.chance(0.5));
        if (breakTenant) values.tenant = badTenant();
        for (const p of numeric) if (!breakTenant || rng.chance(0.5)) values[p] = badId();
        if (!Object.keys(values).length) values[numeric[0]] = badId();
        let body: string | undefined;
        if (r.body) body = JSON.stringify(r.template.endsWith('/predict') && rng.chance(0.5) ? validPredict() : invalidBody(r.body).value);
        const junkQuery = rng.chance(0.2) ? `?${rng.pick(['a=1', '__proto__[x]=1', '%zz=%zz', 'limit=-5&limit=abc', '&&&==', 'x=' + 'y'.repeat(2000)])}` : '';
        yield {
          category: 'path-params',
          method: r.method,
          path: fill(r.template, values) + junkQuery,
          headers: body === undefined ? undefined : jsonHeaders,
          body: r.upload ? utf8(JSON.stringify(good.slice(0, 3))) : body,
          expect: 'error',
        };
      }
    }

    function* conflictCases(): Generator<Case> {
      // Valid paths whose operation the state refuses: a finished run cannot be cancelled or resumed, nothing to roll back to.
      const t = `/api/tenants/${TENANT}`;
      for (let i = 0; i < 10; i++) {
        yield { category: 'conflict', method: 'POST', path: `${t}/runs/${ids.run}/cancel`, expect: 'error' };
        yield { category: 'conflict', method: 'POST', path: `${t}/runs/${ids.run}/resume`, expect: 'error' };
        yield { category: 'conflict', method: 'POST', path: `${t}/deployments/rollback`, expect: 'error' };
        yield { category: 'conflict', method: 'DELETE', path: `${t}/connector`, expect: 'error' };
        yield { category: 'conflict', method: 'GET', path: `${t}/connector`, expect: 'error' };
      }
    }

    const badQueryValue = (schema: JsonSchema): string => {
      const s = kit.resolve(schema);
      const types = kit.types(s);
      if (types.includes('integer') || types.includes('number')) {
        const pool = ['-1', 'abc', '1.5', '1e308', 'NaN', 'Infinity', '9007199254740993', '%00', '0x', '[]', '%7B%7D', 'null', '--1', '1%2C2'];
        if (s.minimum !== undefined && s.minimum >= 1) pool.push('0', '');
        if (s.maximum !== undefined) pool.push(String(s.maximum + 1), String(s.maximum * 1000));
        return rng.pick(pool);
      }
      if (s.enum) return encodeURIComponent(rng.pick(['bogus', 'RUNNING', ' queued', 'train%', "' OR 1=1 --", '🔥', 'x'.repeat(300)]));
      if (s.maxLength !== undefined) return 'q'.repeat(s.maxLength + 1 + rng.int(0, 3000));
      return '';
    };

    function* queryCases(r: Route, n: number): Generator<Case> {
      const breakable = r.query.filter((q) => badQueryValue(q.schema) !== '' || q.name === 'mapping');
      if (!breakable.length) return;
      for (let i = 0; i < n; i++) {
        const target = rng.pick(breakable);
        const parts: string[] = [];
        const value =
          target.name === 'mapping'
            ? encodeURIComponent(rng.pick(['{bad', '[]', 'null', '"x"', '{"title":5}', '{"fields":{"a":1}}', '{"fields":[]}', '42', '{"title":{"$ne":1}}', '{"title":"t","title":7}']))
            : badQueryValue(target.schema);
        parts.push(`${target.name}=${value}`);
        if (rng.chance(0.3)) parts.push(`${target.name}=${rng.pick(['1', 'x', ''])}`); // duplicated key
        if (rng.chance(0.5)) parts.push(rng.pick(['%zz', 'a[b]=c', '__proto__[polluted]=1', 'constructor[prototype][x]=1', '=', '&&', '%00=%00', `k${'%F0%9F%94%A5'}=v`, `junk=${rng.asciiGarbage(20).replace(/[^a-z0-9]/gi, '')}`]));
        const shuffled = rng.chance(0.5) ? parts.reverse() : parts;
        const upload = r.upload ? { headers: { 'content-type': 'application/octet-stream' }, body: utf8(JSON.stringify(good.slice(0, 5))) } : {};
        yield { category: 'query', method: r.method, path: `${real(r)}?${shuffled.join('&')}`, expect: 'error', ...upload };
      }
    }

    function* authCases(r: Route, n: number): Generator<Case> {
      for (let i = 0; i < n; i++) {
        const body = r.body ? JSON.stringify(invalidBody(r.body).value) : undefined;
        yield {
          category: 'auth',
          method: r.method,
          path: real(r),
          headers: { authorization: BAD_AUTH[(i + rng.int(0, BAD_AUTH.length)) % BAD_AUTH.length], ...(body ? jsonHeaders : {}) },
          body: r.upload ? utf8(JSON.stringify(good.slice(0, 2))) : body,
          expect: 'error',
          status: 401,
        };
      }
    }

    function* methodCases(): Generator<Case> {
      const byPath = new Map<string, Set<string>>();
      for (const r of routes) byPath.set(r.template, (byPath.get(r.template) ?? new Set()).add(r.method));
      for (const [template, methods] of byPath) {
        for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
          if (methods.has(m)) continue;
          const body = m === 'GET' ? undefined : '{"junk":true}';
          yield { category: 'method', method: m, path: fill(template, {}), headers: body ? jsonHeaders : undefined, body, expect: 'error' };
        }
      }
      // Under /api every unknown route is a JSON 404. Other GET paths belong to the dashboard (a single-page app),
      // so outside /api only POST is tried.
      const unknown = [
        '/api/nope', '/api/tenants/fz/nope', '/api/tenants/fz/predict/extra', '/api//tenants', '/api/TENANTS', '/api/tenants/fz/fields.json',
        '/api/admin-token', '/api/tenants/fz/..%2F..%2Fadmin-token', '/api/tenants/fz/runs/1/events/stream/x', '/api/health/x',
        '/api/openapi.json/x', '/api/tenants/fz/checkpoints/1/evaluations/1', '/api/tenants/fz/imports/1', '/api/%zz', '/api/%00',
        `/api/${'a'.repeat(5000)}`, '/api/tenants/fz/datasets/1/x', '/api/tokens/1/x', '/api/tenantsX?%zz', '/api/.env',
      ];
      for (const path of ['/API/tenants', '/admin-token', '/api/%2e%2e/admin-token', '/%00', '/.env', '/api/../../etc/passwd']) {
        yield { category: 'unknown-route', method: 'POST', path, headers: jsonHeaders, body: '{}', expect: 'error' };
      }
      for (const path of unknown) for (const m of ['GET', 'POST']) yield { category: 'unknown-route', method: m, path, expect: 'error' };
    }

    function* uploadCases(n: number): Generator<Case> {
      const imports = `/api/tenants/${TENANT}/imports`;
      const types = ['application/octet-stream', 'text/csv', 'application/x-ndjson', 'application/json', 'text/plain', undefined];
      for (let i = 0; i < n; i++) {
        const u = badUpload(rng, good, HUGE);
        const q = new URLSearchParams();
        if (u.filename) q.set('filename', u.filename);
        if (u.format) q.set('format', u.format);
        if (rng.chance(0.15)) q.set('dryRun', rng.pick(['true', 'false', '1', '0']));
        const type = rng.pick(types);
        yield { category: `upload:${u.kind}`, method: 'POST', path: `${imports}?${q}`, headers: type ? { 'content-type': type } : undefined, body: u.bytes, expect: 'error', note: u.kind };
      }
    }

    const nasty = () => {
      const base = rng.pick(NASTY_TEXTS);
      return rng.chance(0.5) ? `${base} ${rng.pick(['printer jam', 'outlook inbox', 'vpn dns', 'toner', ''])}` : base;
    };
    const nastyTicket = (): Record<string, string> => {
      const t: Record<string, string> = { title: nasty(), description: rng.chance(0.8) ? nasty() : '' };
      if (rng.chance(0.3)) t.id = nasty().slice(0, 150);
      return t;
    };

    function* injectionCases(n: number): Generator<Case> {
      const path = `/api/tenants/${TENANT}/predict`;
      for (let i = 0; i < n; i++) {
        const shape = rng.int(0, 5);
        const body =
          shape === 0 ? { tickets: Array.from({ length: rng.int(1, 20) }, nastyTicket) } : shape === 1 ? { input: nastyTicket() } : { ticket: nastyTicket() };
        yield { category: 'prompt-injection', method: 'POST', path, headers: jsonHeaders, body: JSON.stringify(body), expect: 'prediction' };
      }
    }

    /** A URL cannot carry a lone surrogate; it becomes U+FFFD as a browser would send it. */
    const wellFormed = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

    function* weirdValidCases(n: number): Generator<Case> {
      for (let i = 0; i < n; i++) {
        if (i % 2 === 0) {
          const q = rng.pick([...NASTY_TEXTS, '%', '_', '\\', '%%%', '\\%', "'", '"', '*', '[a-z]', 'printer%'].map((s) => s.slice(0, 200)));
          yield { category: 'weird-valid', method: 'GET', path: `/api/tenants/${TENANT}/tickets?q=${encodeURIComponent(wellFormed(q))}&limit=${rng.int(1, 500)}`, expect: 'not-5xx' };
        } else {
          // Invalid UTF-8 inside the strings of a valid predict: decoded leniently or refused, never a 5xx.
          const text = JSON.stringify({ ticket: { title: 'printer problem here', description: 'outlook inbox' } });
          yield { category: 'weird-valid', method: 'POST', path: `/api/tenants/${TENANT}/predict`, headers: jsonHeaders, body: withInvalidUtf8(utf8(text), rng, text.indexOf('problem')), expect: 'not-5xx' };
        }
      }
    }

    function* allCases(): Generator<Case> {
      const jsonRoutes = routes.filter((r) => r.body);
      const guarded = routes.filter((r) => !['/api/health', '/api/openapi.json', '/api/docs'].includes(r.template));
      yield* conflictCases();
      for (const r of jsonRoutes) {
        yield* emptyCases(r);
        yield* bodyCases(r, 90);
        yield* syntaxCases(r, 30);
        yield* contentTypeCases(r, 16);
        yield* utf8Cases(r, 15);
        yield* deepCases(r, 6);
        yield* hugeCases(r, 3);
      }
      yield* uploadCases(380);
      yield* injectionCases(280);
      yield* weirdValidCases(60);
      for (const r of routes.filter((x) => x.pathParams.length)) yield* pathCases(r, 22);
      for (const r of routes.filter((x) => x.query.length)) yield* queryCases(r, 30);
      for (const r of guarded) yield* authCases(r, 8);
      yield* methodCases();
    }

    // ---- run -------------------------------------------------------------------------------------------------
    const offenders: Offender[] = [];
    const counts = new Map<string, number>();
    const statuses = new Map<number, number>();
    let sent = 0;
    let checkpoints = 0;
    const retried: string[] = [];

    const record = (c: Case, status: number, response: string): void => {
      offenders.push({ category: c.category + (c.note && !c.category.endsWith(c.note) ? ` (${c.note})` : ''), request: `${c.method} ${c.path.length > 200 ? c.path.slice(0, 200) + '…' : c.path}${c.headers ? ' ' + JSON.stringify(c.headers).slice(0, 120) : ''}`, body: preview(c.body), status, response: response.slice(0, 300) });
    };

    const send = async (c: Case): Promise<void> => {
      const group = c.category.startsWith('upload:') ? 'upload' : c.category;
      counts.set(group, (counts.get(group) ?? 0) + 1);
      let status = 0;
      let text = '';
      let type = '';
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await fetch(engine.url + c.path, { method: c.method, headers: c.headers, body: c.body, signal: AbortSignal.timeout(30_000) });
          status = res.status;
          type = res.headers.get('content-type') ?? '';
          text = await res.text();
          break;
        } catch (err) {
          const e = err as Error & { cause?: unknown };
          const why = `${e.name}: ${e.message}${e.cause ? ` (${String(e.cause)})` : ''}`;
          // A reset of a reused keep-alive connection (the client reuses a socket the server is closing) is retried
          // once on a new request, and counted; a request that fails twice, or an over-limit body, is an offender.
          if (attempt === 1 && c.category !== 'over-limit' && e.name !== 'TimeoutError') {
            retried.push(`${c.method} ${c.path.slice(0, 80)}: ${why}`);
            await new Promise((r) => setTimeout(r, 50));
            continue;
          }
          record(c, 0, `no answer (dropped connection or hang${attempt > 1 ? ', twice' : ''}): ${why}`);
          return;
        }
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      let json: Loose;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (text.includes(POLLUTION_MARKER) && status < 400) return record(c, status, `a successful answer echoes the pollution marker: ${text}`);
      if (c.expect === 'prediction') {
        if (status !== 200) return record(c, status, text);
        const problem = predictionProblem(json);
        if (problem) return record(c, status, `${problem}: ${text}`);
        return;
      }
      const isErrorBody = /application\/json/.test(type) && typeof json?.error?.code === 'string' && json.error.code !== '' && typeof json.error.message === 'string';
      if (c.expect === 'not-5xx') {
        if (status >= 500 || (status >= 400 && !isErrorBody) || (status < 400 && json === undefined)) return record(c, status, text);
        if (status === 200 && json?.total !== undefined && json.total > 300) return record(c, status, `search found more tickets than exist: ${text.slice(0, 100)}`);
        if (status === 200 && json?.prediction && predictionProblem(json)) return record(c, status, `${predictionProblem(json)}: ${text}`);
        return;
      }
      if (status < 400 || status > 499 || !isErrorBody || (c.status !== undefined && status !== c.status)) {
        record(c, status, `${c.status ? `(expected ${c.status}) ` : ''}${type} ${text}`);
      }
    };

    const checkpoint = async (where: string) => {
      checkpoints++;
      const health = await fetch(`${engine.url}/api/health`);
      expect(health.status, `health at ${where} (seed ${SEED})`).toBe(200);
      expect(await health.json()).toEqual({ ok: true });
      const p = await api('POST', `/api/tenants/${TENANT}/predict`, { ticket: { title: 'URGENT printer problem', description: 'The toner is empty, everyone is blocked' } });
      expect(p.status, `normal predict at ${where} (seed ${SEED}): ${JSON.stringify(p.json)}`).toBe(200);
      expect(predictionProblem(p.json), `normal predict at ${where} (seed ${SEED})`).toBeNull();
      expect(JSON.stringify(p.json)).not.toContain(POLLUTION_MARKER);
      const t = await api('GET', `/api/tenants/${TENANT}`);
      expect(t.json.tickets, `ticket count at ${where} (seed ${SEED})`).toBe(300);
      expect(engine.child.exitCode, `engine exited before ${where}`).toBeNull();
    };

    const cases = allCases();
    let exhausted = false;
    while (!exhausted) {
      let inBatch = 0;
      const worker = async () => {
        while (inBatch < CHECK_EVERY) {
          const next = cases.next();
          if (next.done) {
            exhausted = true;
            return;
          }
          inBatch++;
          sent++;
          await send(next.value);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      await checkpoint(`request ${sent}`);
    }
    for (const c of overLimitCases()) {
      sent++;
      await send(c);
    }
    await checkpoint('the over-limit bodies');

    const summary = `fuzz seed ${SEED}: ${sent} requests, ${checkpoints} health checkpoints; per category ${JSON.stringify(Object.fromEntries([...counts].sort()))}; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`;
    console.log(summary);
    if (retried.length) console.log(`${retried.length} requests were retried once after a connection reset:\n  ${retried.slice(0, 5).join('\n  ')}`);

    const byCategory = new Map<string, number>();
    for (const o of offenders) byCategory.set(o.category, (byCategory.get(o.category) ?? 0) + 1);
    const report =
      `${offenders.length} of ${sent} requests were not answered as expected (seed ${SEED}; rerun with FUZZ_SEED=${SEED}).\n` +
      `offenders per category: ${JSON.stringify(Object.fromEntries(byCategory))}\nfirst offenders:\n` +
      offenders
        .slice(0, 12)
        .map((o, i) => `  ${i + 1}. [${o.category}] ${o.request}\n     body: ${o.body}\n     -> ${o.status} ${o.response}`)
        .join('\n');
    if (offenders.length) console.log(report);
    // FUZZ_REPORT=<file> writes every offender, for a closer look.
    if (process.env.FUZZ_REPORT) fs.writeFileSync(process.env.FUZZ_REPORT, JSON.stringify(offenders, null, 1));

    // Everything is reported at once (soft), the offenders first: they say what to fix.
    expect.soft(offenders.length, report).toBe(0);
    expect.soft(engine.child.exitCode, `engine exited (seed ${SEED})\n${engine.output().slice(-3000)}`).toBeNull();
    expect.soft(engine.child.signalCode).toBeNull();
    const badLines = engine
      .output()
      .split('\n')
      .filter((l) => /unexpected error|\berror\b.* failed:|Maximum call stack|RangeError|TypeError|SqliteError/.test(l));
    expect.soft([...new Set(badLines.map((l) => l.replace(/^\S+ /, '').slice(0, 200)))].slice(0, 10), `engine logged errors (seed ${SEED})`).toEqual([]);
    if (engine.child.exitCode === null) {
      expect.soft(await snapshot(), `state changed during the fuzz run (seed ${SEED})`).toEqual(stateBefore);
      expect.soft(JSON.stringify(await engine.client.getFields(TENANT))).toBe(fieldsJson);
      await checkpoint('the end');
    }
    expect(sent).toBeGreaterThanOrEqual(3000);
  }, 120_000);
});
