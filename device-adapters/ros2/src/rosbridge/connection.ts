import { DEFAULT_RESEND_BACKOFF, backoffDelay, type Backoff } from '@clearway/device-core';
import WebSocket from 'ws';
import { CommandError, ServiceCallError } from './errors.ts';
import { FrameEncodeError, decodeFrame, encodeFrame, type IncomingOp, type OutgoingOp, type RosMessage } from './frames.ts';

/**
 * The two servers of the rosbridge v2 protocol, which differ in details a client must respect:
 * - ros2-web-bridge (Node, rclnodejs): uint8[] as arrays of numbers, errors as status ops with the
 *   op's id, no reply at all for a call to an unknown service, `type` required on subscribe and
 *   call_service, no actions; with status level 'none' it acknowledges every op.
 * - rosbridge_suite (Python): uint8[] as base64, result: false with the error as a string, errors
 *   otherwise only in its log, and actions (send_action_goal, action_feedback, action_result).
 */
export type Dialect = 'ros2-web-bridge' | 'rosbridge_suite';

export type ConnectionEvent =
  | { type: 'connecting'; url: string; attempt: number }
  | { type: 'open'; url: string }
  | { type: 'dialect'; url: string; dialect: Dialect; how: 'configured' | 'detected' | 'assumed' }
  | { type: 'closed'; url: string; reason: string; reconnectInMs: number | null }
  | { type: 'stalled'; url: string; silentForMs: number }
  | { type: 'malformed-frame'; url: string; reason: string }
  | { type: 'repaired-frame'; url: string }
  | { type: 'bridge-error'; url: string; level: string; message: string; id: string | null }
  | { type: 'encode-error'; url: string; message: string }
  | { type: 'handler-error'; url: string; message: string };

export interface RosbridgeConnectionOptions {
  url: string;
  /** Default 'auto': told apart by the replies to two probes right after connecting. */
  dialect?: Dialect | 'auto';
  /** Delay between reconnection attempts. Default 250 ms doubling to 5 s, with jitter. */
  reconnect?: Partial<Backoff>;
  /** WebSocket opening handshake limit. Default 3 s. */
  handshakeTimeoutMs?: number;
  /** Default limit of a service call. Default 3 s. */
  serviceTimeoutMs?: number;
  /** How often the link is probed (round-trip time). Default 1 s. */
  probeIntervalMs?: number;
  /** No frame and no probe reply for this long: the connection is dropped and made again. Default 5 s. */
  stallTimeoutMs?: number;
  /** How long to wait for the dialect probes before assuming ros2-web-bridge. Default 2 s. */
  detectTimeoutMs?: number;
  /** Frames larger than this are refused by the socket. Default 16 MiB. */
  maxFrameBytes?: number;
  /** Normal frames wait while the socket holds more than this unsent; urgent ones never wait. Default 256 KiB. */
  maxBufferedBytes?: number;
  /** Monotonic milliseconds. Default performance.now. */
  now?: () => number;
  onEvent?: (event: ConnectionEvent) => void;
}

export interface MessageMeta {
  /** Monotonic receive time (options.now). */
  receivedAt: number;
}

export type TopicHandler = (msg: Record<string, unknown>, meta: MessageMeta) => void;

/** What became of one frame sent: when it reached the socket, and the bridge's acknowledgement. */
export interface SendReceipt {
  id: string;
  /** options.now() when the send was asked for. */
  requestedAt: number;
  /** When the frame was handed to the socket (synchronously for urgent frames). */
  sentAt: number | null;
  /** Resolves with the time the socket wrote it out; null when it never was (connection lost). */
  written: Promise<number | null>;
  /**
   * Resolves with the time of ros2-web-bridge's status acknowledgement of this op, or null where
   * there is none (rosbridge_suite, or none within the service timeout).
   */
  acknowledged: Promise<number | null>;
}

interface PendingCall {
  service: string;
  resolve: (values: unknown) => void;
  reject: (error: ServiceCallError) => void;
  timer: ReturnType<typeof setTimeout>;
}

interface PendingAck {
  resolve: (at: number | null) => void;
  timer: ReturnType<typeof setTimeout>;
}

export interface ActionCallbacks {
  onFeedback?: (values: unknown) => void;
  onResult: (result: { status: number | null; values: unknown; ok: boolean }) => void;
}

