/**
 * A fetch that hands requests straight to the engine's hono app (for the /mcp endpoint): the same routes, auth and
 * tenant checks as over the network, with the caller's connection info (env) so the loopback rule still applies.
 */
type AppFetch = (request: Request, env: unknown) => Response | Promise<Response>;

/**
 * Aborting a real fetch also ends its response body; an in-process response would keep streaming (an SSE stream
 * of a long run), so the body is wrapped to fail when the signal aborts and to cancel the engine's stream.
 */
function abortableBody(res: Response, signal: AbortSignal): Response {
  if (!res.body) return res;
  const reader = res.body.getReader();
  let onAbort = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      onAbort = () => {
        try {
          controller.error(signal.reason);
        } catch {
          // already closed
        }
        reader.cancel(signal.reason).catch(() => {});
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    },
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          signal.removeEventListener('abort', onAbort);
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (err) {
        try {
          controller.error(err);
        } catch {
          // already errored by the abort
        }
      }
    },
    cancel(reason) {
      signal.removeEventListener('abort', onAbort);
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

export function inProcessFetch(appFetch: AppFetch, env: unknown): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const res = await appFetch(request, env);
    return init?.signal ? abortableBody(res, init.signal) : res;
  }) as typeof fetch;
}
