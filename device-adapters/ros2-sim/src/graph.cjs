// @ts-check
'use strict';

// An in-memory ROS 2 graph: nodes, publishers, subscriptions, service clients and servers, with
// the delivery semantics a node sees through rclnodejs:
// - publish() checks the message against its type at once (a bad message throws there) and
//   delivers a normalised copy to every subscription of the same name and type later, never
//   inside the publish call; a subscription whose type differs does not match (as in DDS);
// - callbacks run only for nodes that spin (rclnodejs.spin) or when spinOnce() is called; until
//   then deliveries wait in a keep-last queue of the QoS depth (10 by default, oldest dropped);
// - a service request goes to the first server of that name and type; with no server it is lost
//   and the client never hears back (ros2-web-bridge then never replies either);
// - names are validated and expanded like rcl: relative names go under the node's namespace.

const { checkNodeName, checkNamespace, expandName } = require('./names.cjs');
const { loadMessageType, loadServiceType, normalizeMessage, defaultMessage } = require('./interfaces.cjs');

/** @typedef {import('./interfaces.cjs').MessageType} MessageType */
/** @typedef {import('./interfaces.cjs').ServiceType} ServiceType */

const DEFAULT_DEPTH = 10;

/**
 * @param {unknown} options
 * @returns {number}
 */
function depthOf(options) {
  if (options && typeof options === 'object') {
    const qos = /** @type {Record<string, unknown>} */ (options)['qos'];
    if (qos && typeof qos === 'object') {
      const depth = /** @type {Record<string, unknown>} */ (qos)['depth'];
      if (typeof depth === 'number' && Number.isInteger(depth) && depth > 0) return depth;
    }
  }
  return DEFAULT_DEPTH;
}

/**
 * rclnodejs accepts (type, name, callback) and (type, name, options, callback).
 * @param {unknown} options
 * @param {unknown} callback
 * @returns {[unknown, Function]}
 */
function optionsAndCallback(options, callback) {
  if (typeof options === 'function' && callback === undefined) return [undefined, options];
  if (typeof callback !== 'function') throw new TypeError('Invalid argument');
  return [options, callback];
}

/** Topic and service bookkeeping, shared by every node of one context. */
class Graph {
  constructor() {
    /** @type {Map<string, Set<Subscription>>} */
    this.subscriptions = new Map();
    /** @type {Map<string, Set<Publisher>>} */
    this.publishers = new Map();
    /** @type {Map<string, Service[]>} */
    this.services = new Map();
    /** @type {Set<Node>} */
    this.nodes = new Set();
    /** Counts for tests and diagnostics. */
    this.stats = { published: 0, delivered: 0, dropped: 0, requests: 0, lostRequests: 0, responses: 0 };
  }

  /**
   * @template T
   * @param {Map<string, Set<T>>} map
   * @param {string} name
   * @param {T} entity
   */
  static add(map, name, entity) {
    let set = map.get(name);
    if (!set) map.set(name, (set = new Set()));
    set.add(entity);
  }

  /**
   * @template T
   * @param {Map<string, Set<T>>} map
   * @param {string} name
   * @param {T} entity
   */
  static remove(map, name, entity) {
    const set = map.get(name);
    if (!set) return;
    set.delete(entity);
    if (set.size === 0) map.delete(name);
  }

  /** Topic names with their types, like `ros2 topic list -t`. @returns {Array<[string, string[]]>} */
  topicNamesAndTypes() {
    /** @type {Map<string, Set<string>>} */
    const out = new Map();
    for (const map of [this.publishers, this.subscriptions]) {
      for (const [name, set] of map) for (const e of set) Graph.add(out, name, e.type.name);
    }
    return [...out].map(([name, types]) => /** @type {[string, string[]]} */ ([name, [...types].sort()])).sort((a, b) => a[0].localeCompare(b[0]));
  }

  /** @returns {Array<[string, string[]]>} */
  serviceNamesAndTypes() {
    return [...this.services]
      .map(([name, list]) => /** @type {[string, string[]]} */ ([name, [...new Set(list.map((s) => s.type.name))].sort()]))
      .sort((a, b) => a[0].localeCompare(b[0]));
  }

