/**
 * Installs a node-llama-cpp addon built by build-candidate-logits.sh as a node-llama-cpp "local build", under the
 * folder name node-llama-cpp derives for the custom CMake option NLC_CANDIDATE_LOGITS=ON. `getLlama` then loads it
 * when asked for that option (runtime.ts asks first, and falls back to the stock prebuilt binary when it is absent),
 * while a plain `getLlama()` keeps loading the prebuilt one, so the two can be compared side by side.
 *
 * Usage: node install-local-build.mjs <cmake build dir> <cpu|cuda> [node_modules dir]
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const CANDIDATE_LOGITS_CMAKE_OPTIONS = { NLC_CANDIDATE_LOGITS: 'ON' };

const [buildDir, gpuArg, nodeModulesArg] = process.argv.slice(2);
if (!buildDir || !['cpu', 'cuda'].includes(gpuArg ?? '')) {
  console.error('usage: node install-local-build.mjs <cmake build dir> <cpu|cuda> [node_modules dir]');
  process.exit(2);
}
const nodeModules = path.resolve(nodeModulesArg ?? 'node_modules');
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
const release = path.join(target, 'Release');
fs.rmSync(target, { recursive: true, force: true });
fs.mkdirSync(release, { recursive: true });

// The addon and every shared library the build produced go side by side: they find each other through RUNPATH $ORIGIN.
const addon = path.join(buildDir, 'llama-addon.node');
if (!fs.existsSync(addon)) throw new Error(`no llama-addon.node in ${buildDir}: did the build finish?`);
const copied = [];
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file);
    else if (entry.name === 'llama-addon.node' || /\.so(\.\d+)*$/.test(entry.name)) {
      fs.copyFileSync(file, path.join(release, entry.name));
      copied.push(entry.name);
    }
  }
};
walk(buildDir);
fs.writeFileSync(
  path.join(release, buildMetadataFileName),
  JSON.stringify({ buildOptions: { ...buildOptions, customCmakeOptions: CANDIDATE_LOGITS_CMAKE_OPTIONS } }),
);
fs.writeFileSync(path.join(target, 'buildDone.status'), '');
console.log(`installed ${copied.length} files (${copied.sort().join(', ')}) as node-llama-cpp local build ${folder}`);
