/**
 * One authenticated ConnectWise session: codebase discovery (cached, refreshed once after a 404 because hosted
 * ConnectWise moves codebases), the auth headers, and error wording. Every request goes through the shared
 * HttpClient, which owns timeouts, retries, the concurrency cap and the hourly budget.
 */
import { z } from 'zod';
import { HttpClient, HttpError, type HttpOptions, type HttpResponse } from '../shared/http';
import { ConnectWiseError, makeScrubber, readErrorBody } from './errors';

export interface ConnectWiseCredentials {
  /** e.g. 'https://api-na.myconnectwise.net', a bare host, or a mock's base URL. */
  site: string;
  companyId: string;
  publicKey: string;
  privateKey: string;
  clientId: string;
  /** Accept-header version (default 2025.8, the version of the OpenAPI document the facts were read from). */
  apiVersion?: string;
  http?: HttpOptions;
}

export const DEFAULT_API_VERSION = '2025.8';

/**
 * ConnectWise publishes no request limit (facts B9). Four requests in flight and 10,000 an hour keep a sync polite
 * on a shared tenant; both are overridable through `http`.
 */
const DEFAULT_HTTP: HttpOptions = { maxConcurrent: 4, hourlyBudget: 10_000 };

/** Cloud web hosts answer the UI; the API lives on the api-* twin (facts B1). */
const CLOUD_API_HOSTS: Record<string, string> = {
  'na.myconnectwise.net': 'api-na.myconnectwise.net',
  'eu.myconnectwise.net': 'api-eu.myconnectwise.net',
  'au.myconnectwise.net': 'api-au.myconnectwise.net',
  'aus.myconnectwise.net': 'api-aus.myconnectwise.net',
  'za.myconnectwise.net': 'api-za.myconnectwise.net',
  'staging.connectwisedev.com': 'api-staging.connectwisedev.com',
};

export function normalizeSite(site: string): string {
  const withScheme = /^https?:\/\//i.test(site.trim()) ? site.trim() : `https://${site.trim()}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConnectWiseError(0, 'BadSite', `not a ConnectWise site URL: ${JSON.stringify(site)}`);
  }
  const apiHost = CLOUD_API_HOSTS[url.hostname.toLowerCase()];
  if (apiHost) url.hostname = apiHost;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

const companyInfoSchema = z.object({ Codebase: z.string().regex(/^[A-Za-z0-9_.-]+\/?$/) });

export interface SendOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export class ConnectWiseSession {
  readonly http: HttpClient;
  private readonly site: string;
  private readonly headers: Record<string, string>;
  private readonly scrub: (text: string) => string;
  private codebase: string | null = null;
  private discovering: Promise<string> | null = null;

  constructor(private readonly creds: ConnectWiseCredentials) {
    this.site = normalizeSite(creds.site);
    this.http = new HttpClient({ ...DEFAULT_HTTP, ...creds.http });
    const basic = Buffer.from(`${creds.companyId}+${creds.publicKey}:${creds.privateKey}`).toString('base64');
    this.headers = {
      authorization: `Basic ${basic}`,
      clientid: creds.clientId,
      // Lower-case key: it replaces HttpClient's default `accept` instead of being sent next to it.
      accept: `application/vnd.connectwise.com+json; version=${creds.apiVersion ?? DEFAULT_API_VERSION}`,
    };
    this.scrub = makeScrubber([creds.privateKey, creds.publicKey, creds.clientId, basic]);
  }

  /** The codebase, discovered once and cached; `force` asks companyinfo again. */
  async discover(signal?: AbortSignal, force = false): Promise<string> {
    if (this.codebase && !force) return this.codebase;
    if (!this.discovering) {
      this.discovering = this.fetchCodebase(signal).finally(() => {
        this.discovering = null;
      });
    }
    this.codebase = await this.discovering;
    return this.codebase;
  }

