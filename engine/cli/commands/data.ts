import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { EngineError, type EngineClient } from '../../client/engine-client';
import { table } from '../output';

export const help = {
  tenants: `triage tenants                      List tenants with tickets, fields and the deployed model`,
  tenant: `triage tenant create <id> [--name N]  Create a tenant`,
  import: `triage import <tenant> <file> [--format json|jsonl|csv] [--map title=COL] [--map description=COL]
              [--map id=COL] [--map field:NAME=COL]… [--create] [--dry-run]
  Imports tickets, all-or-nothing; an invalid file stores nothing and every problem is listed with its row.`,
  fields: `triage fields <tenant>               The tenant's fields and choices (with parent links)`,
};

export async function tenantsCommand(client: EngineClient): Promise<void> {
  const tenants = await client.listTenants();
  if (!tenants.length) return console.log('No tenants yet. Create one with `triage tenant create <id>` or `triage import <tenant> <file> --create`.');
  console.log(
    table(
      ['tenant', 'name', 'tickets', 'fields', 'deployed'],
      tenants.map((t) => [t.id, t.name, t.tickets, t.fields.join(', '), t.deployment ? `checkpoint ${t.deployment.checkpointId} (${t.deployment.tier})` : '-']),
    ),
  );
}

export async function tenantCommand(client: EngineClient, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { name: { type: 'string' } } });
  const [action, id] = positionals;
  if (action !== 'create' || !id) throw new Error(`usage: ${help.tenant}`);
  const t = await client.createTenant(id, values.name);
  console.log(`Created tenant ${t.id}.`);
}

export async function importCommand(client: EngineClient, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      map: { type: 'string', multiple: true },
      create: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const [tenant, file] = positionals;
  if (!tenant || !file) throw new Error(`usage: ${help.import}`);
  if (!fs.existsSync(file)) throw new Error(`file not found: ${file}`);
  if (values.create) {
    try {
      await client.createTenant(tenant);
    } catch (err) {
      if (!(err instanceof EngineError && err.code === 'tenant_exists')) throw err;
    }
  }
  const result = await client.importFile(tenant, fs.readFileSync(file), {
    filename: path.basename(file),
    format: values.format,
    mapping: parseMapping(values.map ?? []),
    dryRun: values['dry-run'],
  });
  for (const w of result.warnings as { message?: string }[]) console.warn(`warning: ${w.message ?? JSON.stringify(w)}`);
  if (result.dryRun) {
    console.log(`Valid ${result.format} file: ${result.tickets} tickets, fields ${result.fields.join(', ')}. Nothing stored (--dry-run).`);
  } else {
    console.log(`Imported ${result.tickets} tickets into ${tenant} (${result.inserted} new, ${result.updated} updated); fields ${result.fields.join(', ')}.`);
  }
}

/** `--map title=Subject --map field:priority=Prio` → the API's CSV mapping object. */
function parseMapping(pairs: string[]) {
  if (!pairs.length) return undefined;
  const mapping: { title?: string; description?: string; id?: string; fields?: Record<string, string> } = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--map "${pair}": expected KEY=COLUMN, e.g. title=Subject or field:priority=Prio`);
    const key = pair.slice(0, eq);
    const column = pair.slice(eq + 1);
    if (key === 'title' || key === 'description' || key === 'id') mapping[key] = column;
    else if (key.startsWith('field:')) (mapping.fields ??= {})[key.slice(6)] = column;
    else throw new Error(`--map "${pair}": KEY must be title, description, id or field:NAME`);
  }
  return mapping;
}

export async function fieldsCommand(client: EngineClient, argv: string[]): Promise<void> {
  const [tenant] = argv;
  if (!tenant) throw new Error(`usage: ${help.fields}`);
  for (const f of await client.getFields(tenant)) {
    console.log(`${f.name}${f.parentField ? ` (child of ${f.parentField})` : ''}: ${f.choices.length} choices`);
    for (const c of f.choices.slice(0, 50)) {
      console.log(`  ${c.label}${c.value !== c.label ? ` [${c.value}]` : ''}${c.parent ? ` ← ${c.parent}` : ''}${c.active ? '' : ' (inactive)'}`);
    }
    if (f.choices.length > 50) console.log(`  … ${f.choices.length - 50} more`);
  }
}