  /** @param {string} topic */
  subscriptionCount(topic) {
    return this.subscriptions.get(topic)?.size ?? 0;
  }
}

/** Something that runs callbacks on a node: queued until the node spins. */
class Entity {
  /**
   * @param {Node} node
   * @param {string} name  expanded name
   */
  constructor(node, name) {
    this._node = node;
    this._name = name;
    this._destroyed = false;
  }

  get destroyed() {
    return this._destroyed;
  }
}

class Publisher extends Entity {
  /**
   * @param {Node} node
   * @param {MessageType} type
   * @param {string} topic
   */
  constructor(node, type, topic) {
    super(node, topic);
    this.type = type;
  }

  get topic() {
    return this._name;
  }

  /**
   * Checks the message and delivers copies to matching subscriptions; throws on a bad message.
   * @param {unknown} message
   */
  publish(message) {
    if (this._destroyed) throw new Error(`publisher on ${this._name} has been destroyed`);
    const normalized = normalizeMessage(this.type, message);
    const graph = this._node._context.graph;
    graph.stats.published++;
    const subs = graph.subscriptions.get(this._name);
    if (!subs) return;
    let first = true;
    for (const sub of subs) {
      if (sub.type !== this.type) continue;
      sub._enqueue(first ? normalized : structuredClone(normalized));
      first = false;
    }
  }

  /** How many subscriptions of this topic exist in the graph. */
  subscriptionCount() {
    return this._node._context.graph.subscriptionCount(this._name);
  }
}

class Subscription extends Entity {
  /**
   * @param {Node} node
   * @param {MessageType} type
   * @param {string} topic
   * @param {number} depth
   * @param {(message: Record<string, unknown>) => void} callback
   */
  constructor(node, type, topic, depth, callback) {
    super(node, topic);
    this.type = type;
    this._depth = depth;
    this._callback = callback;
    /** @type {Array<Record<string, unknown>>} */
    this._queue = [];
  }

  get topic() {
    return this._name;
  }

  /** @param {Record<string, unknown>} message */
  _enqueue(message) {
    if (this._destroyed) return;
    this._queue.push(message);
    if (this._queue.length > this._depth) {
      this._queue.shift();
      this._node._context.graph.stats.dropped++;
    }
    this._node._wake(this);
  }

  /** @returns {boolean} true when a message was taken */
  _takeOne() {
    const message = this._queue.shift();
    if (message === undefined || this._destroyed) return false;
    this._node._context.graph.stats.delivered++;
    this._callback(message);
    return true;
  }

  _hasWork() {
    return this._queue.length > 0;
  }
}

/** What a service callback answers with: rclnodejs's Response. */
class Response {
  /**
   * @param {Service} service
   * @param {(message: Record<string, unknown>) => void} deliver
   */
  constructor(service, deliver) {
    this._service = service;
    this._deliver = deliver;
    this._sent = false;
  }

  /** An empty response message to fill in. */
  get template() {
    return defaultMessage(this._service.type.Response);
  }

  get sent() {
    return this._sent;
  }

  /**
   * Checks and sends the response; throws on a bad response. Only the first send counts.
   * @param {unknown} message
   */
  send(message) {
    if (this._sent) return;
    const normalized = normalizeMessage(this._service.type.Response, message ?? {});
    this._sent = true;
    this._deliver(normalized);
  }
}

class Service extends Entity {
  /**
   * @param {Node} node
   * @param {ServiceType} type
   * @param {string} serviceName
   * @param {(request: Record<string, unknown>, response: Response) => unknown} callback
   */
  constructor(node, type, serviceName, callback) {
    super(node, serviceName);
    this.type = type;
    this._callback = callback;
    /** @type {Array<{ request: Record<string, unknown>, reply: (message: Record<string, unknown>) => void }>} */
    this._queue = [];
  }

  get serviceName() {
    return this._name;
  }

  /**
   * @param {Record<string, unknown>} request
   * @param {(message: Record<string, unknown>) => void} reply
   */
  _enqueue(request, reply) {
    if (this._destroyed) return;
    this._queue.push({ request, reply });
    this._node._wake(this);
  }

