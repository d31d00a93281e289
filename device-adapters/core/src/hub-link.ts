import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConnectErrorData,
  DecisionStored,
  DeviceAuth,
  DeviceReady,
  NAMESPACE,
  PROTOCOL_VERSION,
  ProtocolError,
  ScanReply,
  deviceRequests,
  invalidPayload,
  type DeviceRequestName,
  type DeviceToHubEvents,
  type ErrorBody,
  type ErrorCode,
  type HubToDeviceEvents,
  type ScanSubmitInput,
} from '@clearway/protocol';
import { RobotCommandToDevice, RobotLogReply, RobotStatesReply, type RobotCommandDeviceReply, type RobotLogReport, type RobotStatesReport } from '@clearway/protocol';
import { io, type Socket } from 'socket.io-client';
import { DEFAULT_RESEND_BACKOFF, backoffDelay, type Backoff } from './backoff.ts';
import { HubLinkClosedError, HubProtocolError, HubRefusedError, RequestRejectedError, ScanRejectedError } from './errors.ts';

export interface HubDeviceLinkOptions {
  /** Hub base URL, e.g. http://localhost:4300; the device namespace is appended. */
  hubUrl: string;
  deviceId: string;
  token: string;
  /** Scans sent but not yet acknowledged; a further scan waits for a free slot. Default 4. */
  maxInFlight?: number;
  /** How long one attempt waits for the hub's acknowledgement before resending. Default 10 s. */
  ackTimeoutMs?: number;
  /** Delay between attempts at the same scan. */
  resendBackoff?: Partial<Backoff>;
  /** socket.io reconnection delays after the connection drops. Defaults 500 ms rising to 5 s. */
  reconnectDelayMs?: number;
  reconnectDelayMaxMs?: number;
  /** Progress and trouble, for logs. Called synchronously; keep it cheap. */
  onEvent?: (event: HubLinkEvent) => void;
  /**
   * Optional: receives the hub's `decision:stored` pushes (decisions on bags this device scanned).
   * The link acknowledges `{ ok: true }` once the returned promise resolves, and `{ ok: false }`
   * when it rejects, so the hub resends the decision on the next reconnect. Without a handler the
   * push goes unanswered (and is resent likewise).
   */
  onDecisionStored?: (decision: DecisionStored) => Promise<void>;
  /**
   * Optional ('robot-bridge' devices): carries out the hub's `robot:command` and resolves with a
   * result per robot, which the link sends as the acknowledgement. Called synchronously when the
   * command arrives, so an emergency stop reaches the robots without waiting behind anything this
   * link has queued. A rejection answers `{ ok: false }` with its message.
   */
  onRobotCommand?: (command: RobotCommandToDevice) => Promise<RobotCommandResults>;
}

/** The results a robot bridge answers a command with. */
export type RobotCommandResults = Extract<RobotCommandDeviceReply, { ok: true }>['results'];

/** Reports that are never resent, because a newer one replaces a lost one: robot telemetry, log lines. */
const REPORTS = { 'robot:states': RobotStatesReply, 'robot:log': RobotLogReply } as const;
interface ReportPayloads { 'robot:states': RobotStatesReport; 'robot:log': RobotLogReport }
export type ReportReply<E extends keyof typeof REPORTS> = ReturnType<(typeof REPORTS)[E]['parse']>;

export type ResendReason = 'ack-timeout' | 'disconnected' | 'hub-error';

export type HubLinkEvent =
  | { type: 'ready'; ready: DeviceReady }
  | { type: 'disconnected'; reason: string }
  /** The hub could not be reached; socket.io keeps trying. */
  | { type: 'unreachable'; message: string }
  | { type: 'refused'; error: HubRefusedError }
  | { type: 'resend'; scanId: string; attempt: number; delayMs: number; reason: ResendReason }
  | { type: 'protocol-error'; error: ProtocolError };

/** The hub's `ok: true` reply to a scan, with how many attempts it took. */
export type ScanAccepted = Extract<ScanReply, { ok: true }> & { scanId: string; attempts: number };

/** A scan that holds an in-flight slot; `acked` settles when the hub has stored it (or never will). */
export interface PendingScan {
  readonly scanId: string;
  readonly acked: Promise<ScanAccepted>;
}

/** What a device sends with `request(event, …)`, and the hub's `ok: true` reply to it. */
export type RequestPayload<K extends DeviceRequestName> = Parameters<DeviceToHubEvents[K]>[0];
export type RequestAccepted<K extends DeviceRequestName> = Extract<Parameters<Parameters<DeviceToHubEvents[K]>[1]>[0], { ok: true }>;