const PROBE_SERVICE = '/rosapi/get_time';
const PROBE_SERVICE_TYPE = 'rosapi_msgs/srv/GetTime';
const RECONNECT: Backoff = { ...DEFAULT_RESEND_BACKOFF, maxMs: 5_000 };
/** A connection that lasted this long resets the reconnection backoff. */
const HEALTHY_AFTER_MS = 2_000;

/**
 * One rosbridge v2 endpoint over `ws`: keeps its subscriptions and advertisements across
 * reconnections (capped exponential backoff), times out every service call, probes the link for
 * its round-trip time and drops a connection that went silent. Frames the bridge sends that are
 * not JSON, or not of the expected shape, are reported and skipped.
 *
 * Two send paths: normal frames wait while the socket already holds more than maxBufferedBytes
 * unsent; urgent frames (the emergency stop) go to the socket at once, ahead of anything waiting.
 */
export class RosbridgeConnection {
  readonly url: string;
  private readonly configuredDialect: Dialect | 'auto';
  private detected: Dialect | null = null;
  private readonly backoff: Backoff;
  private readonly handshakeTimeoutMs: number;
  readonly serviceTimeoutMs: number;
  private readonly probeIntervalMs: number;
  private readonly stallTimeoutMs: number;
  private readonly detectTimeoutMs: number;
  private readonly maxFrameBytes: number;
  private readonly maxBufferedBytes: number;
  private readonly now: () => number;
  private readonly onEvent: (event: ConnectionEvent) => void;

  private ws: WebSocket | null = null;
  private started = false;
  private closed = false;
  /** Connections lost or failed since the last healthy one: drives the backoff. */
  private failures = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private detectTimer: ReturnType<typeof setTimeout> | null = null;
  private nextId = 1;
  private lastFrameAt = 0;
  private openedAt = 0;
  private probe: { id: string; sentAt: number } | null = null;
  private rtt: number | null = null;
  private readonly subscriptions = new Map<string, { type: string; handlers: Set<TopicHandler> }>();
  private readonly advertisements = new Map<string, { type: string; latch: boolean }>();
  private readonly pendingCalls = new Map<string, PendingCall>();
  private readonly pendingAcks = new Map<string, PendingAck>();
  private readonly actions = new Map<string, ActionCallbacks>();
  private readonly waiting: string[] = [];
  private openWaiters: (() => void)[] = [];
  private readonly stats = { framesIn: 0, malformed: 0, repaired: 0, framesOut: 0, urgentOut: 0, reconnects: 0, stalls: 0 };

  constructor(options: RosbridgeConnectionOptions) {
    this.url = options.url;
    this.configuredDialect = options.dialect ?? 'auto';
    if (this.configuredDialect !== 'auto') this.detected = this.configuredDialect;
    this.backoff = { ...RECONNECT, ...options.reconnect };
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 3_000;
    this.serviceTimeoutMs = options.serviceTimeoutMs ?? 3_000;
    this.probeIntervalMs = options.probeIntervalMs ?? 1_000;
    this.stallTimeoutMs = options.stallTimeoutMs ?? 5_000;
    this.detectTimeoutMs = options.detectTimeoutMs ?? 2_000;
    this.maxFrameBytes = options.maxFrameBytes ?? 16 * 1024 * 1024;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 256 * 1024;
    this.now = options.now ?? (() => performance.now());
    this.onEvent = options.onEvent ?? (() => {});
  }

  /** The server's dialect: configured, detected, or null while unknown. */
  get dialect(): Dialect | null {
    return this.detected;
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Round-trip time of the last probe, in ms; null before the first reply. */
  get latencyMs(): number | null {
    return this.rtt;
  }

  get counters(): Readonly<RosbridgeConnection['stats']> {
    return { ...this.stats };
  }

  /** Starts connecting (and reconnecting until close()). */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.connect();
    this.watchdog = setInterval(() => this.watch(), Math.max(20, Math.min(this.probeIntervalMs, this.stallTimeoutMs / 2)));
  }

  /** Resolves once the connection is open (now, or after the next successful connect). */
  whenOpen(): Promise<void> {
    if (this.isOpen) return Promise.resolve();
    if (this.closed) return Promise.reject(new CommandError('closed', `${this.url}: connection closed`));
    return new Promise((resolve) => this.openWaiters.push(resolve));
  }

