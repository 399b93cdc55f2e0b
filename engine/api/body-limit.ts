import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../errors';
import type { AppEnv } from './app-types';

/** Past this much, an oversized body is cut off instead of read to the end. */
const DRAIN_CAP_BYTES = 256 * 1024 * 1024;

/**
 * Answers 413 to a body over `maxBytes`. When the client declared the size, the body is read and thrown away
 * first: a client still writing when the server answers and closes gets a broken pipe instead of the 413, and
 * would tell its user "cannot reach the engine" rather than "too large". Undeclared (chunked) bodies are counted
 * as they stream and cut at the limit.
 */
export function limitBody(maxBytes: () => number, code: string, what: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const limit = maxBytes();
    const tooLarge = (headers?: Record<string, string>) =>
      new ApiError(413, code, `${what} is larger than the limit of ${limit} bytes`, undefined, headers);
    const declared = Number(c.req.header('content-length'));
    if (Number.isFinite(declared) && declared > limit) {
      const drained = await drain(c.env as { incoming?: NodeJS.ReadableStream & { destroy(): void } } | undefined, DRAIN_CAP_BYTES);
      throw tooLarge(drained ? undefined : { Connection: 'close' });
    }
    return bodyLimit({
      maxSize: limit,
      onError: () => {
        throw tooLarge({ Connection: 'close' });
      },
    })(c, next);
  };
}

/** Reads and discards the request body; false when it was cut off at the cap (or there is no socket). */
function drain(env: { incoming?: NodeJS.ReadableStream & { destroy(): void } } | undefined, cap: number): Promise<boolean> {
  const incoming = env?.incoming;
  if (!incoming) return Promise.resolve(false);
  return new Promise((resolve) => {
    let read = 0;
    incoming.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (read > cap) {
        incoming.destroy();
        resolve(false);
      }
    });
    incoming.on('end', () => resolve(true));
    incoming.on('error', () => resolve(false));
    incoming.on('close', () => resolve(read <= cap));
  });
}
