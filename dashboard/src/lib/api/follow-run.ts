import { api } from './client';
import { ApiError } from './errors';
import { authHeaders } from './request';
import type { RunEvent } from './types';

export interface FollowOptions {
  onEvent: (event: RunEvent) => void;
  /** Called when the stream connects (true) or drops and is about to reconnect (false). */
  onConnection?: (connected: boolean) => void;
  signal: AbortSignal;
}

/**
 * Follows a run's events over SSE until the engine ends the stream (the run is done). Uses fetch streaming
 * rather than EventSource so the Authorization header can be sent; reconnects with Last-Event-ID, so no event
 * is missed or repeated. Resolves when the stream ended normally; rejects on a 4xx (no retry helps then).
 */
export async function followRun(tenant: string, run: number, opts: FollowOptions): Promise<void> {
  let last = 0;
  const url = `/api/tenants/${encodeURIComponent(tenant)}/runs/${run}/events/stream`;
  for (let attempt = 0; !opts.signal.aborted; attempt++) {
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream', ...authHeaders() };
      if (last) headers['last-event-id'] = String(last);
      const res = await fetch(url, { headers, signal: opts.signal, cache: 'no-store' });
      if (!res.ok || !res.body) {
        const text = await res.text().catch(() => '');
        let message = `the event stream answered HTTP ${res.status}`;
        try {
          message = JSON.parse(text).error.message ?? message;
        } catch {
          /* not JSON: keep the generic message */
        }
        throw new ApiError(res.status, 'stream_failed', message);
      }
      opts.onConnection?.(true);
      attempt = 0;
      for await (const event of parseSse(res.body)) {
        last = event.seq;
        opts.onEvent(event);
      }
      // The engine ends the stream when the run is done; a stream cut for another reason (a restart) resumes.
      const current = await api.getRun(tenant, run);
      if (!['queued', 'running'].includes(current.status)) return;
      opts.onConnection?.(false);
      await sleep(250, opts.signal);
    } catch (err) {
      if (opts.signal.aborted) return;
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) throw err;
      opts.onConnection?.(false);
      await sleep(Math.min(250 * 2 ** attempt, 5000), opts.signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/** Minimal SSE reader: `data:` lines of one event are joined; an event ends at a blank line; comments are skipped. */
async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<RunEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        if (line === '') {
          if (data.length) yield JSON.parse(data.join('\n')) as RunEvent;
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice(5).trimStart());
        }
      }
    }
  } finally {
    reader.releaseLock();
  }
}
