import { parseArgs } from 'node:util';
import { startAutotaskMock } from '../../../connectors/autotask/mock-server';
import { startConnectWiseMock } from '../../../connectors/connectwise/mock-server';
import { EngineClient, EngineError, type ConnectorInput } from '../../client/engine-client';
import { generateDemoTenant } from '../../demo';
import { createEngine } from '../../engine';
import { listen } from '../../server';
import { prepareAccess } from '../../auth/bootstrap';
import { followWithBar } from './models';

export const help = `triage demo-psa [autotask|connectwise] [--tickets N] [--port N] [--data-dir DIR] [--every SECONDS]
  Starts a faithful PSA mock with a generated tenant, connects an engine to it, syncs, trains and deploys, then
  keeps adding new tickets to the mock and syncing, so you can watch triage write back to the "PSA".`;

/** `npm run demo:psa`: the whole connector loop on one machine, against a mock PSA. */
export async function demoPsaCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tickets: { type: 'string', default: '5000' },
      port: { type: 'string', default: '7421' },
      'data-dir': { type: 'string', default: '.triage-data/demo-psa' },
      every: { type: 'string', default: '20' },
    },
  });
  const kind = (positionals[0] ?? 'autotask') as 'autotask' | 'connectwise';
  if (kind !== 'autotask' && kind !== 'connectwise') throw new Error(`usage: ${help}`);
  const tickets = Number(values.tickets);
  const out = (s: string) => process.stdout.write(`${s}\n`);

  out(`Starting the ${kind} mock with ${tickets} generated tickets…`);
  let connector: ConnectorInput;
  let addTicket: (title: string, description: string) => void;
  let closeMock: () => Promise<void>;
  if (kind === 'autotask') {
    const mock = await startAutotaskMock({ tenant: { tickets, seed: 21 }, latencyMs: 10 });
    const { username, secret, integrationCode } = mock.credentials;
    connector = { kind, config: { username, discoveryUrl: mock.url }, secrets: { secret, integrationCode }, scheduleMinutes: 0 };
    addTicket = (title, description) => void mock.state.addTicket({ title, description, priority: null });
    closeMock = () => mock.close();
    out(`  mock Autotask: ${mock.url} (user ${username})`);
  } else {
    const mock = await startConnectWiseMock({ tenant: { tickets, seed: 21 }, latencyMs: 10 });
    const { companyId, publicKey, privateKey, clientId } = mock.credentials;
    connector = { kind, config: { site: mock.url, companyId, publicKey }, secrets: { privateKey, clientId }, scheduleMinutes: 0 };
    addTicket = (title, description) => void mock.state.addTicket({ summary: title.slice(0, 100), description });
    closeMock = () => mock.close();
    out(`  mock ConnectWise: ${mock.url} (company ${companyId})`);
  }

  const engine = createEngine({ dataDir: values['data-dir'], port: Number(values.port) });
  prepareAccess(engine);
  const server = await listen(engine);
  out(`Engine on ${server.url} (data in ${engine.config.dataDir})`);
  const client = new EngineClient(server.url);
  const tenant = `${kind}-demo`;
  try {
    await client.createTenant(tenant, `Demo tenant on the ${kind} mock`);
  } catch (err) {
    if (!(err instanceof EngineError && err.code === 'tenant_exists')) throw err;
  }
  await client.setConnector(tenant, connector);
  const sync = async () => {
    const run = await client.startRun(tenant, { kind: 'sync' });
    const final = await followWithBar(client, tenant, run, `sync ${tenant}`);
    if (final.status !== 'succeeded') throw new Error(`sync ${final.status}: ${final.error}`);
    return final.result as Record<string, number>;
  };
  const first = await sync();
  out(`First sync: ${first.fetched} tickets, ${first.apiRequests} API requests.`);
  const train = await client.startRun(tenant, { kind: 'train', tier: 'fast', deploy: true });
  const trained = await followWithBar(client, tenant, train, `train ${tenant}`);
  out(`Trained and deployed checkpoint ${trained.result?.checkpointId}: ${JSON.stringify(trained.result?.accuracy)}`);
  await client.setTriageSettings(tenant, { mode: 'apply', note: true });
  out(`Triage mode: apply (confident fields are written back with a note). Adding tickets every ${values.every}s; Ctrl-C stops.`);

  const texts = generateDemoTenant({ count: 500, seed: 77 }).tickets;
  let next = 0;
  const timer = setInterval(async () => {
    for (let i = 0; i < 5; i++, next++) addTicket(texts[next % texts.length].title, texts[next % texts.length].description);
    try {
      const r = await sync();
      out(`Synced ${r.fetched}: triaged ${r.triaged}, written back ${r.applied}, suggestions ${r.suggested + r.shadow}.`);
    } catch (err) {
      out(`sync failed: ${(err as Error).message}`);
    }
  }, Number(values.every) * 1000);
  const stop = async () => {
    clearInterval(timer);
    await server.close();
    await engine.close();
    await closeMock();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}