/** Hub errors worth resending the same scan for: the hub may succeed next time. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['internal']);

type DeviceSocket = Socket<HubToDeviceEvents, DeviceToHubEvents>;

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The device side of the hub connection. Scans are resent unchanged (same scanId; the hub
 * stores each scanId once) after a lost acknowledgement or a dropped connection, until the hub
 * acknowledges them or the link is closed. At most `maxInFlight` scans are unacknowledged.
 */
export class HubDeviceLink {
  readonly deviceId: string;
  private readonly url: string;
  private readonly auth: DeviceAuth;
  private readonly maxInFlight: number;
  private readonly ackTimeoutMs: number;
  private readonly backoff: Backoff;
  private readonly reconnectDelayMs: number;
  private readonly reconnectDelayMaxMs: number;
  private readonly onEvent: (event: HubLinkEvent) => void;
  private readonly onDecisionStored: ((decision: DecisionStored) => Promise<void>) | undefined;
  private readonly onRobotCommand: ((command: RobotCommandToDevice) => Promise<RobotCommandResults>) | undefined;

  private socket: DeviceSocket | null = null;
  private readyInfo: DeviceReady | null = null;
  /** Set once: a refusal or a protocol breach ends the link for good. */
  private failure: Error | null = null;
  private closed = false;
  private readonly stop = new AbortController();
  private readyWaiters: Waiter[] = [];
  private slotWaiters: Waiter[] = [];
  private busySlots = 0;
  private readonly deliveries = new Set<Promise<unknown>>();

  constructor(options: HubDeviceLinkOptions) {
    const auth = DeviceAuth.safeParse({ protocolVersion: PROTOCOL_VERSION, deviceId: options.deviceId, token: options.token });
    if (!auth.success) throw new TypeError(`device credentials: ${invalidPayload(auth.error).message}`);
    this.auth = auth.data;
    this.deviceId = auth.data.deviceId;
    this.url = `${options.hubUrl.replace(/\/+$/, '')}${NAMESPACE.device}`;
    this.maxInFlight = positiveInt(options.maxInFlight ?? 4, 'maxInFlight');
    this.ackTimeoutMs = positiveInt(options.ackTimeoutMs ?? 10_000, 'ackTimeoutMs');
    this.backoff = { ...DEFAULT_RESEND_BACKOFF, ...options.resendBackoff };
    this.reconnectDelayMs = options.reconnectDelayMs ?? 500;
    this.reconnectDelayMaxMs = options.reconnectDelayMaxMs ?? 5_000;
    this.onEvent = options.onEvent ?? (() => {});
    this.onDecisionStored = options.onDecisionStored;
    this.onRobotCommand = options.onRobotCommand;
  }

  /** True while the hub has accepted the device and scans can flow. */
  get ready(): boolean {
    return this.readyInfo !== null;
  }

  /** Scans sent and not yet settled. */
  get inFlight(): number {
    return this.deliveries.size;
  }

  /**
   * Connects (once) and resolves with the hub's `device:ready`. Keeps trying while the hub is
   * unreachable; rejects with HubRefusedError when the hub refuses the device.
   */
  async connect(): Promise<DeviceReady> {
    this.open();
    await this.whenReady();
    if (this.readyInfo === null) throw new HubLinkClosedError();
    return this.readyInfo;
  }

  /**
   * Resolves once the scan holds an in-flight slot and is on its way; waits while `maxInFlight`
   * scans are unacknowledged. Attach a handler to `acked`: it rejects with ScanRejectedError,
   * HubRefusedError, HubProtocolError or HubLinkClosedError.
   */
  async sendScan(scan: ScanSubmitInput): Promise<PendingScan> {
    this.open();
    await this.takeSlot();
    const acked = this.deliver(scan);
    this.deliveries.add(acked);
    const settled = (): void => {
      this.deliveries.delete(acked);
      this.releaseSlot();
    };
    acked.then(settled, settled);
    return { scanId: scan.scanId, acked };
  }

  /** Sends a scan and resolves with the hub's reply once it is stored. */
  async submitScan(scan: ScanSubmitInput): Promise<ScanAccepted> {
    return (await this.sendScan(scan)).acked;
  }

