import { describe, expect, it } from 'vitest';
import { StepGate } from '../../../../../engine/models/llm/step-gate';

/**
 * A stand-in for node-llama-cpp's batching: evaluations queued in the same event-loop turn are decoded together
 * (one "decode" per turn that has any), and each takes a few milliseconds.
 */
class TurnBatcher {
  decodes: number[] = [];
  private queued: (() => void)[] = [];
  evaluate(): Promise<void> {
    return new Promise((resolve) => {
      if (this.queued.length === 0) {
        setImmediate(() => {
          const batch = this.queued;
          this.queued = [];
          this.decodes.push(batch.length);
          setTimeout(() => batch.forEach((r) => r()), 3);
        });
      }
      this.queued.push(resolve);
    });
  }
}

/**
 * A request: `steps` evaluations, with some bookkeeping in between: a few awaits of its own, and now and then
 * (`macrotasks`) a wait for the next event-loop turn, as when a request starts on the next ticket.
 */
async function request(steps: number, seed: number, macrotasks: boolean, evaluate: () => Promise<void>): Promise<void> {
  for (let i = 0; i < steps; i++) {
    for (let j = 0; j < (seed * 7 + i * 3) % 5; j++) await Promise.resolve();
    if (macrotasks && (seed + i) % 4 === 0) await new Promise((r) => setImmediate(r));
    await evaluate();
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function decodesOf(gate: StepGate | null, macrotasks: boolean): Promise<number[]> {
  const batcher = new TurnBatcher();
  const evaluate = () => (gate ? gate.run(() => batcher.evaluate()) : batcher.evaluate());
  await Promise.all(Array.from({ length: 8 }, (_, k) => request(12, k, macrotasks, evaluate)));
  expect(batcher.decodes.reduce((a, b) => a + b, 0)).toBe(96);
  return batcher.decodes;
}

describe('step gate', () => {
  it('keeps concurrent requests in lockstep: every step of all of them in one batch', async () => {
    expect(await decodesOf(new StepGate(), false)).toEqual(Array(12).fill(8));
  });

  it('regroups requests that fell behind, where ungated ones stay spread over more batches', async () => {
    const gated = await decodesOf(new StepGate(), true);
    const ungated = await decodesOf(null, true);
    expect(mean(gated)).toBeGreaterThan(mean(ungated));
    expect(mean(gated)).toBeGreaterThanOrEqual(6);
  });

  it('lets a lone request through without waiting for anything but its turn', async () => {
    const gate = new StepGate();
    const order: string[] = [];
    await gate.run(async () => order.push('a'));
    await gate.run(async () => order.push('b'));
    expect(order).toEqual(['a', 'b']);
  });

  it('a step that fails does not hold the others back', async () => {
    const gate = new StepGate();
    const failed = gate.run(async () => {
      throw new Error('decode failed');
    });
    await expect(failed).rejects.toThrow('decode failed');
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
  });
});
