/**
 * The ConnectWise PSA connector: codebase discovery and a credential check, field schemas from the boards'
 * picklists, incremental ticket sweeps, write-back by JSON Patch and internal notes.
 */
import type { FieldSchema } from '../../engine/triage/types';
import type { ConnectorStats, PsaConnector, PsaTicket, TicketQuery } from '../types';
import { inList } from './conditions';
import { ConnectWiseError } from './errors';
import { buildFieldSchemas, patchOperations } from './field-mapping';
import { withQuery } from './paging';
import { loadBoards, loadReferenceData } from './reference-data';
import { countSchema, parseBody, type CwBoardRow } from './schemas';
import { ConnectWiseSession, type ConnectWiseCredentials } from './session';
import { sweepTickets } from './tickets';

export interface ConnectWiseConnectorOptions extends ConnectWiseCredentials {
  /** Service boards to sync; default: every active board. */
  boardIds?: number[];
}

function ticketPath(externalId: string, rest = ''): string {
  if (!/^\d+$/.test(externalId)) throw new Error(`not a ConnectWise ticket id: ${JSON.stringify(externalId)}`);
  return `/service/tickets/${externalId}${rest}`;
}

class ConnectWiseConnector implements PsaConnector {
  readonly kind = 'connectwise' as const;
  private readonly session: ConnectWiseSession;
  private boards: CwBoardRow[] | null = null;

  constructor(private readonly opts: ConnectWiseConnectorOptions) {
    if (opts.boardIds?.some((id) => !Number.isInteger(id) || id <= 0)) {
      throw new Error(`boardIds must be positive integers, got ${JSON.stringify(opts.boardIds)}`);
    }
    this.session = new ConnectWiseSession(opts);
  }

  get stats(): ConnectorStats {
    return this.session.http.stats;
  }

  async connect(signal?: AbortSignal): Promise<void> {
    await this.session.discover(signal, true);
    const boards = await this.loadBoards(signal);
    const known = new Set(boards.map((b) => b.id));
    const missing = (this.opts.boardIds ?? []).filter((id) => !known.has(id));
    if (missing.length) {
      throw new ConnectWiseError(404, 'UnknownBoard', `ConnectWise has no service board with id ${missing.join(', ')}`);
    }
    // Reading boards proves the keys; counting tickets proves the member may read tickets too.
    const scope = this.scopeIds(boards);
    const conditions = scope && scope.length ? inList('board/id', scope).text : undefined;
    const res = await this.session.send('GET', withQuery('/service/tickets/count', { conditions }), { signal });
    parseBody(countSchema, res.body, 'GET /service/tickets/count');
  }

  async fetchFieldSchemas(signal?: AbortSignal): Promise<FieldSchema[]> {
    const boards = await this.loadBoards(signal);
    const wanted = this.opts.boardIds ? new Set(this.opts.boardIds) : null;
    // With an explicit list, exactly those boards; by default every board, the inactive ones flagged inactive.
    const listed = wanted ? boards.filter((b) => wanted.has(b.id)) : boards;
    return buildFieldSchemas(await loadReferenceData(this.session, listed, signal));
  }

  async *fetchTickets(query: TicketQuery, signal?: AbortSignal): AsyncIterable<PsaTicket[]> {
    const scope = this.opts.boardIds ?? this.scopeIds(this.boards ?? (await this.loadBoards(signal)));
    yield* sweepTickets(this.session, query, scope, signal);
  }

  async updateTicket(externalId: string, values: Record<string, string>, signal?: AbortSignal): Promise<void> {
    const ops = patchOperations(values);
    if (ops.length === 0) return;
    await this.session.send('PATCH', ticketPath(externalId), { body: ops, signal });
  }

  async addNote(externalId: string, text: string, signal?: AbortSignal): Promise<void> {
    if (!text.trim()) throw new Error('a ConnectWise note needs text');
    const body = { text, detailDescriptionFlag: false, internalAnalysisFlag: true, resolutionFlag: false };
    const res = await this.session.send('POST', ticketPath(externalId, '/notes'), { body, signal });
    if (res.status !== 201 && res.status !== 200) {
      throw new ConnectWiseError(res.status, 'UnexpectedStatus', `ConnectWise note on ticket ${externalId} answered HTTP ${res.status}`);
    }
  }

  private async loadBoards(signal?: AbortSignal): Promise<CwBoardRow[]> {
    this.boards = await loadBoards(this.session, signal);
    return this.boards;
  }

  /** Board filter for tickets: the configured ids, else the active boards. */
  private scopeIds(boards: CwBoardRow[]): number[] {
    return this.opts.boardIds ?? boards.filter((b) => !b.inactiveFlag).map((b) => b.id);
  }
}

export function createConnectWiseConnector(opts: ConnectWiseConnectorOptions): PsaConnector {
  return new ConnectWiseConnector(opts);
}
