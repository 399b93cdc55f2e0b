import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecodeMeter } from '../../../bench/llm-decode-stats';
import { generateDemoTenant } from '../../../engine/demo/generate';
import { llmTriage } from '../../../engine/models/llm/llm-triage';
import { promptMessages } from '../../../engine/triage/prompt';
import { promptTokens } from '../../../engine/models/llm/chat-render';
import { LlmRuntime } from '../../../engine/models/llm/runtime';

const TINY = path.resolve('tests/fixtures/llm/tiny');

describe("the LLM bench's decode meter (tiny model, CPU)", () => {
  let runtime: LlmRuntime;
  let meter: DecodeMeter;
  const demo = generateDemoTenant({ count: 8, seed: 5 });

  beforeAll(async () => {
    runtime = await LlmRuntime.load({ model: path.join(TINY, 'tiny-qwen2.gguf'), gpu: false, sequencesPerContext: 4 });
    meter = new DecodeMeter(runtime.llama); // before the first context, which it meters
  });
  afterAll(async () => {
    await runtime?.dispose();
  });

  it("counts llama.cpp's decodes, their tokens and the logit reads, and starts again from zero after take()", async () => {
    expect(meter.active).toBe(true);
    const ticket = demo.tickets[0];
    const result = await llmTriage(runtime, ticket, demo.fields, { adapterFile: null });
    const stats = meter.take();
    // A fresh sequence evaluates the whole prompt, then one decode per search step.
    const prompt = promptTokens(runtime.model, promptMessages(ticket, demo.fields)).length;
    expect(stats.tokens).toBeGreaterThanOrEqual(prompt);
    expect(stats.decodes).toBeGreaterThanOrEqual(result.steps);
    expect(stats.logitReads).toBeGreaterThanOrEqual(result.steps);
    expect(stats.decodeMs).toBeGreaterThan(0);
    expect(meter.take()).toEqual({ decodes: 0, tokens: 0, decodeMs: 0, logitReads: 0, logitReadMs: 0 });
  });

  it('sees concurrent tickets share decodes: fewer than the same tickets one after another', async () => {
    const tickets = demo.tickets.slice(1, 5);
    for (const t of tickets) await llmTriage(runtime, t, demo.fields, { adapterFile: null });
    const serial = meter.take();
    await Promise.all(tickets.map((t) => llmTriage(runtime, t, demo.fields, { adapterFile: null })));
    const together = meter.take();
    expect(together.logitReads).toBe(serial.logitReads); // the same outputs were read...
    expect(together.decodes).toBeLessThan(serial.decodes); // ...in fewer, larger batches
  });
});
