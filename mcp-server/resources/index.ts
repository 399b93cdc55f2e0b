/** Every resource template of the server. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpContext } from '../context';
import { registerCheckpointReport } from './checkpoint-report';
import { registerRunLog } from './run-log';
import { registerTenantFields } from './tenant-fields';

export function registerResources(server: McpServer, ctx: McpContext): void {
  registerTenantFields(server, ctx);
  registerRunLog(server, ctx);
  registerCheckpointReport(server, ctx);
}
