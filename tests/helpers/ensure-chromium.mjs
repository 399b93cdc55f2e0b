// `npm test` runs this first: the dashboard's end-to-end test drives Debian's chromium (never a downloaded
// browser). Where it is missing and we are root with apt-get (a fresh machine or CI), it is installed here, so
// `npm install && npm test` works as the README says; elsewhere it says what to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (canInstall) {
    console.log("Installing Debian's chromium for the dashboard's browser test…");
    const run = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (run(['update']).status !== 0 || run(['install', '-y', 'chromium']).status !== 0) {
      console.error('Installing chromium failed; the dashboard test will say so.');
    }
  } else {
    console.error(`No chromium at ${CHROMIUM}: the dashboard test needs Debian's package (sudo apt-get install chromium).`);
  }
}
