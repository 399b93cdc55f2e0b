import { describe, expect, it } from 'vitest';
import { RunEventBus } from '../../../../engine/runs/event-bus';
import { RunRunner } from '../../../../engine/runs/runner';
import { createRun, getRunById, listEvents } from '../../../../engine/store/runs';
import { gpusForRun } from '../../../../engine/training/gpu-needs';
import { memoryDb } from '../../../helpers/memory-db';
import { createTenant } from '../../../../engine/store/tenants';

describe('GPU queue', () => {
  function setup(gpus: number) {
    const db = memoryDb();
    for (const id of ['t2', 't3']) createTenant(db, { id });
    const releases = new Map<number, () => void>();
    const order: number[] = [];
    const devices = new Map<number, number[]>();
    const runner = new RunRunner(
      db,
      new RunEventBus(),
      {
        train: (ctx) =>
          new Promise((resolve) => {
            order.push(ctx.run.id);
            devices.set(ctx.run.id, ctx.gpuDevices);
            releases.set(ctx.run.id, () => resolve({}));
          }),
      },
      { maxConcurrent: 1, gpus, gpusFor: (run) => gpusForRun(run, gpus) },
    );
    const submit = (tenantId: string, train?: Record<string, unknown>) => {
      const run = createRun(db, { tenantId, kind: 'train', tier: train ? 'llm' : 'fast', params: train ? { baseModel: 'x', train } : {} });
      runner.submit(run);
      return run;
    };
    const settle = () => new Promise((r) => setTimeout(r, 20));
    return { db, runner, submit, releases, order, settle, devices };
  }

  it('gives the GPUs to one training run at a time, in order, without holding up CPU runs', async () => {
    const t = setup(1);
    const a = t.submit('t1', {});
    const b = t.submit('t2', {});
    const fast = t.submit('t1');
    await t.settle();
    expect(t.devices.get(fast.id)).toEqual([]);
    // a holds the GPU, b waits for it; the fast (CPU) run queued after b runs at once.
    expect(t.order).toEqual([a.id, fast.id]);
    expect(t.runner.gpuQueue()).toEqual({ gpus: 1, running: [{ runId: a.id, tenantId: 't1', gpus: 1, devices: [0] }], queued: [{ runId: b.id, tenantId: 't2', gpus: 1 }] });
    expect(listEvents(t.db, b.id)[0].data.message).toMatch(/needs 1 GPU\(s\), 1 GPU run\(s\) ahead of it/);
    t.releases.get(a.id)!();
    await t.settle();
    expect(t.order).toEqual([a.id, fast.id, b.id]);
    expect(getRunById(t.db, a.id)!.status).toBe('succeeded');
    expect(t.runner.gpuQueue().running.map((r) => r.runId)).toEqual([b.id]);
    t.releases.get(b.id)!();
    t.releases.get(fast.id)!();
    await t.runner.idle();
  });

  it('runs may take a chosen number of GPUs, and two fit side by side when the machine has enough', async () => {
    const t = setup(4);
    const a = t.submit('t1', { gpus: 2 });
    const b = t.submit('t2', { gpus: 2 });
    const c = t.submit('t3', {}); // all four by default: waits for both
    await t.settle();
    expect(t.order).toEqual([a.id, b.id]);
    // Side by side on different GPUs, never the same ones.
    expect(t.devices.get(a.id)).toEqual([0, 1]);
    expect(t.devices.get(b.id)).toEqual([2, 3]);
    expect(t.runner.gpuQueue().queued).toEqual([{ runId: c.id, tenantId: 't3', gpus: 4 }]);
    t.releases.get(a.id)!();
    await t.settle();
    expect(t.order).toEqual([a.id, b.id]);
    t.releases.get(b.id)!();
    await t.settle();
    expect(t.order).toEqual([a.id, b.id, c.id]);
    expect(t.devices.get(c.id)).toEqual([0, 1, 2, 3]);
    t.releases.get(c.id)!();
    await t.runner.idle();
  });

  it('only adapter training on CUDA needs a GPU', () => {
    expect(gpusForRun({ kind: 'train', tier: 'fast', params: {} }, 2)).toBe(0);
    expect(gpusForRun({ kind: 'train', tier: 'llm', params: { baseModel: 'x' } }, 2)).toBe(0);
    expect(gpusForRun({ kind: 'train', tier: 'llm', params: { train: { device: 'cpu' } } }, 2)).toBe(0);
    expect(gpusForRun({ kind: 'train', tier: 'llm', params: { train: {} } }, 2)).toBe(2);
    expect(gpusForRun({ kind: 'train', tier: 'llm', params: { train: { gpus: 1 } } }, 2)).toBe(1);
  });
});
