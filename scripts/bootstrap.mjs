#!/usr/bin/env node
// `npm start` / `npm test` on a machine that has only Node 20 and npm: fetch the pinned pnpm
// from the npm registry, install the workspace, then start the system or run every test.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2];
if (mode !== 'start' && mode !== 'test') {
  console.error('usage: node scripts/bootstrap.mjs start|test');
  process.exit(2);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Clearway needs Node.js 20.19 or newer; this is ${process.version}.`);
  process.exit(1);
}

const pinned = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).packageManager.split('@')[1];
const env = { ...process.env };
// better-sqlite3 compiles against Node's headers; use the local ones instead of downloading them.
if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
// onnxruntime-node (the native inference baseline) must not fetch binaries at install time.
env.ONNXRUNTIME_NODE_INSTALL ??= 'skip';
env.ELECTRON_SKIP_BINARY_DOWNLOAD ??= '1';

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

const local = spawnSync('pnpm', ['--version'], { encoding: 'utf8', env });
const pnpm = local.status === 0 && local.stdout.trim() === pinned ? ['pnpm'] : ['npx', '--yes', `pnpm@${pinned}`];
console.log(`› installing with pnpm ${pinned}${pnpm[0] === 'npx' ? ' (fetched through npx)' : ''}`);
const pnpmRun = (...args) => run(pnpm[0], [...pnpm.slice(1), ...args]);

let code = pnpmRun('install', '--frozen-lockfile');
if (code !== 0) {
  console.error('\nThe install failed; see the messages above. Nothing was started.');
  process.exit(code);
}

if (mode === 'test' && !existsSync('/usr/bin/chromium')) {
  // Browser tests drive Debian's Chromium; Playwright's own browser download cannot work offline.
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('› installing Chromium for the browser tests (apt-get install chromium)');
    run('apt-get', ['update', '-qq']);
    code = run('apt-get', ['install', '-y', '-qq', 'chromium'], { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (code !== 0) process.exit(code);
  } else {
    console.error('The browser tests need Chromium at /usr/bin/chromium: run `sudo apt-get install -y chromium` and try again.');
    process.exit(1);
  }
}

process.exit(pnpmRun('run', mode === 'start' ? 'dev' : 'test:all'));
