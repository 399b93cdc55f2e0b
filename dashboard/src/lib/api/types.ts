/**
 * Wire types of the engine's HTTP API, inferred from the zod schemas that validate it and write its OpenAPI
 * document, or imported from the engine's plain type modules (type-only: nothing of the engine is bundled).
 * Evaluation reports travel as free-form JSON, so their shapes come from engine/eval/types.ts.
 */
import type { z } from '@hono/zod-openapi';
import type * as S from '../../../../engine/api/schemas';
import type { CalibrationBin, EvalReport, FieldReport, LiveAccuracy } from '../../../../engine/eval/types';
import type { ImportIssue } from '../../../../engine/import/issues';

export type TenantSummary = z.infer<typeof S.TenantSummary>;
export type FieldSchema = z.infer<typeof S.FieldSchema>;
export type Run = z.infer<typeof S.Run>;
export type RunEvent = z.infer<typeof S.RunEvent>;
export type Checkpoint = z.infer<typeof S.Checkpoint>;
export type Deployment = z.infer<typeof S.Deployment>;
export type Dataset = z.infer<typeof S.Dataset>;
export type Prediction = z.infer<typeof S.Prediction>;
export type ImportSummary = z.infer<typeof S.ImportSummary>;
export type StartRun = z.input<typeof S.StartRun>;
export type TicketToTriage = z.input<typeof S.TicketToTriage>;
export type Connector = z.infer<typeof S.Connector>;
export type TriageSettings = z.infer<typeof S.TriageSettings>;
/** Training runs holding the GPUs and those waiting for them (another tenant's run shows with runId 0). */
export type GpuQueue = z.infer<typeof S.GpuQueue>;

export type { CalibrationBin, EvalReport, FieldReport, LiveAccuracy };

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface Ticket {
  id: string;
  title: string;
  description: string;
  fields: Record<string, string>;
  createdAt: string;
}

export interface Evaluation {
  id: number;
  checkpointId: number;
  datasetId: number;
  split: string;
  runId: number | null;
  report: EvalReport;
  createdAt: string;
}

/** One problem of a rejected import, as the engine lists it in the 422 answer's details. */
export type { ImportIssue };

export interface ModelFlag {
  id: number;
  checkpointId: number;
  field: string;
  change: string;
  value: string;
  detail: string;
  runId: number | null;
  createdAt: string;
}