  /**
   * Sends any other device request (`flight:upsert`, …) and resolves with the hub's `ok: true`
   * reply. Like a scan, it is resent unchanged after a lost acknowledgement, a dropped connection
   * or an `internal` reply, so the payload must be safe to apply twice (its own idempotency keys).
   * Rejects with RequestRejectedError, HubRefusedError, HubProtocolError or HubLinkClosedError.
   * Not counted against `maxInFlight`: the caller awaits each request.
   */
  async request<K extends Exclude<DeviceRequestName, 'scan:submit'>>(event: K, payload: RequestPayload<K>): Promise<RequestAccepted<K>> {
    this.open();
    const replySchema = deviceRequests[event].reply as { safeParse(x: unknown): { success: true; data: unknown } | { success: false; error: Parameters<typeof invalidPayload>[0] } };
    for (let attempt = 1; ; attempt++) {
      await this.whenReady();
      const socket = this.socket as unknown as { connected: boolean; timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<unknown> } } | null;
      if (!socket) throw new HubLinkClosedError();
      try {
        const reply = replySchema.safeParse(await socket.timeout(this.ackTimeoutMs).emitWithAck(event, payload));
        if (!reply.success) throw new HubProtocolError(`hub sent a malformed ${event} reply: ${invalidPayload(reply.error).message}`);
        const body = reply.data as { ok: true } | { ok: false; error: ErrorBody };
        if (body.ok) return body as RequestAccepted<K>;
        if (!RETRYABLE.has(body.error.code)) throw new RequestRejectedError(event, body.error);
      } catch (error) {
        if (error instanceof HubProtocolError || error instanceof RequestRejectedError) throw error;
        // emitWithAck fails only on a timeout or a dropped connection: resend below.
      }
      if (this.failure) throw this.failure;
      if (this.closed) throw new HubLinkClosedError();
      try {
        await sleep(backoffDelay(attempt, this.backoff), undefined, { signal: this.stop.signal });
      } catch {
        throw this.failure ?? new HubLinkClosedError();
      }
    }
  }

  /**
   * Sends a report that is not worth resending (robot telemetry, log lines) once the hub has
   * accepted the device, and resolves with the hub's reply, `{ ok: false }` included. Rejects when
   * the link is closed or refused, and when the hub does not answer within `timeoutMs` (default:
   * the ack timeout) or the connection drops: the caller sends something newer instead.
   */
  async report<E extends keyof typeof REPORTS>(event: E, payload: ReportPayloads[E], timeoutMs = this.ackTimeoutMs): Promise<ReportReply<E>> {
    this.open();
    await this.whenReady();
    const socket = this.socket as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<unknown> } } | null;
    if (!socket) throw new HubLinkClosedError();
    const reply = REPORTS[event].safeParse(await socket.timeout(timeoutMs).emitWithAck(event, payload));
    if (!reply.success) throw new HubProtocolError(`hub sent a malformed ${event} reply: ${invalidPayload(reply.error).message}`);
    return reply.data as ReportReply<E>;
  }

  /** Resolves once the hub has accepted the device (now, or after the connection comes back). */
  async whenAccepted(): Promise<void> {
    this.open();
    await this.whenReady();
  }

  /** Resolves when every scan sent so far has settled, acknowledged or not. */
  async drain(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  /** Disconnects. Scans not yet acknowledged reject with HubLinkClosedError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stop.abort();
    this.readyInfo = null;
    this.rejectWaiters(new HubLinkClosedError());
    this.socket?.disconnect();
    await this.drain();
  }

  private open(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new HubLinkClosedError();
    if (this.socket) return;
    const socket: DeviceSocket = io(this.url, {
      auth: this.auth,
      autoConnect: false,
      // Each link its own connection: two devices in one process must not share a handshake.
      forceNew: true,
      // WebSocket only: long-polling would carry the images as base64.
      transports: ['websocket'],
      reconnectionDelay: this.reconnectDelayMs,
      reconnectionDelayMax: this.reconnectDelayMaxMs,
    });
    this.socket = socket;

    socket.on('device:ready', (payload) => {
      const ready = DeviceReady.safeParse(payload);
      if (!ready.success) {
        this.fail(new HubProtocolError(`hub sent a malformed device:ready: ${invalidPayload(ready.error).message}`));
        return;
      }
      this.readyInfo = ready.data;
      this.onEvent({ type: 'ready', ready: ready.data });
      const waiters = this.readyWaiters;
      this.readyWaiters = [];
      for (const w of waiters) w.resolve();
    });

    socket.on('protocol:error', (payload) => {
      const parsed = ProtocolError.safeParse(payload);
      if (parsed.success) this.onEvent({ type: 'protocol-error', error: parsed.data });
    });

    const onDecisionStored = this.onDecisionStored;
    if (onDecisionStored) {
      socket.on('decision:stored', (payload, ack) => {
        const reply = typeof ack === 'function' ? ack : () => {};
        const decision = DecisionStored.safeParse(payload);
        if (!decision.success) {
          reply({ ok: false, error: { code: 'invalid', message: `malformed decision:stored: ${invalidPayload(decision.error).message}` } });
          return;
        }
        onDecisionStored(decision.data).then(
          () => reply({ ok: true }),
          (error: unknown) => reply({ ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } }),
        );
      });
    }

    const onRobotCommand = this.onRobotCommand;
    if (onRobotCommand) {
      socket.on('robot:command', (payload, ack) => {
        const reply = typeof ack === 'function' ? ack : () => {};
        const command = RobotCommandToDevice.safeParse(payload);
        if (!command.success) {
          reply({ ok: false, error: invalidPayload(command.error) });
          return;
        }
        let results: Promise<RobotCommandResults>;
        try {
          results = onRobotCommand(command.data);
        } catch (error) {
          results = Promise.reject(error instanceof Error ? error : new Error(String(error)));
        }
        results.then(
          (r) => reply({ ok: true, results: r }),
          (error: unknown) => reply({ ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } }),
        );
      });
    }

    socket.on('disconnect', (reason) => {
      this.readyInfo = null;
      if (this.closed || this.failure) return;
      this.onEvent({ type: 'disconnected', reason });
      // socket.io does not reconnect after the hub kicked us; try again, the hub will say why.
      if (reason === 'io server disconnect') {
        sleep(this.reconnectDelayMs, undefined, { signal: this.stop.signal }).then(
          () => {
            if (!this.closed && !this.failure) socket.connect();
          },
          () => {},
        );
      }
    });

    socket.on('connect_error', (err) => {
      if (this.closed) return;
      // active: socket.io will retry by itself (hub down, network). Inactive: the hub said no.
      if (socket.active) {
        this.onEvent({ type: 'unreachable', message: err.message });
        return;
      }
      const data = ConnectErrorData.safeParse('data' in err ? err.data : undefined);
      const refusal = data.success
        ? new HubRefusedError(data.data)
        : new HubRefusedError({ code: 'bad-request', message: err.message, serverProtocolVersion: -1 });
      this.onEvent({ type: 'refused', error: refusal });
      this.fail(refusal);
    });

    socket.connect();
  }

  private async deliver(scan: ScanSubmitInput): Promise<ScanAccepted> {
    for (let attempt = 1; ; attempt++) {
      await this.whenReady();
      const socket = this.socket;
      if (!socket) throw new HubLinkClosedError();
      let reason: ResendReason;
      try {
        const reply: unknown = await socket.timeout(this.ackTimeoutMs).emitWithAck('scan:submit', scan);
        const parsed = ScanReply.safeParse(reply);
        if (!parsed.success) throw new HubProtocolError(`hub sent a malformed scan reply: ${invalidPayload(parsed.error).message}`);
        if (parsed.data.ok) return { ...parsed.data, scanId: scan.scanId, attempts: attempt };
        if (!RETRYABLE.has(parsed.data.error.code)) throw new ScanRejectedError(scan.scanId, parsed.data.error);
        reason = 'hub-error';
      } catch (error) {
        if (error instanceof HubProtocolError || error instanceof ScanRejectedError) throw error;
        // emitWithAck fails only on a timeout or a dropped connection.
        reason = socket.connected ? 'ack-timeout' : 'disconnected';
      }
      if (this.failure) throw this.failure;
      if (this.closed) throw new HubLinkClosedError();
      const delayMs = backoffDelay(attempt, this.backoff);
      this.onEvent({ type: 'resend', scanId: scan.scanId, attempt: attempt + 1, delayMs, reason });
      try {
        await sleep(delayMs, undefined, { signal: this.stop.signal });
      } catch {
        throw this.failure ?? new HubLinkClosedError();
      }
    }
  }

  private whenReady(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new HubLinkClosedError());
    if (this.readyInfo) return Promise.resolve();
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  private takeSlot(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new HubLinkClosedError());
    if (this.busySlots < this.maxInFlight) {
      this.busySlots++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.slotWaiters.push({ resolve, reject }));
  }

  private releaseSlot(): void {
    const next = this.slotWaiters.shift();
    // The freed slot passes straight to the longest waiter, so no later caller jumps the queue.
    if (next) next.resolve();
    else this.busySlots--;
  }

  private fail(error: Error): void {
    if (this.failure || this.closed) return;
    this.failure = error;
    this.readyInfo = null;
    this.stop.abort();
    this.rejectWaiters(error);
    this.socket?.disconnect();
  }

  private rejectWaiters(error: Error): void {
    const waiters = [...this.readyWaiters, ...this.slotWaiters];
    this.readyWaiters = [];
    this.slotWaiters = [];
    for (const w of waiters) w.reject(error);
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of at least 1, got ${value}`);
  return value;
}
