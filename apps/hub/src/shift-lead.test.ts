import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { io, type Socket } from 'socket.io-client';
import {
  FlightBagsReply, FlightReportReply, NAMESPACE, OfficersStatus, PROTOCOL_VERSION,
  type ConsoleToHubEvents, type FlightArrival, type HubToConsoleEvents,
} from '@clearway/protocol';
import { hashPassword } from '@clearway/store';
import { startHub, type Hub } from './hub.ts';
import { connectDevice, connectOfficer, decisionFor, testScan } from './testing.ts';

const MIN = 60_000;
let hub: Hub;
const closers: (() => void)[] = [];
const hashes = new Map<string, string>();
const OFFICERS = [
  { id: 'lead', name: 'Wang Fang', role: 'shift-lead', password: 'shift lead pw' },
  { id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' },
] as const;
beforeAll(async () => { for (const o of OFFICERS) hashes.set(o.id, await hashPassword(o.password)); });
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await hub.close();
});

const iso = (ms: number) => new Date(ms).toISOString();

async function start() {
  hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }), referenceModel: null });
  for (const o of OFFICERS) hub.store.identity.importOfficer({ id: o.id, name: o.name, role: o.role, passwordHash: hashes.get(o.id) ?? '' });
  const feed = await connectDevice(hub.url, 'feed-1', hub.store.identity.createDevice('feed-1', 'flight-feed').token);
  const scanner = await connectDevice(hub.url, 'scanner-1', hub.store.identity.createDevice('scanner-1', 'scanner').token);
  closers.push(() => feed.close(), () => scanner.close());
  return { feed, scanner };
}

/** A shift lead's console that keeps every officers:status it receives. */
async function lead(officerId = 'lead', password = 'shift lead pw') {
  const socket: Socket<HubToConsoleEvents, ConsoleToHubEvents> = io(hub.url + NAMESPACE.console, {
    auth: { protocolVersion: PROTOCOL_VERSION, officerId, password }, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false,
  });
  closers.push(() => socket.close());
  const statuses: OfficersStatus[] = [];
  socket.on('officers:status', (s) => statuses.push(OfficersStatus.parse(s)));
  await new Promise<void>((resolve, reject) => {
    socket.once('session:ready', () => resolve());
    socket.once('connect_error', reject);
    socket.connect();
  });
  return { socket, statuses };
}

describe('the shift lead\'s flight detail and report', () => {
  it('lists a flight\'s bags with their states, builds its report, and refuses screening officers', async () => {
    const { feed, scanner } = await start();
    const now = Date.now();
    const a: FlightArrival = {
      flight: 'CA982', origin: 'JFK', aircraft: 'B77W', scheduledOnBlock: iso(now - 2 * MIN), actualOnBlock: iso(now - 2 * MIN),
      passengers: 3, checkedBags: 2, cabinBags: 2,
    };
    const flightId = `CA982/${iso(now - 2 * MIN).slice(0, 10)}`;
    await feed.emitWithAck('flight:upsert', { arrivals: [a] });
    const tags = ['0999000001', '0999000002', 'L1-0001'];
    for (const [i, bagTag] of tags.entries()) await scanner.emitWithAck('scan:submit', testScan({ flight: 'CA982', bagTag, lane: `lane-${i + 1}` }));
    await scanner.emitWithAck('scan:submit', testScan({ flight: 'MU574', bagTag: '0999000009' })); // another flight's bag

    const screener = await connectOfficer(hub.url, { officerId: 'li.wei', password: 'correct horse' });
    closers.push(() => screener.socket.close());
    await screener.socket.emitWithAck('decision:submit', decisionFor(await screener.nextBag(), 'clear'));
    await screener.socket.emitWithAck('decision:submit', decisionFor(await screener.nextBag(), 'search'));
    await screener.nextBag(); // the third: on screen now

    const { socket, statuses } = await lead();
    const bags = FlightBagsReply.parse(await socket.emitWithAck('flight:bags', { flightId }));
    if (!bags.ok) throw new Error(bags.error.message);
    expect(bags.truncated).toBe(false);
    expect(bags.bags.map((b) => [b.bagTag, b.lane, b.kind, b.state, b.verdict, b.officerId])).toEqual([
      ['0999000001', 'lane-1', 'checked', 'cleared', 'clear', 'li.wei'],
      ['0999000002', 'lane-2', 'checked', 'search', 'search', 'li.wei'],
      ['L1-0001', 'lane-3', 'cabin', 'screening', null, 'li.wei'],
    ]);
    expect(bags.bags[0]?.decidedAt).not.toBeNull();
    expect(bags.bags[2]?.assignedAt).not.toBeNull();

    const reply = FlightReportReply.parse(await socket.emitWithAck('flight:report', { flightId }));
    if (!reply.ok) throw new Error(reply.error.message);
    const report = reply.report;
    expect(report).toMatchObject({ flightId, flight: 'CA982', complete: false, onBlock: a.actualOnBlock });
    expect(report.bags).toEqual({ total: 3, checked: 2, cabin: 1, cleared: 1, searched: 1, timeLimit: 0, open: 1, searchOpen: 1 });
    expect(report.clocks.checkedBags).toMatchObject({ state: 'cleared', total: 2, done: 2, metTarget: true });
    expect(report.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['scheduled', 'first-bag', 'cleared']));
    expect(report.throughput.reduce((s, b) => s + b.arrived, 0)).toBe(3);

    // The officers' load came with the sign-in: li.wei has a bag on screen and two decided this hour.
    await expect.poll(() => statuses.at(-1)?.officers.find((o) => o.officerId === 'li.wei')).toMatchObject({ name: 'Li Wei', state: 'screening', bagsLastHour: 2, breakDue: false });
    expect(statuses[0]?.maxContinuousMinutes).toBe(20);

    expect(await socket.emitWithAck('flight:report', { flightId: 'CA999/2025-06-01' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await socket.emitWithAck('flight:bags', { flightId: 'CA982' })).toMatchObject({ ok: false, error: { code: 'invalid', field: 'flightId' } });
    expect(await screener.socket.emitWithAck('flight:bags', { flightId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await screener.socket.emitWithAck('flight:report', { flightId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('pushes officers:status to shift leads only, following an officer\'s break', async () => {
    await start();
    const screener = await connectOfficer(hub.url, { officerId: 'li.wei', password: 'correct horse' });
    closers.push(() => screener.socket.close());
    let officerGot = 0;
    screener.socket.on('officers:status', () => officerGot++);
    const { statuses } = await lead();
    await expect.poll(() => statuses.at(-1)?.officers.find((o) => o.officerId === 'li.wei')?.state).toBe('available');
    await screener.socket.emitWithAck('officer:status', { status: 'on-break' });
    await expect.poll(() => statuses.at(-1)?.officers.find((o) => o.officerId === 'li.wei')?.state, { timeout: 8000 }).toBe('on-break');
    // The lead is no screening officer: never listed.
    expect(statuses.at(-1)?.officers.map((o) => o.officerId)).toEqual(['li.wei']);
    await screener.socket.emitWithAck('officer:status', { status: 'available' });
    expect(officerGot).toBe(0);
  });
});
