/**
 * Scan forwarding: two-view dual-energy scans (about 5 MB each) from a scanner through the real
 * hub (parse, SQLite, assignment) to screening consoles, in MB/s delivered and latency from scan
 * emitted to bag received, against a plain `ws` relay with the same delivery rule (each scan to
 * one free console) measured in the same run.
 *
 *   pnpm bench forwarding                       # 60 scans, 4 consoles, 1024×640 views
 *   pnpm bench forwarding --scans=120 --consoles=8 --in-flight=4
 *
 * Goal (imaging issue): hub throughput at least 0.9× the relay's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDevice, connectOfficer, decisionFor, testScan } from '@clearway/hub/testing';
import type { ScanSubmitInput } from '@clearway/protocol';
import { Store, hashPassword } from '@clearway/store';
import WebSocket from 'ws';
import { figures, intOption, ratio, serve, stop, table, type Figures } from './support.ts';

const SCANS = intOption('scans', 60);
const CONSOLES = intOption('consoles', 4);
const IN_FLIGHT = intOption('in-flight', 4);
const WIDTH = intOption('width', 1024);
const HEIGHT = intOption('height', 640);
const GOAL_THROUGHPUT_RATIO = 0.9;

interface Run { figures: Figures; mbPerS: number; bytes: number }

/** A two-view scan of the given size with varied (incompressible-looking) pixels. */
function bigScan(index: number): ScanSubmitInput {
  const base = testScan({ bagTag: `0777${String(index).padStart(6, '0')}` }, 8);
  const view = (name: 'top' | 'side') => {
    const low = new Uint16Array(WIDTH * HEIGHT);
    const high = new Uint16Array(WIDTH * HEIGHT);
    let x = (index + 1) * 2654435761;
    for (let i = 0; i < low.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      high[i] = x >>> 18;
      low[i] = ((x >>> 18) * 1.4) & 0xffff;
    }
    return { view: name, width: WIDTH, height: HEIGHT, encoding: 'dual-energy-u16le' as const, low: new Uint8Array(low.buffer), high: new Uint8Array(high.buffer) };
  };
  return { ...base, views: [view('top'), view('side')] };
}

const scanBytes = (s: ScanSubmitInput) => s.views.reduce((n, v) => n + v.high.byteLength + (v.low?.byteLength ?? 0), 0);

async function throughHub(scans: ScanSubmitInput[]): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clearway-fwd-'));
  const seed = Store.open(dataDir);
  const passwordHash = await hashPassword('bench password');
  for (let i = 0; i < CONSOLES; i++) seed.identity.importOfficer({ id: `fwd.${i}`, name: `fwd ${i}`, role: 'screening-officer', passwordHash });
  const token = seed.identity.createDevice('fwd-scanner', 'scanner').token;
  await seed.close();
  const hub = await serve('apps/hub/src/main.ts', ['--data', dataDir, '--port', '0', '--console-dir', join(dataDir, 'none'), '--max-payload-mb', '16']);
  try {
    const emitted = new Map<string, number>();
    const latencies: number[] = [];
    let delivered = 0;
    let lastAt = 0;
    let done: () => void = () => {};
    const finished = new Promise<void>((r) => { done = r; });
    const officers = await Promise.all(Array.from({ length: CONSOLES }, (_, i) => connectOfficer(hub.url, { officerId: `fwd.${i}`, password: 'bench password' })));
    for (const o of officers) {
      o.socket.on('bag:assigned', (bag) => {
        const now = performance.now();
        const sent = emitted.get(bag.bag.bagTag);
        if (sent !== undefined) latencies.push(now - sent);
        delivered += bag.views.reduce((n, v) => n + (v.high as ArrayBufferLike | Uint8Array).byteLength + ((v.low as Uint8Array | undefined)?.byteLength ?? 0), 0);
        lastAt = now;
        o.socket.emit('decision:submit', decisionFor(bag as never), () => {});
        if (latencies.length === scans.length) done();
      });
    }
    const device = await connectDevice(hub.url, 'fwd-scanner', token);
    const started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next < scans.length) {
        const scan = scans[next++];
        if (!scan) break;
        emitted.set(scan.bagTag, performance.now());
        const reply = await device.emitWithAck('scan:submit', scan);
        if (!reply.ok) throw new Error(`scan refused: ${reply.error.message}`);
      }
    }));
    await finished;
    const wallMs = lastAt - started;
    device.close();
    for (const o of officers) o.socket.close();
    return { figures: figures({ samples: latencies, wallMs }), mbPerS: delivered / 1e6 / (wallMs / 1000), bytes: delivered };
  } finally {
    await stop(hub.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function throughRelay(scans: ScanSubmitInput[]): Promise<Run> {
  const relay = await serve('bench/src/ws-relay.ts', []);
  const wsUrl = relay.url.replace('http', 'ws');
  const open = () => new Promise<WebSocket>((resolve, reject) => {
    const s = new WebSocket(wsUrl, { maxPayload: 64 * 1024 * 1024 });
    s.once('open', () => resolve(s));
    s.once('error', reject);
  });
  try {
    const latencies: number[] = [];
    let delivered = 0;
    let lastAt = 0;
    let done: () => void = () => {};
    const finished = new Promise<void>((r) => { done = r; });
    const emitted = new Map<number, number>();
    const consumers = await Promise.all(Array.from({ length: CONSOLES }, open));
    for (const c of consumers) {
      c.on('message', (data: Buffer) => {
        const now = performance.now();
        const id = data.readUInt32LE(0);
        const sent = emitted.get(id);
        if (sent !== undefined) latencies.push(now - sent);
        delivered += data.byteLength - 4;
        lastAt = now;
        c.send('ready');
        if (latencies.length === scans.length) done();
      });
      c.send('ready');
    }
    const producer = await open();
    const acks: (() => void)[] = [];
    producer.on('message', () => acks.shift()?.());
    // The same bytes the hub gets: the image planes, framed with a 4-byte id.
    const frames = scans.map((s, id) => Buffer.concat([Buffer.from(new Uint32Array([id]).buffer), ...s.views.flatMap((v) => [Buffer.from(v.low as Uint8Array), Buffer.from(v.high as Uint8Array)])]));
    const started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next < frames.length) {
        const id = next++;
        const frame = frames[id];
        if (!frame) break;
        emitted.set(id, performance.now());
        await new Promise<void>((resolve) => { acks.push(resolve); producer.send(frame, { binary: true }); });
      }
    }));
    await finished;
    const wallMs = lastAt - started;
    producer.close();
    for (const c of consumers) c.close();
    return { figures: figures({ samples: latencies, wallMs }), mbPerS: delivered / 1e6 / (wallMs / 1000), bytes: delivered };
  } finally {
    await stop(relay.child);
  }
}

