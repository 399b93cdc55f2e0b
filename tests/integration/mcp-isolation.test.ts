import fs from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient } from '../../engine/client/engine-client';
import { bodyOf, sampleTickets, startEngine, type EngineProcess } from '../helpers/engine-process';

/**
 * Tenant isolation over Streamable HTTP (/mcp), on an engine that requires a token: with a token of tenant
 * "alpha", every tool and resource aimed at tenant "beta" is refused exactly like a tenant that does not exist,
 * beta is left unchanged, and every list shows alpha only.
 */
describe('MCP tenant isolation over Streamable HTTP', () => {
  let engine: EngineProcess;
  let admin: EngineClient;
  let alphaToken: string;
  let mcp: Client;
  let ids: { run: number; checkpoint: number };

  async function prepare(tenant: string) {
    await admin.createTenant(tenant);
    await admin.importFile(tenant, Buffer.from(JSON.stringify(sampleTickets(240))), { filename: `${tenant}.json` });
    const run = await admin.startRun(tenant, { kind: 'train', tier: 'fast', deploy: true });
    const done = await admin.followRun(tenant, run.id, () => {});
    return { run: done.id, checkpoint: Number(done.result!.checkpointId) };
  }

  async function connect(token?: string): Promise<Client> {
    const client = new Client({ name: 'mcp-isolation-test', version: '1.0.0' });
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', engine.url), { requestInit: { headers } }));
    return client;
  }

  beforeAll(async () => {
    engine = await startEngine({ args: ['--require-token'], waitFor: /admin API token/ });
    admin = new EngineClient(engine.url, fs.readFileSync(`${engine.dataDir}/admin-token`, 'utf8').trim());
    await prepare('alpha');
    ids = await prepare('beta');
    alphaToken = (await admin.rawRequest<{ token: string }>('POST', '/api/tokens', { name: 'alpha only', role: 'tenant', tenants: ['alpha'] })).token;
    mcp = await connect(alphaToken);
  });
  afterAll(async () => {
    await mcp?.close();
    await engine?.stop();
  });

  const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

  it('refuses /mcp without a valid token, like /api', async () => {
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
    const post = (headers: Record<string, string>) =>
      fetch(`${engine.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(init) });
    const anonymous = await post({});
    expect(anonymous.status).toBe(401);
    expect((await bodyOf(anonymous)).error.code).toBe('unauthenticated');
    const bogus = await post({ authorization: 'Bearer tt_not-a-real-token' });
    expect(bogus.status).toBe(401);
    expect((await bodyOf(bogus)).error.code).toBe('invalid_token');
    expect(await connect().catch((e: Error) => e)).toBeInstanceOf(Error);
    expect((await post({ authorization: `Bearer ${alphaToken}` })).status).toBe(200);
  });

  it('lists only alpha: tenants, runs and resources', async () => {
    const tenants = (await mcp.callTool({ name: 'list_tenants', arguments: {} })).structuredContent as { tenants: { id: string }[] };
    expect(tenants.tenants.map((t) => t.id)).toEqual(['alpha']);
    const runs = (await mcp.callTool({ name: 'list_runs', arguments: {} })).structuredContent as { runs: { tenant: string }[] };
    expect(runs.runs.length).toBeGreaterThan(0);
    expect(new Set(runs.runs.map((r) => r.tenant))).toEqual(new Set(['alpha']));
    const { resources } = await mcp.listResources();
    expect(resources.length).toBeGreaterThanOrEqual(3);
    expect(resources.every((r) => r.uri.startsWith('triage://tenants/alpha/'))).toBe(true);
  });

  it('refuses every tool aimed at beta exactly as for a tenant that does not exist, and changes nothing of beta', async () => {
    const calls: [string, Record<string, unknown>][] = [
      ['get_tenant_fields', {}],
      ['import_tickets', { tickets: sampleTickets(3) }],
      ['sync_tenant', {}],
      ['start_training', { deploy: true }],
      ['get_run', { run: ids.run }],
      ['wait_for_run', { run: ids.run, timeoutSeconds: 5 }],
      ['list_runs', {}],
      ['cancel_run', { run: ids.run }],
      ['list_checkpoints', {}],
      ['deploy_checkpoint', { checkpoint: ids.checkpoint }],
      ['rollback_deployment', {}],
      ['triage_ticket', { title: 'printer jam' }],
      ['triage_ticket', { title: 'printer jam', choices: { category: ['Email'] } }],
      ['evaluate', {}],
      ['evaluate', { checkpoint: ids.checkpoint, wait: true }],
      ['get_live_accuracy', {}],
    ];
    // Every tool that takes a tenant is covered.
    const { tools } = await mcp.listTools();
    const tenantTools = tools.filter((t) => 'tenant' in (t.inputSchema.properties ?? {})).map((t) => t.name);
    expect(new Set(calls.map(([name]) => name))).toEqual(new Set(tenantTools));

    const before = await admin.getTenant('beta');
    const betaRuns = (await admin.listRuns('beta')).length;
    for (const [name, args] of calls) {
      const asBeta = (await mcp.callTool({ name, arguments: { tenant: 'beta', ...args } })) as CallToolResult;
      const asGhost = (await mcp.callTool({ name, arguments: { tenant: 'ghost', ...args } })) as CallToolResult;
      expect(asBeta.isError, `${name}: ${textOf(asBeta)}`).toBe(true);
      expect(asGhost.isError, name).toBe(true);
      expect(textOf(asBeta).replaceAll('beta', 'ghost'), name).toBe(textOf(asGhost));
      expect(textOf(asBeta), name).toMatch(/tenant "beta" was not found[\s\S]*Known tenants: alpha\.$/);
      expect(asBeta.structuredContent, name).toBeUndefined();
    }
    expect(await admin.getTenant('beta')).toEqual(before);
    expect((await admin.listRuns('beta')).length).toBe(betaRuns);
    expect((await admin.listDeployments('beta')).filter((d) => d.active)[0].checkpointId).toBe(ids.checkpoint);
  });

  it('refuses every resource of beta exactly as for a tenant that does not exist', async () => {
    const templates = (await mcp.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate);
    expect(templates).toHaveLength(3);
    for (const template of templates) {
      const uri = (tenant: string) => template.replace('{tenant}', tenant).replace('{run}', String(ids.run)).replace('{checkpoint}', String(ids.checkpoint));
      const asBeta = await mcp.readResource({ uri: uri('beta') }).catch((e: Error) => e);
      const asGhost = await mcp.readResource({ uri: uri('ghost') }).catch((e: Error) => e);
      expect(asBeta, template).toBeInstanceOf(Error);
      expect(asGhost, template).toBeInstanceOf(Error);
      expect(String(asBeta).replaceAll('beta', 'ghost'), template).toBe(String(asGhost));
      expect(String(asBeta), template).toMatch(/tenant "beta" was not found[\s\S]*Known tenants: alpha\./);
    }
  });

  it('serves alpha its own tenant with the same token', async () => {
    const r = (await mcp.callTool({ name: 'triage_ticket', arguments: { tenant: 'alpha', title: 'printer jam', description: 'toner empty' } })) as CallToolResult;
    expect(r.isError, textOf(r)).toBeFalsy();
    expect((r.structuredContent as { fields: Record<string, { value: string }> }).fields.category.value).toBe('Printing');
    const { contents } = await mcp.readResource({ uri: 'triage://tenants/alpha/fields' });
    expect(JSON.parse(String('text' in contents[0] ? contents[0].text : '')).tenant).toBe('alpha');
  });
});
