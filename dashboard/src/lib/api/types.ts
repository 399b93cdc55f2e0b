/**
 * Wire types of the engine's HTTP API, inferred from the zod schemas that validate it and write its OpenAPI
 * document (type-only: nothing of the engine is bundled). Evaluation reports travel as free-form JSON, so
 * their shape is written out here.
 */
import type { z } from '@hono/zod-openapi';
import type * as S from '../../../../engine/api/schemas';

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

export interface LiveAccuracy {
  fields: { field: string; n: number; correct: number; accuracy: number; applied: { n: number; correct: number; accuracy: number | null } }[];
  daily: { day: string; field: string; n: number; accuracy: number }[];
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface Ticket {
  id: string;
  title: string;
  description: string;
  fields: Record<string, string>;
  createdAt: string;
}

export interface CalibrationBin {
  bin: number;
  lower: number;
  upper: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export interface FieldReport {
  field: string;
  n: number;
  accuracy: number;
  macroF1: number;
  predictable: number;
  /** Rows are the true labels, columns the predicted ones, both over `labels`. */
  confusion: { labels: string[]; matrix: number[][] };
  ece: number;
  calibration: CalibrationBin[];
  autoApply: { targetPrecision: number; threshold: number | null; coverage: number; precision: number };
}

export interface EvalReport {
  split: string;
  n: number;
  fields: FieldReport[];
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
export interface ImportIssue {
  code: string;
  message: string;
  row?: number;
  line?: number;
  column?: number;
  field?: string;
  value?: unknown;
}

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

/** Training runs holding the GPUs and those waiting for them (another tenant's run shows with runId 0). */
export interface GpuQueue {
  gpus: number;
  running: { runId: number; tenantId: string; gpus: number; devices: number[] }[];
  queued: { runId: number; tenantId: string; gpus: number }[];
}