const scans = Array.from({ length: SCANS }, (_, i) => bigScan(i));
const mb = scanBytes(scans[0] ?? bigScan(0)) / 1e6;
// Warm both paths (JIT, SQLite pages), then measure relay, hub, relay, hub and keep the better of each.
await throughRelay(scans.slice(0, 5));
await throughHub(scans.slice(0, 5));
const relayRuns = [await throughRelay(scans), await throughRelay(scans)];
const hubRuns = [await throughHub(scans), await throughHub(scans)];
const best = (runs: Run[]) => runs.reduce((a, b) => (b.mbPerS > a.mbPerS ? b : a));
const relay = best(relayRuns);
const hub = best(hubRuns);

const throughputRatio = ratio(hub.mbPerS, relay.mbPerS);
console.log(`scan-forwarding: ${SCANS} two-view dual-energy scans of ${mb.toFixed(2)} MB (${WIDTH}×${HEIGHT} per view), ${CONSOLES} consoles, ${IN_FLIGHT} scans in flight; better of two runs each`);
console.log(table([
  ['', 'MB/s', 'p50 ms', 'p99 ms', 'scans/s'],
  ['hub', hub.mbPerS.toFixed(1), hub.figures.p50_ms.toFixed(1), hub.figures.p99_ms.toFixed(1), hub.figures.per_s.toFixed(1)],
  ['ws relay', relay.mbPerS.toFixed(1), relay.figures.p50_ms.toFixed(1), relay.figures.p99_ms.toFixed(1), relay.figures.per_s.toFixed(1)],
  ['hub/relay', `${throughputRatio.toFixed(2)}×`, `${ratio(hub.figures.p50_ms, relay.figures.p50_ms).toFixed(2)}×`, `${ratio(hub.figures.p99_ms, relay.figures.p99_ms).toFixed(2)}×`, ''],
]));
console.log(`goal: hub throughput at least ${GOAL_THROUGHPUT_RATIO}× the relay's: ${throughputRatio.toFixed(2)}× (${throughputRatio >= GOAL_THROUGHPUT_RATIO ? 'met' : 'NOT met'})`);
console.log(JSON.stringify({
  name: 'scan-forwarding', scans: SCANS, scan_mb: Number(mb.toFixed(3)), consoles: CONSOLES, in_flight: IN_FLIGHT,
  hub: { mb_per_s: Number(hub.mbPerS.toFixed(1)), ...hub.figures },
  relay: { mb_per_s: Number(relay.mbPerS.toFixed(1)), ...relay.figures },
  throughput_ratio: throughputRatio,
  p99_ratio: ratio(hub.figures.p99_ms, relay.figures.p99_ms),
  goal_throughput_ratio: GOAL_THROUGHPUT_RATIO,
  meets_goal: throughputRatio >= GOAL_THROUGHPUT_RATIO,
}));
