/**
 * `triage <command>`: the engine's command line. `serve` runs the engine; every other command is a client of
 * a running engine's HTTP API (found through --url, TRIAGE_URL, or the engine.json that `serve` writes).
 */
import { EngineClient } from '../client/engine-client';
import * as admin from './commands/admin';
import * as data from './commands/data';
import * as demoPsa from './commands/demo-psa';
import * as models from './commands/models';
import * as predict from './commands/predict';
import * as psa from './commands/psa';
import * as runs from './commands/runs';
import * as serve from './commands/serve';
import { resolveEngineUrl, resolveToken } from './engine-url';
import { isLoopback } from '../config';
import { printError } from './output';
import * as mcp from '../../mcp-server/stdio';

const USAGE = `ticket-triage: learns each tenant's ticket classification and triages new tickets.

Usage: triage <command> [options]     (global: --url URL of the engine, --data-dir DIR)

${serve.help}
${data.help.tenants}
${data.help.tenant}
${data.help.fields}
${data.help.import}
${models.help.train}
${models.help.eval}
${models.help.checkpoints}
${models.help.deploy}
${models.help.rollback}
${predict.help}
${runs.help}
${psa.help.connect}
${psa.help.sync}
${psa.help.triage}
${psa.help.live}
${demoPsa.help}
${admin.help.token}
${admin.help.backup}
${mcp.help}
`;

/** Takes the global options out of argv, wherever they stand. */
function globalOptions(argv: string[]): { rest: string[]; url?: string; dataDir?: string } {
  const rest: string[] = [];
  let url: string | undefined;
  let dataDir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--url') url = argv[++i];
    else if (argv[i].startsWith('--url=')) url = argv[i].slice(6);
    else if (argv[i] === '--data-dir') dataDir = argv[++i];
    else rest.push(argv[i]);
  }
  return { rest, url, dataDir };
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    if (command === 'serve') {
      await serve.serveCommand(args);
      return -1; // keeps running until a signal
    }
    if (command === 'backup') {
      await admin.backupCommand(args);
      return 0;
    }
    if (command === 'demo-psa') {
      await demoPsa.demoPsaCommand(args);
      return -1;
    }
    const { rest, url, dataDir } = globalOptions(args);
    const engineUrl = resolveEngineUrl(url, dataDir);
    // The admin token in the local data directory is only ever sent to an engine on this machine.
    const token = process.env.TRIAGE_TOKEN ?? (isLoopback(new URL(engineUrl).hostname) ? resolveToken(dataDir) : undefined);
    const client = new EngineClient(engineUrl, token);
    const commands: Record<string, () => Promise<void>> = {
      tenants: () => data.tenantsCommand(client),
      tenant: () => data.tenantCommand(client, rest),
      fields: () => data.fieldsCommand(client, rest),
      import: () => data.importCommand(client, rest),
      train: () => models.trainCommand(client, rest),
      eval: () => models.evalCommand(client, rest),
      checkpoints: () => models.checkpointsCommand(client, rest),
      deploy: () => models.deployCommand(client, rest),
      rollback: () => models.rollbackCommand(client, rest),
      predict: () => predict.predictCommand(client, rest),
      runs: () => runs.runsCommand(client, rest),
      connect: () => psa.connectCommand(client, rest),
      sync: () => psa.syncCommand(client, rest),
      'triage-settings': () => psa.triageSettingsCommand(client, rest),
      live: () => psa.liveCommand(client, rest),
      token: () => admin.tokenCommand(client, rest, dataDir),
      // stdio MCP server: stdout is the protocol channel, so it prints nothing else; runs until stdin closes.
      mcp: () => mcp.runStdioServer(client),
    };
    const run = commands[command];
    if (!run) {
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
    }
    await run();
    return 0;
  } catch (err) {
    printError(err);
    return 1;
  }
}

const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
