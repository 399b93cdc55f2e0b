/**
 * The engine's storage, one table per concept. Every row that belongs to a tenant carries `tenant_id` so that
 * each query can be scoped by tenant (tenants never see each other's data).
 * Generated SQL lives in engine/db/migrations (`npm run db:generate`), applied at start.
 */
import { sql } from 'drizzle-orm';
import {
  sqliteTable,
  text,
  integer,
  real,
  primaryKey,
  index,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

const createdAt = () =>
  text('created_at')
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`);

const json = <T>(name: string) => text(name, { mode: 'json' }).$type<T>();

/** How a tenant's synced tickets are triaged: see engine/sync/triage-settings.ts for the defaults. */
export interface TriageSettings {
  /** 'apply' writes confident values back to the PSA; 'shadow' only stores them as suggestions. */
  mode?: 'apply' | 'shadow';
  /** Confidence at or above which a field is written back; per field, with a default. */
  thresholds?: Record<string, number>;
  defaultThreshold?: number;
  /** Add an internal note that says what was set and how sure the model was. */
  note?: boolean;
}

export const tenants = sqliteTable('tenants', {
  id: text('id').primaryKey(), // a slug: used in URLs
  name: text('name').notNull(),
  triage: json<TriageSettings>('triage').notNull().default({}),
  createdAt: createdAt(),
});

/** A tenant's PSA connection. Secrets are stored only encrypted (engine/secrets), never returned by the API. */
export const connectors = sqliteTable('connectors', {
  tenantId: text('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  kind: text('kind', { enum: ['autotask', 'connectwise'] }).notNull(),
  /** Non-secret settings: user name, site, company id, boards… */
  config: json<Record<string, unknown>>('config').notNull(),
  /** AES-256-GCM ciphertext of the secret settings (JSON), base64: iv.tag.data */
  secrets: text('secrets').notNull(),
  /** Minutes between scheduled syncs; 0 = on demand only. */
  scheduleMinutes: integer('schedule_minutes').notNull().default(0),
  /**
   * Where the next sync starts. `since`: tickets updated at or after it; `afterId`: set while a sync is under
   * way (the last id stored), so an interrupted sync resumes after it; `startedAt`/`maxSeen` of that sync.
   */
  cursor: json<{ since: string | null; afterId: string | null; startedAt?: string | null; maxSeen?: string | null }>('cursor')
    .notNull()
    .default({ since: null, afterId: null }),
  lastSyncAt: text('last_sync_at'),
  lastSyncRunId: integer('last_sync_run_id'),
  createdAt: createdAt(),
});

export const fields = sqliteTable(
  'fields',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    label: text('label').notNull(),
    parentField: text('parent_field'),
    /** 'labels' when derived from imported labels, or the connector that synced the picklist. */
    source: text('source').notNull().default('labels'),
    position: integer('position').notNull().default(0),
  },
  (t) => [uniqueIndex('fields_tenant_name').on(t.tenantId, t.name)],
);

export const choices = sqliteTable(
  'choices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    fieldId: integer('field_id')
      .notNull()
      .references(() => fields.id, { onDelete: 'cascade' }),
    value: text('value').notNull(),
    label: text('label').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    parentValue: text('parent_value'),
    position: integer('position').notNull().default(0),
  },
  (t) => [uniqueIndex('choices_field_value').on(t.fieldId, t.value)],
);

export const imports = sqliteTable(
  'imports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    format: text('format').notNull(),
    filename: text('filename'),
    sha256: text('sha256').notNull(),
    tickets: integer('tickets').notNull(),
    inserted: integer('inserted').notNull(),
    updated: integer('updated').notNull(),
    warnings: json<unknown[]>('warnings'),
    createdAt: createdAt(),
  },
  (t) => [index('imports_tenant').on(t.tenantId)],
);

export const tickets = sqliteTable(
  'tickets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The id in the source (PSA ticket id, or the upload's `id`); generated from the content when absent. */
    externalId: text('external_id').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    importId: integer('import_id').references(() => imports.id, { onDelete: 'set null' }),
    /** 'upload' or the connector kind. */
    source: text('source').notNull().default('upload'),
    /** When the ticket was opened in its source (time-ordered splits use it); null for uploads without dates. */
    openedAt: text('opened_at'),
    /** Last change in the source (the sync cursor field). */
    sourceUpdatedAt: text('source_updated_at'),
    /** Closed with final values: only completed tickets train models and score predictions. Uploads count as completed. */
    completed: integer('completed', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: text('updated_at'),
  },
  (t) => [uniqueIndex('tickets_tenant_external').on(t.tenantId, t.externalId)],
);

export const ticketLabels = sqliteTable(
  'ticket_labels',
  {
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    fieldId: integer('field_id')
      .notNull()
      .references(() => fields.id, { onDelete: 'cascade' }),
    value: text('value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.fieldId] }), index('ticket_labels_field').on(t.fieldId)],
);

/** A frozen selection of tickets with its split; `hash` identifies the exact content (ids + text + labels). */
export const datasets = sqliteTable(
  'datasets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    hash: text('hash').notNull(),
    fields: json<string[]>('fields').notNull(),
    splitSeed: integer('split_seed').notNull(),
    /** 'hash': a seeded random split; 'time': oldest for training, newest for validation and test. */
    strategy: text('strategy', { enum: ['hash', 'time'] }).notNull().default('hash'),
    counts: json<{ train: number; validation: number; test: number }>('counts').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('datasets_tenant').on(t.tenantId)],
);

export const datasetItems = sqliteTable(
  'dataset_items',
  {
    datasetId: integer('dataset_id')
      .notNull()
      .references(() => datasets.id, { onDelete: 'cascade' }),
    ticketId: integer('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    split: text('split', { enum: ['train', 'validation', 'test'] }).notNull(),
    /** Text and labels as frozen when the dataset was made: later edits and relabelling do not change it. */
    title: text('title').notNull(),
    description: text('description').notNull(),
    labels: json<Record<string, string>>('labels').notNull(),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.ticketId] })],
);

export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const runs = sqliteTable(
  'runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['train', 'evaluate', 'sync'] }).notNull(),
    tier: text('tier').notNull(),
    status: text('status', { enum: RUN_STATUSES }).notNull().default('queued'),
    params: json<Record<string, unknown>>('params').notNull(),
    datasetId: integer('dataset_id').references(() => datasets.id),
    checkpointId: integer('checkpoint_id'),
    progress: real('progress').notNull().default(0),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    result: json<Record<string, unknown>>('result'),
    createdAt: createdAt(),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
  },
  (t) => [index('runs_tenant').on(t.tenantId), index('runs_status').on(t.status)],
);

export const runEvents = sqliteTable(
  'run_events',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    at: text('at').notNull(),
    kind: text('kind', { enum: ['progress', 'metric', 'checkpoint', 'log', 'error', 'done'] }).notNull(),
    data: json<Record<string, unknown>>('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
);

export const checkpoints = sqliteTable(
  'checkpoints',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    runId: integer('run_id').references(() => runs.id, { onDelete: 'set null' }),
    datasetId: integer('dataset_id').references(() => datasets.id),
    tier: text('tier').notNull(),
    /** Path of the artifact, relative to the engine's data directory. */
    artifact: text('artifact').notNull(),
    sha256: text('sha256').notNull(),
    fields: json<string[]>('fields').notNull(),
    /** The validation-split report: accuracy etc. per field (see engine/eval). */
    metrics: json<Record<string, unknown>>('metrics'),
    createdAt: createdAt(),
  },
  (t) => [index('checkpoints_tenant').on(t.tenantId)],
);

export const evaluations = sqliteTable(
  'evaluations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    checkpointId: integer('checkpoint_id')
      .notNull()
      .references(() => checkpoints.id, { onDelete: 'cascade' }),
    datasetId: integer('dataset_id')
      .notNull()
      .references(() => datasets.id),
    split: text('split').notNull(),
    runId: integer('run_id').references(() => runs.id, { onDelete: 'set null' }),
    report: json<Record<string, unknown>>('report').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('evaluations_checkpoint').on(t.checkpointId)],
);

/** History of what was deployed per tenant; the row with `active` is the live one (at most one per tenant). */
export const deployments = sqliteTable(
  'deployments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    checkpointId: integer('checkpoint_id')
      .notNull()
      .references(() => checkpoints.id),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    previousId: integer('previous_id'),
    reason: text('reason', { enum: ['deploy', 'rollback'] })
      .notNull()
      .default('deploy'),
    createdAt: createdAt(),
    retiredAt: text('retired_at'),
  },
  (t) => [
    index('deployments_tenant').on(t.tenantId),
    uniqueIndex('deployments_one_active')
      .on(t.tenantId)
      .where(sql`active = 1`),
  ],
);

export const predictions = sqliteTable(
  'predictions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    deploymentId: integer('deployment_id').references(() => deployments.id),
    checkpointId: integer('checkpoint_id').references(() => checkpoints.id),
    ticketExternalId: text('ticket_external_id'),
    /** Set for predictions of stored tickets (triage on sync), so final values can score them. */
    ticketId: integer('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    source: text('source', { enum: ['api', 'sync'] }).notNull().default('api'),
    tier: text('tier').notNull(),
    output: json<Record<string, unknown>>('output').notNull(),
    /**
     * Triage on sync: 'pending' until the write-back is done (a resumed sync retries it), then 'applied';
     * 'shadow' (dry run) or 'suggested' (nothing above threshold) write nothing.
     */
    applyStatus: text('apply_status', { enum: ['pending', 'applied', 'shadow', 'suggested', 'failed'] }),
    /** The fields (value, confidence) written back or, in shadow mode, that would have been. */
    applied: json<Record<string, { value: string; confidence: number }>>('applied'),
    latencyMs: real('latency_ms').notNull(),
    scoredAt: text('scored_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('predictions_tenant').on(t.tenantId, t.createdAt),
    uniqueIndex('predictions_sync_ticket')
      .on(t.ticketId)
      .where(sql`source = 'sync'`),
  ],
);

/** Live accuracy: a prediction scored against the technician's final value when the ticket was completed. */
export const feedback = sqliteTable(
  'feedback',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    predictionId: integer('prediction_id')
      .notNull()
      .references(() => predictions.id, { onDelete: 'cascade' }),
    checkpointId: integer('checkpoint_id'),
    field: text('field').notNull(),
    predicted: text('predicted'),
    final: text('final').notNull(),
    correct: integer('correct', { mode: 'boolean' }).notNull(),
    confidence: real('confidence').notNull(),
    applied: integer('applied', { mode: 'boolean' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('feedback_tenant').on(t.tenantId, t.createdAt),
    uniqueIndex('feedback_prediction_field').on(t.predictionId, t.field),
  ],
);

/** A picklist change that affects a checkpoint (a choice added, removed, renamed or deactivated). */
export const modelFlags = sqliteTable(
  'model_flags',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    checkpointId: integer('checkpoint_id')
      .notNull()
      .references(() => checkpoints.id, { onDelete: 'cascade' }),
    field: text('field').notNull(),
    change: text('change', { enum: ['added', 'removed', 'renamed', 'deactivated', 'reactivated', 'reparented'] }).notNull(),
    value: text('value').notNull(),
    detail: text('detail').notNull(),
    runId: integer('run_id'),
    createdAt: createdAt(),
  },
  (t) => [index('model_flags_checkpoint').on(t.checkpointId)],
);

/** API tokens: only a SHA-256 of each token is stored; the token itself is shown once, when created. */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    hash: text('hash').notNull(),
    /** The first characters, so people can tell tokens apart in lists. */
    prefix: text('prefix').notNull(),
    role: text('role', { enum: ['admin', 'tenant'] }).notNull(),
    /** For role 'tenant': the tenants this token may see. */
    tenants: json<string[]>('tenants').notNull().default([]),
    createdAt: createdAt(),
    revokedAt: text('revoked_at'),
    lastUsedAt: text('last_used_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash').on(t.hash)],
);

/** Who did what: deploys, rollbacks, PSA write-backs, token changes. Append-only (triggers refuse edits). */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: createdAt(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    tenantId: text('tenant_id'),
    detail: json<Record<string, unknown>>('detail').notNull(),
  },
  (t) => [index('audit_log_tenant').on(t.tenantId, t.id)],
);
