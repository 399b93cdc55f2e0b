import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { createEngine } from '../../engine';
import { listen } from '../../server';
import { prepareAccess } from '../../auth/bootstrap';
import { isLoopback } from '../../config';
import { bootstrapDemoTenant, DEMO_TENANT } from '../../services/demo-tenant';
import { getRunById } from '../../store/runs';
import { findTenant } from '../../store/tenants';
import { engineFile } from '../engine-url';

export const help = `triage serve [--port N] [--host H] [--data-dir DIR] [--demo] [--no-resume] [--require-token]
  Runs the engine: HTTP API, docs, MCP (/mcp) and the dashboard on one port.
  --port 0 picks any free port. --demo creates a trained demo tenant when the data directory is empty.`;

export async function serveCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      demo: { type: 'boolean', default: false },
      'no-resume': { type: 'boolean', default: false },
      'require-token': { type: 'boolean', default: false },
    },
  });
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new Error(`--port must be a whole number from 0 to 65535, got "${values.port}"`);
  }
  const engine = createEngine({
    port,
    host: values.host,
    dataDir: values['data-dir'],
    ...(values['no-resume'] ? { resumeInterrupted: false } : {}),
    ...(values['require-token'] ? { requireToken: true } : {}),
  });
  let server;
  let tokenFile: string | null;
  try {
    tokenFile = prepareAccess(engine);
    server = await listen(engine);
  } catch (err) {
    await engine.close();
    throw err;
  }
  const file = engineFile(engine.config.dataDir);
  fs.writeFileSync(file, JSON.stringify({ url: server.url, pid: process.pid, startedAt: new Date().toISOString() }));
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`ticket-triage engine listening on ${server.url}`);
  out(`  dashboard: ${server.url}/`);
  out(`  API docs:  ${server.url}/api/docs`);
  out(`  OpenAPI:   ${server.url}/api/openapi.json`);
  out(`  data:      ${engine.config.dataDir}`);
  if (tokenFile) out(`  An admin API token was created in ${tokenFile} (the CLI reads it from there; keep it secret).`);
  if (isLoopback(engine.config.host) && !engine.config.requireToken) {
    out('  Requests from this machine need no token; other callers (and --require-token) need "Authorization: Bearer <token>".');
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    engine.log.info(`${signal}: stopping; running runs will resume at the next start`);
    await server.close();
    await engine.close();
    fs.rmSync(file, { force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  if (values.demo) {
    const run = bootstrapDemoTenant(engine);
    if (run) {
      out(`Creating the demo tenant "${DEMO_TENANT}": training its fast model (run ${run.id})…`);
      await engine.runner.idle();
      const done = getRunById(engine.db, run.id);
      if (done?.status !== 'succeeded') {
        out(`The demo training run ended ${done?.status}: ${done?.error ?? ''}`);
        return;
      }
      const accuracy = (done.result?.accuracy ?? {}) as Record<string, number>;
      out(`Demo model trained and deployed. Held-out accuracy: ${Object.entries(accuracy).map(([f, a]) => `${f} ${(a * 100).toFixed(1)}%`).join(', ')}`);
    }
    if (!findTenant(engine.db, DEMO_TENANT)) return;
    out('');
    out('Triage a ticket:');
    out(`  curl -s ${server.url}/api/tenants/${DEMO_TENANT}/predict -H 'content-type: application/json' \\`);
    out(`    -d '{"ticket":{"title":"Outlook keeps asking for my password","description":"Since this morning Outlook prompts for credentials every few minutes on my laptop."}}'`);
  }
}
