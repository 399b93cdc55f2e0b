/**
 * Datasets and splits for the fast-tier benchmark: every JSON file in ../shared/data (upload format: title,
 * description, one key per label field) plus a generated demo tenant, each split 80/20 train/test with a
 * seeded shuffle; 1/8 of the 80 is held out as validation (early stopping, calibration) for our model.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { FastTrainData } from '../engine/models/fast';
import { ticketText } from '../engine/triage/types';

export interface BenchDataset {
  name: string;
  fields: string[];
  texts: string[];
  labels: Record<string, (string | null)[]>;
}

export interface BenchSplit {
  train: FastTrainData;
  validation: FastTrainData;
  test: FastTrainData;
}

export function sharedDataDir(repoRoot: string): string {
  return path.resolve(repoRoot, '../shared/data');
}

/** The shared data files, or a reason they are not there (the benchmark then says so and goes on). */
export function loadSharedDatasets(dir: string): { datasets: BenchDataset[]; skipped?: string } {
  if (!existsSync(dir)) return { datasets: [], skipped: `no shared data directory at ${dir}` };
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) return { datasets: [], skipped: `no .json files in ${dir}` };
  return { datasets: files.map((f) => fromRecords(f, JSON.parse(readFileSync(path.join(dir, f), 'utf8')))) };
}

/** A dataset from upload-format records: every key other than title/description is a label field. */
export function fromRecords(name: string, records: Record<string, unknown>[]): BenchDataset {
  const fields = [...new Set(records.flatMap((r) => Object.keys(r)))].filter((k) => k !== 'title' && k !== 'description');
  const texts = records.map((r) => ticketText({ title: String(r.title ?? ''), description: String(r.description ?? '') }));
  const labels: Record<string, (string | null)[]> = {};
  for (const f of fields) {
    labels[f] = records.map((r) => (r[f] === null || r[f] === undefined || r[f] === '' ? null : String(r[f])));
  }
  return { name, fields, texts, labels };
}

export async function demoDataset(count: number, seed: number): Promise<BenchDataset> {
  const { generateDemoTenant } = await import('../engine/demo');
  const tenant = generateDemoTenant({ count, seed });
  const fields = tenant.fields.map((f) => f.name);
  const labels: Record<string, (string | null)[]> = {};
  for (const f of fields) labels[f] = tenant.tickets.map((t) => t.fields[f] ?? null);
  return { name: `demo-${count}`, fields, texts: tenant.tickets.map((t) => ticketText(t)), labels };
}

/** Seeded 80/20 split; the validation part is the last 1/8 of the 80 (10% of all). */
export function splitDataset(ds: BenchDataset, seed: number): BenchSplit {
  const order = Array.from(ds.texts.keys());
  let s = seed >>> 0;
  const random = () => {
    // xorshift32: a self-contained PRNG so the split never changes when model code changes.
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
  if (s === 0) s = 0x9e3779b9;
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const nTest = Math.round(ds.texts.length * 0.2);
  const nVal = Math.round((ds.texts.length - nTest) / 8);
  const test = order.slice(0, nTest);
  const validation = order.slice(nTest, nTest + nVal);
  const train = order.slice(nTest + nVal);
  return { train: subset(ds, train), validation: subset(ds, validation), test: subset(ds, test) };
}

function subset(ds: BenchDataset, rows: number[]): FastTrainData {
  const labels: Record<string, (string | null)[]> = {};
  for (const f of ds.fields) labels[f] = rows.map((r) => ds.labels[f][r]);
  return { texts: rows.map((r) => ds.texts[r]), labels };
}

/** Train + validation: what the baseline may train on when it gets the whole 80%. */
export function concatData(a: FastTrainData, b: FastTrainData): FastTrainData {
  const labels: Record<string, (string | null)[]> = {};
  for (const f of Object.keys(a.labels)) labels[f] = [...a.labels[f], ...(b.labels[f] ?? b.texts.map(() => null))];
  return { texts: [...a.texts, ...b.texts], labels };
}
