/**
 * `triage mcp`: the server over stdio for desktop agents. stdout carries the protocol, so everything else goes to
 * stderr. Runs until the client closes stdin (or the transport closes).
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { EngineClient } from '../engine/client/engine-client';
import { createMcpServer } from './server';

export const help = `triage mcp [--url URL]                 MCP server over stdio for AI agents (see mcp-server/README.md)`;

export async function runStdioServer(client: EngineClient): Promise<void> {
  const log = (message: string) => process.stderr.write(`[triage mcp] ${message}\n`);
  const server = createMcpServer({ client, allowFilePaths: true, log });
  // A missing engine is not fatal: the agent still gets the tools, and each call says how to start the engine.
  client.health().then(
    () => log(`serving over stdio; engine at ${client.baseUrl}`),
    (err: Error) => log(`warning: ${err.message}`),
  );
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  transport.onerror = (err) => log(`transport error: ${err.message}`);
  await server.connect(transport);
  // The SDK's stdio transport does not watch for the end of stdin; the client closing it ends the server.
  process.stdin.once('end', () => void server.close());
  process.stdin.once('close', () => void server.close());
  await closed;
}
