/**
 * Worker-thread job of the fast tier: training and evaluation are CPU-bound loops that would stall the engine's
 * HTTP server if they ran on its thread. Runs through worker-boot.mjs (see worker-host.ts).
 */
import { FastModel, trainFastModel, type FastTrainData } from '../models/fast';
import { ticketText, type FieldSchema, type LabeledTicket } from '../triage/types';
import { evaluateSplit } from './evaluate-split';

export type FastWorkerJob =
  | {
      type: 'train';
      fields: string[];
      schema: FieldSchema[];
      train: LabeledTicket[];
      validation: LabeledTicket[];
      test: LabeledTicket[];
      options: { seed?: number; maxEpochs?: number };
    }
  | { type: 'evaluate'; model: Uint8Array; schema: FieldSchema[]; tickets: LabeledTicket[]; split: string };

function toTrainData(tickets: LabeledTicket[], fields: string[]): FastTrainData {
  const labels: FastTrainData['labels'] = {};
  for (const f of fields) labels[f] = tickets.map((t) => t.fields[f] ?? null);
  return { texts: tickets.map((t) => ticketText(t)), labels };
}

export default function fastWorkerJob(job: FastWorkerJob, post: (message: Record<string, unknown>) => void) {
  if (job.type === 'train') {
    const model = trainFastModel(toTrainData(job.train, job.fields), toTrainData(job.validation, job.fields), {
      ...job.options,
      onProgress: (p) => post({ type: 'progress', ...p }),
    });
    post({ type: 'progress', phase: 'evaluating' });
    const predict = (texts: string[]) => model.predictProbaBatch(texts);
    const validation = evaluateSplit(predict, job.validation, job.schema, 'validation');
    const test = evaluateSplit(predict, job.test, job.schema, 'test');
    return { model: model.toBuffer(), fields: model.fields, validation, test };
  }
  const model = FastModel.fromBuffer(job.model);
  return { report: evaluateSplit((texts) => model.predictProbaBatch(texts), job.tickets, job.schema, job.split) };
}
