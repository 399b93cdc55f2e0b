import type { PsaConnector } from '../../connectors/types';
import type { EngineContext } from '../context';
import type { RunContext, RunHandler } from '../runs/runner';
import { activeDeployment } from '../store/deployments';
import { findConnector, updateConnector, type SyncCursor } from '../store/connectors';
import { createDataset } from '../store/datasets';
import { syncFieldSchemas, type ChoiceChange } from '../store/field-sync';
import { upsertSyncedTickets } from '../store/synced-tickets';
import { findTenant } from '../store/tenants';
import { scoreCompletedTickets } from './score-feedback';
import { retryPendingWriteBacks, triageNewTickets } from './triage-on-sync';

/** Tickets updated shortly before a sync started may be committed in the PSA after we read past them. */
const OVERLAP_MS = 5 * 60_000;

export type ConnectorProvider = (tenantId: string) => PsaConnector;

/**
 * A sync run: refresh picklists (flagging the deployed model when they change), then pull tickets changed since
 * the cursor page by page. Each page is stored together with the cursor in one transaction, so a sync that fails
 * or dies resumes after the last stored ticket with nothing lost or stored twice. New open tickets are triaged,
 * completed ones score earlier predictions, and a dataset of completed tickets is refreshed at the end.
 */
export function syncRunHandler(ctx: EngineContext, connectorFor: ConnectorProvider): RunHandler {
  return async (rc) => {
    const tenantId = rc.run.tenantId;
    const row = findConnector(ctx.db, tenantId);
    if (!row) throw new Error(`tenant "${tenantId}" has no PSA connection; set one with PUT /api/tenants/${tenantId}/connector`);
    const connector = connectorFor(tenantId);
    await connector.connect(rc.signal);

    rc.progress(0, { phase: 'picklists' });
    const schemas = await connector.fetchFieldSchemas(rc.signal);
    // One connection: queries on ctx.db inside the transaction callback are part of the transaction.
    const changes = ctx.db.transaction(() => syncFieldSchemas(ctx.db, tenantId, schemas, row.kind));
    flagDeployedModel(ctx, rc, tenantId, changes);
    ctx.registry.refreshSchema(tenantId);
    rc.emit('log', { message: `picklists: ${schemas.length} fields, ${changes.length} change(s)` });

    const settings = findTenant(ctx.db, tenantId)?.triage ?? {};
    const actor = `sync run ${rc.run.id}`;
    const retried = await retryPendingWriteBacks(ctx, tenantId, actor, connector, settings, rc.signal);
    if (retried) rc.emit('log', { message: `finished ${retried} write-back(s) left pending by an earlier sync` });

    let cursor: SyncCursor = { ...row.cursor, startedAt: row.cursor.startedAt ?? new Date().toISOString() };
    updateConnector(ctx.db, tenantId, { cursor, lastSyncRunId: rc.run.id });
    if (cursor.afterId) rc.emit('log', { message: `resuming the interrupted sync after ticket ${cursor.afterId}` });
    // Page size: the API's maximum unless TRIAGE_SYNC_PAGE_SIZE asks for smaller pages (tests, slow PSAs).
    const pageSize = Number(process.env.TRIAGE_SYNC_PAGE_SIZE) || undefined;
    const query = { since: cursor.since, afterId: cursor.afterId, pageSize };
    const expected = connector.countTickets ? await connector.countTickets(query, rc.signal).catch(() => null) : null;

    const totals = { fetched: 0, inserted: 0, updated: 0, completed: 0, triaged: 0, applied: 0, shadow: 0, suggested: 0, scored: 0 };
    for await (const page of connector.fetchTickets(query, rc.signal)) {
      if (page.length === 0) continue;
      const maxSeen = page.reduce((m, t) => (t.updatedAt > m ? t.updatedAt : m), cursor.maxSeen ?? '');
      cursor = { ...cursor, afterId: page[page.length - 1].externalId, maxSeen };
      const result = ctx.db.transaction(() => {
        const r = upsertSyncedTickets(ctx.db, tenantId, row.kind, page);
        updateConnector(ctx.db, tenantId, { cursor });
        return r;
      });
      totals.fetched += page.length;
      totals.inserted += result.inserted;
      totals.updated += result.updated;
      totals.completed += result.completedNow.length;
      const triage = await triageNewTickets(ctx, tenantId, connector, { since: cursor.startedAt!, settings, actor, signal: rc.signal });
      totals.triaged += triage.triaged;
      totals.applied += triage.applied;
      totals.shadow += triage.shadow;
      totals.suggested += triage.suggested;
      totals.scored += scoreCompletedTickets(ctx.db, tenantId);
      reportProgress(rc, totals.fetched, expected, cursor.afterId!);
    }

    // The next sync starts where this one began reading, less an overlap; upserts make re-reading harmless.
    const startedMs = Date.parse(cursor.startedAt!) - OVERLAP_MS;
    const seenMs = cursor.maxSeen ? Date.parse(cursor.maxSeen) : NaN;
    const nextSince = Number.isFinite(seenMs) ? new Date(Math.min(seenMs, startedMs)).toISOString() : cursor.since;
    updateConnector(ctx.db, tenantId, { cursor: { since: nextSince, afterId: null }, lastSyncAt: new Date().toISOString() });

    let datasetId: number | null = null;
    if (totals.completed > 0) {
      const dataset = createDataset(ctx.db, tenantId, { strategy: 'time', name: `${tenantId} completed tickets (sync)` });
      datasetId = dataset.id;
      rc.emit('log', { message: `dataset ${dataset.id}: ${dataset.counts.train} train, ${dataset.counts.validation} validation, ${dataset.counts.test} test (time-ordered)` });
    }
    rc.emit('metric', { ...totals, apiRequests: connector.stats.requests, apiRetries: connector.stats.retries });
    return { ...totals, changes: changes.length, datasetId, cursor: nextSince, apiRequests: connector.stats.requests, apiRetries: connector.stats.retries };
  };
}

function reportProgress(rc: RunContext, fetched: number, expected: number | null, lastId: string) {
  const fraction = expected ? Math.min(fetched / expected, 0.99) : fetched / (fetched + 500);
  rc.progress(fraction, { step: fetched, total: expected ?? undefined, phase: 'tickets', lastId });
}

/** A picklist change marks the deployed checkpoint that was trained on that field, so people know to retrain. */
function flagDeployedModel(ctx: EngineContext, rc: RunContext, tenantId: string, changes: ChoiceChange[]) {
  for (const c of changes) rc.emit('log', { message: `picklist ${c.field}: ${c.detail}`, change: c.change, field: c.field, value: c.value });
  const deployment = activeDeployment(ctx.db, tenantId);
  if (!deployment || changes.length === 0) return;
  const checkpoint = ctx.registry.get(tenantId)?.checkpoint;
  const fields = new Set(checkpoint?.fields ?? []);
  const insert = ctx.db.$client.prepare(
    `INSERT INTO model_flags (tenant_id, checkpoint_id, field, change, value, detail, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  let flagged = 0;
  for (const c of changes) {
    if (!fields.has(c.field)) continue;
    insert.run(tenantId, deployment.checkpointId, c.field, c.change, c.value, c.detail, rc.run.id);
    flagged++;
  }
  if (flagged) rc.emit('log', { message: `flagged deployed checkpoint ${deployment.checkpointId}: ${flagged} picklist change(s) affect its fields; retrain to use them` });
}
