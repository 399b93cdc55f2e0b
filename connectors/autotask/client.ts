/**
 * The Autotask PSA connector: zone discovery, ticket paging with filters, picklists (and BillingCodes) as the
 * tenant's field schemas, PATCH write-back and internal notes. HTTP behaviour (timeouts, retries honouring
 * Retry-After, 3 concurrent threads, an hourly budget under the 10,000/hour database threshold) is the shared
 * HttpClient's, tuned here for Autotask.
 */
import type { z } from 'zod';
import { HttpClient, type HttpOptions } from '../shared/http';
import type { ConnectorStats, PsaConnector, PsaTicket, TicketQuery } from '../types';
import type { FieldSchema } from '../../engine/triage/types';
import { AutotaskApi } from './api';
import { AutotaskError, permanentErrorFetch } from './errors';
import { type BillingCode, TICKET_INCLUDE_FIELDS, completeStatusValue, fieldSchemasFrom, normalizeDate, toPatchBody, toPsaTicket } from './field-mapping';
import { type NoteDefaults, chooseNoteDefaults } from './note-defaults';
import { PAGE_MAX, clampPageSize, queryPages } from './paging';
import {
  type FieldInfo,
  billingCodeSchema,
  describeIssues,
  entityInfoSchema,
  fieldsResponseSchema,
  itemIdSchema,
  queryCountSchema,
  thresholdSchema,
  ticketSchema,
} from './schemas';
import { type Zone, ZoneResolver } from './zone';

export interface AutotaskConnectorOptions {
  /** The API-only user's username (an email address). */
  username: string;
  secret: string;
  /** The integration's tracking identifier (ApiIntegrationCode header). */
  integrationCode: string;
  /** Zone discovery base (default https://webservices.autotask.net/ATServicesRest/). */
  discoveryUrl?: string;
  /** Resource that creates and updates are attributed to. */
  impersonationResourceId?: number;
  http?: HttpOptions;
  /** How long a discovered zone is trusted (default 12 h, as DJAT). */
  zoneCacheMs?: number;
  /** Explicit TicketNotes picklist ids; read from the tenant's picklists when absent (see note-defaults.ts). */
  noteType?: number;
  notePublish?: number;
  /** Title of triage notes (default "Ticket triage"). */
  noteTitle?: string;
}

export interface AutotaskThreshold {
  threshold: number;
  timeframeMinutes: number;
  current: number;
}

export interface AutotaskConnector extends PsaConnector {
  readonly kind: 'autotask';
  /** The database's hourly request threshold and current usage (counts as a request itself). */
  thresholdInformation(signal?: AbortSignal): Promise<AutotaskThreshold>;
  /** How many tickets a fetchTickets with this query would return (for progress). */
  countTickets(query: Pick<TicketQuery, 'since' | 'afterId'>, signal?: AbortSignal): Promise<number>;
  /** The tenant's zone (discovered on first use, then cached). */
  zone(signal?: AbortSignal): Promise<Zone>;
}

export const DEFAULT_DISCOVERY_URL = 'https://webservices.autotask.net/ATServicesRest/';
const TWELVE_HOURS = 12 * 3_600_000;
/** Below the 10,000/hour database threshold, which other integrations of the tenant share (facts A10). */
const HOURLY_BUDGET = 9_000;
const NOTE_TITLE_MAX = 250;
const NOTE_TEXT_MAX = 32_000;