  private async fetchCodebase(signal?: AbortSignal): Promise<string> {
    const company = this.creds.companyId;
    // No auth headers: companyinfo is public, and keys must not travel where they are not needed.
    const url = `${this.site}/login/companyinfo/${encodeURIComponent(company)}`;
    let res: HttpResponse;
    try {
      res = await this.http.request({ method: 'GET', url, signal });
    } catch (err) {
      if (signal?.aborted) throw err;
      if (err instanceof HttpError && err.status === 404) {
        throw new ConnectWiseError(404, 'UnknownCompany', `ConnectWise site ${this.site} knows no company "${company}"`);
      }
      throw this.wrap(err, 'GET', '/login/companyinfo');
    }
    const parsed = companyInfoSchema.safeParse(res.body);
    if (!parsed.success) {
      throw new ConnectWiseError(
        res.status,
        'NoCodebase',
        `ConnectWise companyinfo for "${company}" at ${this.site} gave no codebase: is the company id right?`,
      );
    }
    const cb = parsed.data.Codebase;
    return cb.endsWith('/') ? cb : `${cb}/`;
  }

  /** `path` starts after `apis/3.0`, e.g. `/service/tickets?conditions=...`. */
  async send(method: string, path: string, opts: SendOptions = {}): Promise<HttpResponse> {
    const codebase = await this.discover(opts.signal);
    try {
      return await this.requestAt(codebase, method, path, opts);
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      if (!(err instanceof HttpError && err.status === 404)) throw this.wrap(err, method, path);
      // A 404 may mean the hosted codebase moved: ask companyinfo again and retry once if it did (as DJCW does).
      const fresh = await this.discover(opts.signal, true);
      if (fresh === codebase) throw this.wrap(err, method, path);
      try {
        return await this.requestAt(fresh, method, path, opts);
      } catch (again) {
        throw opts.signal?.aborted ? again : this.wrap(again, method, path);
      }
    }
  }

  /**
   * Turns a Link header URL into a path for `send`: only what follows `apis/3.0` is kept and re-based on our own
   * site, so credentials never follow a link to another host or to a stale codebase.
   */
  static apiPathOf(linkUrl: string): string | null {
    let url: URL;
    try {
      url = new URL(linkUrl);
    } catch {
      return null;
    }
    const at = url.pathname.indexOf('/apis/3.0/');
    if (at < 0) return null;
    return url.pathname.slice(at + '/apis/3.0'.length) + url.search;
  }

  private requestAt(codebase: string, method: string, path: string, opts: SendOptions): Promise<HttpResponse> {
    return this.http.request({
      method,
      url: `${this.site}/${codebase}apis/3.0${path}`,
      headers: { ...this.headers, ...opts.headers },
      body: opts.body,
      signal: opts.signal,
    });
  }

  private wrap(err: unknown, method: string, path: string): unknown {
    if (err instanceof ConnectWiseError) return err;
    const where = `${method} ${path.split('?')[0]}`;
    if (err instanceof HttpError) {
      const info = readErrorBody(err.body, err.status);
      const detail = info.details.length ? ` (${info.details.join('; ')})` : '';
      const text =
        err.status === 401
          ? `ConnectWise rejected the credentials for company "${this.creds.companyId}" (HTTP 401 ${info.code}: ${info.message}). ` +
            'Check the company id, the public/private key pair and the clientId.'
          : err.status === 403
            ? `ConnectWise denied ${where}: the API member's security role lacks this permission (HTTP 403 ${info.code}: ${info.message})`
            : `ConnectWise ${where} answered HTTP ${err.status} ${info.code}: ${info.message}${detail}`;
      return new ConnectWiseError(err.status, info.code, this.scrub(text), info.details.map(this.scrub));
    }
    if (err instanceof Error && err.name === 'AbortError') return err;
    const reason = err instanceof Error ? err.message : String(err);
    return new ConnectWiseError(0, 'NetworkError', this.scrub(`ConnectWise ${where} failed: ${reason}`));
  }
}
