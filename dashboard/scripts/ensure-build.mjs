// `npm start` runs this first: builds the dashboard only when dashboard/build is missing, so a fresh clone
// works with `npm install && npm start` and later starts cost nothing. `npm run build:dashboard` rebuilds.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const dashboard = path.resolve(import.meta.dirname, '..');
if (existsSync(path.join(dashboard, 'build', 'index.html'))) process.exit(0);

console.log('Building the dashboard (first start only; `npm run build:dashboard` rebuilds it)…');
// vite's bin is not in its package exports; find it next to its package.json.
const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: dashboard, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('The dashboard build failed; the engine will still start, serving the API only.');
}
process.exit(0);
