// @ts-check
'use strict';

// The part of the rclnodejs API that ros2-web-bridge 0.3.0 calls, over an in-memory graph:
//   index.js:   init(), isShutdown(), shutdown(), createNode(name), spin(node)
//   bridge.js:  validator.validateFullTopicName(), validator.validateTopicName()
//   resource_provider.js / subscription_manager.js, on the node:
//               createPublisher(type, topic) → publisher.publish(msg)
//               createSubscription(type, topic, {enableTypedArray: false}, callback(msg))
//               createClient(type, service, {enableTypedArray: false}) → client.sendRequest(args, callback(response))
//               createService(type, service, {enableTypedArray: false}, callback(request, response)) → response.send(values)
//               destroyPublisher/destroySubscription/destroyClient/destroyService
// plus spinOnce(), the rest of the validator and response.template, which the bridge's own
// protocol tests use. Nothing else of rclnodejs is here: no require()/createMessageObject (the
// bridge does not call them), no actions, timers, parameters or QoS beyond the history depth.
// pnpm's `overrides: rclnodejs: link:device-adapters/ros2-sim` makes the bridge load this file.

const { Context } = require('./graph.cjs');
const { validator } = require('./names.cjs');

/**
 * One process-wide default context, like the native rclnodejs context. Kept on globalThis so that
 * a second copy of this module (a test runner's own loader) still sees the same graph.
 * @type {{ context: Context }}
 */
const shared = (() => {
  const key = Symbol.for('@clearway/rclnodejs-sim/default-context');
  const g = /** @type {Record<symbol, { context: Context } | undefined>} */ (/** @type {unknown} */ (globalThis));
  let found = g[key];
  if (!found) {
    found = { context: new Context() };
    g[key] = found;
  }
  return found;
})();

/**
 * Initialises the default context. Rejects when it is already initialised, as rclnodejs does;
 * after shutdown() a fresh context (an empty graph) is started.
 * @returns {Promise<void>}
 */
async function init() {
  if (shared.context.state === 'ok') throw new Error('The context has already been initialized.');
  if (shared.context.state === 'shutdown') shared.context = new Context();
  shared.context.state = 'ok';
}

/** True unless init() has been called and shutdown() has not. */
function isShutdown() {
  return shared.context.state !== 'ok';
}

/** Destroys every node of the default context. */
function shutdown() {
  if (shared.context.state === 'ok') shared.context.shutdown();
}

/**
 * @param {string} nodeName
 * @param {string} [namespace]
 */
function createNode(nodeName, namespace = '') {
  return shared.context.createNode(nodeName, namespace);
}

/**
 * @param {import('./graph.cjs').Node} node
 * @param {number} [timeout]
 */
function spin(node, timeout = 10) {
  node.spin(timeout);
}

/**
 * @param {import('./graph.cjs').Node} node
 * @param {number} [timeout]
 */
function spinOnce(node, timeout = 10) {
  node.spinOnce(timeout);
}

/** The simulator's own handle on the default context (not rclnodejs API): graph, stats, errors. */
function currentContext() {
  return shared.context;
}

module.exports = { init, isShutdown, shutdown, createNode, spin, spinOnce, validator, currentContext };
