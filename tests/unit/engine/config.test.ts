import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../engine/config';

describe('engine configuration from the environment', () => {
  const env = (extra: Record<string, string>) => ({ TRIAGE_GPUS: '0', ...extra });

  it('reads the LLM search width and flash attention, leaving them to the runtime when unset', () => {
    expect(resolveConfig({}, env({})).llm).toMatchObject({ searchWidth: undefined, flashAttention: undefined });
    const llm = resolveConfig({}, env({ TRIAGE_LLM_SEARCH_WIDTH: '8', TRIAGE_LLM_FLASH_ATTENTION: 'on' })).llm;
    expect(llm.searchWidth).toBe(8);
    expect(llm.flashAttention).toBe(true);
    expect(resolveConfig({}, env({ TRIAGE_LLM_FLASH_ATTENTION: '0' })).llm.flashAttention).toBe(false);
  });

  it('reads the serving shape (contexts, sequences, context size, KV cache), leaving it to the runtime when unset', () => {
    expect(resolveConfig({}, env({})).llm).toMatchObject({ contexts: undefined, sequences: undefined, contextSize: undefined, kvUnified: undefined });
    const llm = resolveConfig({}, env({ TRIAGE_LLM_CONTEXTS: '8', TRIAGE_LLM_SEQUENCES: '32', TRIAGE_LLM_CONTEXT_SIZE: '1024', TRIAGE_LLM_KV_UNIFIED: 'off' })).llm;
    expect(llm).toMatchObject({ contexts: 8, sequences: 32, contextSize: 1024, kvUnified: false });
  });

  it('reads memory caps in GiB as bytes', () => {
    expect(resolveConfig({}, env({})).llm).toMatchObject({ vramCapBytes: undefined, ramCapBytes: undefined });
    const llm = resolveConfig({}, env({ TRIAGE_LLM_VRAM_CAP_GB: '40', TRIAGE_LLM_RAM_CAP_GB: '0.5' })).llm;
    expect(llm).toMatchObject({ vramCapBytes: 40 * 1024 ** 3, ramCapBytes: 512 * 1024 ** 2 });
    expect(() => resolveConfig({}, env({ TRIAGE_LLM_VRAM_CAP_GB: '40GB' }))).toThrow(/TRIAGE_LLM_VRAM_CAP_GB must be a positive number of GiB, not "40GB"/);
    expect(() => resolveConfig({}, env({ TRIAGE_LLM_RAM_CAP_GB: '0' }))).toThrow(/TRIAGE_LLM_RAM_CAP_GB/);
  });

  it('names the setting and the value it cannot read', () => {
    expect(() => resolveConfig({}, env({ TRIAGE_LLM_CONTEXTS: '2.5' }))).toThrow(/TRIAGE_LLM_CONTEXTS must be a whole number of at least 1, not "2.5"/);
    expect(() => resolveConfig({}, env({ TRIAGE_LLM_SEQUENCES: '-1' }))).toThrow(/TRIAGE_LLM_SEQUENCES.*"-1"/);
    expect(() => resolveConfig({}, env({ TRIAGE_LLM_CONTEXT_SIZE: '64' }))).toThrow(/TRIAGE_LLM_CONTEXT_SIZE must be a whole number of at least 256, not "64"/);
    expect(() => resolveConfig({}, env({ TRIAGE_LLM_KV_UNIFIED: 'maybe' }))).toThrow(/TRIAGE_LLM_KV_UNIFIED must be on or off/);
    expect(() => resolveConfig({}, env({ TRIAGE_LLM_SEARCH_WIDTH: 'wide' }))).toThrow(/TRIAGE_LLM_SEARCH_WIDTH.*"wide"/);
    expect(() => resolveConfig({}, env({ TRIAGE_LLM_SEARCH_WIDTH: '0' }))).toThrow(/at least 1/);
    expect(() => resolveConfig({}, env({ TRIAGE_LLM_FLASH_ATTENTION: 'yes' }))).toThrow(/TRIAGE_LLM_FLASH_ATTENTION must be on or off, not "yes"/);
  });
});
