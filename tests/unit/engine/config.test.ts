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

  it('names the setting and the value it cannot read', () => {
    expect(() => resolveConfig({}, env({ TRIAGE_LLM_SEARCH_WIDTH: 'wide' }))).toThrow(/TRIAGE_LLM_SEARCH_WIDTH.*"wide"/);
    expect(() => resolveConfig({}, env({ TRIAGE_LLM_SEARCH_WIDTH: '0' }))).toThrow(/at least 1/);
    expect(() => resolveConfig({}, env({ TRIAGE_LLM_FLASH_ATTENTION: 'yes' }))).toThrow(/TRIAGE_LLM_FLASH_ATTENTION must be on or off, not "yes"/);
  });
});
