import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script (it runs where there is no tsx: the GPU machine), so it carries no types
import { applyCandidateLogitsPatch, MARKER } from '../../../../../engine/models/llm/native/candidate-logits-patch.mjs';

const ADDON_CONTEXT = path.resolve('node_modules/node-llama-cpp/llama/addon/AddonContext.cpp');
const CUDA_ADDON = '/tmp/candidate-logits-build/out/llama-addon-cuda.node';
const patch = applyCandidateLogitsPatch as (source: string) => string;

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
    // Everything of the stock source is still there, in order: the patch only adds.
    expect(patched.replace(/\n {8}\/\/ ticket-triage[\s\S]*?\n {8}}\n\n/, '\n').replace(/ {12}if \(readCandidateLogitsOnly[\s\S]*?\n {12}}\n/, '')).toBe(stock);
  });

  it('names the anchor it cannot find when node-llama-cpp has changed', () => {
    expect(() => patch(stock.replace('void SampleToken() {', 'void SampleNextToken() {'))).toThrow(/SampleToken method exactly once.*found it 0 times.*update the anchors/);
    expect(() => patch(stock.replace('This model does not support token generation', 'no logits'))).toThrow(/hasLogits check in SampleToken/);
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
