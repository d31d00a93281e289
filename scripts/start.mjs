#!/usr/bin/env node
// Starts the whole system on this machine: the hub with embedded SQLite, the scanner simulator,
// a simulated robot fleet behind the real ros2-web-bridge with the ros2 adapter connecting it to
// the hub, and the officer console (Electron where its binary is present, else browser mode).
// Environment: CLEARWAY_PORT (4300), CLEARWAY_HOST (127.0.0.1), CLEARWAY_DATA (./data),
// CLEARWAY_LANES (2), CLEARWAY_BELT_RATE (bags per minute per lane, 4), CLEARWAY_ROBOTS (4; 0 for
// none), CLEARWAY_ROSBRIDGE_PORT (9090), CLEARWAY_ROBOT_MISSIONS (1: a robot for every bag sent to search).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const port = Number(process.env.CLEARWAY_PORT ?? 4300);
const host = process.env.CLEARWAY_HOST ?? '127.0.0.1';
const dataDir = resolve(root, process.env.CLEARWAY_DATA ?? 'data');
const lanes = process.env.CLEARWAY_LANES ?? '2';
const rate = process.env.CLEARWAY_BELT_RATE ?? '4';
const robots = Number(process.env.CLEARWAY_ROBOTS ?? 4);
const rosbridgePort = process.env.CLEARWAY_ROSBRIDGE_PORT ?? '9090';
const robotMissions = (process.env.CLEARWAY_ROBOT_MISSIONS ?? '1') !== '0';
const logDir = resolve(dataDir, 'logs');
mkdirSync(logDir, { recursive: true });

const children = [];
let stopping = false;
function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

const ts = (file, ...args) => [process.execPath, ['--import', 'tsx', resolve(root, file), ...args]];

/** A long-running part of the system, its output kept in data/logs/NAME.log. `mayFinish`: exit 0 is its job done, not a failure. */
function service(name, [cmd, args], { mayFinish = false } = {}) {
  const log = createWriteStream(resolve(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.stderr.on('data', (b) => process.stderr.write(`[${name}] ${b}`));
  child.on('exit', (code, signal) => {
    if (stopping || (mayFinish && code === 0)) return;
    console.error(`\n${name} stopped (${signal ?? `exit ${code}`}); see ${resolve(logDir, `${name}.log`)}. Stopping Clearway.`);
    stopAll(1);
  });
  children.push(child);
  return child;
}

console.log('› building the console');
if (spawnSync('pnpm', ['--filter', '@clearway/console', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] }).status !== 0) {
  console.error('The console build failed (messages above).');
  process.exit(1);
}

const [seedCmd, seedArgs] = ts('apps/cli/src/main.ts', '--data', dataDir, 'demo', 'seed');
const seeded = spawnSync(seedCmd, seedArgs, { cwd: root, encoding: 'utf8' });
if (seeded.status !== 0) {
  console.error(`Could not prepare the data folder ${dataDir}:\n${seeded.stderr}`);
  process.exit(1);
}
const demo = JSON.parse(seeded.stdout.trim().split('\n').pop());

service('hub', ts('apps/hub/src/main.ts', '--data', dataDir, '--port', String(port), '--host', host, ...(robots > 0 && robotMissions ? ['--robot-missions-on-search'] : [])));
const url = `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${url}/healthz`)).ok) break;
  } catch { /* not up yet */ }
  if (i > 150) { console.error(`The hub did not come up on ${url}; see ${logDir}/hub.log`); stopAll(1); }
  await new Promise((r) => setTimeout(r, 200));
}

const scanner = demo.devices.find((d) => d.kind === 'scanner');
service('scanner-sim', ts('device-adapters/scanner-sim/src/main.ts', '--hub', url, '--device-id', scanner.id, '--token', scanner.token, '--lanes', lanes, '--rate', rate));

