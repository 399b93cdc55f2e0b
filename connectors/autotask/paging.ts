/**
 * Autotask query paging (facts A6): POST `{Entity}/query`, then follow `pageDetails.nextPageUrl` with the same
 * method and body until it is null. A POST-originated next link fetched with GET is refused by the API (405),
 * so the body always goes along.
 */
import type { AutotaskApi } from './api';
import { AutotaskError } from './errors';
import { pageSchema } from './schemas';

export const PAGE_MAX = 500;

export interface QueryBody {
  MaxRecords: number;
  IncludeFields?: string[];
  filter: unknown[];
}

export async function* queryPages(api: AutotaskApi, entity: string, body: QueryBody, action: string, signal?: AbortSignal): AsyncGenerator<unknown[]> {
  let target = `${entity}/query`;
  const followed = new Set<string>();
  for (;;) {
    const page = await api.call(pageSchema, 'POST', target, { action, body, signal, idempotent: true });
    yield page.items;
    const next = page.pageDetails.nextPageUrl;
    if (!next) return;
    if (followed.has(next)) {
      throw new AutotaskError('unexpected-response', `Autotask returned the same next-page link twice while trying to ${action}; stopping rather than looping.`);
    }
    followed.add(next);
    target = next;
  }
}

export function clampPageSize(size: number | undefined): number {
  if (size === undefined || !Number.isFinite(size)) return PAGE_MAX;
  return Math.min(PAGE_MAX, Math.max(1, Math.floor(size)));
}