  _takeOne() {
    const item = this._queue.shift();
    if (!item || this._destroyed) return false;
    const response = new Response(this, item.reply);
    const returned = this._callback(item.request, response);
    // Newer rclnodejs also sends what the callback returns.
    if (returned !== undefined && !(returned instanceof Promise) && !response.sent) response.send(returned);
    if (returned instanceof Promise) {
      returned.then(
        (value) => {
          if (value !== undefined && !response.sent) response.send(value);
        },
        () => {},
      );
    }
    return true;
  }

  _hasWork() {
    return this._queue.length > 0;
  }
}

class Client extends Entity {
  /**
   * @param {Node} node
   * @param {ServiceType} type
   * @param {string} serviceName
   */
  constructor(node, type, serviceName) {
    super(node, serviceName);
    this.type = type;
    /** @type {Array<() => void>} */
    this._queue = [];
  }

  get serviceName() {
    return this._name;
  }

  /** @returns {boolean} */
  isServiceServerAvailable() {
    return (this._node._context.graph.services.get(this._name) ?? []).some((s) => s.type === this.type);
  }

  /**
   * Resolves true once a server is there, false after `timeoutMs`.
   * @param {number} [timeoutMs]
   */
  async waitForService(timeoutMs) {
    const until = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
    while (!this.isServiceServerAvailable()) {
      if (Date.now() >= until || this._destroyed) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return true;
  }

  /**
   * Checks the request (throws on a bad one) and sends it to the first server of this name and
   * type. The callback runs on this client's node once the server responds; with no server the
   * request is lost, as over DDS.
   * @param {unknown} request
   * @param {(response: Record<string, unknown>) => void} callback
   */
  sendRequest(request, callback) {
    if (this._destroyed) throw new Error(`client of ${this._name} has been destroyed`);
    if (typeof callback !== 'function') throw new TypeError('Invalid argument');
    const normalized = normalizeMessage(this.type.Request, request ?? {});
    const graph = this._node._context.graph;
    graph.stats.requests++;
    const server = (graph.services.get(this._name) ?? []).find((s) => s.type === this.type && !s.destroyed);
    if (!server) {
      graph.stats.lostRequests++;
      return;
    }
    server._enqueue(normalized, (response) => {
      graph.stats.responses++;
      if (this._destroyed) return;
      this._queue.push(() => callback(response));
      this._node._wake(this);
    });
  }

  _takeOne() {
    const run = this._queue.shift();
    if (!run || this._destroyed) return false;
    run();
    return true;
  }

  _hasWork() {
    return this._queue.length > 0;
  }
}

/** @typedef {Subscription | Service | Client} Worker */

class Node {
  /**
   * @param {Context} context
   * @param {string} name
   * @param {string} namespace
   */
  constructor(context, name, namespace) {
    this._context = context;
    this._name = name;
    this._namespace = namespace;
    this._spinning = false;
    this._destroyed = false;
    /** @type {Set<Publisher>} */
    this._publishers = new Set();
    /** @type {Set<Subscription>} */
    this._subscriptions = new Set();
    /** @type {Set<Service>} */
    this._services = new Set();
    /** @type {Set<Client>} */
    this._clients = new Set();
    /** @type {Set<Worker>} entities with callbacks waiting */
    this._ready = new Set();
    this._scheduled = false;
  }

  name() {
    return this._name;
  }

  namespace() {
    return this._namespace;
  }

  getFullyQualifiedName() {
    return `${this._namespace === '/' ? '' : this._namespace}/${this._name}`;
  }

  get spinning() {
    return this._spinning;
  }

  get destroyed() {
    return this._destroyed;
  }

  _checkAlive() {
    if (this._destroyed) throw new Error(`node ${this.getFullyQualifiedName()} has been destroyed`);
    if (!this._context.ok()) throw new Error('the context is not valid: rclnodejs.init() has not been called, or shutdown() has');
  }

  /**
   * @param {unknown} name
   * @param {'topic' | 'service'} kind
   */
  _expand(name, kind) {
    return expandName(name, this._name, this._namespace, kind);
  }

