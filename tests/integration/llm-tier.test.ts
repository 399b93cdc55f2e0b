import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../engine/client/engine-client';
import { startEngine, type EngineProcess } from '../helpers/engine-process';

const TINY = path.resolve('tests/fixtures/llm/tiny');

/**
 * The llm tier through the real engine over HTTP, on the project's tiny random-weight Qwen2 GGUF and its LoRA
 * adapter: build an llm checkpoint (calibrated on validation, compared field by field with the fast tier),
 * deploy it, predict within the choices and the parent links, evaluate it, and refuse broken adapters at deploy.
 */
describe('llm tier end to end', () => {
  let engine: EngineProcess;
  const tenant = 'demo';

  beforeAll(async () => {
    engine = await startEngine({
      args: ['--demo'],
      env: { TRIAGE_LLM_MODELS: `tiny=${path.join(TINY, 'tiny-qwen2.gguf')}`, TRIAGE_LLM_GPU: 'off' },
      waitFor: /curl/,
    });
  }, 120_000);
  afterAll(async () => {
    await engine?.stop();
  });

  let llmCheckpoint = 0;
  let llmRun = 0;
  it('builds an llm checkpoint with live progress, calibration and per-field tier choice', async () => {
    const run = await engine.client.startRun(tenant, {
      kind: 'train',
      tier: 'llm',
      params: { baseModel: 'tiny', adapter: path.join(TINY, 'adapter-0'), maxValidation: 24, maxTest: 32 },
    });
    const events: RunEvent[] = [];
    const final = await engine.client.followRun(tenant, run.id, (e) => events.push(e));
    expect(final.error ?? null).toBeNull();
    expect(final.status).toBe('succeeded');
    const progress = events.filter((e) => e.kind === 'progress');
    expect(progress.some((e) => e.data.phase === 'calibrating' && typeof e.data.etaSeconds === 'number')).toBe(true);
    expect(events.some((e) => e.kind === 'log' && /on CPU/.test(String(e.data.message)))).toBe(true);
    llmCheckpoint = Number(final.result?.checkpointId);
    llmRun = run.id;
    const checkpoint = await engine.client.getCheckpoint(tenant, llmCheckpoint);
    expect(checkpoint.tier).toBe('llm');
    const metrics = checkpoint.metrics as { test: { n: number; fields: { field: string; ece: number }[] }; tiers: Record<string, { served: string; llm: number; fast: number | null }> };
    expect(metrics.test.n).toBe(32);
    expect(metrics.test.fields.map((f) => f.field).sort()).toEqual(['billing_code', 'issue_type', 'priority', 'queue', 'sub_issue_type', 'ticket_type']);
    // A random-weight model loses to the trained fast tier on every field group, and the choice says so.
    for (const t of Object.values(metrics.tiers)) {
      expect(t.fast).not.toBeNull();
      expect(t.served).toBe(t.fast! > t.llm ? 'fast' : 'llm');
    }
  }, 240_000);

  it('a checkpoint that serves every field by the llm predicts within the choices and parent links', async () => {
    const run = await engine.client.startRun(tenant, {
      kind: 'train',
      tier: 'llm',
      deploy: true,
      params: { baseModel: 'tiny', adapter: path.join(TINY, 'adapter-1.gguf'), maxValidation: 16, maxTest: 16, mixTiers: false },
    });
    const final = await engine.client.followRun(tenant, run.id, () => {});
    expect(final.status).toBe('succeeded');
    const fields = await engine.client.getFields(tenant);
    const sub = fields.find((f) => f.name === 'sub_issue_type')!;
    const res = await engine.client.predict(tenant, { title: 'Outlook keeps asking for my password', description: 'since this morning on my laptop' });
    expect(res.model.tier).toBe('llm');
    for (const f of fields) {
      const p = res.fields[f.name];
      expect(p.status).toBe('predicted');
      expect(f.choices.some((c) => c.value === p.value && c.active)).toBe(true);
      expect(p.confidence).toBeGreaterThan(0);
      expect(p.confidence).toBeLessThanOrEqual(1);
      expect(p.alternatives.length).toBeLessThanOrEqual(3);
    }
    const chosenSub = sub.choices.find((c) => c.value === res.fields.sub_issue_type.value)!;
    expect(chosenSub.parent).toBe(res.fields.issue_type.value);
    // Choices supplied by the request override the tenant's, also for values the schema has never had.
    const limited = await engine.client.predict(tenant, { title: 'printer offline', description: '' }, { priority: ['Critical', 'Low'], queue: ['Brand new queue'] });
    expect(['Critical', 'Low']).toContain(limited.fields.priority.label);
    expect(limited.fields.queue.value).toBe('Brand new queue');
  }, 240_000);

  it('evaluates the deployed llm checkpoint through the same predictor', async () => {
    const deployed = (await engine.client.listCheckpoints(tenant)).find((c) => c.deployed)!;
    const run = await engine.client.startRun(tenant, { kind: 'evaluate', checkpointId: deployed.id, split: 'validation' });
    const final = await engine.client.followRun(tenant, run.id, () => {});
    expect(final.status).toBe('succeeded');
    const report = final.result?.report as { split: string; n: number; fields: unknown[] };
    expect(report.split).toBe('validation');
    expect(report.fields).toHaveLength(6);
  }, 600_000);

  it('a corrupt adapter fails the run that would store it, and a broken artifact fails the deploy, not a prediction', async () => {
    const bad = path.join(engine.dataDir, 'bad-adapter.gguf');
    fs.writeFileSync(bad, 'GGUF but not really');
    const run = await engine.client.startRun(tenant, { kind: 'train', tier: 'llm', params: { baseModel: 'tiny', adapter: bad, maxValidation: 4, maxTest: 4 } });
    const final = await engine.client.followRun(tenant, run.id, () => {});
    expect(final.status).toBe('failed');
    expect(final.error).toMatch(/bad-adapter\.gguf is not a readable GGUF file/);

    // Truncate the stored adapter of the first llm checkpoint: deploying it is refused, the live model stays.
    const before = (await engine.client.listCheckpoints(tenant)).find((c) => c.deployed)!;
    fs.truncateSync(path.join(engine.dataDir, 'models', tenant, `run-${llmRun}.lora.gguf`), 100);
    await expect(engine.client.deploy(tenant, llmCheckpoint)).rejects.toThrow(/cannot be loaded: .*corrupt/);
    expect((await engine.client.listCheckpoints(tenant)).find((c) => c.deployed)!.id).toBe(before.id);
  }, 120_000);

  it('refuses, before queueing, a base model the engine is not configured with or has no training weights for', async () => {
    await expect(engine.client.startRun(tenant, { kind: 'train', tier: 'llm', params: { baseModel: 'qwen2-7b' } })).rejects.toThrow(
      /params\.baseModel: base model "qwen2-7b" is not configured on this engine \(configured: tiny\)/,
    );
    await expect(engine.client.startRun(tenant, { kind: 'train', tier: 'llm', params: { baseModel: 'tiny', train: { device: 'cpu' } } })).rejects.toThrow(
      /base model "tiny" has no training weights configured \(TRIAGE_LLM_TRAIN_MODELS=/,
    );
    await expect(
      engine.client.startRun(tenant, { kind: 'train', tier: 'llm', params: { baseModel: 'tiny', adapter: path.join(TINY, 'adapter-0'), train: { device: 'cpu' } } }),
    ).rejects.toThrow(/either trains an adapter \(params\.train\) or uses one \(params\.adapter\), not both/);
    expect((await engine.client.listRuns(tenant)).filter((r) => r.params && (r.params as { baseModel?: string }).baseModel === 'qwen2-7b')).toEqual([]);
  }, 60_000);
});
