/** Zod schemas of the HTTP API: they validate requests and become the OpenAPI document. */
import { z } from '@hono/zod-openapi';

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'not_found' }),
      message: z.string().openapi({ example: 'tenant "acme" was not found' }),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [s, { description: 'Error', content: { 'application/json': { schema: ErrorBody } } }]),
  );

/** A JSON response entry for createRoute. */
export const json = <T>(schema: T, description = 'OK') => ({ description, content: { 'application/json': { schema } } });

export const TenantParam = z.object({
  tenant: z.string().min(1).max(63).openapi({ param: { name: 'tenant', in: 'path' }, example: 'demo' }),
});

const positiveId = (name: string) => z.coerce.number().int().positive().openapi({ param: { name, in: 'path' }, example: 1 });

/** A numeric path parameter named `name` (typed with that key, so it merges cleanly with TenantParam). */
export const IdParam = <N extends string>(name: N) =>
  z.object({ [name]: positiveId(name) } as { [K in N]: ReturnType<typeof positiveId> });

export const Tenant = z
  .object({ id: z.string(), name: z.string(), createdAt: z.string() })
  .openapi('Tenant');

export const TenantSummary = Tenant.extend({
  tickets: z.number().int(),
  fields: z.array(z.string()),
  deployment: z
    .object({ id: z.number(), checkpointId: z.number(), tier: z.string(), createdAt: z.string() })
    .nullable(),
}).openapi('TenantSummary');

export const Choice = z
  .object({ value: z.string(), label: z.string(), active: z.boolean(), parent: z.string().nullable().optional() })
  .openapi('Choice');

export const FieldSchema = z
  .object({ name: z.string(), label: z.string(), parentField: z.string().nullable().optional(), choices: z.array(Choice) })
  .openapi('FieldSchema');

export const ChoicesOverride = z
  .record(z.string(), z.array(z.string().max(500)).max(10_000))
  .openapi({ description: 'Allowed values per field for this request; overrides the tenant\'s choices.' });

export const TicketToTriage = z
  .object({
    id: z.string().max(200).optional(),
    // Long text is accepted and cut to the engine's limit with a warning (the body limit bounds it anyway).
    title: z.string().max(10_000_000).default(''),
    description: z.string().max(10_000_000).default(''),
    choices: ChoicesOverride.optional(),
  })
  .refine((t) => t.title.trim() !== '' || t.description.trim() !== '', {
    message: 'a ticket needs a title or a description',
  })
  .openapi('TicketToTriage');

export const PredictRequest = z
  .object({
    ticket: TicketToTriage.optional(),
    tickets: z.array(TicketToTriage).min(1).max(1000).optional(),
    // The prototype's shape, kept so its clients work unchanged.
    input: TicketToTriage.optional(),
    choices: ChoicesOverride.optional(),
  })
  .refine((b) => [b.ticket, b.tickets, b.input].filter((x) => x !== undefined).length === 1, {
    message: 'send exactly one of "ticket" (one ticket), "tickets" (a batch of up to 1,000) or "input" (the prototype\'s shape)',
  })
  .openapi('PredictRequest', {
    example: { ticket: { title: 'Outlook keeps asking for password', description: 'Since this morning…' } },
  });

export const FieldPrediction = z
  .object({
    status: z.enum(['predicted', 'unpredictable']),
    value: z.string().nullable(),
    label: z.string().nullable(),
    confidence: z.number(),
    alternatives: z.array(z.object({ value: z.string(), label: z.string(), confidence: z.number() })),
    reason: z.string().optional(),
  })
  .openapi('FieldPrediction');

export const Prediction = z
  .object({
    ticketId: z.string().nullable(),
    fields: z.record(z.string(), FieldPrediction),
    model: z.object({ tier: z.string(), checkpointId: z.number(), deploymentId: z.number() }),
    latencyMs: z.number(),
    warnings: z.array(z.string()).optional(),
  })
  .openapi('Prediction');