  /**
   * @param {unknown} typeClass  'pkg/msg/Name'
   * @param {unknown} topic
   * @param {unknown} [_options]
   */
  createPublisher(typeClass, topic, _options) {
    this._checkAlive();
    const type = loadMessageType(typeClass);
    if (typeof topic !== 'string') throw new TypeError('Invalid argument');
    const name = this._expand(topic, 'topic');
    const publisher = new Publisher(this, type, name);
    this._publishers.add(publisher);
    Graph.add(this._context.graph.publishers, name, publisher);
    return publisher;
  }

  /**
   * @param {unknown} typeClass
   * @param {unknown} topic
   * @param {unknown} options
   * @param {unknown} [callback]
   */
  createSubscription(typeClass, topic, options, callback) {
    this._checkAlive();
    const [opts, cb] = optionsAndCallback(options, callback);
    const type = loadMessageType(typeClass);
    if (typeof topic !== 'string') throw new TypeError('Invalid argument');
    const name = this._expand(topic, 'topic');
    const subscription = new Subscription(this, type, name, depthOf(opts), /** @type {any} */ (cb));
    this._subscriptions.add(subscription);
    Graph.add(this._context.graph.subscriptions, name, subscription);
    return subscription;
  }

  /**
   * @param {unknown} typeClass  'pkg/srv/Name'
   * @param {unknown} serviceName
   * @param {unknown} [_options]
   */
  createClient(typeClass, serviceName, _options) {
    this._checkAlive();
    const type = loadServiceType(typeClass);
    if (typeof serviceName !== 'string') throw new TypeError('Invalid argument');
    const name = this._expand(serviceName, 'service');
    const client = new Client(this, type, name);
    this._clients.add(client);
    return client;
  }

  /**
   * @param {unknown} typeClass
   * @param {unknown} serviceName
   * @param {unknown} options
   * @param {unknown} [callback]
   */
  createService(typeClass, serviceName, options, callback) {
    this._checkAlive();
    const [, cb] = optionsAndCallback(options, callback);
    const type = loadServiceType(typeClass);
    if (typeof serviceName !== 'string') throw new TypeError('Invalid argument');
    const name = this._expand(serviceName, 'service');
    const service = new Service(this, type, name, /** @type {any} */ (cb));
    this._services.add(service);
    const list = this._context.graph.services.get(name) ?? [];
    list.push(service);
    this._context.graph.services.set(name, list);
    return service;
  }

  /** @param {unknown} publisher */
  destroyPublisher(publisher) {
    if (!(publisher instanceof Publisher) || !this._publishers.has(publisher)) throw new TypeError('Invalid argument');
    publisher._destroyed = true;
    this._publishers.delete(publisher);
    Graph.remove(this._context.graph.publishers, publisher.topic, publisher);
  }

  /** @param {unknown} subscription */
  destroySubscription(subscription) {
    if (!(subscription instanceof Subscription) || !this._subscriptions.has(subscription)) throw new TypeError('Invalid argument');
    subscription._destroyed = true;
    subscription._queue.length = 0;
    this._subscriptions.delete(subscription);
    this._ready.delete(subscription);
    Graph.remove(this._context.graph.subscriptions, subscription.topic, subscription);
  }

  /** @param {unknown} client */
  destroyClient(client) {
    if (!(client instanceof Client) || !this._clients.has(client)) throw new TypeError('Invalid argument');
    client._destroyed = true;
    client._queue.length = 0;
    this._clients.delete(client);
    this._ready.delete(client);
  }

  /** @param {unknown} service */
  destroyService(service) {
    if (!(service instanceof Service) || !this._services.has(service)) throw new TypeError('Invalid argument');
    service._destroyed = true;
    service._queue.length = 0;
    this._services.delete(service);
    this._ready.delete(service);
    const list = (this._context.graph.services.get(service.serviceName) ?? []).filter((s) => s !== service);
    if (list.length > 0) this._context.graph.services.set(service.serviceName, list);
    else this._context.graph.services.delete(service.serviceName);
  }