export function createAutotaskConnector(opts: AutotaskConnectorOptions): AutotaskConnector {
  if (!opts.username?.trim() || !opts.secret || !opts.integrationCode) {
    throw new AutotaskError('invalid-request', 'An Autotask connection needs an API username, its secret and the integration code.');
  }
  const username = opts.username.trim();
  const baseFetch = opts.http?.fetch ?? ((input: string | URL | Request, init?: RequestInit) => fetch(input, init));
  const http = new HttpClient({
    timeoutMs: 30_000,
    maxConcurrent: 3,
    ...opts.http,
    hourlyBudget: Math.min(opts.http?.hourlyBudget ?? HOURLY_BUDGET, HOURLY_BUDGET),
    fetch: permanentErrorFetch(baseFetch),
  });
  const secrets = { username, secret: opts.secret, integrationCode: opts.integrationCode };
  let api: AutotaskApi;
  const zones = new ZoneResolver({
    http,
    discoveryUrl: opts.discoveryUrl ?? DEFAULT_DISCOVERY_URL,
    username,
    cacheMs: opts.zoneCacheMs ?? TWELVE_HOURS,
    word: (err, action, signal) => api.word(err, action, signal),
  });
  api = new AutotaskApi({ http, zones, ...secrets, impersonationResourceId: opts.impersonationResourceId });
  let noteDefaults: Promise<NoteDefaults> | null = null;

  const ticketFieldInfo = async (signal?: AbortSignal): Promise<FieldInfo[]> =>
    (await api.call(fieldsResponseSchema, 'GET', 'Tickets/entityInformation/fields', { action: 'read the ticket fields', signal })).fields;

  const ticketId = (externalId: string): number => {
    if (!/^\d+$/.test(externalId)) throw new AutotaskError('invalid-request', `"${externalId}" is not an Autotask ticket id.`);
    return Number(externalId);
  };

  return {
    kind: 'autotask',
    get stats(): ConnectorStats {
      return http.stats;
    },

    zone: (signal) => zones.get(signal),

    async connect(signal) {
      // The call discovers the zone first (unknown user → a clear error), then checks credentials and access.
      const { info } = await api.call(entityInfoSchema, 'GET', 'Tickets/entityInformation', { action: 'check access to tickets', signal });
      if (info.canQuery === false) {
        throw new AutotaskError('forbidden', `Autotask API user "${username}" may not query tickets: check its security level.`);
      }
    },

    async fetchFieldSchemas(signal): Promise<FieldSchema[]> {
      const fields = await ticketFieldInfo(signal);
      const codes: BillingCode[] = [];
      const body = { MaxRecords: PAGE_MAX, IncludeFields: ['id', 'name', 'isActive'], filter: [{ op: 'gte', field: 'id', value: 0 }] };
      for await (const items of queryPages(api, 'BillingCodes', body, 'read the billing codes', signal)) {
        for (const item of items) codes.push(parseItem(billingCodeSchema, item, 'billing code'));
      }
      return fieldSchemasFrom(fields, codes);
    },

    async *fetchTickets(query, signal): AsyncIterable<PsaTicket[]> {
      const complete = completeStatusValue(await ticketFieldInfo(signal));
      const body = { MaxRecords: clampPageSize(query.pageSize), IncludeFields: [...TICKET_INCLUDE_FIELDS], filter: ticketFilter(query) };
      let lastId = query.afterId === null ? -Infinity : Number(query.afterId);
      for await (const items of queryPages(api, 'Tickets', body, 'query tickets', signal)) {
        const page = items.map((item) => {
          const json = parseItem(ticketSchema, item, 'ticket');
          const ticket = toPsaTicket(json, complete);
          if (!ticket) throw new AutotaskError('unexpected-response', `Autotask ticket ${json.id} has no valid createDate/lastActivityDate.`);
          return ticket;
        });
        if (page.length === 0) continue;
        page.sort((a, b) => Number(a.externalId) - Number(b.externalId));
        // The resume cursor (last id of a page) is only safe if pages come in ascending id order; fail loudly otherwise.
        if (Number(page[0].externalId) <= lastId) {
          throw new AutotaskError('unexpected-response', `Autotask returned ticket ${page[0].externalId} after ticket ${lastId}: pages are not in id order, so a resume cursor would skip tickets.`);
        }
        lastId = Number(page.at(-1)!.externalId);
        yield page;
      }
    },

    async countTickets(query, signal) {
      const body = { filter: ticketFilter({ ...query, pageSize: undefined }) };
      return (await api.call(queryCountSchema, 'POST', 'Tickets/query/count', { action: 'count tickets', body, signal, idempotent: true })).queryCount;
    },

    async updateTicket(externalId, values, signal) {
      ticketId(externalId);
      if (Object.keys(values).length === 0) return;
      let body: Record<string, number>;
      try {
        body = toPatchBody(externalId, values);
      } catch (err) {
        throw new AutotaskError('invalid-request', `Cannot update Autotask ticket ${externalId}: ${(err as Error).message}.`);
      }
      await api.call(itemIdSchema, 'PATCH', 'Tickets', { action: `update ticket ${externalId}`, body, write: true, signal });
    },

    async addNote(externalId, text, signal) {
      const id = ticketId(externalId);
      noteDefaults ??= api
        .call(fieldsResponseSchema, 'GET', 'TicketNotes/entityInformation/fields', { action: 'read the ticket note fields', signal })
        .then((r) => chooseNoteDefaults(r.fields, { noteType: opts.noteType, publish: opts.notePublish }));
      let defaults: NoteDefaults;
      try {
        defaults = await noteDefaults;
      } catch (err) {
        noteDefaults = null;
        throw err;
      }
      const body = {
        ticketID: id,
        title: (opts.noteTitle ?? 'Ticket triage').slice(0, NOTE_TITLE_MAX),
        description: text.length > NOTE_TEXT_MAX ? `${text.slice(0, NOTE_TEXT_MAX - 1)}…` : text,
        noteType: defaults.noteType,
        publish: defaults.publish,
      };
      await api.call(itemIdSchema, 'POST', `Tickets/${id}/Notes`, { action: `add a note to ticket ${externalId}`, body, write: true, signal });
    },

    async thresholdInformation(signal) {
      const t = await api.call(thresholdSchema, 'GET', 'ThresholdInformation', { action: 'read the API threshold', signal });
      return { threshold: t.externalRequestThreshold, timeframeMinutes: t.requestThresholdTimeframe, current: t.currentTimeframeRequestCount };
    },
  };
}

/** `lastActivityDate gte since` and `id gt afterId`; Autotask needs at least one filter, so "all" is `id gte 0`. */
function ticketFilter(query: TicketQuery): unknown[] {
  const filter: unknown[] = [];
  if (query.since !== null) {
    const since = normalizeDate(query.since);
    if (!since) throw new AutotaskError('invalid-request', `"${query.since}" is not an ISO-8601 date-time.`);
    filter.push({ op: 'gte', field: 'lastActivityDate', value: since });
  }
  if (query.afterId !== null) {
    if (!/^\d+$/.test(query.afterId)) throw new AutotaskError('invalid-request', `"${query.afterId}" is not an Autotask ticket id.`);
    filter.push({ op: 'gt', field: 'id', value: Number(query.afterId) });
  }
  return filter.length ? filter : [{ op: 'gte', field: 'id', value: 0 }];
}

function parseItem<S extends z.ZodType>(schema: S, item: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(item);
  if (!parsed.success) throw new AutotaskError('unexpected-response', `An Autotask ${what} had an unexpected shape: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
