import { describe, expect, it } from 'vitest';
import { RunEventBus } from '../../../../engine/runs/event-bus';
import { RunRunner, type RunHandler } from '../../../../engine/runs/runner';
import { createRun, getRunById, listEvents, updateRun } from '../../../../engine/store/runs';
import { memoryDb } from '../../../helpers/memory-db';

function setup(handler: RunHandler, maxConcurrent = 1) {
  const db = memoryDb();
  const bus = new RunEventBus();
  const runner = new RunRunner(db, bus, { train: handler, evaluate: handler }, { maxConcurrent });
  const submit = () => {
    const run = createRun(db, { tenantId: 't1', kind: 'train', tier: 'fast', params: {} });
    runner.submit(run);
    return run;
  };
  return { db, bus, runner, submit };
}

const until = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

describe('RunRunner', () => {
  it('runs a queued run to success, with progress (ETA) and a final done event', async () => {
    const { db, runner, submit, bus } = setup(async (ctx) => {
      ctx.progress(0.5, { step: 1, total: 2, loss: 0.7 });
      return { answer: 42 };
    });
    const live: string[] = [];
    bus.subscribe('*', (e) => live.push(e.kind));
    const run = submit();
    await runner.idle();
    expect(getRunById(db, run.id)).toMatchObject({ status: 'succeeded', progress: 1, attempts: 1, result: { answer: 42 } });
    const events = listEvents(db, run.id);
    expect(events.map((e) => e.kind)).toEqual(['log', 'progress', 'done']);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[1].data).toMatchObject({ step: 1, loss: 0.7, progress: 0.5, etaS: expect.any(Number) });
    expect(live).toEqual(['log', 'progress', 'done']);
  });

  it('records a failure with its message', async () => {
    const { db, runner, submit } = setup(async () => {
      throw new Error('no labelled tickets');
    });
    const run = submit();
    await runner.idle();
    expect(getRunById(db, run.id)).toMatchObject({ status: 'failed', error: 'no labelled tickets' });
    expect(listEvents(db, run.id).map((e) => e.kind)).toEqual(['log', 'error', 'done']);
  });

  it('never runs more than maxConcurrent at once, and starts the oldest first', async () => {
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const { runner, submit } = setup(async (ctx) => {
      order.push(ctx.run.id);
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      return {};
    }, 2);
    const ids = [submit(), submit(), submit(), submit()].map((r) => r.id);
    await runner.idle();
    expect(peak).toBe(2);
    expect(order).toEqual(ids);
  });

  it('cancels a queued run at once and a running one through its signal', async () => {
    const { db, runner, submit } = setup((ctx) => until(ctx.signal));
    const first = submit();
    const second = submit();
    await new Promise((r) => setTimeout(r, 10));
    expect(runner.cancel(getRunById(db, second.id)!).status).toBe('cancelled');
    runner.cancel(getRunById(db, first.id)!);
    await runner.idle();
    expect(getRunById(db, first.id)!.status).toBe('cancelled');
    expect(() => runner.cancel(getRunById(db, first.id)!)).toThrow(/only queued or running/);
  });

  it('marks runs that a dead engine left running as interrupted, and re-queues them when resuming', async () => {
    const db = memoryDb();
    const stale = createRun(db, { tenantId: 't1', kind: 'train', tier: 'fast', params: {} });
    updateRun(db, stale.id, { status: 'running', attempts: 1 });
    const seen: number[] = [];
    const runner = new RunRunner(db, new RunEventBus(), { train: async (ctx) => (seen.push(ctx.run.attempts), {}) }, { maxConcurrent: 1 });
    expect(runner.recover(true)).toEqual([stale.id]);
    await runner.idle();
    expect(getRunById(db, stale.id)).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(seen).toEqual([2]);
    expect(listEvents(db, stale.id).map((e) => e.kind)).toEqual(['done', 'log', 'done']);
  });

  it('leaves interrupted runs alone when resumption is off', () => {
    const db = memoryDb();
    const stale = createRun(db, { tenantId: 't1', kind: 'train', tier: 'fast', params: {} });
    updateRun(db, stale.id, { status: 'running' });
    const runner = new RunRunner(db, new RunEventBus(), {}, { maxConcurrent: 1 });
    expect(runner.recover(false)).toEqual([]);
    expect(getRunById(db, stale.id)!.status).toBe('interrupted');
    expect(() => runner.resume(getRunById(db, stale.id)!)).not.toThrow();
    const fresh = createRun(db, { tenantId: 't1', kind: 'train', tier: 'fast', params: {} });
    expect(() => runner.resume(fresh)).toThrow(/only interrupted, failed or cancelled/);
  });

  it('on shutdown, interrupts running runs instead of cancelling them', async () => {
    const { db, runner, submit } = setup((ctx) => until(ctx.signal));
    const run = submit();
    await new Promise((r) => setTimeout(r, 10));
    await runner.shutdown();
    expect(getRunById(db, run.id)!.status).toBe('interrupted');
  });
});
