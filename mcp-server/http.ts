/**
 * The Streamable HTTP transport behind the engine's /mcp route, stateless: each POST gets its own server and
 * transport, and its engine client acts with that request's own credentials. So every call is authenticated and
 * tenant-checked exactly like /api, and no session can outlive or borrow a token.
 */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { EngineClient } from '../engine/client/engine-client';
import { inProcessFetch } from './in-process-fetch';
import { createMcpServer } from './server';

export interface McpHttpOptions {
  /** The engine app's fetch: the MCP server's engine calls go through it in-process. */
  appFetch: (request: Request, env: unknown) => Response | Promise<Response>;
  /** The caller's connection info (hono's env), passed on so the engine sees the same remote address. */
  env: unknown;
  /** The caller's bearer token, already accepted by the engine's authentication; undefined for a trusted local caller. */
  token: string | undefined;
  /** Bound on a request body (inline imports can be large). */
  maxBodyBytes: number;
  log: (message: string) => void;
}

const methodNotAllowed = () =>
  new Response(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'this endpoint is stateless: send JSON-RPC messages with POST' }, id: null }), {
    status: 405,
    headers: { 'content-type': 'application/json', allow: 'POST' },
  });

/** Bearer token of an Authorization header (the engine has already checked it). */
export function bearerToken(header: string | undefined): string | undefined {
  return header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
}

export async function handleMcpHttp(request: Request, opts: McpHttpOptions): Promise<Response> {
  // Without sessions there is no stream to open with GET and nothing to end with DELETE.
  if (request.method !== 'POST') return methodNotAllowed();
  const origin = new URL(request.url).origin;
  const client = new EngineClient(origin, opts.token, inProcessFetch(opts.appFetch, opts.env));
  const server = createMcpServer({ client, allowFilePaths: false, log: opts.log });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, maxRequestBodySize: opts.maxBodyBytes });
  transport.onerror = (err) => opts.log(`mcp: ${err.message}`);
  await server.connect(transport);
  // A client that hangs up stops whatever its request was doing (e.g. waiting for a run).
  request.signal.addEventListener('abort', () => void server.close(), { once: true });
  return transport.handleRequest(request);
}
