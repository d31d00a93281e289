/**
 * Client helpers over the real wire protocol, for the hub's tests, benchmarks and e2e setup.
 * They speak socket.io-client exactly as a third-party client would (see docs/protocol.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  NAMESPACE, PROTOCOL_VERSION,
  type BagAssigned, type ConsoleToHubEvents, type DeviceToHubEvents, type HubToConsoleEvents, type HubToDeviceEvents, type ScanSubmitInput, type SessionReady,
} from '@clearway/protocol';
import { io, type Socket } from 'socket.io-client';

export type OfficerClient = Socket<HubToConsoleEvents, ConsoleToHubEvents>;
export type DeviceClient = Socket<HubToDeviceEvents, DeviceToHubEvents>;

/**
 * A 640 × 480 scan of a suitcase on the belt: 440 × 320 pixels of organic packing with some
 * texture, belt all round; room inside for a projected threat (TIP tests). Its tag is a random plate.
 */
export function suitcase(over: Partial<ScanSubmitInput> = {}, encoding: 'dual-energy-u16le' | 'single-energy-u16le' = 'dual-energy-u16le'): ScanSubmitInput {
  const low = new Uint16Array(640 * 480);
  const high = new Uint16Array(640 * 480);
  for (let y = 80; y < 400; y++) {
    for (let x = 100; x < 540; x++) {
      high[y * 640 + x] = 2200 + ((x * 7 + y * 13) % 300);
      low[y * 640 + x] = 2600 + ((x * 11 + y * 5) % 300);
    }
  }
  const bytes = (a: Uint16Array) => new Uint8Array(a.buffer);
  return {
    scanId: randomUUID(), lane: 'lane-1', flight: 'CA981', bagTag: `0999${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
    scannedAt: new Date().toISOString(),
    views: [encoding === 'dual-energy-u16le'
      ? { view: 'top', width: 640, height: 480, encoding, low: bytes(low), high: bytes(high) }
      : { view: 'top', width: 640, height: 480, encoding, high: bytes(high) }],
    ...over,
  };
}

/** A small dual-energy view with a filled square: enough for protocol tests. */
export function testScan(over: Partial<ScanSubmitInput> = {}, size = 32): ScanSubmitInput {
  const px = size * size;
  const low = new Uint16Array(px);
  const high = new Uint16Array(px);
  for (let i = 0; i < px; i++) {
    const inside = i % size > size / 4 && i % size < (3 * size) / 4;
    high[i] = inside ? 4000 : 0;
    low[i] = inside ? 4800 : 0;
  }
  return {
    scanId: randomUUID(), lane: 'lane-1', flight: 'CA981', bagTag: `09991${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`,
    scannedAt: new Date().toISOString(),
    views: [{ view: 'top', width: size, height: size, encoding: 'dual-energy-u16le', low: new Uint8Array(low.buffer), high: new Uint8Array(high.buffer) }],
    ...over,
  };
}

export interface Connected<S> { socket: S; close(): void }

export function connectOfficer(
  url: string, auth: { officerId: string; password: string } | { sessionToken: string },
  opts: { protocolVersion?: number; reconnection?: boolean } = {},
): Promise<{ socket: OfficerClient; session: SessionReady; bags: BagAssigned[]; nextBag(timeoutMs?: number): Promise<BagAssigned> }> {
  const socket: OfficerClient = io(url + NAMESPACE.console, {
    auth: { protocolVersion: opts.protocolVersion ?? PROTOCOL_VERSION, ...auth },
    transports: ['websocket'], reconnection: opts.reconnection ?? false, forceNew: true,
  });
  const bags: BagAssigned[] = [];
  const waiters: ((b: BagAssigned) => void)[] = [];
  socket.on('bag:assigned', (b) => {
    const w = waiters.shift();
    if (w) w(b as BagAssigned);
    else bags.push(b as BagAssigned);
  });
  const nextBag = (timeoutMs = 5000) => {
    const queued = bags.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise<BagAssigned>((resolve, reject) => {
      const waiter = (b: BagAssigned) => { clearTimeout(t); resolve(b); };
      const t = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        reject(new Error('no bag assigned in time'));
      }, timeoutMs);
      waiters.push(waiter);
    });
  };
  return new Promise((resolve, reject) => {
    socket.once('session:ready', (session) => resolve({ socket, session: session as SessionReady, bags, nextBag }));
    socket.once('connect_error', (err) => { socket.close(); reject(err); });
  });
}

/** With `autoConnect: false` the socket is returned at once, unconnected: attach listeners, then `connect()`. */
export function connectDevice(url: string, deviceId: string, token: string, opts: { reconnection?: boolean; autoConnect?: boolean; ackDecisions?: boolean } = {}): Promise<DeviceClient> {
  const socket: DeviceClient = io(url + NAMESPACE.device, {
    auth: { protocolVersion: PROTOCOL_VERSION, deviceId, token }, transports: ['websocket'], reconnection: opts.reconnection ?? false, forceNew: true,
    autoConnect: opts.autoConnect ?? true,
  });
  // Like a real scanner, acknowledge decision reports (a silent device gets them resent).
  if (opts.ackDecisions ?? true) socket.on('decision:stored', (_report, ack) => ack({ ok: true }));
  if (opts.autoConnect === false) return Promise.resolve(socket);
  return new Promise((resolve, reject) => {
    socket.once('device:ready', () => resolve(socket));
    socket.once('connect_error', (err) => { socket.close(); reject(err); });
  });
}

export function decisionFor(bag: BagAssigned, verdict: 'clear' | 'search' = 'clear') {
  const now = new Date().toISOString();
  return { idempotencyKey: randomUUID(), assignmentId: bag.assignmentId, bagId: bag.bag.bagId, verdict, shownAt: now, decidedAt: now };
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Starts the real hub (`apps/hub/src/main.ts`) as its own process and resolves once it listens.
 * `node --import tsx` keeps it one process, so a SIGKILL hits the hub itself. `log()` holds
 * everything it printed, for failure messages.
 */
export function spawnHubProcess(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; log(): string }> {
  // Tests of other features see no projected threat images (a bag that comes back after its
  // decision); a TIP test passes --tip-library.
  const tip = args.some((a) => a.startsWith('--tip-library') || a === '--no-tip') ? [] : ['--no-tip'];
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'apps/hub/src/main.ts'), ...tip, ...args], {
    cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr?.on('data', (b: Buffer) => { out += b.toString(); });
  return new Promise((res, rej) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m?.[1]) res({ child, url: m[1], log: () => out });
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => rej(new Error(`hub exited (${code}):\n${out}`)));
  });
}