  /** Subscribes now and after every reconnection; returns the unsubscribe function. */
  subscribe(topic: string, type: string, handler: TopicHandler): () => void {
    let entry = this.subscriptions.get(topic);
    if (!entry) {
      entry = { type, handlers: new Set() };
      this.subscriptions.set(topic, entry);
      if (this.isOpen) this.sendOp({ op: 'subscribe', id: this.id('subscribe'), topic, type }, false);
    }
    entry.handlers.add(handler);
    return () => {
      const e = this.subscriptions.get(topic);
      if (!e) return;
      e.handlers.delete(handler);
      if (e.handlers.size === 0) {
        this.subscriptions.delete(topic);
        if (this.isOpen) this.sendOp({ op: 'unsubscribe', id: this.id('unsubscribe'), topic }, false);
      }
    };
  }

  /** Advertises now and after every reconnection (ros2-web-bridge publishes only what was advertised). */
  advertise(topic: string, type: string, latch = false): void {
    if (this.advertisements.has(topic)) return;
    this.advertisements.set(topic, { type, latch });
    if (this.isOpen) this.sendOp({ op: 'advertise', id: this.id('advertise'), topic, type, ...(latch ? { latch } : {}) }, false);
  }

  /**
   * Publishes on an advertised topic. Throws CommandError when not connected or when the message
   * cannot be encoded (nothing is sent then).
   */
  publish(topic: string, msg: RosMessage, options: { urgent?: boolean; latch?: boolean } = {}): SendReceipt {
    const ad = this.advertisements.get(topic);
    if (!ad) throw new CommandError('invalid', `${topic} is not advertised`);
    const latch = options.latch ?? ad.latch;
    return this.sendCommand({ op: 'publish', id: this.id('publish'), topic, msg, ...(latch ? { latch } : {}) }, options.urgent ?? false);
  }

