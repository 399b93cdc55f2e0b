#!/usr/bin/env node
// The `triage` command: registers tsx so Node runs the TypeScript CLI directly (no build step), then starts it.

// Every llama.cpp decode holds one of libuv's pool threads until the GPU is done with it, and an adapter on a GPU has
// four contexts decoding at once (engine/models/llm/runtime.ts): with libuv's default of 4 threads they also wait on
// file reads and each other (H200, Q8_0, batch 128: 44.7 tickets/s with 4, 50.9 with 16). libuv reads this once,
// when the pool first starts, so it is set before anything can use the pool.
process.env.UV_THREADPOOL_SIZE ??= '16';

const { register } = await import('tsx/esm/api');
register();
await import('../engine/cli/main.ts');
