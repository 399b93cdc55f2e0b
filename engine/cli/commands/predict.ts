import { parseArgs } from 'node:util';
import type { EngineClient } from '../../client/engine-client';
import { pct, table } from '../output';

export const help = `triage predict <tenant> --title T [--description D] [--choices FIELD=a,b,c]… [--json]
  Triages one ticket with the deployed model: each field with its confidence and alternatives.`;

export async function predictCommand(client: EngineClient, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      title: { type: 'string', default: '' },
      description: { type: 'string', default: '' },
      choices: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
    },
  });
  const [tenant] = positionals;
  if (!tenant || (!values.title && !values.description)) throw new Error(`usage: ${help}`);
  const choices: Record<string, string[]> = {};
  for (const c of values.choices ?? []) {
    const eq = c.indexOf('=');
    if (eq <= 0) throw new Error(`--choices "${c}": expected FIELD=a,b,c`);
    choices[c.slice(0, eq)] = c.slice(eq + 1).split(',').map((s) => s.trim()).filter(Boolean);
  }
  const p = await client.predict(tenant, { title: values.title, description: values.description }, Object.keys(choices).length ? choices : undefined);
  if (values.json) return console.log(JSON.stringify(p, null, 2));
  console.log(
    table(
      ['field', 'value', 'confidence', 'alternatives'],
      Object.entries(p.fields).map(([field, f]) => [
        field,
        f.status === 'predicted' ? (f.label ?? '') : `(unpredictable: ${f.reason})`,
        f.status === 'predicted' ? pct(f.confidence) : '-',
        f.alternatives.map((a) => `${a.label} ${pct(a.confidence)}`).join(', '),
      ]),
    ),
  );
  console.log(`model: ${p.model.tier} checkpoint ${p.model.checkpointId}, ${p.latencyMs.toFixed(2)} ms`);
}
