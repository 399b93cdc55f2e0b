/**
 * Zone discovery (facts A3): `GET {discovery}V1.0/ZoneInformation?user=…` without credentials tells which
 * zone host serves the tenant. The answer is cached (DJAT keeps it 12 h) and concurrent callers share one
 * lookup; `invalidate` drops it when a data call's 401 suggests the tenant moved (facts A2).
 */
import type { HttpClient } from '../shared/http';
import { AutotaskError } from './errors';
import { describeIssues, zoneInfoSchema } from './schemas';

export interface Zone {
  /** The zone's API base, ending in '/ATServicesRest/': calls append 'V1.0/…'. */
  url: string;
  name: string | null;
  ci: number | null;
}

export interface ZoneResolverOptions {
  http: HttpClient;
  discoveryUrl: string;
  username: string;
  cacheMs: number;
  /** Words an HTTP failure (shared with the API calls, so messages stay consistent and scrubbed). */
  word: (err: unknown, action: string, signal?: AbortSignal) => unknown;
}

export class ZoneResolver {
  private cached: { zone: Zone; at: number } | null = null;
  private pending: Promise<Zone> | null = null;

  constructor(private readonly o: ZoneResolverOptions) {}

  async get(signal?: AbortSignal): Promise<Zone> {
    if (this.cached && Date.now() - this.cached.at < this.o.cacheMs) return this.cached.zone;
    // One lookup for all concurrent callers; it is not tied to one caller's signal, so one abort cannot fail the others.
    this.pending ??= this.lookup().finally(() => {
      this.pending = null;
    });
    return abortable(this.pending, signal);
  }

  /** Forgets the zone, unless it was already replaced since `url` was handed out. */
  invalidate(url?: string): void {
    if (!url || this.cached?.zone.url === url) this.cached = null;
  }

  private async lookup(): Promise<Zone> {
    const url = `${withSlash(this.o.discoveryUrl)}V1.0/ZoneInformation?user=${encodeURIComponent(this.o.username)}`;
    let body: unknown;
    try {
      body = (await this.o.http.request({ method: 'GET', url })).body;
    } catch (err) {
      throw this.o.word(err, 'look up the Autotask zone');
    }
    const parsed = zoneInfoSchema.safeParse(body);
    if (!parsed.success) {
      throw new AutotaskError('unexpected-response', `Autotask zone information for user "${this.o.username}" had an unexpected shape: ${describeIssues(parsed.error)}`);
    }
    const zone: Zone = { url: withSlash(parsed.data.url), name: parsed.data.zoneName ?? null, ci: parsed.data.ci ?? null };
    this.cached = { zone, at: Date.now() };
    return zone;
  }
}

export function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
