/**
 * Autotask errors in words a user understands, and the one place that keeps credentials out of them: every
 * message the connector throws passes through `scrub`, so neither the Secret nor the ApiIntegrationCode can
 * leak even if the API (or a proxy) echoed them back.
 */
import { HttpError } from '../shared/http';
import { errorBodySchema } from './schemas';

export type AutotaskErrorCode =
  | 'unknown-user'
  | 'invalid-integration-code'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'rate-limited'
  | 'invalid-request'
  | 'unexpected-response'
  | 'unreachable'
  | 'api';

export class AutotaskError extends Error {
  constructor(
    readonly code: AutotaskErrorCode,
    message: string,
    readonly status: number | null = null,
    /** The API's own error texts (scrubbed). */
    readonly apiErrors: string[] = [],
  ) {
    super(message);
    this.name = 'AutotaskError';
  }
}

export interface ErrorContext {
  /** What the connector was doing, as a verb phrase: "query tickets", "update ticket 123". */
  action: string;
  username: string;
  /** Values that must never appear in a message. */
  secrets: string[];
}

export function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out;
}

/** The `errors` array of an Autotask error body, or the text of a non-JSON body (shortened). */
export function apiErrorsOf(body: unknown): string[] {
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) return parsed.data.errors;
  if (typeof body === 'string' && body.trim()) return [body.trim().slice(0, 300)];
  return [];
}

const ZONE_UNKNOWN = /zone information could not be determined/i;
const BAD_CODE = /integrationcode is invalid/i;
const NO_PERMISSION = /adequate permissions|not have the required permissions/i;

/** Turns what the HTTP layer threw into an AutotaskError; aborts pass through untouched. */
export function wordError(err: unknown, ctx: ErrorContext, signal?: AbortSignal): unknown {
  if (signal?.aborted || err instanceof AutotaskError) return err;
  const clean = (t: string) => scrub(t, ctx.secrets);
  if (!(err instanceof HttpError)) {
    const message = err instanceof Error ? err.message : String(err);
    return new AutotaskError('unreachable', clean(`Could not reach Autotask to ${ctx.action}: ${message}`));
  }
  const errors = apiErrorsOf(err.body).map(clean);
  const said = errors.length ? `: ${errors.join(' ')}` : '';
  const user = `"${ctx.username}"`;
  const make = (code: AutotaskErrorCode, message: string) => new AutotaskError(code, clean(message), err.status, errors);
  const text = errors.join(' ');
  if (ZONE_UNKNOWN.test(text)) {
    return make('unknown-user', `Autotask zone information could not be determined for user ${user}: check the API username (the API-only user's email address).`);
  }
  if (BAD_CODE.test(text)) {
    return make('invalid-integration-code', `Autotask rejected the API integration code (tracking identifier) of user ${user}: check the integration code saved for this connection.`);
  }
  switch (err.status) {
    case 401:
      return make('unauthorized', `Autotask refused the credentials of API user ${user} (HTTP 401): check the API secret, and that the user is an active API-only user.`);
    case 403:
      return make('forbidden', `Autotask did not allow API user ${user} to ${ctx.action} (HTTP 403): check its security level${said}`);
    case 404:
      return make('not-found', `Autotask could not ${ctx.action}: not found (HTTP 404)${said}`);
    case 429:
      return make('rate-limited', `Autotask kept refusing to ${ctx.action}: its rate or thread limit was reached (HTTP 429)${said}`);
  }
  if (NO_PERMISSION.test(text)) {
    return make('forbidden', `Autotask did not allow API user ${user} to ${ctx.action}: check its security level${said}`);
  }
  if (err.status === 400 || err.status === 405) return make('invalid-request', `Autotask refused the request to ${ctx.action} (HTTP ${err.status})${said}`);
  return make('api', `Autotask could not ${ctx.action} (HTTP ${err.status})${said}`);
}

/**
 * Autotask answers HTTP 500 for many permanent, logical errors (facts A11): a bad integration code, an unknown
 * user, a query or validation error. The shared HTTP layer retries every 500, which would turn "wrong
 * integration code" into a minute of backoff. This fetch wrapper recognises those answers and throws them as
 * an HttpError at once, which the HTTP layer passes through without retrying. Thread and threshold 500s and
 * anything unrecognised stay retryable.
 */
const PERMANENT_500 =
  /integrationcode is invalid|zone information could not be determined|adequate permissions|required permissions|no matching records found|invalid query syntax|unable to find|is required|is not valid|is inactive|does not belong|does not match|maximum length/i;
const TRANSIENT_500 = /thread|threshold|timeout|timed out|deadlock/i;

export function permanentErrorFetch(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (res.status !== 500) return res;
    const text = await res.text();
    const errors = apiErrorsOf(parseJson(text)).join(' ');
    if (PERMANENT_500.test(errors) && !TRANSIENT_500.test(errors)) {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      throw new HttpError(500, parseJson(text), `${init?.method ?? 'GET'} ${url.split('?')[0]} answered HTTP 500`);
    }
    return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
