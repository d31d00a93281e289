// The multiplexed screening line through the real hub: priority from risk and flight deadlines,
// breaks, decision time limits (reassign or search, across a restart), queue figures, and who
// may decide what.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ScanSubmit, type BagAssigned, type DecisionStored, type QueueStatus } from '@clearway/protocol';
import { Store, hashPassword } from '@clearway/store';
import { startHub, type Hub } from './hub.ts';
import { connectDevice, connectOfficer, decisionFor, testScan, type DeviceClient, type OfficerClient } from './testing.ts';

const MIN = 60_000;
let hub: Hub | null = null;
const closers: (() => void)[] = [];
const dirs: string[] = [];

const OFFICERS = [
  { id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' },
  { id: 'anna', name: 'Anna K', role: 'screening-officer', password: 'battery staple' },
  { id: 'zhang', name: 'Zhang Min', role: 'search-officer', password: 'search station' },
  { id: 'lead', name: 'Wang Fang', role: 'shift-lead', password: 'shift lead pw' },
] as const;
type OfficerId = (typeof OFFICERS)[number]['id'];
const hashes = new Map<string, string>();
beforeAll(async () => { for (const o of OFFICERS) hashes.set(o.id, await hashPassword(o.password)); });
beforeEach(() => { hub = null; });
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await hub?.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function seed(store: Store): void {
  for (const o of OFFICERS) {
    if (!store.identity.listOfficers().some((x) => x.id === o.id)) store.identity.importOfficer({ id: o.id, name: o.name, role: o.role, passwordHash: hashes.get(o.id) ?? '' });
  }
}

async function start(dataDir = ':memory:'): Promise<Hub> {
  hub = await startHub({ dataDir, port: 0, consoleDir: null, logger: pino({ level: 'silent' }), referenceModel: null });
  seed(hub.store);
  return hub;
}

function running(): Hub {
  if (!hub) throw new Error('no hub');
  return hub;
}

/** An officer's console that keeps every push it gets from the first packet on. */
async function officer(id: OfficerId) {
  const o = OFFICERS.find((x) => x.id === id);
  if (!o) throw new Error(id);
  const c = await connectOfficer(running().url, { officerId: o.id, password: o.password });
  closers.push(() => c.socket.close());
  const withdrawn: { assignmentId: string; reason: string }[] = [];
  const statuses: QueueStatus[] = [];
  const assigned: BagAssigned[] = [];
  c.socket.on('bag:withdrawn', (w) => withdrawn.push(w));
  c.socket.on('queue:status', (s) => statuses.push(s as QueueStatus));
  c.socket.on('bag:assigned', (b) => assigned.push(b as BagAssigned));
  return { ...c, withdrawn, statuses, assigned };
}

async function scanner(id = 'scanner-1'): Promise<DeviceClient> {
  const h = running();
  const token = h.store.identity.listDevices().some((d) => d.id === id) ? h.store.identity.rotateDeviceToken(id) : h.store.identity.createDevice(id, 'scanner').token;
  const d = await connectDevice(h.url, id, token);
  closers.push(() => d.close());
  return d;
}

async function submit(d: DeviceClient, over: Parameters<typeof testScan>[0] = {}): Promise<string> {
  const scan = testScan(over);
  const r = await d.emitWithAck('scan:submit', scan);
  if (!r.ok) throw new Error(r.error.message);
  return scan.bagTag;
}

const shown = (c: OfficerClient, bag: BagAssigned, paintMs = 12) =>
  c.emitWithAck('bag:shown', { assignmentId: bag.assignmentId, shownAt: new Date().toISOString(), paintMs });

/** Decision time limits of 1 s (the least the facts page allows), so a window runs out quickly. */
function shortLimits(onExpiry: 'reassign' | 'search', maxReassignments = 1) {
  running().store.settings.set('screening.timeLimits', { beltMovingS: 1, beltStoppedS: 0, onExpiry, maxReassignments });
}

describe('priority', () => {
  it('serves a high-risk bag before earlier ordinary ones, then first in, first out', async () => {
    await start();
    const o = await officer('li.wei');
    await o.socket.emitWithAck('officer:status', { status: 'on-break' });
    const d = await scanner();
    const first = await submit(d);
    const second = await submit(d);
    const risky = await submit(d, { risk: { score: 80, reasons: ['watch-list hit: +60', 'cash declaration: +15'] } });
    await o.socket.emitWithAck('officer:status', { status: 'available' });
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const bag = await o.nextBag();
      order.push(bag.bag.bagTag);
      await o.socket.emitWithAck('decision:submit', decisionFor(bag));
    }
    expect(order).toEqual([risky, first, second]);
  });

  it('raises the bags of a flight close to its clearance deadline above bags of flights with time to spare', async () => {
    const h = await start();
    const feed = await connectDevice(h.url, 'feed-1', h.store.identity.createDevice('feed-1', 'flight-feed').token);
    closers.push(() => feed.close());
    const iso = (ms: number) => new Date(ms).toISOString();
    const now = Date.now();
    const r = await feed.emitWithAck('flight:upsert', {
      arrivals: [
        // Checked bags within 20 minutes of on-block: 3 minutes left.
        { flight: 'CA982', origin: 'JFK', aircraft: 'B77W', scheduledOnBlock: iso(now - 20 * MIN), actualOnBlock: iso(now - 17 * MIN), passengers: 300, checkedBags: 300, cabinBags: 300 },
        // 19 minutes left: inside the widest band (20 minutes), one step.
        { flight: 'MU574', origin: 'NRT', aircraft: 'A321', scheduledOnBlock: iso(now - MIN), actualOnBlock: iso(now - MIN), passengers: 190, checkedBags: 238, cabinBags: 205 },
      ],
      updates: [],
    });
    expect(r).toMatchObject({ ok: true, arrivals: { created: 2 } });
    const lead = await officer('lead');
    const o = await officer('li.wei');
    await o.socket.emitWithAck('officer:status', { status: 'on-break' });
    const d = await scanner();
    const relaxed = await submit(d, { flight: 'MU574', lane: 'lane-1' });
    const unknown = await submit(d, { flight: 'KE855', lane: 'lane-2' });
    const urgent = await submit(d, { flight: 'CA982', lane: 'lane-2' });
    // The shift lead sees the line by lane and by priority.
    await expect.poll(() => lead.statuses.findLast((s) => s.waitingBags === 3), { timeout: 5000 }).toBeTruthy();
    const status = lead.statuses.findLast((s) => s.waitingBags === 3);
    expect(status?.lanes?.map((l) => [l.lane, l.waiting])).toEqual([['lane-2', 2], ['lane-1', 1]]);
    expect(status?.byPriority?.map((p) => [p.priority, p.waiting])).toEqual([[3, 1], [1, 1], [0, 1]]);
    expect(status?.officersOnBreak).toBe(1);

    await o.socket.emitWithAck('officer:status', { status: 'available' });
    const order: string[] = [];
    for (let i = 0; i < 3; i++) {
      const bag = await o.nextBag();
      order.push(bag.bag.bagTag);
      await o.socket.emitWithAck('decision:submit', decisionFor(bag));
    }
    expect(order).toEqual([urgent, relaxed, unknown]);
  });
});

