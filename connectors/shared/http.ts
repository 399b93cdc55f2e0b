/**
 * The HTTP layer both PSA clients share: timeouts, retries with exponential backoff and jitter on 429 and 5xx
 * (honouring Retry-After), a cap on concurrent requests, and a rolling hourly request budget that keeps a
 * client under the API's limits. Each PSA client wraps it with its own auth headers and error shape.
 */
export interface HttpOptions {
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Retries after the first attempt, for 429, 5xx, timeouts and dropped connections. */
  maxRetries?: number;
  /** First backoff delay; doubles each retry, with jitter, capped by maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Requests in flight at once (Autotask allows 3 threads per endpoint). */
  maxConcurrent?: number;
  /** Requests allowed per rolling hour (Autotask: 10,000 per database); the client waits rather than exceed it. */
  hourlyBudget?: number;
  /** Injected for tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
  /**
   * Whether sending it twice is harmless. Defaults to true except for POST: a POST (a note, say) is retried only
   * when the server said it did not process it (429, 503), never after a 500 or a dropped connection.
   */
  idempotent?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the body is JSON, else the text (or null when empty). */
  body: unknown;
}

/** A response the client gave up on: the status and the API's own error body, for the PSA client to word. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);
/** Statuses that say the request was not acted on, so even a POST may be sent again. */
const NOT_PROCESSED = new Set([429, 503]);

export const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    // The listener goes when the sleep ends: one signal lives through a whole sync and many retries.
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export class HttpClient {
  readonly stats = { requests: 0, retries: 0 };
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly sentAt: number[] = [];
  private readonly o: Required<Omit<HttpOptions, 'fetch' | 'sleep'>> & Pick<HttpOptions, 'fetch' | 'sleep'>;

  constructor(opts: HttpOptions = {}) {
    this.o = {
      timeoutMs: 30_000,
      maxRetries: 5,
      baseDelayMs: 500,
      maxDelayMs: 20_000,
      maxConcurrent: 3,
      hourlyBudget: 9_000,
      ...opts,
    };
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const fetchFn = this.o.fetch ?? fetch;
    const sleep = this.o.sleep ?? defaultSleep;
    const idempotent = req.idempotent ?? req.method.toUpperCase() !== 'POST';
    for (let attempt = 0; ; attempt++) {
      await this.acquire(req.signal);
      let res: Response | undefined;
      let failure: unknown;
      try {
        await this.respectBudget(sleep, req.signal);
        this.stats.requests++;
        const timeout = AbortSignal.timeout(this.o.timeoutMs);
        const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
        res = await fetchFn(req.url, {
          method: req.method,
          headers: { accept: 'application/json', ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
          signal,
        });
        const body = await readBody(res);
        if (res.ok) return { status: res.status, headers: res.headers, body };
        const retryable = idempotent ? RETRYABLE.has(res.status) : NOT_PROCESSED.has(res.status);
        if (!retryable || attempt >= this.o.maxRetries) {
          throw new HttpError(res.status, body, `${req.method} ${redact(req.url)} answered HTTP ${res.status}`);
        }
      } catch (err) {
        if (err instanceof HttpError || req.signal?.aborted) throw err;
        failure = err;
        if (attempt >= this.o.maxRetries || !idempotent) {
          throw new Error(`${req.method} ${redact(req.url)} failed after ${attempt + 1} attempts: ${describe(err)}`);
        }
      } finally {
        this.release();
      }
      this.stats.retries++;
      await sleep(this.backoff(attempt, res, failure), req.signal);
    }
  }

  /** Retry-After (seconds or an HTTP date) when the server sends it; else exponential backoff with full jitter. */
  private backoff(attempt: number, res: Response | undefined, _failure: unknown): number {
    const header = res?.headers.get('retry-after');
    if (header) {
      const seconds = Number(header);
      const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
      if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, this.o.maxDelayMs * 3);
    }
    const cap = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** attempt);
    return cap / 2 + Math.random() * (cap / 2);
  }

  private async acquire(signal?: AbortSignal): Promise<void> {
    while (this.inFlight >= this.o.maxConcurrent) {
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        // An aborted waiter must leave the queue, or a release would wake it instead of a live one.
        const onAbort = () => {
          const i = this.waiters.indexOf(wake);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal!.reason);
        };
        this.waiters.push(wake);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    this.inFlight++;
  }

  private release(): void {
    this.inFlight--;
    this.waiters.shift()?.();
  }

  private async respectBudget(sleep: NonNullable<HttpOptions['sleep']>, signal?: AbortSignal): Promise<void> {
    const hour = 3_600_000;
    for (;;) {
      const now = Date.now();
      while (this.sentAt.length && this.sentAt[0] <= now - hour) this.sentAt.shift();
      if (this.sentAt.length < this.o.hourlyBudget) {
        this.sentAt.push(now);
        return;
      }
      await sleep(this.sentAt[0] + hour - now, signal);
    }
  }
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (err.name === 'TimeoutError') return 'timed out';
    return cause?.code ?? cause?.message ?? err.message;
  }
  return String(err);
}

/** URLs can carry query values but never credentials here; still, keep logs short and free of long tokens. */
function redact(url: string): string {
  return url.length > 200 ? `${url.slice(0, 200)}…` : url;
}