// Flights: a simulated day of arrivals from now, and the scanners' flight (CA981) on block now,
// loaded as a schedule file, so that the shift lead's dashboard counts the simulated bags.
const feed = demo.devices.find((d) => d.kind === 'flight-feed');
const demoFlight = resolve(dataDir, 'demo-flight.csv');
writeFileSync(demoFlight, `flight,origin,aircraft,scheduled_on_block,stand,gate,passengers,checked_bags,cabin_bags\nCA981,JFK,B77W,${new Date().toISOString()},215,E15,120,150,130\n`);
service('flight-feed', ts('device-adapters/flight-feed/src/main.ts', 'sim', '--hub', url, '--device-id', feed.id, '--token', feed.token, '--quiet'), { mayFinish: true });
service('flight-schedule', ts('device-adapters/flight-feed/src/main.ts', 'import', demoFlight, '--hub', url, '--device-id', feed.id, '--token', feed.token), { mayFinish: true });
// CA981's passenger manifest lists the plates the scanner simulator prints, so risk-based
// selection and the exit check at reclaim work on the bags it scans.
const [manifestCmd, manifestArgs] = ts('apps/cli/src/main.ts', '--data', dataDir, 'demo', 'manifest', '--flight', 'CA981', '--date', new Date().toISOString().slice(0, 10), '--bags', '150');
const manifest = spawnSync(manifestCmd, manifestArgs, { cwd: root, encoding: 'utf8' });
if (manifest.status === 0) {
  const demoManifest = resolve(dataDir, 'demo-manifest.csv');
  writeFileSync(demoManifest, manifest.stdout);
  service('flight-manifest', ts('device-adapters/flight-feed/src/main.ts', 'manifest', demoManifest, '--hub', url, '--device-id', feed.id, '--token', feed.token, '--quiet'), { mayFinish: true });
} else {
  console.error(`No demo manifest (risk-based selection and the exit check stay empty): ${manifest.stderr}`);
}

// Robots: the real ros2-web-bridge in front of the simulated fleet, then the adapter that
// connects them to the hub as a 'robot-bridge' device.
let rosbridgeUrl = null;
if (robots > 0) {
  const fleet = service('robot-fleet', [process.execPath, [resolve(root, 'device-adapters/ros2-sim/bin/fleet-bridge.cjs'), '--port', rosbridgePort, '--robots', String(robots)]]);
  rosbridgeUrl = await new Promise((resolveUrl) => {
    let out = '';
    const timer = setTimeout(() => { console.error(`The robot fleet did not start; see ${logDir}/robot-fleet.log`); stopAll(1); }, 30_000);
    fleet.stdout.on('data', (b) => {
      out += b.toString();
      const m = /^ready (ws:\/\/\S+)/m.exec(out);
      if (m) { clearTimeout(timer); resolveUrl(m[1]); }
    });
  });
  const bridgeDevice = demo.devices.find((d) => d.kind === 'robot-bridge');
  const ids = Array.from({ length: robots }, (_, i) => `robot_${i + 1}`).join(',');
  service('robot-bridge', ts('device-adapters/ros2/src/main.ts', 'hub', '--hub', url, '--device-id', bridgeDevice.id, '--token', bridgeDevice.token,
    '--bridge', rosbridgeUrl, '--robots', ids, '--simulated', '--quiet'));
}

const pad = (s, n) => String(s).padEnd(n);
console.log(`
Clearway is running.
  hub        ${url}   (data in ${dataDir}, logs in ${logDir})
  scanners   ${lanes} simulated lanes, ${rate} bags per minute each
  flights    a simulated day of arrivals, and CA981 (the scanners' bags) on block now: sign in as a shift lead
  robots     ${robots > 0 ? `${robots} simulated robots behind ros2-web-bridge at ${rosbridgeUrl}${robotMissions ? '; a robot carries every bag sent to search' : ''}` : 'none (CLEARWAY_ROBOTS=0)'}

Demo accounts (passwords are random for this data folder):
${demo.officers.map((o) => `  ${pad(o.id, 11)} ${pad(o.password, 14)} ${pad(o.role, 18)} ${o.name}`).join('\n')}
`);

const { findElectronBinary } = await import(resolve(root, 'apps/console/electron-binary.mjs'));
const electron = findElectronBinary();
if (electron.ok) {
  console.log('Starting the officer console (Electron). Press Ctrl+C here to stop everything.');
  const app = spawn(process.execPath, [resolve(root, 'apps/console/launch.mjs'), `--hub=${url}`], { cwd: root, stdio: 'inherit' });
  children.push(app);
  app.on('exit', () => stopAll(0));
} else {
  console.log(`Officer console: open ${url} in Chromium, Chrome, Edge or Firefox (browser mode).
  (${electron.reason})
Press Ctrl+C to stop everything.`);
}
