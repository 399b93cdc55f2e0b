/** Every tool of the server, in the order an agent meets them. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpContext } from '../context';
import { cancelRun } from './cancel-run';
import { registerTool, type ToolDefinition } from './define-tool';
import { deployCheckpoint } from './deploy-checkpoint';
import { evaluate } from './evaluate';
import { getLiveAccuracy } from './get-live-accuracy';
import { getRun } from './get-run';
import { getTenantFields } from './get-tenant-fields';
import { importTickets } from './import-tickets';
import { listCheckpoints } from './list-checkpoints';
import { listRuns } from './list-runs';
import { listTenants } from './list-tenants';
import { rollbackDeployment } from './rollback-deployment';
import { startTraining } from './start-training';
import { syncTenant } from './sync-tenant';
import { triageTicket } from './triage-ticket';
import { waitForRunTool } from './wait-for-run';

export const TOOLS = [
  listTenants,
  getTenantFields,
  importTickets,
  syncTenant,
  startTraining,
  getRun,
  waitForRunTool,
  listRuns,
  cancelRun,
  listCheckpoints,
  deployCheckpoint,
  rollbackDeployment,
  triageTicket,
  evaluate,
  getLiveAccuracy,
] as unknown as ToolDefinition[];

export function registerTools(server: McpServer, ctx: McpContext): void {
  for (const tool of TOOLS) registerTool(server, ctx, tool);
}
