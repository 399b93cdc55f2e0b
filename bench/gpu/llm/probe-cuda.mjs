// Loads node-llama-cpp's CUDA binding the way the bench will (getLlama), but forcing gpu 'cuda' and never
// building from source, so a broken libggml-cuda.so or a missing CUDA library fails here with its reason
// instead of the bench silently falling back to CPU. Run from a directory whose node_modules has node-llama-cpp.
import { createRequire } from 'node:module';
import path from 'node:path';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';

// `node probe-cuda.mjs candidate`: the candidate-logits local build instead (engine/models/llm/native/), which must
// then be what loads. The option is spelled out: this file runs copied into the GPU machine's work folder, away
// from engine/models/llm/native/candidate-logits-options.mjs.
const candidate = process.argv[2] === 'candidate';
const started = performance.now();
try {
  const llama = await getLlama({ gpu: 'cuda', build: 'never', logLevel: LlamaLogLevel.warn, progressLogs: false, ...(candidate ? { cmakeOptions: { NLC_CANDIDATE_LOGITS: 'ON' } } : {}) });
  const vram = await llama.getVramState();
  const names = await llama.getGpuDeviceNames();
  process.stdout.write(
    `probe: gpu=${llama.gpu} devices=${JSON.stringify(names)} vram total ${(vram.total / 2 ** 30).toFixed(1)} GiB, free ${(vram.free / 2 ** 30).toFixed(1)} GiB ` +
      `(binding ${llama.buildType}, llama.cpp ${llama.llamaCppRelease?.release ?? '?'}) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  await llama.dispose();
  process.exit(llama.gpu === 'cuda' && (!candidate || llama.buildType === 'localBuild') ? 0 : 1);
} catch (err) {
  process.stdout.write(`probe: CUDA binding failed: ${err?.message ?? err}\n`);
  if (candidate) process.exit(1);
  // The loader's own test runs in a child process whose output is hidden; load the binding directly to see why.
  try {
    const bins = path.join(path.dirname(new URL(import.meta.url).pathname), 'node_modules/@node-llama-cpp/linux-x64-cuda/bins/linux-x64-cuda');
    const binding = createRequire(import.meta.url)(path.join(bins, 'llama-addon.node'));
    binding.loadBackends();
    let gpu = binding.getGpuType();
    if (!gpu) {
      binding.loadBackends(bins);
      gpu = binding.getGpuType();
    }
    process.stdout.write(`probe (direct): backends loaded from ${bins}, gpu type ${gpu}\n`);
    await binding.init();
    process.stdout.write(`probe (direct): init ok, devices ${JSON.stringify(binding.getGpuDeviceInfo?.())}\n`);
    binding.ensureGpuDeviceIsSupported?.();
  } catch (e) {
    process.stdout.write(`probe (direct): ${e?.stack ?? e}\n`);
  }
  process.exit(1);
}