describe('breaks', () => {
  it('gives a bag not yet shown back to the head of the line, to the next free officer', async () => {
    await start();
    const a = await officer('li.wei');
    const d = await scanner();
    const tag = await submit(d);
    const bag = await a.nextBag();
    await submit(d); // a later bag, behind it
    expect(await a.socket.emitWithAck('officer:status', { status: 'on-break' })).toEqual({ ok: true, status: 'on-break' });
    expect(a.withdrawn).toEqual([{ assignmentId: bag.assignmentId, reason: 'officer went on break before the bag was shown' }]);
    const b = await officer('anna');
    expect((await b.nextBag()).bag.bagTag).toBe(tag);
    expect(await a.socket.emitWithAck('decision:submit', decisionFor(bag))).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('leaves a bag already shown with the officer, who decides it and then gets no more', async () => {
    await start();
    const a = await officer('li.wei');
    const d = await scanner();
    await submit(d);
    const bag = await a.nextBag();
    expect(await shown(a.socket, bag)).toEqual({ ok: true });
    await a.socket.emitWithAck('officer:status', { status: 'on-break' });
    await submit(d);
    expect(await a.socket.emitWithAck('decision:submit', decisionFor(bag))).toMatchObject({ ok: true, duplicate: false });
    await expect(a.nextBag(300)).rejects.toThrow(/no bag/);
    expect(a.withdrawn).toEqual([]);
    await a.socket.emitWithAck('officer:status', { status: 'available' });
    await expect(a.nextBag()).resolves.toBeTruthy();
  });
});

describe('decision time limits', () => {
  it('sends a bag nobody decided in time to search, tells the officer and the scanner, and refuses the late decision', async () => {
    const h = await start();
    shortLimits('search');
    const o = await officer('li.wei');
    const reports: DecisionStored[] = [];
    const d = await scanner();
    d.on('decision:stored', (r) => reports.push(r as DecisionStored));
    await submit(d);
    const bag = await o.nextBag();
    expect(Date.parse(bag.decideBy?.expiresAt ?? '') - Date.parse(bag.assignedAt)).toBe(1000);
    await expect.poll(() => o.withdrawn.length, { timeout: 10_000 }).toBe(1);
    expect(o.withdrawn[0]).toEqual({ assignmentId: bag.assignmentId, reason: 'decision time limit (1 s) ran out: sent to search' });
    expect(await o.socket.emitWithAck('decision:submit', decisionFor(bag, 'clear'))).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const stored = h.store.screening.decisionsForBag(bag.bag.bagId);
    expect(stored).toMatchObject([{ verdict: 'search', madeBy: 'time-limit', officerId: 'li.wei', assignedAt: bag.assignedAt }]);
    await expect.poll(() => reports.map((r) => r.verdict), { timeout: 5000 }).toEqual(['search']);
    const screening = ['bag.assigned', 'bag.withdrawn', 'decision.recorded'];
    const audit = h.store.audit.tail(20).filter((r) => r.subjectId === bag.bag.bagId && screening.includes(r.type)).map((r) => [r.type, r.actorKind]);
    expect(audit).toEqual([['bag.assigned', 'hub'], ['bag.withdrawn', 'hub'], ['decision.recorded', 'hub']]);
  });

  it('gives an undecided bag to another officer, then to search once the reassignments are used up', async () => {
    const h = await start();
    shortLimits('reassign', 1);
    const a = await officer('li.wei');
    const b = await officer('anna');
    const d = await scanner();
    await submit(d);
    // One bag: whoever gets it first lets it run out, the other officer gets it, lets it run out too.
    await expect.poll(() => [a.assigned.length, b.assigned.length], { timeout: 10_000 }).toEqual([1, 1]);
    const bagId = a.assigned[0]?.bag.bagId;
    expect(b.assigned[0]?.bag.bagId).toBe(bagId);
    await expect.poll(() => h.store.screening.decisionsForBag(bagId ?? ''), { timeout: 10_000 }).toMatchObject([{ verdict: 'search', madeBy: 'time-limit' }]);
    const reasons = [...a.withdrawn, ...b.withdrawn].map((w) => w.reason).sort();
    expect(reasons).toEqual(['decision time limit (1 s) ran out: given to another officer', 'decision time limit (1 s) ran out: sent to search']);
  });

  it('recomputes the windows of open assignments from their stored times when the hub restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-queue-'));
    dirs.push(dir);
    const store = Store.open(dir);
    seed(store);
    store.identity.createDevice('scanner-1', 'scanner');
    const scan = (lane: string) => ScanSubmit.parse(testScan({ lane }));
    const stale = store.screening.storeScan('scanner-1', scan('lane-1'), new Date(Date.now() - 2 * MIN));
    const fresh = store.screening.storeScan('scanner-1', scan('lane-2'), new Date(Date.now() - 2 * MIN));
    // Default limits: 10 s belt moving + 20 s belt stopped, then search.
    store.screening.assign(stale.bagId, 'li.wei', new Date(Date.now() - MIN));
    const open = store.screening.assign(fresh.bagId, 'anna', new Date(Date.now() - 5000));
    await store.close();

    const h = await start(dir);
    await expect.poll(() => h.store.screening.decisionsForBag(stale.bagId), { timeout: 5000 }).toMatchObject([{ verdict: 'search', madeBy: 'time-limit', officerId: 'li.wei' }]);
    const anna = await officer('anna');
    const again = await anna.nextBag();
    expect(again.assignmentId).toBe(open.assignmentId);
    expect(again.decideBy).toEqual({ beltStopsAt: new Date(Date.parse(open.assignedAt) + 10_000).toISOString(), expiresAt: new Date(Date.parse(open.assignedAt) + 30_000).toISOString() });
    expect(h.store.screening.decisionsForBag(fresh.bagId)).toEqual([]);
  });
});

