/**
 * Installs a candidate-logits llama-addon.node (build-candidate-logits.sh) as a node-llama-cpp "local build": a copy
 * of the matching prebuilt binary folder (CPU or CUDA) with its llama-addon.node replaced, so the prebuilt
 * libllama/ggml libraries (and, for CUDA, the libggml-cuda.so in that folder) do all the compute as before. The
 * folder is named as node-llama-cpp derives it for the custom CMake option NLC_CANDIDATE_LOGITS=ON
 * (candidate-logits-options.mjs): `getLlama` loads it when asked for that option, which runtime.ts does (falling back
 * to the prebuilt binary where it is absent), while a plain `getLlama()` keeps loading the prebuilt one.
 *
 * Usage: node install-local-build.mjs <llama-addon.node> <cpu|cuda> [node_modules dir]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CANDIDATE_LOGITS_CMAKE_OPTIONS } from './candidate-logits-options.mjs';

const [addonArg, gpuArg, nodeModulesArg] = process.argv.slice(2);
if (!addonArg || !['cpu', 'cuda'].includes(gpuArg ?? '')) {
  console.error('usage: node install-local-build.mjs <llama-addon.node> <cpu|cuda> [node_modules dir]');
  process.exit(2);
}
const addon = path.resolve(addonArg);
if (!fs.existsSync(addon)) throw new Error(`${addon} does not exist: run build-candidate-logits.sh first`);
const nodeModules = path.resolve(nodeModulesArg ?? 'node_modules');
const prebuilt = gpuArg === 'cuda'
  ? path.join(nodeModules, '@node-llama-cpp/linux-x64-cuda/bins/linux-x64-cuda')
  : path.join(nodeModules, '@node-llama-cpp/linux-x64/bins/linux-x64');
if (!fs.existsSync(path.join(prebuilt, 'llama-addon.node'))) throw new Error(`no prebuilt binary folder at ${prebuilt}`);

const dist = path.join(nodeModules, 'node-llama-cpp', 'dist');
const internal = (file) => import(pathToFileURL(path.join(dist, file)).href);
const { getBuildFolderNameForBuildOptions } = await internal('bindings/utils/getBuildFolderNameForBuildOptions.js');
const { builtinLlamaCppRelease } = await internal('bindings/utils/binariesGithubRelease.js');
const { getPlatformInfo } = await internal('bindings/utils/getPlatformInfo.js');
const { builtinLlamaCppGitHubRepo, llamaLocalBuildBinsDirectory, buildMetadataFileName } = await internal('config.js');

const buildOptions = {
  customCmakeOptions: new Map(Object.entries(CANDIDATE_LOGITS_CMAKE_OPTIONS)),
  progressLogs: true,
  platform: 'linux',
  platformInfo: await getPlatformInfo(),
  arch: process.arch,
  gpu: gpuArg === 'cuda' ? 'cuda' : false,
  llamaCpp: { repo: builtinLlamaCppGitHubRepo, release: builtinLlamaCppRelease },
};
const folder = (await getBuildFolderNameForBuildOptions(buildOptions)).withCustomCmakeOptions;
const target = path.join(llamaLocalBuildBinsDirectory, folder);
// Assembled next to the target and renamed into place at the end: a failed install leaves an earlier one intact.
const staging = `${target}.staging`;
const release = path.join(staging, 'Release');
fs.rmSync(staging, { recursive: true, force: true });
fs.mkdirSync(release, { recursive: true });
for (const name of fs.readdirSync(prebuilt)) {
  if (name === buildMetadataFileName) continue;
  // Hard links where the file system allows: the CUDA library alone is 150 MB.
  try {
    fs.linkSync(path.join(prebuilt, name), path.join(release, name));
  } catch {
    fs.copyFileSync(path.join(prebuilt, name), path.join(release, name));
  }
}
fs.rmSync(path.join(release, 'llama-addon.node'));
fs.copyFileSync(addon, path.join(release, 'llama-addon.node'));

// The addon must link exactly the libraries this prebuilt folder holds (the variant names differ per prebuilt).
let dynamic = '';
try {
  dynamic = execFileSync('readelf', ['-d', addon], { encoding: 'utf8' });
} catch {
  console.warn('readelf is not available: the libraries the addon links are not checked against the prebuilt folder');
}
const needed = [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
const missing = needed.filter((lib) => /^lib(llama|ggml)/.test(lib) && !fs.existsSync(path.join(release, lib)));
if (missing.length) {
  fs.rmSync(staging, { recursive: true, force: true });
  throw new Error(`${addon} links ${missing.join(', ')}, which the ${gpuArg} prebuilt folder does not have: the addon was built for the other variant`);
}
fs.writeFileSync(path.join(release, buildMetadataFileName), JSON.stringify({ buildOptions: { ...buildOptions, customCmakeOptions: CANDIDATE_LOGITS_CMAKE_OPTIONS } }));
fs.writeFileSync(path.join(staging, 'buildDone.status'), '');
fs.rmSync(target, { recursive: true, force: true });
fs.renameSync(staging, target);
console.log(`installed the candidate-logits addon over the ${gpuArg} prebuilt as node-llama-cpp local build ${folder}`);
