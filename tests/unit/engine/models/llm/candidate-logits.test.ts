import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script (it runs where there is no tsx: the GPU machine), so it carries no types
import { applyCandidateLogitsPatch, applySamplerPatch, KV_UNIFIED_ENV, MARKER, SAMPLER_MARKER } from '../../../../../engine/models/llm/native/candidate-logits-patch.mjs';

const ADDON_CONTEXT = path.resolve('node_modules/node-llama-cpp/llama/addon/AddonContext.cpp');
const ADDON_SAMPLER = path.resolve('node_modules/node-llama-cpp/llama/addon/AddonSampler.cpp');
const CUDA_ADDON = '/tmp/candidate-logits-build/out/llama-addon-cuda.node';
const patch = applyCandidateLogitsPatch as (source: string) => string;
const patchSampler = applySamplerPatch as (source: string) => string;

describe('candidate-logits patch of the node-llama-cpp addon source', () => {
  const stock = fs.readFileSync(ADDON_CONTEXT, 'utf8');

  it("applies to this node-llama-cpp's AddonContext.cpp, once, with the fast path tried right after the logits check", () => {
    const patched = patch(stock);
    expect(patched).toContain(MARKER);
    expect(patch(patched)).toBe(patched);
    const sampleToken = patched.slice(patched.indexOf('void SampleToken() {'));
    const check = sampleToken.indexOf('This model does not support token generation');
    const call = sampleToken.indexOf('if (readCandidateLogitsOnly(samplingLock))');
    const stockSampling = sampleToken.indexOf('sampler->sampleAndReleaseLock(');
    expect(check).toBeGreaterThan(0);
    expect(call).toBeGreaterThan(check);
    expect(call).toBeLessThan(stockSampling);
    // Everything of the stock source is still there, in order: the patch only adds, and makes kv_unified opt-in.
    const unpatched = patched
      .replace(/\n {8}\/\/ ticket-triage[\s\S]*?\n {8}}\n\n/, '\n')
      .replace(/ {12}if \(readCandidateLogitsOnly[\s\S]*?\n {12}}\n/, '')
      .replace(/ {4}\/\/ ticket-triage: one KV cache[\s\S]*?\n {4}}\n/, '    context_params.kv_unified = false;\n');
    expect(unpatched).toBe(stock);
    expect(patched).toContain(`std::getenv("${KV_UNIFIED_ENV}")`);
  });

  it('names the anchor it cannot find when node-llama-cpp has changed', () => {
    expect(() => patch(stock.replace('void SampleToken() {', 'void SampleNextToken() {'))).toThrow(/SampleToken method exactly once.*found it 0 times.*update the anchors/);
    expect(() => patch(stock.replace('This model does not support token generation', 'no logits'))).toThrow(/hasLogits check in SampleToken/);
    expect(() => patch(stock.replace('context_params.kv_unified = false;', 'context_params.kv_unified = true;'))).toThrow(/kv_unified setting in the AddonContext constructor/);
  });
});

describe('sampler patch of the node-llama-cpp addon source', () => {
  const stock = fs.readFileSync(ADDON_SAMPLER, 'utf8');
  const constructorOf = (source: string) => source.slice(source.indexOf('AddonSampler::AddonSampler('), source.indexOf('AddonSampler::~AddonSampler()'));

  it('no longer sizes the candidate array to the vocabulary in the constructor, and changes nothing else', () => {
    const patched = patchSampler(stock);
    expect(constructorOf(stock)).toContain('tokenCandidates.resize(llama_vocab_n_tokens');
    expect(constructorOf(patched)).not.toContain('tokenCandidates');
    expect(constructorOf(patched)).toContain(SAMPLER_MARKER);
    expect(patchSampler(patched)).toBe(patched);
    expect(patched.replace(constructorOf(patched), '')).toBe(stock.replace(constructorOf(stock), ''));
  });

  it('refuses to apply where the stock path would no longer grow the array before using it', () => {
    const noGrow = stock.replace(/if \(tokenCandidates\.size\(\) < vocabLength\) \{\n\s*tokenCandidates\.resize\(vocabLength\);/, '{');
    expect(noGrow).not.toBe(stock);
    expect(() => patchSampler(noGrow)).toThrow(/grow-on-use of the whole-vocabulary candidates.*found it 0 times/);
  });
});

function probe(build: 'stock' | 'candidate'): { buildType: string; reads: { direct: [number, number][]; stockPath: [number, number][] }[] } {
  return JSON.parse(execFileSync(process.execPath, ['tests/helpers/logits-probe.mjs', build], { encoding: 'utf8' }));
}

// Built by engine/models/llm/native/build-candidate-logits.sh (CI builds it; a fresh `npm ci` has only the stock one).
const candidate = probe('candidate');
describe.skipIf(candidate.buildType !== 'localBuild')('the candidate-logits build', () => {
  it('reads exactly what the stock sampling path returns, in the same order, with and without an adapter', () => {
    expect(candidate.reads.length).toBe(18);
    for (const { direct, stockPath } of candidate.reads) {
      expect(direct.length).toBeGreaterThan(0);
      expect(direct).toEqual(stockPath);
    }
    // The repeat and the out-of-range ids were skipped, not returned.
    expect(candidate.reads[2]!.direct.map(([t]) => t).sort((a, b) => a - b)).toEqual([5, 9]);
  });

  it("keeps the stock sampling path's answers (its samplers now grow their candidate array on first use)", () => {
    const stock = probe('stock');
    expect(candidate.reads.map((r) => r.stockPath)).toEqual(stock.reads.map((r) => r.stockPath));
  });

  it(`keeps one KV cache for all of a context's sequences only with ${KV_UNIFIED_ENV}=1, with the same logits`, () => {
    type Probe = { unified: boolean | null; logits: [number, number][][] };
    const run = (env: Record<string, string>): Probe =>
      JSON.parse(execFileSync(process.execPath, ['tests/helpers/kv-unified-probe.mjs'], { encoding: 'utf8', env: { ...process.env, ...env } }));
    const streams = run({ [KV_UNIFIED_ENV]: '' });
    const unified = run({ [KV_UNIFIED_ENV]: '1' });
    expect(streams.unified).toBe(false);
    expect(unified.unified).toBe(true);
    // Three sequences decoded in one batch: each one's logits as with a cache of its own (summation order aside).
    expect(unified.logits).toHaveLength(3);
    unified.logits.forEach((seq, i) => {
      expect(seq.map(([t]) => t)).toEqual(streams.logits[i]!.map(([t]) => t));
      seq.forEach(([, v], j) => expect(v).toBeCloseTo(streams.logits[i]![j]![1], 4));
    });
    expect(unified.logits[0]).not.toEqual(unified.logits[1]);
  });

  it('is the build the stock getLlama() does not load, so both stay available side by side', () => {
    expect(probe('stock').buildType).toBe('prebuilt');
  });

  // The build leaves the CUDA prebuilt's twin next to the CPU one (build-candidate-logits.sh, default WORK).
  it.skipIf(!fs.existsSync(CUDA_ADDON))('refuses an addon built for the other prebuilt, and keeps the installed build', () => {
    const install = () => execFileSync(process.execPath, ['engine/models/llm/native/install-local-build.mjs', CUDA_ADDON, 'cpu'], { encoding: 'utf8', stdio: 'pipe' });
    expect(install).toThrow(/links libllama\.cuda\.[^ ]*\.so, libggml\.cuda\.[^ ]*\.so, which the cpu prebuilt folder does not have/);
    expect(probe('candidate').buildType).toBe('localBuild');
  });
});