  /** Destroys every entity of the node and takes it off the graph. */
  destroy() {
    if (this._destroyed) return;
    for (const p of [...this._publishers]) this.destroyPublisher(p);
    for (const s of [...this._subscriptions]) this.destroySubscription(s);
    for (const c of [...this._clients]) this.destroyClient(c);
    for (const s of [...this._services]) this.destroyService(s);
    this._spinning = false;
    this._destroyed = true;
    this._context.graph.nodes.delete(this);
    this._context.nodes.delete(this);
  }

  /**
   * Starts executing callbacks as deliveries arrive (rclnodejs.spin).
   * @param {number} [_timeout]
   */
  spin(_timeout) {
    this._checkAlive();
    if (this._spinning) throw new Error('The node is already spinning.');
    this._spinning = true;
    if (this._ready.size > 0) this._schedule();
  }

  stop() {
    this._spinning = false;
  }

  /**
   * Runs the callbacks waiting now, one per entity per pass (rclnodejs.spinOnce).
   * @param {number} [_timeout]
   */
  spinOnce(_timeout) {
    this._checkAlive();
    if (this._spinning) throw new Error('The node is already spinning.');
    this._runReady();
  }

  /** @param {Worker} entity */
  _wake(entity) {
    this._ready.add(entity);
    if (this._spinning) this._schedule();
  }

  _schedule() {
    if (this._scheduled) return;
    this._scheduled = true;
    setImmediate(() => {
      this._scheduled = false;
      if (!this._spinning || this._destroyed) return;
      this._runReady();
    });
  }

  _runReady() {
    // Bounded per turn so one busy topic cannot starve the event loop: what is left waits a turn.
    let budget = 1000;
    while (this._ready.size > 0 && budget > 0 && !this._destroyed) {
      for (const entity of [...this._ready]) {
        if (!entity._hasWork()) {
          this._ready.delete(entity);
          continue;
        }
        try {
          entity._takeOne();
        } catch (error) {
          // A throwing callback must not take the executor down; rclnodejs would surface it.
          this._context.reportCallbackError(this, error);
        }
        budget--;
        if (!entity._hasWork()) this._ready.delete(entity);
      }
    }
    if (this._ready.size > 0 && this._spinning) this._schedule();
  }
}

/** rclnodejs's Context: init() makes it valid, shutdown() destroys its nodes. */
class Context {
  constructor() {
    this.graph = new Graph();
    /** @type {Set<Node>} */
    this.nodes = new Set();
    /** @type {'uninitialized' | 'ok' | 'shutdown'} */
    this.state = 'uninitialized';
    /** @type {Array<(node: Node, error: unknown) => void>} */
    this.callbackErrorListeners = [];
  }

  ok() {
    return this.state === 'ok';
  }

  /**
   * @param {string} name
   * @param {string} namespace
   */
  createNode(name, namespace) {
    if (!this.ok()) throw new Error('the context is not valid: rclnodejs.init() has not been called, or shutdown() has');
    if (typeof name !== 'string' || typeof namespace !== 'string') throw new TypeError('Invalid argument');
    const nameFailure = checkNodeName(name);
    if (nameFailure) throw new Error(`Invalid node name '${name}': ${nameFailure[0]}`);
    let ns = namespace === '' ? '/' : namespace;
    if (!ns.startsWith('/')) ns = `/${ns}`;
    const nsFailure = checkNamespace(ns);
    if (nsFailure) throw new Error(`Invalid namespace '${namespace}': ${nsFailure[0]}`);
    const node = new Node(this, name, ns);
    this.nodes.add(node);
    this.graph.nodes.add(node);
    return node;
  }

  shutdown() {
    for (const node of [...this.nodes]) node.destroy();
    this.state = 'shutdown';
  }

  /**
   * @param {Node} node
   * @param {unknown} error
   */
  reportCallbackError(node, error) {
    if (this.callbackErrorListeners.length === 0) {
      console.error(`[rclnodejs-sim] callback of node ${node.getFullyQualifiedName()} threw:`, error);
      return;
    }
    for (const listener of this.callbackErrorListeners) listener(node, error);
  }
}

module.exports = { Context, Graph, Node, Publisher, Subscription, Client, Service, Response };
