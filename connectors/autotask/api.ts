/**
 * Authenticated calls to the tenant's zone: `{zone.url}V1.0/…` with the three auth headers (plus
 * ImpersonationResourceId on writes), one re-discovery and retry on a 401 (the zone may have moved, facts A2),
 * zod validation of the answer, and every failure worded by errors.ts. Retries, timeouts, the thread cap and
 * the hourly budget are the shared HttpClient's.
 */
import { HttpError, type HttpClient } from '../shared/http';
import { AutotaskError, wordError } from './errors';
import { describeIssues } from './schemas';
import type { Zone, ZoneResolver } from './zone';
import type { z } from 'zod';

export interface ApiOptions {
  http: HttpClient;
  zones: ZoneResolver;
  username: string;
  secret: string;
  integrationCode: string;
  impersonationResourceId?: number;
}

export interface CallOptions {
  /** What the call does, for messages: "query tickets". */
  action: string;
  body?: unknown;
  /** Create/update: carries ImpersonationResourceId when configured. */
  write?: boolean;
  /**
   * Safe to send twice. Autotask queries are POSTs that change nothing, so they say so; a note create stays
   * non-idempotent and is retried only when the API says it did not act (the shared layer's rule).
   */
  idempotent?: boolean;
  signal?: AbortSignal;
}

export class AutotaskApi {
  constructor(private readonly o: ApiOptions) {}

  /** `target` is a path under V1.0/ ('Tickets/query') or an absolute URL the API gave us (a nextPageUrl). */
  async call<S extends z.ZodType>(schema: S, method: string, target: string, opts: CallOptions): Promise<z.infer<S>> {
    const body = await this.raw(method, target, opts);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new AutotaskError('unexpected-response', this.scrub(`Autotask's answer to "${opts.action}" had an unexpected shape: ${describeIssues(parsed.error)}`));
    }
    return parsed.data;
  }

  word(err: unknown, action: string, signal?: AbortSignal): unknown {
    return wordError(err, { action, username: this.o.username, secrets: [this.o.secret, this.o.integrationCode] }, signal);
  }

  private async raw(method: string, target: string, opts: CallOptions): Promise<unknown> {
    let previous: Zone | null = null;
    for (let attempt = 0; ; attempt++) {
      const zone = await this.o.zones.get(opts.signal);
      const url = this.resolve(target, zone, previous);
      try {
        const res = await this.o.http.request({ method, url, headers: this.headers(opts.write), body: opts.body, signal: opts.signal, idempotent: opts.idempotent });
        return res.body;
      } catch (err) {
        if (err instanceof HttpError && err.status === 401 && attempt === 0 && !opts.signal?.aborted) {
          this.o.zones.invalidate(zone.url);
          previous = zone;
          continue;
        }
        throw this.word(err, opts.action, opts.signal);
      }
    }
  }

  private resolve(target: string, zone: Zone, previous: Zone | null): string {
    if (!/^https?:\/\//i.test(target)) return `${zone.url}V1.0/${target}`;
    // A next-page link from before a zone move is rebased onto the new zone.
    const url = previous && target.startsWith(previous.url) ? zone.url + target.slice(previous.url.length) : target;
    // Credentials travel with every call: never send them to a host other than the tenant's zone.
    if (new URL(url).origin !== new URL(zone.url).origin) {
      throw new AutotaskError('unexpected-response', `Autotask sent a link to another host (${new URL(url).origin}); not following it with the API credentials.`);
    }
    return url;
  }

  private headers(write?: boolean): Record<string, string> {
    const h: Record<string, string> = { ApiIntegrationCode: this.o.integrationCode, UserName: this.o.username, Secret: this.o.secret };
    if (write && this.o.impersonationResourceId !== undefined) h.ImpersonationResourceId = String(this.o.impersonationResourceId);
    return h;
  }

  private scrub(text: string): string {
    return [this.o.secret, this.o.integrationCode].reduce((t, s) => (s ? t.split(s).join('***') : t), text);
  }
}
