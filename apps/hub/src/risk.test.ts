// Risk-based selection through the real hub: a manifest from the flight feed, a watch-listed
// passenger's bag prioritised and sent to the search station although the screener cleared it,
// the outcome, the shift lead's find-rate report, and the passengers' clock counting people.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import {
  FlightBagsReply, FlightManifestReply, FlightReportReply, NAMESPACE, PROTOCOL_VERSION, RiskReportReply, SearchQueuePush,
  type FlightManifestInput, type ScanSubmitInput,
} from '@clearway/protocol';
import { io } from 'socket.io-client';
import { hashPassword } from '@clearway/store';
import { startHub, type Hub } from './hub.ts';
import { connectDevice, connectOfficer, decisionFor, testScan, type DeviceClient, type OfficerClient } from './testing.ts';

let hub: Hub;
const closers: (() => void)[] = [];
const OFFICERS = [
  { id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' },
  { id: 'zhang', name: 'Zhang Min', role: 'search-officer', password: 'search station' },
  { id: 'lead', name: 'Chen Jie', role: 'shift-lead', password: 'shift lead pw' },
] as const;
const hashes = new Map<string, string>();
beforeAll(async () => { for (const o of OFFICERS) hashes.set(o.id, await hashPassword(o.password)); });

const ON_BLOCK = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000);
const DATE = ON_BLOCK.toISOString().slice(0, 10);
const KEY = `CA981/${DATE}`;

let feed: DeviceClient;
let scanner: DeviceClient;
beforeEach(async () => {
  hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }), referenceModel: null });
  for (const o of OFFICERS) hub.store.identity.importOfficer({ id: o.id, name: o.name, role: o.role, passwordHash: hashes.get(o.id) ?? '' });
  feed = await connectDevice(hub.url, 'feed-1', hub.store.identity.createDevice('feed-1', 'flight-feed').token);
  scanner = await connectDevice(hub.url, 'scanner-1', hub.store.identity.createDevice('scanner-1', 'scanner').token);
  closers.push(() => feed.close(), () => scanner.close());
  const stored = await feed.emitWithAck('flight:upsert', { arrivals: [{
    flight: 'CA981', date: DATE, origin: 'JFK', aircraft: 'B77W', scheduledOnBlock: ON_BLOCK.toISOString(), actualOnBlock: ON_BLOCK.toISOString(),
    passengers: 3, checkedBags: 3, cabinBags: 3,
  }] });
  expect(stored.ok).toBe(true);
});
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await hub.close();
});

const MANIFEST: FlightManifestInput = {
  flight: 'CA981', date: DATE,
  passengers: [
    { passengerRef: 'ZX4K2P-1', origin: 'JFK', route: ['JFK', 'PEK'], bagTags: ['0999000001'] },
    { passengerRef: 'QW7T3M-1', origin: 'KBL', route: ['KBL', 'IST', 'PEK'], flags: ['watch-list-hit'], bagTags: ['0999000002', 'C-2002'] },
    { passengerRef: 'QW7T3M-2', origin: 'KBL', route: ['KBL', 'IST', 'PEK'] }, // no bags: nothing to screen
  ],
};

async function officer(id: (typeof OFFICERS)[number]['id']) {
  const o = await connectOfficer(hub.url, { officerId: id, password: OFFICERS.find((x) => x.id === id)?.password ?? '' });
  closers.push(() => o.socket.close());
  return o;
}

/** A search console listening from before its handshake, so that no push is missed. */
async function searchStation() {
  const socket: OfficerClient = io(hub.url + NAMESPACE.console, {
    auth: { protocolVersion: PROTOCOL_VERSION, officerId: 'zhang', password: 'search station' }, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false,
  });
  closers.push(() => socket.close());
  const pushes: SearchQueuePush[] = [];
  socket.on('search:queue', (p) => pushes.push(SearchQueuePush.parse(p)));
  await new Promise((resolve, reject) => { socket.once('session:ready', resolve); socket.once('connect_error', reject); socket.connect(); });
  return { socket, pushes };
}

const scan = (bagTag: string): ScanSubmitInput => testScan({ flight: 'CA981', bagTag }, 16);

