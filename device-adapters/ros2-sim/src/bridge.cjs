// @ts-check
'use strict';

// Runs the real ros2-web-bridge (npm ros2-web-bridge@0.3.0) over this package's graph.
//
// startBridge() does in-process what the bridge's index.js createServer() does — one rclnodejs
// node 'ros2_web_bridge', spinning, and a `new Bridge(node, ws, statusLevel)` from its
// lib/bridge.js per WebSocket connection, on the bridge's own `ws` — but listens on any port
// (0 for a free one), can run more than once in a process, closes, and can pause (go silent) to
// show a client what a stalled link looks like. createServer() itself takes no port 0, keeps its
// server to itself and cannot be closed; bin/fleet-bridge.cjs uses it for a fixed port.
//
// The bridge's SubscriptionManager is a process-wide singleton bound to the first node it sees, so
// every bridge in a process shares the one 'ros2_web_bridge' node of the default context.

const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');
const { EventEmitter, once } = require('node:events');
const rclnodejs = require('./index.cjs');
const { SimFleet } = require('./fleet.cjs');

/**
 * Finds ros2-web-bridge: from this package if it ever depends on it, else from
 * @clearway/ros2-adapter next door, which has it as a devDependency.
 * @returns {{ dir: string, index: string, require: NodeJS.Require }}
 */
function locateBridge() {
  const attempts = [() => require.resolve('ros2-web-bridge')];
  for (const attempt of attempts) {
    let index;
    try {
      index = fs.realpathSync(attempt());
    } catch {
      continue;
    }
    return { dir: path.dirname(index), index, require: createRequire(index) };
  }
  throw new Error('ros2-web-bridge is not installed: it is a dependency of @clearway/rclnodejs-sim (pnpm install at the repository root)');
}

/**
 * The bridge's own rclnodejs must be this simulator (pnpm-workspace.yaml overrides rclnodejs).
 * @param {NodeJS.Require} bridgeRequire
 */
function checkOverride(bridgeRequire) {
  const theirs = bridgeRequire('rclnodejs');
  if (theirs !== rclnodejs && typeof theirs.currentContext !== 'function') {
    throw new Error("ros2-web-bridge loads a real rclnodejs, not @clearway/rclnodejs-sim: check the pnpm override 'rclnodejs: link:device-adapters/ros2-sim'");
  }
}

/** @type {WeakMap<object, import('./graph.cjs').Node>} the bridge node of each context */
const bridgeNodes = new WeakMap();

async function bridgeNode() {
  if (rclnodejs.isShutdown()) await rclnodejs.init();
  const context = rclnodejs.currentContext();
  let node = bridgeNodes.get(context);
  if (!node || node.destroyed) {
    node = rclnodejs.createNode('ros2_web_bridge');
    rclnodejs.spin(node);
    bridgeNodes.set(context, node);
  }
  return node;
}

/**
 * @typedef {object} BridgeOptions
 * @property {number} [port]  0 (default) for a free port
 * @property {string} [host]  default 127.0.0.1
 * @property {'error' | 'warning' | 'info' | 'none'} [statusLevel]  the bridge's -l; default 'error'
 */

/**
 * @typedef {object} RunningBridge
 * @property {string} url  ws://host:port
 * @property {number} port
 * @property {() => number} connectionCount
 * @property {() => void} pause  goes silent: sends nothing, holds what clients send
 * @property {() => void} resume
 * @property {() => void} dropConnections  closes every client connection (the server stays up)
 * @property {() => Promise<void>} close
 */

/**
 * Starts ros2-web-bridge on the simulated graph, in this process.
 * @param {BridgeOptions} [options]
 * @returns {Promise<RunningBridge>}
 */
async function startBridge(options = {}) {
  const located = locateBridge();
  checkOverride(located.require);
  const WebSocket = located.require('ws');
  const Bridge = located.require('./lib/bridge.js');
  const node = await bridgeNode();
  const host = options.host ?? '127.0.0.1';
  const statusLevel = options.statusLevel ?? 'error';
  const server = new WebSocket.Server({ port: options.port ?? 0, host });
  await once(server, 'listening');
  const port = server.address().port;
  let paused = false;
  /** @type {Set<{ ws: any, link: import('node:events').EventEmitter, held: unknown[] }>} */
  const connections = new Set();

  server.on('connection', (/** @type {any} */ ws) => {
    // The Bridge sees the socket through this link (it only uses on() and send()), so that
    // pause() can stop traffic both ways without touching the bridge's code.
    /** @type {import('node:events').EventEmitter & { send?: (data: unknown, ...rest: unknown[]) => void }} */
    const link = new EventEmitter();
    const entry = { ws, link, held: /** @type {unknown[]} */ ([]) };
    link.send = (data, ...rest) => {
      if (!paused) ws.send(data, ...rest);
    };
    ws.on('message', (/** @type {unknown} */ message) => {
      if (paused) entry.held.push(message);
      else link.emit('message', message);
    });
    ws.on('close', () => {
      connections.delete(entry);
      link.emit('close');
    });
    ws.on('error', (/** @type {unknown} */ error) => link.emit('error', error));
    connections.add(entry);
    const bridge = new Bridge(node, link, statusLevel);
    // As index.js: a socket error closes that bridge.
    bridge.on('error', () => bridge.close());
  });

  let closed = false;
  return {
    url: `ws://${host}:${port}`,
    port,
    connectionCount: () => connections.size,
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      for (const entry of connections) {
        const held = entry.held.splice(0);
        for (const message of held) entry.link.emit('message', message);
      }
    },
    dropConnections() {
      for (const entry of connections) entry.ws.terminate();
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const entry of connections) entry.ws.terminate();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

/**
 * @typedef {object} FleetBridge
 * @property {SimFleet} fleet
 * @property {RunningBridge} bridge
 * @property {string} url
 * @property {() => Promise<void>} close
 */

/**
 * A simulated fleet and the real bridge in front of it, in this process.
 * @param {import('./fleet.cjs').FleetOptions & BridgeOptions} [options]
 * @returns {Promise<FleetBridge>}
 */
async function startFleetBridge(options = {}) {
  const { port, host, statusLevel, ...fleetOptions } = options;
  const bridge = await startBridge({ ...(port === undefined ? {} : { port }), ...(host === undefined ? {} : { host }), ...(statusLevel === undefined ? {} : { statusLevel }) });
  const fleet = new SimFleet(fleetOptions);
  try {
    await fleet.start();
  } catch (error) {
    await bridge.close();
    throw error;
  }
  return {
    fleet,
    bridge,
    url: bridge.url,
    async close() {
      fleet.close();
      await bridge.close();
    },
  };
}

module.exports = { startBridge, startFleetBridge, locateBridge };
