/**
 * What the engine needs from a PSA, whichever it is. Each PSA folder (autotask/, connectwise/) implements
 * `PsaConnector` with its own client and field mapping; the engine's sync run (engine/sync) drives it.
 */
import type { FieldSchema } from '../engine/triage/types';

export type PsaKind = 'autotask' | 'connectwise';

export interface PsaTicket {
  /** The PSA's ticket id, as a decimal string. */
  externalId: string;
  title: string;
  description: string;
  /**
   * The ticket's current value for each tenant field named by `fetchFieldSchemas` (a choice `value`, i.e. the
   * PSA id as a string, or a composite value where the mapping says so), or null when the ticket has none.
   */
  fields: Record<string, string | null>;
  /** ISO-8601 UTC. */
  createdAt: string;
  /** ISO-8601 UTC: the incremental-sync field (Autotask lastActivityDate, ConnectWise _info.lastUpdated). */
  updatedAt: string;
  /** Completed / closed: its field values are the technician's final ones (labels for training and live accuracy). */
  completed: boolean;
}

export interface TicketQuery {
  /** Only tickets with updatedAt >= since (ISO); all tickets when null. */
  since: string | null;
  /** Only tickets with an id greater than this one (numeric comparison); from the start when null. */
  afterId: string | null;
  /** Page size to ask the PSA for (each API caps it: Autotask 500, ConnectWise 1000). */
  pageSize?: number;
}

export interface ConnectorStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  retries: number;
}

export interface PsaConnector {
  readonly kind: PsaKind;
  /** Discovery (zone / codebase) and a credential check; throws a clear error when either fails. */
  connect(signal?: AbortSignal): Promise<void>;
  /** The tenant's fields with their choices (active flags and parent links included), from the PSA's picklists. */
  fetchFieldSchemas(signal?: AbortSignal): Promise<FieldSchema[]>;
  /**
   * Tickets matching the query, one page per iteration, each page ordered by id ascending and every id greater
   * than the previous page's: the caller stores a page, records its last id as the resume cursor, and after a
   * crash asks again with `afterId` = that cursor, so nothing is lost or read twice.
   */
  fetchTickets(query: TicketQuery, signal?: AbortSignal): AsyncIterable<PsaTicket[]>;
  /** How many tickets `fetchTickets` would return (for progress and ETA); optional, a sync works without it. */
  countTickets?(query: TicketQuery, signal?: AbortSignal): Promise<number>;
  /** Sets these fields (choice values as given by fetchFieldSchemas) and nothing else on one ticket. */
  updateTicket(externalId: string, values: Record<string, string>, signal?: AbortSignal): Promise<void>;
  /** Adds an internal note to a ticket (what the triage set and how sure it was). */
  addNote(externalId: string, text: string, signal?: AbortSignal): Promise<void>;
  readonly stats: ConnectorStats;
}
