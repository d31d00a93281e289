import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { io, type Socket } from 'socket.io-client';
import {
  FlightBoard, FlightUpdatePush, NAMESPACE, PROTOCOL_VERSION,
  type ConsoleToHubEvents, type FlightArrival, type FlightBoardEntry, type FlightUpdate, type HubToConsoleEvents,
} from '@clearway/protocol';
import { hashPassword } from '@clearway/store';
import { startHub, type Hub } from './hub.ts';
import { connectDevice, connectOfficer, decisionFor, testScan, type DeviceClient } from './testing.ts';

const MIN = 60_000;
let hub: Hub;
let now = 0;
const closers: (() => void)[] = [];
const dirs: string[] = [];
const hashes = new Map<string, string>();
const OFFICERS = [
  { id: 'lead', name: 'Wang Fang', role: 'shift-lead', password: 'shift lead pw' },
  { id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' },
] as const;
beforeAll(async () => { for (const o of OFFICERS) hashes.set(o.id, await hashPassword(o.password)); });
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await hub.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A hub whose flight clocks run on `now`, which the test moves. */
async function start(dataDir = ':memory:') {
  now = Math.floor(Date.now() / 1000) * 1000;
  hub = await startHub({
    dataDir, port: 0, consoleDir: null, logger: pino({ level: 'silent' }), referenceModel: null,
    flights: { now: () => now, tickMs: 20, pushIntervalMs: 20, refreshMs: 60_000 },
  });
  for (const o of OFFICERS) {
    if (!hub.store.identity.listOfficers().some((x) => x.id === o.id)) hub.store.identity.importOfficer({ id: o.id, name: o.name, role: o.role, passwordHash: hashes.get(o.id) ?? '' });
  }
  const token = (id: string, kind: 'flight-feed' | 'scanner') =>
    hub.store.identity.listDevices().some((d) => d.id === id) ? hub.store.identity.rotateDeviceToken(id) : hub.store.identity.createDevice(id, kind).token;
  const feed = await device('feed-1', token('feed-1', 'flight-feed'));
  const scanner = await device('scanner-1', token('scanner-1', 'scanner'));
  return { feed, scanner };
}

async function device(id: string, token: string): Promise<DeviceClient> {
  const d = await connectDevice(hub.url, id, token);
  closers.push(() => d.close());
  return d;
}

/** A console that records flight pushes from the first packet on. */
async function watcher(officerId = 'lead', password = 'shift lead pw') {
  const socket: Socket<HubToConsoleEvents, ConsoleToHubEvents> = io(hub.url + NAMESPACE.console, {
    auth: { protocolVersion: PROTOCOL_VERSION, officerId, password }, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false,
  });
  closers.push(() => socket.close());
  const boards: FlightBoard[] = [];
  const updates: FlightUpdatePush[] = [];
  socket.on('flight:board', (b) => boards.push(FlightBoard.parse(b)));
  socket.on('flight:update', (u) => updates.push(FlightUpdatePush.parse(u)));
  await new Promise<void>((resolve, reject) => {
    socket.once('session:ready', () => resolve());
    socket.once('connect_error', reject);
    socket.connect();
  });
  /** The first board (from now on, or already received) whose flight `key` passes `test`. */
  const board = async (key: string, test: (f: FlightBoardEntry) => boolean = () => true): Promise<FlightBoardEntry> => {
    let found: FlightBoardEntry | undefined;
    await expect.poll(() => (found = boards.flatMap((b) => b.flights).filter((f) => f.key === key).findLast(test)), { timeout: 5000 }).toBeTruthy();
    return found as FlightBoardEntry;
  };
  const update = async (test: (u: FlightUpdatePush) => boolean): Promise<FlightUpdatePush> => {
    let found: FlightUpdatePush | undefined;
    await expect.poll(() => (found = updates.find(test)), { timeout: 5000 }).toBeTruthy();
    return found as FlightUpdatePush;
  };
  return { socket, boards, updates, board, update };
}

const iso = (ms: number) => new Date(ms).toISOString();
const dateOf = (ms: number) => iso(ms).slice(0, 10);
const arrival = (over: Partial<FlightArrival> = {}): FlightArrival => ({
  flight: 'CA982', origin: 'JFK', aircraft: 'B77W', scheduledOnBlock: iso(now - 2 * MIN), actualOnBlock: iso(now - 2 * MIN),
  stand: '215', gate: 'E15', passengers: 3, checkedBags: 5, cabinBags: 4, ...over,
});
const keyOf = (a: FlightArrival) => `${a.flight}/${dateOf(Date.parse(a.scheduledOnBlock))}`;
const checkedTag = (n: number) => `0999${String(n).padStart(6, '0')}`;

describe('flight feed ingestion', () => {
  it('accepts flight:upsert from flight feeds only, checked like every device request', async () => {
    const { feed, scanner } = await start();
    expect(await feed.emitWithAck('flight:upsert', { arrivals: [arrival()] })).toEqual({
      ok: true, arrivals: { created: 1, changed: 0, unchanged: 0 }, updates: { applied: 0, duplicate: 0 }, rejected: [],
    });
    expect(await scanner.emitWithAck('flight:upsert', { arrivals: [arrival()] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await feed.emitWithAck('flight:upsert', { arrivals: [arrival({ origin: 'Beijing' })] })).toMatchObject({ ok: false, error: { code: 'invalid', field: 'arrivals.0.origin' } });
    expect(await feed.emitWithAck('flight:upsert', {})).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await feed.emitWithAck('scan:submit', testScan())).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(hub.store.flights.flightsByNumber('CA982')).toHaveLength(1);
  });

  it('stores each live update once, refuses updates for unknown flights, and tells the shift lead', async () => {
    const { feed } = await start();
    const a = arrival({ actualOnBlock: undefined, scheduledOnBlock: iso(now + 30 * MIN) });
    await feed.emitWithAck('flight:upsert', { arrivals: [a] });
    const lead = await watcher();
    const ref = { flight: a.flight, date: dateOf(Date.parse(a.scheduledOnBlock)) };
    const stand: FlightUpdate = { type: 'stand', updateId: randomUUID(), ...ref, at: iso(now), stand: '221', gate: 'E21' };
    const delay: FlightUpdate = { type: 'delay', updateId: randomUUID(), ...ref, at: iso(now), estimatedOnBlock: iso(now + 50 * MIN) };
    const unknown: FlightUpdate = { type: 'delay', updateId: randomUUID(), flight: 'MU574', date: ref.date, at: iso(now), estimatedOnBlock: iso(now) };
    expect(await feed.emitWithAck('flight:upsert', { updates: [stand, delay, unknown] })).toMatchObject({
      ok: true, updates: { applied: 2, duplicate: 0 }, rejected: [{ kind: 'update', index: 2 }],
    });
    expect(await feed.emitWithAck('flight:upsert', { updates: [stand] })).toMatchObject({ ok: true, updates: { applied: 0, duplicate: 1 } });
    const moved = await lead.update((u) => u.change.type === 'stand');
    expect(moved.change).toEqual({ type: 'stand', stand: '221', gate: 'E21', previousStand: '215' });
    expect(moved.flight.key).toBe(keyOf(a));
    // The clocks now start at the new estimate.
    const later = await lead.board(keyOf(a), (f) => f.estimatedOnBlock !== undefined);
    expect(later.clocks.checkedBags).toMatchObject({ state: 'arriving', startsAt: iso(now + 50 * MIN), deadline: iso(now + 70 * MIN), onBlockAssumed: true });
    expect(lead.updates.filter((u) => u.change.type === 'stand')).toHaveLength(1);

    await feed.emitWithAck('flight:upsert', { updates: [{ type: 'cancelled', updateId: randomUUID(), ...ref, at: iso(now), reason: 'weather at origin' }] });
    await lead.update((u) => u.change.type === 'cancelled');
    // The board that follows leaves it out.
    await expect.poll(() => lead.boards.at(-1)?.flights.some((f) => f.key === keyOf(a))).toBe(false);
  });
});

describe('the shift lead\'s board', () => {
  it('goes to shift leads on sign-in and on change, not to screening officers', async () => {
    const { feed } = await start();
    const officer = await watcher('li.wei', 'correct horse');
    const lead = await watcher();
    await expect.poll(() => lead.boards.length).toBe(1);
    expect(lead.boards[0]?.flights).toEqual([]);
    await feed.emitWithAck('flight:upsert', { arrivals: [arrival()] });
    await lead.board(keyOf(arrival()));
    // A round trip on the officer's socket: anything pushed to it before would have arrived by now.
    await officer.socket.emitWithAck('officer:status', { status: 'available' });
    expect(officer.boards).toEqual([]);
    expect(officer.updates).toEqual([]);
  });

  it('counts every bag toward its flight and follows decisions', async () => {
    const { feed, scanner } = await start();
    const a = arrival();
    await feed.emitWithAck('flight:upsert', { arrivals: [a, arrival({ flight: 'KE855' })] });
    const lead = await watcher();
    const screener = await connectOfficer(hub.url, { officerId: 'li.wei', password: 'correct horse' });
    closers.push(() => screener.socket.close());
    for (const bagTag of [checkedTag(1), checkedTag(2), 'L1-0001']) await scanner.emitWithAck('scan:submit', testScan({ flight: 'CA982', bagTag }));
    await scanner.emitWithAck('scan:submit', testScan({ flight: 'KE855', bagTag: checkedTag(3) }));
    await scanner.emitWithAck('scan:submit', testScan({ flight: 'MU574', bagTag: checkedTag(4) })); // no such flight: counted nowhere
    const seen = await lead.board(keyOf(a), (f) => f.clocks.checkedBags.started === 2 && f.clocks.passengers.started > 0);
    expect(seen.clocks.checkedBags).toMatchObject({ state: 'in-progress', total: 5, done: 0, remaining: 5, targetMinutes: 20, onBlockAssumed: false });
    // One cabin bag of four seen: 3 passengers × 1/4, rounded.
    expect(seen.clocks.passengers).toMatchObject({ total: 3, started: 1, done: 0, targetMinutes: 30 });
    expect(seen.clocks.checkedBags.staffing?.lines[0]).toMatch(/^5 bags in 18(\.\d)? min left/);

    for (let i = 0; i < 3; i++) {
      const bag = await screener.nextBag();
      await screener.socket.emitWithAck('decision:submit', decisionFor(bag, i === 0 ? 'search' : 'clear'));
    }
    const decided = await lead.board(keyOf(a), (f) => f.clocks.checkedBags.done === 2);
    expect(decided.clocks.passengers.done).toBe(0); // one of four cabin bags: no whole passenger yet
    expect(decided.clocks.checkedBags.remaining).toBe(3);
    const other = await lead.board('KE855/' + dateOf(now - 2 * MIN));
    expect(other.clocks.checkedBags.started).toBe(1);
  });

  it('raises at-risk before the deadline, then breached, each as a flight:update', async () => {
    const { feed, scanner } = await start();
    const a = arrival({ checkedBags: 40 });
    await feed.emitWithAck('flight:upsert', { arrivals: [a] });
    const lead = await watcher();
    await scanner.emitWithAck('scan:submit', testScan({ flight: 'CA982', bagTag: checkedTag(1) }));
    await lead.board(keyOf(a), (f) => f.clocks.checkedBags.state === 'in-progress');
    now += 4 * MIN; // six minutes after on-block and nothing inspected: a quarter of the 20 gone
    const risk = await lead.update((u) => u.change.type === 'clock' && u.change.clock === 'checkedBags' && u.change.to === 'at-risk');
    expect(risk.change).toEqual({ type: 'clock', clock: 'checkedBags', from: 'in-progress', to: 'at-risk' });
    expect(Date.parse(risk.at)).toBeLessThan(Date.parse(risk.flight.clocks.checkedBags.deadline));
    expect(risk.flight.clocks.checkedBags.atRiskReason).toMatch(/too little done/);
    expect(risk.flight.clocks.checkedBags.staffing?.officers).toBeGreaterThan(0);
    now += 15 * MIN;
    const breach = await lead.update((u) => u.change.type === 'clock' && u.change.clock === 'checkedBags' && u.change.to === 'breached');
    expect(breach.change).toMatchObject({ from: 'at-risk' });
  });

  it('finds its flights and their bags again after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-flights-'));
    dirs.push(dir);
    const { feed, scanner } = await start(dir);
    const a = arrival();
    await feed.emitWithAck('flight:upsert', { arrivals: [a] });
    for (const bagTag of [checkedTag(1), checkedTag(2)]) await scanner.emitWithAck('scan:submit', testScan({ flight: 'CA982', bagTag }));
    for (const c of closers.splice(0)) c();
    await hub.close();
    await start(dir);
    const lead = await watcher();
    const again = await lead.board(keyOf(a));
    expect(again.clocks.checkedBags).toMatchObject({ started: 2, total: 5 });
  });
});