  /**
   * Calls a service and resolves with the response values. Rejects with ServiceCallError: after
   * the timeout, on result: false, on the bridge's error status, or when the connection drops.
   */
  callService(service: string, type: string, args: RosMessage, options: { timeoutMs?: number; urgent?: boolean } = {}): { receipt: SendReceipt; response: Promise<unknown> } {
    const id = this.id('call');
    let receipt: SendReceipt;
    try {
      receipt = this.sendCommand({ op: 'call_service', id, service, type, args }, options.urgent ?? false);
    } catch (error) {
      const reason = error instanceof CommandError && error.reason === 'invalid' ? 'invalid-request' : error instanceof CommandError && error.reason === 'closed' ? 'closed' : 'not-connected';
      return { receipt: failedReceipt(id, this.now()), response: Promise.reject(new ServiceCallError(service, reason, error instanceof Error ? error.message : String(error))) };
    }
    const timeoutMs = options.timeoutMs ?? this.serviceTimeoutMs;
    const response = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingCalls.delete(id);
        reject(new ServiceCallError(service, 'timeout', `no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pendingCalls.set(id, { service, resolve, reject, timer });
    });
    return { receipt, response };
  }

  /** rosbridge_suite only: sends an action goal; the callbacks get its feedback and result. */
  sendActionGoal(action: string, actionType: string, args: RosMessage, callbacks: ActionCallbacks): string {
    if (this.detected !== 'rosbridge_suite') throw new CommandError('invalid', `${this.url} does not speak actions (dialect ${this.detected ?? 'unknown'})`);
    const id = this.id('goal');
    this.sendCommand({ op: 'send_action_goal', id, action, action_type: actionType, args, feedback: true }, false);
    this.actions.set(id, callbacks);
    return id;
  }

  /** rosbridge_suite only: cancels the goal sent under `goalOpId`. */
  cancelActionGoal(action: string, goalOpId: string): SendReceipt {
    return this.sendCommand({ op: 'cancel_action_goal', id: goalOpId, action }, false);
  }

  /** Closes the connection for good; pending calls reject with reason 'closed'. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.detectTimer) clearTimeout(this.detectTimer);
    this.failPending('closed', 'connection closed');
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
    }
    this.openWaiters = [];
  }

  private id(kind: string): string {
    return `cw:${kind}:${this.nextId++}`;
  }

  private connect(): void {
    if (this.closed) return;
    this.onEvent({ type: 'connecting', url: this.url, attempt: this.failures + 1 });
    const ws = new WebSocket(this.url, { handshakeTimeout: this.handshakeTimeoutMs, maxPayload: this.maxFrameBytes, perMessageDeflate: false });
    this.ws = ws;
    ws.on('open', () => this.onOpen(ws));
    ws.on('message', (data, isBinary) => this.onFrame(isBinary ? data : data.toString()));
    ws.on('error', () => {
      // 'close' follows every error; the reason is reported there.
    });
    ws.on('close', (code, reason) => this.onClose(ws, code, reason.toString()));
  }

  private onOpen(ws: WebSocket): void {
    if (ws !== this.ws) return;
    const now = this.now();
    this.openedAt = now;
    this.lastFrameAt = now;
    this.probe = null;
    this.onEvent({ type: 'open', url: this.url });
    // ros2-web-bridge: status level 'none' makes it acknowledge every op (and answer the probe).
    // While the dialect is unknown, the detection probe sends the same set_level.
    if (this.detected === 'ros2-web-bridge') this.sendOp({ op: 'set_level', id: this.id('level'), level: 'none' }, false);
    else if (this.detected === null) this.startDetection();
    // Advertise before anything is published; re-assert what the caller asked for before.
    for (const [topic, ad] of this.advertisements) this.sendOp({ op: 'advertise', id: this.id('advertise'), topic, type: ad.type, ...(ad.latch ? { latch: true } : {}) }, false);
    for (const [topic, sub] of this.subscriptions) this.sendOp({ op: 'subscribe', id: this.id('subscribe'), topic, type: sub.type }, false);
    const waiters = this.openWaiters;
    this.openWaiters = [];
    for (const w of waiters) w();
  }

  private startDetection(): void {
    const levelId = this.id('detect');
    const timeId = this.id('detect');
    this.probeIds.add(levelId);
    this.probeIds.add(timeId);
    this.sendOp({ op: 'set_level', id: levelId, level: 'none' }, false);
    this.sendOp({ op: 'call_service', id: timeId, service: PROBE_SERVICE, type: PROBE_SERVICE_TYPE, args: {} }, false);
    this.detectTimer = setTimeout(() => {
      if (this.detected === null) this.setDialect('ros2-web-bridge', 'assumed');
    }, this.detectTimeoutMs);
  }

  /** Ids of detection probes: their later replies are expected, not errors. */
  private readonly probeIds = new Set<string>();

  private setDialect(dialect: Dialect, how: 'configured' | 'detected' | 'assumed'): void {
    if (this.detected !== null) return;
    this.detected = dialect;
    if (this.detectTimer) clearTimeout(this.detectTimer);
    this.detectTimer = null;
    this.onEvent({ type: 'dialect', url: this.url, dialect, how });
  }

  private onClose(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.ws) return;
    this.ws = null;
    this.failPending('disconnected', `connection lost (${code}${reason ? ` ${reason}` : ''})`);
    if (this.closed) return;
    // A connection that carried frames for a while was healthy: the backoff starts again from
    // the bottom. One that dies at once keeps growing it, so a flapping bridge is not hammered.
    const healthy = this.openedAt > 0 && this.lastFrameAt > this.openedAt && this.now() - this.openedAt >= HEALTHY_AFTER_MS;
    this.failures = healthy ? 1 : this.failures + 1;
    this.openedAt = 0;
    const delay = backoffDelay(this.failures, this.backoff);
    this.stats.reconnects++;
    this.onEvent({ type: 'closed', url: this.url, reason: `${code}${reason ? ` ${reason}` : ''}`, reconnectInMs: delay });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private failPending(reason: 'disconnected' | 'closed', message: string): void {
    for (const [id, call] of this.pendingCalls) {
      clearTimeout(call.timer);
      call.reject(new ServiceCallError(call.service, reason, message));
      this.pendingCalls.delete(id);
    }
    for (const [id, ack] of this.pendingAcks) {
      clearTimeout(ack.timer);
      ack.resolve(null);
      this.pendingAcks.delete(id);
    }
    for (const [id, action] of this.actions) {
      action.onResult({ status: null, values: message, ok: false });
      this.actions.delete(id);
    }
    this.dropWaiting();
  }

  private dropWaiting(): void {
    for (const frame of this.pendingFrames.values()) frame.drop();
    this.pendingFrames.clear();
    this.waiting.length = 0;
  }

  /** Probes the link and drops it when it has gone silent. */
  private watch(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const now = this.now();
    const silentFor = now - this.lastFrameAt;
    const probeAge = this.probe ? now - this.probe.sentAt : 0;
    // Stalled: nothing at all came back, not even the probe's reply. ros2-web-bridge's parser
    // stays stuck after a malformed frame, so a new connection is the only way out.
    if (this.probe && probeAge > this.stallTimeoutMs && silentFor > this.stallTimeoutMs) {
      this.stats.stalls++;
      this.onEvent({ type: 'stalled', url: this.url, silentForMs: Math.round(silentFor) });
      ws.terminate();
      return;
    }
    if (this.detected === null) return;
    const due = this.probe === null ? now - this.lastProbeAt >= this.probeIntervalMs : probeAge > this.stallTimeoutMs;
    if (!due) return;
    const id = this.id('probe');
    this.probe = { id, sentAt: now };
    this.lastProbeAt = now;
    if (this.detected === 'ros2-web-bridge') this.sendOp({ op: 'set_level', id, level: 'none' }, false);
    else this.sendOp({ op: 'call_service', id, service: PROBE_SERVICE, type: PROBE_SERVICE_TYPE, args: {} }, false);
  }

  private lastProbeAt = 0;

  private onFrame(data: unknown): void {
    const now = this.now();
    this.lastFrameAt = now;
    this.stats.framesIn++;
    const decoded = decodeFrame(data, this.maxFrameBytes);
    if (!decoded.ok) {
      if (!decoded.ignorable) {
        this.stats.malformed++;
        this.onEvent({ type: 'malformed-frame', url: this.url, reason: decoded.reason });
      }
      return;
    }
    if (decoded.repaired) {
      this.stats.repaired++;
      this.onEvent({ type: 'repaired-frame', url: this.url });
    }
    try {
      this.dispatch(decoded.op, now);
    } catch (error) {
      // A throwing handler must not take the socket (and the process) down with it.
      this.onEvent({ type: 'handler-error', url: this.url, message: error instanceof Error ? error.message : String(error) });
    }
  }

  private dispatch(op: IncomingOp, now: number): void {
    switch (op.op) {
      case 'publish': {
        const sub = this.subscriptions.get(op.topic);
        if (!sub) return;
        for (const handler of sub.handlers) handler(op.msg, { receivedAt: now });
        return;
      }
      case 'status':
        this.onStatus(op, now);
        return;
      case 'service_response':
        this.onServiceResponse(op, now);
        return;
      case 'action_feedback':
        if (op.id) this.actions.get(op.id)?.onFeedback?.(op.values);
        return;
      case 'action_result': {
        if (!op.id) return;
        const action = this.actions.get(op.id);
        if (!action) return;
        this.actions.delete(op.id);
        action.onResult({ status: op.status, values: op.values, ok: op.result });
        return;
      }
    }
  }

  private onStatus(op: Extract<IncomingOp, { op: 'status' }>, now: number): void {
    const id = op.id;
    if (id !== null && this.probeIds.has(id)) {
      this.probeIds.delete(id);
      this.setDialect('ros2-web-bridge', 'detected');
      return;
    }
    if (id !== null && this.probe?.id === id) {
      this.rtt = now - this.probe.sentAt;
      this.probe = null;
      return;
    }
    const ack = id === null ? undefined : this.pendingAcks.get(id);
    if (ack && id !== null) {
      clearTimeout(ack.timer);
      this.pendingAcks.delete(id);
      ack.resolve(op.level === 'none' ? now : null);
    }
    if (op.level === 'error' || op.level === 'warning') {
      const call = id === null ? undefined : this.pendingCalls.get(id);
      if (call && id !== null && op.level === 'error') {
        clearTimeout(call.timer);
        this.pendingCalls.delete(id);
        call.reject(new ServiceCallError(call.service, 'bridge-error', op.msg));
      }
      this.onEvent({ type: 'bridge-error', url: this.url, level: op.level, message: op.msg, id });
    }
  }

  private onServiceResponse(op: Extract<IncomingOp, { op: 'service_response' }>, now: number): void {
    const id = op.id;
    if (id !== null && this.probeIds.has(id)) {
      this.probeIds.delete(id);
      this.setDialect('rosbridge_suite', 'detected');
      return;
    }
    if (id !== null && this.probe?.id === id) {
      this.rtt = now - this.probe.sentAt;
      this.probe = null;
      return;
    }
    const call = id === null ? undefined : this.pendingCalls.get(id);
    if (!call || id === null) return;
    clearTimeout(call.timer);
    this.pendingCalls.delete(id);
    if (op.result) call.resolve(op.values);
    else call.reject(new ServiceCallError(call.service, 'failed', typeof op.values === 'string' ? op.values : JSON.stringify(op.values ?? 'result: false')));
  }

  /** Sends a command (not subscriptions): throws CommandError when it cannot. */
  private sendCommand(op: OutgoingOp, urgent: boolean): SendReceipt {
    if (this.closed) throw new CommandError('closed', `${this.url}: connection closed`);
    if (!this.isOpen) throw new CommandError('not-connected', `${this.url}: not connected`);
    const receipt = this.sendOp(op, urgent, true);
    if (!receipt) throw new CommandError('invalid', `${op.op} could not be encoded`);
    return receipt;
  }

  /** Encodes and sends; returns null (and reports) when the op cannot be encoded. */
  private sendOp(op: OutgoingOp, urgent: boolean, wantAck = false): SendReceipt | null {
    let frame: string;
    try {
      frame = encodeFrame(op);
    } catch (error) {
      const message = error instanceof FrameEncodeError ? error.message : String(error);
      this.onEvent({ type: 'encode-error', url: this.url, message });
      return null;
    }
    const requestedAt = this.now();
    let markWritten: (at: number | null) => void = () => {};
    const written = new Promise<number | null>((resolve) => (markWritten = resolve));
    const acknowledged =
      !wantAck || this.detected === 'rosbridge_suite'
        ? Promise.resolve(null)
        : new Promise<number | null>((resolve) => {
            const timer = setTimeout(() => {
              this.pendingAcks.delete(op.id);
              resolve(null);
            }, this.serviceTimeoutMs);
            this.pendingAcks.set(op.id, { resolve, timer });
          });
    const receipt: SendReceipt = { id: op.id, requestedAt, sentAt: null, written, acknowledged };
    const ws = this.ws;
    const deliver = (): void => {
      const socket = this.ws;
      if (!socket || socket.readyState !== WebSocket.OPEN) {
        markWritten(null);
        return;
      }
      receipt.sentAt = this.now();
      this.stats.framesOut++;
      socket.send(frame, (error) => markWritten(error ? null : this.now()));
    };
    if (urgent) {
      // Straight to the socket, ahead of every waiting frame.
      this.stats.urgentOut++;
      deliver();
    } else if (ws && this.waiting.length === 0 && ws.bufferedAmount <= this.maxBufferedBytes) {
      deliver();
    } else {
      this.waiting.push(op.id);
      this.pendingFrames.set(op.id, { deliver, drop: () => markWritten(null) });
      this.drainSoon();
    }
    return receipt;
  }

  private readonly pendingFrames = new Map<string, { deliver: () => void; drop: () => void }>();
  private drainTimer: ReturnType<typeof setTimeout> | null = null;

  private drainSoon(): void {
    if (this.drainTimer) return;
    this.drainTimer = setTimeout(() => {
      this.drainTimer = null;
      const ws = this.ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        this.dropWaiting();
        return;
      }
      while (this.waiting.length > 0 && ws.bufferedAmount <= this.maxBufferedBytes) {
        const id = this.waiting.shift() as string;
        this.pendingFrames.get(id)?.deliver();
        this.pendingFrames.delete(id);
      }
      if (this.waiting.length > 0) this.drainSoon();
    }, 5);
  }
}

function failedReceipt(id: string, at: number): SendReceipt {
  return { id, requestedAt: at, sentAt: null, written: Promise.resolve(null), acknowledged: Promise.resolve(null) };
}
