// The exit check at reclaim through the real hub: a checked bag flagged on the belt marks its
// passenger from the manifest, the search console's list says whom to stop and why, the officer
// records the stop, the search station records the outcome against the bag.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ExitCheckDirectReply, ExitCheckList, NAMESPACE, PROTOCOL_VERSION, type FlightManifestInput } from '@clearway/protocol';
import { io } from 'socket.io-client';
import { hashPassword } from '@clearway/store';
import { startHub, type Hub } from './hub.ts';
import { connectDevice, connectOfficer, decisionFor, testScan, type DeviceClient, type OfficerClient } from './testing.ts';

let hub: Hub;
const closers: (() => void)[] = [];
const OFFICERS = [
  { id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' },
  { id: 'zhang', name: 'Zhang Min', role: 'search-officer', password: 'search station' },
] as const;
const hashes = new Map<string, string>();
beforeAll(async () => { for (const o of OFFICERS) hashes.set(o.id, await hashPassword(o.password)); });

const DATE = new Date().toISOString().slice(0, 10);
const MANIFEST: FlightManifestInput = {
  flight: 'CA932', date: DATE,
  passengers: [
    { passengerRef: 'ZX4K2P-1', name: 'WANG/FANG', origin: 'FRA', route: ['FRA', 'PVG'], bagTags: ['0999000001', '0999000002'] },
    { passengerRef: 'QW7T9R-1', origin: 'FRA', route: ['FRA', 'PVG'], bagTags: ['0999000003'] },
  ],
};

let scanner: DeviceClient;
beforeEach(async () => {
  hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }), referenceModel: null });
  for (const o of OFFICERS) hub.store.identity.importOfficer({ id: o.id, name: o.name, role: o.role, passwordHash: hashes.get(o.id) ?? '' });
  // No random selection: only the screener flags bags here.
  await hub.store.settings.set('screening.risk', { randomSelectionRate: 0, randomSeed: 'exit-check-seed-1' });
  const feed = await connectDevice(hub.url, 'feed-1', hub.store.identity.createDevice('feed-1', 'flight-feed').token);
  scanner = await connectDevice(hub.url, 'hbs-1', hub.store.identity.createDevice('hbs-1', 'scanner').token);
  closers.push(() => feed.close(), () => scanner.close());
  expect((await feed.emitWithAck('flight:manifest', MANIFEST)).ok).toBe(true);
});
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await hub.close();
});

/** A search console listening from before its handshake, keeping every exit-check list it is sent. */
async function exitOfficer() {
  const socket: OfficerClient = io(hub.url + NAMESPACE.console, {
    auth: { protocolVersion: PROTOCOL_VERSION, officerId: 'zhang', password: 'search station' }, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false,
  });
  closers.push(() => socket.close());
  const lists: ExitCheckList[] = [];
  socket.on('exit-check:list', (p) => lists.push(ExitCheckList.parse(p)));
  await new Promise((resolve, reject) => { socket.once('session:ready', resolve); socket.once('connect_error', reject); socket.connect(); });
  return { socket, lists, latest: () => lists[lists.length - 1] };
}

describe('exit check at reclaim', () => {
  it('lists the passenger of a flagged checked bag with the tag and the reason, records the stop, and closes on the search outcome', async () => {
    const exit = await exitOfficer();
    expect(exit.latest()?.entries).toEqual([]);
    const screener = await connectOfficer(hub.url, { officerId: 'li.wei', password: 'correct horse' });
    closers.push(() => screener.socket.close());
    for (const tag of ['0999000001', '0999000003']) {
      const r = await scanner.emitWithAck('scan:submit', testScan({ lane: 'hbs-1', flight: 'CA932', bagTag: tag }, 16));
      expect(r.ok).toBe(true);
    }
    const flagged = await screener.nextBag();
    expect(flagged.bag.bagTag).toBe('0999000001');
    const d = await screener.socket.emitWithAck('decision:submit', { ...decisionFor(flagged, 'search'), note: 'dense block, left side' });
    expect(d.ok).toBe(true);
    const cleared = await screener.nextBag();
    expect((await screener.socket.emitWithAck('decision:submit', decisionFor(cleared, 'clear'))).ok).toBe(true);

    await expect.poll(() => exit.latest()?.entries.length).toBe(1);
    const [entry] = exit.latest()?.entries ?? [];
    expect(entry).toMatchObject({
      key: 'ZX4K2P-1', passenger: { ref: 'ZX4K2P-1', name: 'WANG/FANG' }, flight: 'CA932', state: 'look-out', searchedAt: null,
      bags: [{ bagId: flagged.bag.bagId, bagTag: '0999000001', reasons: ['screener: dense block, left side'], state: 'look-out', outcome: null }],
    });

    // A screening officer may not record a stop; a bag that is not a flagged checked bag is refused.
    expect((await screener.socket.emitWithAck('exit-check:direct', { bagIds: [flagged.bag.bagId] })).ok).toBe(false);
    const wrong = ExitCheckDirectReply.parse(await exit.socket.emitWithAck('exit-check:direct', { bagIds: [cleared.bag.bagId] }));
    expect(wrong.ok === false && wrong.error.code).toBe('not-found');

    const stopped = ExitCheckDirectReply.parse(await exit.socket.emitWithAck('exit-check:direct', { bagIds: [flagged.bag.bagId] }));
    expect(stopped.ok && stopped.directed).toBe(1);
    await expect.poll(() => exit.latest()?.entries[0]?.state).toBe('directed');

    const outcome = await exit.socket.emitWithAck('search:outcome', { idempotencyKey: crypto.randomUUID(), bagId: flagged.bag.bagId, outcome: 'other-contraband', note: 'undeclared cash' });
    expect(outcome.ok).toBe(true);
    await expect.poll(() => exit.latest()?.entries[0]?.state).toBe('searched');
    expect(exit.latest()?.entries[0]?.bags[0]?.outcome).toBe('other-contraband');
    expect(hub.store.audit.tail(30).map((r) => r.type)).toContain('exit-check.directed');
    expect(hub.store.audit.verify().ok).toBe(true);
  });
});
