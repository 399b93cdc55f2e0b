import { auth, requireSignIn } from '../stores/auth.svelte';
import { ApiError } from './errors';

export interface RequestOptions {
  body?: unknown;
  /** Sent as is (a file upload) instead of JSON. */
  raw?: Blob | ArrayBuffer;
  contentType?: string;
  signal?: AbortSignal;
}

/** Headers every call sends: the token when the user signed in (a loopback engine needs none). */
export function authHeaders(): Record<string, string> {
  return auth.token ? { authorization: `Bearer ${auth.token}` } : {};
}

/**
 * One call to the engine. Error answers become ApiError with the engine's code and message; a 401 also asks the
 * layout to show the sign-in form.
 */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders() };
  let body: BodyInit | undefined;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['content-type'] = opts.contentType ?? 'application/octet-stream';
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, signal: opts.signal });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw new ApiError(0, 'unreachable', 'The engine cannot be reached. Is it still running? Start it with `npm start`, then try again.');
  }
  const text = await res.text();
  let json: { error?: { code?: string; message?: string; details?: unknown } } | undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = json?.error ?? {};
    if (res.status === 401) requireSignIn(e.message);
    throw new ApiError(res.status, e.code ?? 'http_error', e.message ?? `The engine answered HTTP ${res.status}`, e.details);
  }
  return json as T;
}