describe('risk-based selection from flight manifests', () => {
  it('prioritises a watch-listed passenger\'s bag, sends it to search although cleared, and reports the find rate', async () => {
    await hub.store.settings.set('screening.risk', { randomSelectionRate: 0, randomSeed: 'test-seed-0001' });
    const reply = FlightManifestReply.parse(await feed.emitWithAck('flight:manifest', MANIFEST));
    expect(reply).toEqual({ ok: true, flightId: KEY, passengers: 3, bags: 3, replaced: 0, knownFlight: true });

    // The ordinary bag first, then the risky one, while nobody screens.
    const plain = await scanner.emitWithAck('scan:submit', scan('0999000001'));
    const risky = await scanner.emitWithAck('scan:submit', scan('0999000002'));
    if (!plain.ok || !risky.ok) throw new Error('scan refused');
    expect(hub.store.manifests.assessment(risky.bagId)).toMatchObject({ score: 60, riskSelected: true, randomSelected: false, passengerRef: 'QW7T3M-1' });
    expect(hub.store.manifests.assessment(plain.bagId)).toMatchObject({ score: 0, riskSelected: false });

    const station = await searchStation();
    const screener = await officer('li.wei');
    const first = await screener.nextBag();
    expect(first.bag.bagId).toBe(risky.bagId); // risk raised it above the earlier bag
    // The screener is told nothing of the selection.
    expect(JSON.stringify(first)).not.toMatch(/watch|risk|select/i);
    const cleared = await screener.socket.emitWithAck('decision:submit', decisionFor(first, 'clear'));
    expect(cleared.ok).toBe(true);

    // At the station all the same, with why.
    await expect.poll(() => station.pushes.find((p) => p.kind === 'added')).toBeTruthy();
    const added = station.pushes.find((p) => p.kind === 'added');
    expect(added?.kind === 'added' && added.bag).toMatchObject({ bag: { bagId: risky.bagId }, selection: { riskSelected: true, randomSelected: false, score: 60, reasons: ['watch-list hit: +60'] } });
    const second = await screener.nextBag();
    expect(second.bag.bagId).toBe(plain.bagId);
    await screener.socket.emitWithAck('decision:submit', decisionFor(second, 'clear'));

    // Passengers counted through the manifest: the plain passenger is done, the other waits for their cabin bag and the search.
    await expect.poll(() => hub.flights.entry(KEY)?.clocks.passengers).toMatchObject({ countedBy: 'manifest', total: 2, done: 1 });

    // The shift lead's flight detail shows the cleared but selected bag at search, not cleared.
    const lead = await officer('lead');
    const stateOf = async (bagId: string) => {
      const r = FlightBagsReply.parse(await lead.socket.emitWithAck('flight:bags', { flightId: KEY }));
      return r.ok ? r.bags.find((b) => b.bagId === bagId)?.state : r.error.message;
    };
    expect(await stateOf(risky.bagId)).toBe('search');
    expect(await stateOf(plain.bagId)).toBe('cleared');

    const outcome = await station.socket.emitWithAck('search:outcome', { idempotencyKey: crypto.randomUUID(), bagId: risky.bagId, outcome: 'threat-found', threatClass: 'knife' });
    expect(outcome.ok).toBe(true);
    expect(await stateOf(risky.bagId)).toBe('searched');
    // The flight report counts it among the bags sent to search, not the cleared ones.
    const flightReport = FlightReportReply.parse(await lead.socket.emitWithAck('flight:report', { flightId: KEY }));
    expect(flightReport.ok && flightReport.report.bags).toMatchObject({ total: 2, cleared: 1, searched: 1, searchOpen: 0 });
    expect(hub.store.search.flagged()).toEqual([]);
    expect(hub.store.search.wasFlagged(plain.bagId)).toBe(false);

    const report = RiskReportReply.parse(await lead.socket.emitWithAck('risk:report', {}));
    if (!report.ok) throw new Error(report.error.message);
    expect(report.report).toMatchObject({ risk: { searches: 1, finds: 1, rate: 1 }, random: { searches: 0, finds: 0, rate: null }, open: 0, difference: null, randomSelectionRate: 0 });
    expect(report.report.risk.low).toBeGreaterThan(0);
    expect(report.report.risk.high).toBeCloseTo(1, 9);
    // Screening officers may not ask for it.
    const refused = await screener.socket.emitWithAck('risk:report', {});
    expect(refused.ok).toBe(false);

    const audit = hub.store.audit.tail(50).map((r) => r.type);
    expect(audit).toContain('manifest.received');
    expect(audit).toContain('bag.selected-for-search');
    expect(hub.store.audit.verify().ok).toBe(true);
  });

  it('selects bags at random at the configured rate, shows it only at the station, and leaves unlisted bags alone', async () => {
    await hub.store.settings.set('screening.risk', { randomSelectionRate: 1, searchThreshold: 100, randomSeed: 'test-seed-0002' });
    await feed.emitWithAck('flight:manifest', MANIFEST);
    const listed = await scanner.emitWithAck('scan:submit', scan('0999000001'));
    const unlisted = await scanner.emitWithAck('scan:submit', scan('0999000077'));
    if (!listed.ok || !unlisted.ok) throw new Error('scan refused');
    expect(hub.store.manifests.assessment(unlisted.bagId)).toBeNull();
    const station = await searchStation();
    const screener = await officer('li.wei');
    for (let i = 0; i < 2; i++) {
      const bag = await screener.nextBag();
      expect(JSON.stringify(bag)).not.toMatch(/random|select/i);
      await screener.socket.emitWithAck('decision:submit', decisionFor(bag, 'clear'));
    }
    await expect.poll(() => station.pushes.filter((p) => p.kind === 'added').length).toBe(1);
    const added = station.pushes.find((p) => p.kind === 'added');
    expect(added?.kind === 'added' && added.bag).toMatchObject({ bag: { bagId: listed.bagId }, selection: { riskSelected: false, randomSelected: true } });
    // A manifest sent again replaces the flight's passengers.
    const again = FlightManifestReply.parse(await feed.emitWithAck('flight:manifest', { ...MANIFEST, passengers: MANIFEST.passengers.slice(0, 1) }));
    expect(again).toMatchObject({ ok: true, passengers: 1, replaced: 3 });
    // A bad manifest is refused whole, naming the field.
    const bad = await feed.emitWithAck('flight:manifest', { ...MANIFEST, passengers: [{ passengerRef: 'lower-case', origin: 'JFK', route: ['JFK'] }] });
    expect(bad.ok === false && bad.error.field).toBe('passengers.0.passengerRef');
  });
});
