/** What every tool and resource of the MCP server shares: the engine client and what the transport allows. */
import type { EngineClient } from '../engine/client/engine-client';

export interface McpContext {
  /** The only way to the engine: its typed HTTP API (over the network, or in-process for /mcp). */
  client: EngineClient;
  /**
   * Whether import_tickets may read a file path. True over stdio, where the server runs as the agent's own user;
   * false over HTTP, where a path would name a file on the engine's host, which a remote caller must never read.
   */
  allowFilePaths: boolean;
  /** Diagnostics; over stdio this must be stderr, because stdout carries the protocol. */
  log: (message: string) => void;
}