export const Run = z
  .object({
    id: z.number(),
    tenantId: z.string(),
    kind: z.enum(['train', 'evaluate', 'sync']),
    tier: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']),
    params: z.record(z.string(), z.unknown()),
    datasetId: z.number().nullable(),
    checkpointId: z.number().nullable(),
    progress: z.number(),
    attempts: z.number(),
    error: z.string().nullable(),
    result: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Run');

export const RunEvent = z
  .object({
    run: z.number(),
    seq: z.number(),
    at: z.string(),
    kind: z.enum(['progress', 'metric', 'checkpoint', 'log', 'error', 'done']),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('RunEvent');

export const QueuedGpuRun = z.object({ runId: z.number(), tenantId: z.string(), gpus: z.number() });
export const RunningGpuRun = QueuedGpuRun.extend({ devices: z.array(z.number()).openapi({ description: 'the GPU indices it holds' }) });
/** Training runs holding the GPUs and those waiting for them (another tenant's run shows with runId 0). */
export const GpuQueue = z.object({ gpus: z.number(), running: z.array(RunningGpuRun), queued: z.array(QueuedGpuRun) }).openapi('GpuQueue');

export const StartRun = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('train'),
      tier: z.enum(['fast', 'llm']).default('fast'),
      datasetId: z.number().int().positive().optional(),
      deploy: z.boolean().default(false),
      params: z
        .object({
          seed: z.number().int().optional(),
          maxEpochs: z.number().int().min(1).max(100).optional(),
          baseModel: z.string().min(1).max(200).optional().openapi({ description: 'llm tier: a base model configured on the engine (TRIAGE_LLM_MODELS)' }),
          adapter: z.string().min(1).max(4096).optional().openapi({ description: 'llm tier, admin only: a LoRA adapter on the engine machine (GGUF file or PEFT directory)' }),
          retrievalK: z.number().int().min(0).max(16).optional(),
          maxValidation: z.number().int().min(1).max(100_000).optional(),
          maxTest: z.number().int().min(1).max(100_000).optional(),
          mixTiers: z.boolean().optional(),
          train: z
            .object({
              device: z.enum(['cuda', 'cpu']).optional(),
              gpus: z.number().int().min(1).max(64).optional(),
              epochs: z.number().int().min(1).max(100).optional(),
              maxSteps: z.number().int().min(1).max(1_000_000).optional(),
              learningRate: z.number().positive().max(1).optional(),
              rank: z.number().int().min(1).max(512).optional(),
              alpha: z.number().positive().max(4096).optional(),
              maxTokensPerMicroBatch: z.number().int().min(256).max(1_000_000).optional(),
              evalEvery: z.number().int().min(1).optional(),
              checkpointEvery: z.number().int().min(1).optional(),
              keepBest: z.number().int().min(1).max(50).optional(),
              seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
            })
            .optional()
            .openapi({ description: 'llm tier: train a LoRA adapter first with the Python trainer (one GPU run at a time; see GET /api/gpu-queue)' }),
          split: z
            .object({
              strategy: z.enum(['hash', 'time']).optional(),
              seed: z.number().int().optional(),
              validation: z.number().min(0).max(0.5).optional(),
              test: z.number().min(0).max(0.5).optional(),
            })
            .optional(),
        })
        .default({}),
    }),
    z.object({
      kind: z.literal('evaluate'),
      checkpointId: z.number().int().positive(),
      datasetId: z.number().int().positive().optional(),
      split: z.enum(['train', 'validation', 'test']).default('test'),
    }),
    z.object({ kind: z.literal('sync') }),
  ])
  .openapi('StartRun', { example: { kind: 'train', tier: 'fast', deploy: true } });

export const Dataset = z
  .object({
    id: z.number(),
    tenantId: z.string(),
    name: z.string(),
    hash: z.string(),
    fields: z.array(z.string()),
    splitSeed: z.number(),
    strategy: z.enum(['hash', 'time']),
    counts: z.object({ train: z.number(), validation: z.number(), test: z.number() }),
    createdAt: z.string(),
  })
  .openapi('Dataset');

export const Checkpoint = z
  .object({
    id: z.number(),
    tenantId: z.string(),
    runId: z.number().nullable(),
    datasetId: z.number().nullable(),
    tier: z.string(),
    fields: z.array(z.string()),
    accuracy: z.record(z.string(), z.number()).openapi({ description: 'Held-out (test split) accuracy per field' }),
    metrics: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.string(),
    deployed: z.boolean(),
  })
  .openapi('Checkpoint');

export const Deployment = z
  .object({
    id: z.number(),
    tenantId: z.string(),
    checkpointId: z.number(),
    active: z.boolean(),
    previousId: z.number().nullable(),
    reason: z.enum(['deploy', 'rollback']),
    createdAt: z.string(),
    retiredAt: z.string().nullable(),
  })
  .openapi('Deployment');

export const ImportSummary = z
  .object({
    importId: z.number(),
    tickets: z.number(),
    inserted: z.number(),
    updated: z.number(),
    fields: z.array(z.string()),
    format: z.string(),
    warnings: z.array(z.unknown()),
    dryRun: z.boolean(),
    preview: z.array(z.unknown()).optional(),
  })
  .openapi('ImportSummary');

const HttpTuning = z
  .object({
    timeoutMs: z.number().int().min(100).max(300_000).optional(),
    maxRetries: z.number().int().min(0).max(10).optional(),
    baseDelayMs: z.number().int().min(1).max(60_000).optional(),
    maxConcurrent: z.number().int().min(1).max(16).optional(),
  })
  .optional()
  .openapi({ description: 'Advanced: timeouts and retries of the PSA client' });

export const ConnectorInput = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('autotask'),
      config: z.object({
        username: z.string().min(1).max(200),
        discoveryUrl: z.string().url().optional(),
        impersonationResourceId: z.number().int().optional(),
        http: HttpTuning,
      }),
      secrets: z.object({ secret: z.string().min(1).max(500), integrationCode: z.string().min(1).max(500) }),
      scheduleMinutes: z.number().int().min(0).max(10_080).default(0),
    }),
    z.object({
      kind: z.literal('connectwise'),
      config: z.object({
        site: z.string().url(),
        companyId: z.string().min(1).max(100),
        publicKey: z.string().min(1).max(200),
        boardIds: z.array(z.number().int()).optional(),
        http: HttpTuning,
      }),
      secrets: z.object({ privateKey: z.string().min(1).max(500), clientId: z.string().min(1).max(500) }),
      scheduleMinutes: z.number().int().min(0).max(10_080).default(0),
    }),
  ])
  .openapi('ConnectorInput');

export const Connector = z
  .object({
    tenantId: z.string(),
    kind: z.enum(['autotask', 'connectwise']),
    config: z.record(z.string(), z.unknown()),
    secrets: z.array(z.string()).openapi({ description: 'Names of the secrets that are set; their values are never returned' }),
    scheduleMinutes: z.number(),
    cursor: z.object({ since: z.string().nullable(), afterId: z.string().nullable() }).passthrough(),
    lastSyncAt: z.string().nullable(),
    lastSyncRunId: z.number().nullable(),
    createdAt: z.string(),
  })
  .openapi('Connector');

export const TriageSettings = z
  .object({
    mode: z.enum(['apply', 'shadow']).optional(),
    thresholds: z.record(z.string(), z.number().min(0).max(1)).optional(),
    defaultThreshold: z.number().min(0).max(1).optional(),
    note: z.boolean().optional(),
  })
  .openapi('TriageSettings');
