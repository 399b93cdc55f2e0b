// Copies node-llama-cpp and its runtime dependency closure from the repo's node_modules into a minimal tree
// (usage: node copy-modules.mjs <repo>/node_modules <out>/node_modules). Resolution follows Node's rules (nested
// node_modules first, then the parents'), so the copied tree resolves exactly as the installed one does.
// Left out: node-llama-cpp's llama/ sources (gitRelease.bundle, addon sources, cmake files), prebuilt binaries of
// other platforms, the CUDA backend libggml-cuda.so (rebuilt for sm_90 on the GPU machine), and docs, tests,
// source maps and type declarations of every package.
import fs from 'node:fs';
import path from 'node:path';

const [srcRoot, outRoot] = process.argv.slice(2).map((p) => path.resolve(p));
if (!srcRoot || !outRoot) throw new Error('usage: copy-modules.mjs <src node_modules> <out node_modules>');
const KEEP_OPTIONAL = new Set(['@node-llama-cpp/linux-x64', '@node-llama-cpp/linux-x64-cuda']);
const SKIP_NAME = /^(\.github|docs?|tests?|__tests__|example|examples|benchmark|\.vscode|man)$/i;
const SKIP_FILE = /(\.map|\.d\.ts|\.d\.mts|\.d\.cts|\.md|\.markdown|\.tsbuildinfo|\.flow)$|^(CHANGELOG|HISTORY|AUTHORS|\.npmignore|\.eslintrc.*|\.prettierrc.*|tsconfig\.json)$/i;

/** Directory of package `name` as seen from directory `fromDir` (a package dir), following Node's lookup. */
function resolvePkg(name, fromDir) {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === path.dirname(srcRoot) || dir === path.dirname(dir)) return null;
    dir = path.dirname(dir);
    // skip "node_modules/@scope" levels
    if (path.basename(dir) === 'node_modules') dir = path.dirname(dir);
    else if (path.basename(dir).startsWith('@') && path.basename(path.dirname(dir)) === 'node_modules') dir = path.dirname(path.dirname(dir));
  }
}

const seen = new Set();
function walk(pkgDir) {
  if (seen.has(pkgDir)) return;
  seen.add(pkgDir);
  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const deps = Object.keys(pkg.dependencies ?? {});
  for (const name of Object.keys(pkg.optionalDependencies ?? {})) if (KEEP_OPTIONAL.has(name)) deps.push(name);
  for (const name of deps) {
    const dir = resolvePkg(name, pkgDir);
    if (!dir) {
      if (pkg.optionalDependencies?.[name]) continue;
      throw new Error(`${pkg.name}: dependency ${name} is not installed`);
    }
    walk(dir);
  }
}

function copyTree(from, to, rel) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    const r = path.join(rel, entry.name);
    if (entry.name === 'node_modules') continue; // nested packages are copied on their own when they are dependencies
    if (entry.isDirectory()) {
      if (SKIP_NAME.test(entry.name)) continue;
      if (r.startsWith('node-llama-cpp/') && ['llama', 'templates', 'bins'].includes(entry.name) && rel === 'node-llama-cpp') continue;
      copyTree(src, dst, r);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      if (SKIP_FILE.test(entry.name)) continue;
      if (entry.name === 'libggml-cuda.so') continue;
      fs.copyFileSync(src, dst);
    }
  }
}

walk(path.join(srcRoot, 'node-llama-cpp'));
for (const dir of [...seen].sort()) {
  const rel = path.relative(srcRoot, dir);
  copyTree(dir, path.join(outRoot, rel), rel);
}
// node-llama-cpp reads these at runtime (release info, binaries release, grammars); nothing else under llama/.
const llamaOut = path.join(outRoot, 'node-llama-cpp', 'llama');
fs.mkdirSync(llamaOut, { recursive: true });
for (const f of ['llama.cpp.info.json', 'binariesGithubRelease.json', 'package.json']) {
  fs.copyFileSync(path.join(srcRoot, 'node-llama-cpp', 'llama', f), path.join(llamaOut, f));
}
fs.cpSync(path.join(srcRoot, 'node-llama-cpp', 'llama', 'grammars'), path.join(llamaOut, 'grammars'), { recursive: true });
process.stdout.write(`${seen.size} packages copied into ${outRoot}\n`);
