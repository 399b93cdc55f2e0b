import { parseArgs } from 'node:util';
import type { EngineClient } from '../../client/engine-client';
import { pct, table } from '../output';
import { followWithBar } from './models';

export const help = {
  connect: `triage connect <tenant> autotask --username U [--secret-env VAR] [--integration-code-env VAR] [--schedule MIN]
triage connect <tenant> connectwise --site URL --company C --public-key K [--private-key-env VAR] [--client-id-env VAR] [--schedule MIN]
  Sets the tenant's PSA connection. Secrets are read from environment variables (defaults: AUTOTASK_SECRET,
  AUTOTASK_INTEGRATION_CODE, CONNECTWISE_PRIVATE_KEY, CONNECTWISE_CLIENT_ID), never from the command line.`,
  sync: `triage sync <tenant> [--detach]          Pull tickets and picklists now, triaging new tickets`,
  triage: `triage triage-settings <tenant> [--mode apply|shadow] [--threshold FIELD=0.9]… [--default-threshold 0.9] [--note|--no-note]`,
  live: `triage live <tenant> [--days N]          Live accuracy per field from technicians' final values`,
};

function secretFromEnv(name: string, what: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`set the ${what} in the environment variable ${name} (it is never taken from the command line)`);
  return value;
}

export async function connectCommand(client: EngineClient, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      'discovery-url': { type: 'string' },
      'secret-env': { type: 'string', default: 'AUTOTASK_SECRET' },
      'integration-code-env': { type: 'string', default: 'AUTOTASK_INTEGRATION_CODE' },
      site: { type: 'string' },
      company: { type: 'string' },
      'public-key': { type: 'string' },
      'private-key-env': { type: 'string', default: 'CONNECTWISE_PRIVATE_KEY' },
      'client-id-env': { type: 'string', default: 'CONNECTWISE_CLIENT_ID' },
      board: { type: 'string', multiple: true },
      schedule: { type: 'string', default: '0' },
    },
  });
  const [tenant, kind] = positionals;
  const scheduleMinutes = Number(values.schedule);
  if (!tenant || (kind !== 'autotask' && kind !== 'connectwise')) throw new Error(`usage: ${help.connect}`);
  if (kind === 'autotask') {
    if (!values.username) throw new Error('--username is required for autotask');
    const c = await client.setConnector(tenant, {
      kind,
      config: { username: values.username, ...(values['discovery-url'] ? { discoveryUrl: values['discovery-url'] } : {}) },
      secrets: {
        secret: secretFromEnv(values['secret-env']!, 'Autotask API secret'),
        integrationCode: secretFromEnv(values['integration-code-env']!, 'Autotask API integration code'),
      },
      scheduleMinutes,
    });
    console.log(`Connected ${tenant} to Autotask as ${values.username}${c.scheduleMinutes ? `, syncing every ${c.scheduleMinutes} min` : ''}.`);
  } else {
    if (!values.site || !values.company || !values['public-key']) throw new Error('--site, --company and --public-key are required for connectwise');
    const c = await client.setConnector(tenant, {
      kind,
      config: {
        site: values.site,
        companyId: values.company,
        publicKey: values['public-key'],
        ...(values.board ? { boardIds: values.board.map(Number) } : {}),
      },
      secrets: {
        privateKey: secretFromEnv(values['private-key-env']!, 'ConnectWise private key'),
        clientId: secretFromEnv(values['client-id-env']!, 'ConnectWise clientId'),
      },
      scheduleMinutes,
    });
    console.log(`Connected ${tenant} to ConnectWise (${values.company})${c.scheduleMinutes ? `, syncing every ${c.scheduleMinutes} min` : ''}.`);
  }
}

export async function syncCommand(client: EngineClient, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { detach: { type: 'boolean', default: false } } });
  const [tenant] = positionals;
  if (!tenant) throw new Error(`usage: ${help.sync}`);
  const run = await client.startRun(tenant, { kind: 'sync' });
  console.log(`Started sync run ${run.id} for ${tenant}.`);
  if (values.detach) return;
  const final = await followWithBar(client, tenant, run, `sync ${tenant}`);
  if (final.status !== 'succeeded') throw new Error(`sync run ${final.id} ${final.status}: ${final.error ?? ''}`);
  const r = final.result as Record<string, number>;
  console.log(
    `Synced ${r.fetched} tickets (${r.inserted} new, ${r.updated} updated, ${r.completed} completed); triaged ${r.triaged}: ` +
      `${r.applied} written back, ${r.shadow} shadow, ${r.suggested} suggestions; ${r.changes} picklist change(s); ${r.apiRequests} API requests.`,
  );
}

export async function triageSettingsCommand(client: EngineClient, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      mode: { type: 'string' },
      threshold: { type: 'string', multiple: true },
      'default-threshold': { type: 'string' },
      note: { type: 'boolean' },
      'no-note': { type: 'boolean' },
    },
  });
  const [tenant] = positionals;
  if (!tenant) throw new Error(`usage: ${help.triage}`);
  const current = await client.getTriageSettings(tenant);
  const changed = values.mode || values.threshold || values['default-threshold'] || values.note || values['no-note'];
  if (changed) {
    if (values.mode && values.mode !== 'apply' && values.mode !== 'shadow') throw new Error('--mode must be apply or shadow');
    const thresholds = { ...current.thresholds };
    for (const t of values.threshold ?? []) {
      const [field, v] = t.split('=');
      const n = Number(v);
      if (!field || !(n >= 0 && n <= 1)) throw new Error(`--threshold "${t}": expected FIELD=0..1`);
      thresholds[field] = n;
    }
    const next = {
      ...current,
      ...(values.mode ? { mode: values.mode as 'apply' | 'shadow' } : {}),
      thresholds,
      ...(values['default-threshold'] ? { defaultThreshold: Number(values['default-threshold']) } : {}),
      ...(values.note ? { note: true } : values['no-note'] ? { note: false } : {}),
    };
    await client.setTriageSettings(tenant, next);
  }
  console.log(JSON.stringify(await client.getTriageSettings(tenant), null, 2));
}

export async function liveCommand(client: EngineClient, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { days: { type: 'string', default: '90' } } });
  const [tenant] = positionals;
  if (!tenant) throw new Error(`usage: ${help.live}`);
  const live = await client.liveAccuracy(tenant, Number(values.days));
  if (!live.fields.length) return console.log('No completed tickets have scored a triage prediction yet.');
  console.log(
    table(
      ['field', 'scored', 'accuracy', 'written back', 'accuracy (written back)'],
      live.fields.map((f) => [f.field, f.n, pct(f.accuracy), f.applied.n, f.applied.accuracy === null ? '-' : pct(f.applied.accuracy)]),
    ),
  );
}
