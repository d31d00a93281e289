#!/usr/bin/env node
// @ts-check
'use strict';

// A simulated robot fleet behind the real ros2-web-bridge:
//   node device-adapters/ros2-sim/bin/fleet-bridge.cjs --port 9090 --robots 4
// With a fixed port the bridge starts through its own entry point, require('ros2-web-bridge')
// .createServer(), exactly as its `rosbridge` command does; --port 0 starts it in-process on a
// free port instead (createServer cannot). Prints one line `ready <url> <robots…>` when both run.

const net = require('node:net');
const { parseArgs } = require('node:util');
const rclnodejs = require('../src/index.cjs');
const { SimFleet } = require('../src/fleet.cjs');
const { locateBridge, startBridge } = require('../src/bridge.cjs');

const USAGE = `usage: fleet-bridge.cjs [options]
  --port <n>               WebSocket port; 0 for a free one (default 9090)
  --robots <n>             robots robot_1 … robot_N (default 4)
  --clock-factor <x>       simulated seconds per real second (default 1)
  --seed <n>               goal ids and starting charge (default 1)
  --map <file>             map (default assets/maps/terminal.json)
  --status-level <level>   the bridge's status level: error, warning, info, none (default error)
  --heartbeat-timeout <s>  stop a robot when no operator heartbeat came for this long (default off)
  --help`;

/** @param {string} text */
function out(text) {
  process.stdout.write(`${text}\n`);
}

/**
 * @param {string | undefined} value
 * @param {string} name
 * @param {number} min
 * @param {boolean} [whole]
 */
function number(value, name, min, whole = true) {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || (whole && !Number.isInteger(n))) {
    process.stderr.write(`fleet-bridge: --${name} must be ${whole ? 'a whole number' : 'a number'} of at least ${min}\n${USAGE}\n`);
    process.exit(2);
  }
  return n;
}

/** @param {number} port @returns {Promise<boolean>} */
function portFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, () => probe.close(() => resolve(true)));
  });
}

async function main() {
  /** @type {ReturnType<typeof parseArgs>['values']} */
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '9090' },
        robots: { type: 'string', default: '4' },
        'clock-factor': { type: 'string', default: '1' },
        seed: { type: 'string', default: '1' },
        map: { type: 'string' },
        'status-level': { type: 'string', default: 'error' },
        'heartbeat-timeout': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`fleet-bridge: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  if (values['help']) {
    out(USAGE);
    return 0;
  }
  const port = number(/** @type {string} */ (values['port']), 'port', 0);
  const robots = number(/** @type {string} */ (values['robots']), 'robots', 0);
  const clockFactor = number(/** @type {string} */ (values['clock-factor']), 'clock-factor', 0.001, false);
  const seed = number(/** @type {string} */ (values['seed']), 'seed', 0);
  const statusLevel = /** @type {string} */ (values['status-level']);
  if (!['error', 'warning', 'info', 'none'].includes(statusLevel)) {
    process.stderr.write(`fleet-bridge: --status-level must be error, warning, info or none\n`);
    return 2;
  }
  const heartbeat = values['heartbeat-timeout'] === undefined ? null : number(/** @type {string} */ (values['heartbeat-timeout']), 'heartbeat-timeout', 0.1, false) * 1000;

  let url;
  /** @type {(() => Promise<void>) | null} */
  let closeBridge = null;
  if (port === 0) {
    const bridge = await startBridge({ port: 0, host: '127.0.0.1', statusLevel: /** @type {any} */ (statusLevel) });
    url = bridge.url;
    closeBridge = bridge.close;
  } else {
    if (!(await portFree(port))) {
      process.stderr.write(`fleet-bridge: port ${port} is in use\n`);
      return 1;
    }
    const located = locateBridge();
    // The bridge's own entry point; it initialises rclnodejs (our simulator) and prints its URL.
    await located.require(located.index).createServer({ port, status_level: statusLevel });
    url = `ws://localhost:${port}`;
  }

  const fleet = new SimFleet({
    robots,
    clockFactor,
    seed,
    heartbeatTimeoutMs: heartbeat,
    ...(values['map'] === undefined ? {} : { mapPath: /** @type {string} */ (values['map']) }),
  });
  await fleet.start();
  out(`fleet-bridge: ${robots} robots on "${fleet.map.name}", clock ×${clockFactor}; ros2-web-bridge at ${url}`);
  out(`ready ${url} ${fleet.robotIds.join(' ')}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(130);
    stopping = true;
    fleet.close();
    if (closeBridge) await closeBridge();
    if (!rclnodejs.isShutdown()) rclnodejs.shutdown();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return null;
}

main().then(
  (code) => {
    if (code !== null) process.exit(code);
  },
  (error) => {
    process.stderr.write(`fleet-bridge: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