describe('decision timings', () => {
  it('keeps assignment time, first paint and the officer\'s times with the decision', async () => {
    const h = await start();
    const o = await officer('li.wei');
    const d = await scanner();
    await submit(d);
    const bag = await o.nextBag();
    expect(await shown(o.socket, bag, 37.5)).toEqual({ ok: true });
    const decision = decisionFor(bag, 'clear');
    expect(await o.socket.emitWithAck('decision:submit', decision)).toMatchObject({ ok: true });
    expect(h.store.screening.decisionsForBag(bag.bag.bagId)).toMatchObject([{
      madeBy: 'officer', assignedAt: bag.assignedAt, shownAt: decision.shownAt, decidedAt: decision.decidedAt, paintMs: 37.5,
    }]);
  });
});

describe('who may decide', () => {
  it('refuses a decision or a paint report for a bag assigned to another officer', async () => {
    const h = await start();
    const a = await officer('li.wei');
    const d = await scanner();
    await submit(d);
    const bag = await a.nextBag();
    const b = await officer('anna');
    expect(await b.socket.emitWithAck('decision:submit', decisionFor(bag))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await shown(b.socket, bag)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Its own assignment with another bag's ID is refused too.
    expect(await a.socket.emitWithAck('decision:submit', { ...decisionFor(bag), bagId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(h.store.screening.decisionCount()).toBe(0);
  });

  it('refuses a search officer at screening even with a real assignment', async () => {
    const h = await start();
    const a = await officer('li.wei');
    const d = await scanner();
    await submit(d);
    const bag = await a.nextBag();
    const search = await officer('zhang');
    expect(await search.socket.emitWithAck('decision:submit', decisionFor(bag, 'search'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await shown(search.socket, bag)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(h.store.screening.decisionCount()).toBe(0);
  });

  it('refuses a decision on a withdrawn assignment, and the bag\'s next officer decides it', async () => {
    const h = await start();
    const a = await officer('li.wei');
    const d = await scanner();
    await submit(d);
    const bag = await a.nextBag();
    await a.socket.emitWithAck('officer:status', { status: 'on-break' }); // not shown yet: withdrawn
    const b = await officer('anna');
    const next = await b.nextBag();
    expect(await a.socket.emitWithAck('decision:submit', decisionFor(bag, 'clear'))).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await b.socket.emitWithAck('decision:submit', decisionFor(next, 'search'))).toMatchObject({ ok: true });
    expect(h.store.screening.decisionsForBag(bag.bag.bagId)).toMatchObject([{ officerId: 'anna', verdict: 'search' }]);
  });
});
