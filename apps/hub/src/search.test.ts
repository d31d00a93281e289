import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { DEFAULT_WORKLOAD, officerPerformance, type DecisionRecord } from '@clearway/domain';
import { NAMESPACE, PROTOCOL_VERSION, SearchQueuePush, type SearchOutcomeSubmit, type ViewBox } from '@clearway/protocol';
import { io } from 'socket.io-client';
import { hashPassword } from '@clearway/store';
import { startHub, type Hub } from './hub.ts';
import { connectDevice, connectOfficer, decisionFor, testScan, type OfficerClient } from './testing.ts';

let hub: Hub;
let scannerToken: string;
const closers: (() => void)[] = [];

const OFFICERS = [
  { id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' },
  { id: 'zhang', name: 'Zhang Min', role: 'search-officer', password: 'search station' },
  { id: 'omar', name: 'Omar Haddad', role: 'search-officer', password: 'second station' },
] as const;
const hashes = new Map<string, string>();
beforeAll(async () => { for (const o of OFFICERS) hashes.set(o.id, await hashPassword(o.password)); });

beforeEach(async () => {
  hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }), referenceModel: null });
  for (const o of OFFICERS) hub.store.identity.importOfficer({ id: o.id, name: o.name, role: o.role, passwordHash: hashes.get(o.id) ?? '' });
  scannerToken = hub.store.identity.createDevice('scanner-1', 'scanner').token;
});
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await hub.close();
});

async function officer(id: (typeof OFFICERS)[number]['id']) {
  const o = await connectOfficer(hub.url, { officerId: id, password: OFFICERS.find((x) => x.id === id)?.password ?? '' });
  closers.push(() => o.socket.close());
  return o;
}

/** Every search:queue push a search console receives, parsed, and a way to wait for the next one. */
function queuePushes(socket: OfficerClient) {
  const seen: SearchQueuePush[] = [];
  const waiters: (() => void)[] = [];
  socket.on('search:queue', (raw) => {
    seen.push(SearchQueuePush.parse(raw));
    for (const w of waiters.splice(0)) w();
  });
  const next = async (count: number) => {
    while (seen.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return seen[count - 1] as SearchQueuePush;
  };
  return { seen, next };
}

/** Connects a search officer, listening for search:queue before the handshake so that the snapshot is never missed. */
async function searchOfficer(id: 'zhang' | 'omar' = 'zhang') {
  const socket: OfficerClient = io(hub.url + NAMESPACE.console, {
    auth: { protocolVersion: PROTOCOL_VERSION, officerId: id, password: OFFICERS.find((x) => x.id === id)?.password ?? '' },
    transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false,
  });
  closers.push(() => socket.close());
  const pushes = queuePushes(socket);
  const ready = new Promise((resolve, reject) => {
    socket.once('session:ready', resolve);
    socket.once('connect_error', reject);
  });
  socket.connect();
  await ready;
  return { socket, pushes };
}

/** Screens one bag (one 32×32 top view): 'search' with marks and a note, or 'clear'. */
async function screen(verdict: 'clear' | 'search', extra: { marks?: ViewBox[]; note?: string } = {}) {
  const device = await connectDevice(hub.url, 'scanner-1', scannerToken);
  closers.push(() => device.close());
  const screener = await officer('li.wei');
  const scan = testScan({ lane: 'lane-4', flight: 'MU5101' });
  await device.emitWithAck('scan:submit', scan);
  const bag = await screener.nextBag();
  const reply = await screener.socket.emitWithAck('decision:submit', { ...decisionFor(bag, verdict), ...extra });
  screener.socket.close();
  return { bag, scan, reply };
}

const outcome = (bagId: string, over: Partial<SearchOutcomeSubmit> = {}): SearchOutcomeSubmit => ({
  idempotencyKey: randomUUID(), bagId, outcome: 'threat-found', threatClass: 'knife', recordedAt: new Date().toISOString(), ...over,
});

const MARK: ViewBox = { view: 'top', x: 4.5, y: 6, width: 12, height: 10.25 };

describe('search decisions with marks and a note', () => {
  it('stores the marks and the note with the decision and in the audit trail', async () => {
    const { bag, reply } = await screen('search', { marks: [MARK], note: 'dense block under the laptop' });
    expect(reply).toMatchObject({ ok: true, duplicate: false });
    const [stored] = hub.store.screening.decisionsForBag(bag.bag.bagId);
    expect(stored).toMatchObject({ verdict: 'search', marks: [MARK], note: 'dense block under the laptop' });
    const audit = hub.store.audit.tail(5).find((r) => r.type === 'decision.recorded');
    expect(JSON.parse(audit?.payload ?? '{}')).toMatchObject({ marks: [MARK], note: 'dense block under the laptop' });
    expect(hub.store.audit.verify()).toMatchObject({ ok: true });
  });

  it('refuses marks outside the image, on a view the bag lacks, or with a clear verdict, and stores nothing', async () => {
    const device = await connectDevice(hub.url, 'scanner-1', scannerToken);
    closers.push(() => device.close());
    const screener = await officer('li.wei');
    await device.emitWithAck('scan:submit', testScan());
    const bag = await screener.nextBag();
    const send = (extra: object, verdict: 'clear' | 'search' = 'search') => screener.socket.emitWithAck('decision:submit', { ...decisionFor(bag, verdict), ...extra } as never);
    expect(await send({ marks: [{ ...MARK, x: 30 }] })).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining('past the top view') } });
    expect(await send({ marks: [{ ...MARK, view: 'side' }] })).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining('no side view') } });
    expect(await send({ marks: [MARK] }, 'clear')).toMatchObject({ ok: false, error: { code: 'invalid', field: 'marks' } });
    expect(await send({ note: 'x'.repeat(501) })).toMatchObject({ ok: false, error: { code: 'invalid', field: 'note' } });
    expect(await send({ marks: [{ ...MARK, width: 0 }] })).toMatchObject({ ok: false, error: { code: 'invalid', field: 'marks.0.width' } });
    expect(hub.store.screening.decisionCount()).toBe(0);
    // The bag is still the officer's to decide.
    expect(await send({ marks: [MARK] })).toMatchObject({ ok: true });
  });
});

describe('the search station', () => {
  it('pushes the line to search officers (snapshot, then each bag added) with marks, note and boxes', async () => {
    const machineResult = { algorithm: 'Sim ATR 1', alarm: true, detections: [{ id: '1', label: 'knife', category: 'PROHIBITED_ITEM' as const, score: 0.9, box: { view: 'top' as const, x: 1, y: 2, width: 8, height: 4 } }] };
    const device = await connectDevice(hub.url, 'scanner-1', scannerToken);
    closers.push(() => device.close());
    const screener = await officer('li.wei');
    await device.emitWithAck('scan:submit', testScan({ machineResult }));
    const first = await screener.nextBag();
    await screener.socket.emitWithAck('decision:submit', { ...decisionFor(first, 'search'), marks: [MARK], note: 'first' });

    // Signed in after the first: it comes in the snapshot.
    const { pushes } = await searchOfficer();
    const snapshot = await pushes.next(1);
    expect(snapshot.kind).toBe('snapshot');
    if (snapshot.kind !== 'snapshot') return;
    expect(snapshot.bags).toHaveLength(1);
    expect(snapshot.bags[0]).toMatchObject({
      bag: { bagId: first.bag.bagId, bagTag: first.bag.bagTag, lane: first.bag.lane, flight: first.bag.flight },
      screener: { id: 'li.wei', name: 'Li Wei' }, marks: [MARK], note: 'first', views: [{ view: 'top', width: 32, height: 32 }],
      machineResult: { alarm: true, detections: [{ label: 'knife' }] },
    });

    // Signed in before the second: it is added; a cleared bag never is.
    await device.emitWithAck('scan:submit', testScan());
    const cleared = await screener.nextBag();
    await screener.socket.emitWithAck('decision:submit', decisionFor(cleared, 'clear'));
    await device.emitWithAck('scan:submit', testScan());
    const second = await screener.nextBag();
    await screener.socket.emitWithAck('decision:submit', decisionFor(second, 'search'));
    const added = await pushes.next(2);
    expect(added).toMatchObject({ kind: 'added', bag: { bag: { bagId: second.bag.bagId }, marks: [] } });
    expect(pushes.seen).toHaveLength(2);
    // Oldest first for the next officer who signs in.
    const other = await searchOfficer('omar');
    const otherSnapshot = await other.pushes.next(1);
    expect(otherSnapshot.kind === 'snapshot' && otherSnapshot.bags.map((b) => b.bag.bagId)).toEqual([first.bag.bagId, second.bag.bagId]);
  });

  it('records an outcome once per bag, answers a resend as a duplicate and takes the bag off every search console', async () => {
    const { bag } = await screen('search', { marks: [MARK], note: 'check the side pocket' });
    const a = await searchOfficer('zhang');
    const b = await searchOfficer('omar');
    const pushesA = a.pushes;
    const pushesB = b.pushes;
    await pushesA.next(1);
    await pushesB.next(1);

    const found = outcome(bag.bag.bagId, { note: 'folding knife in the side pocket' });
    const reply = await a.socket.emitWithAck('search:outcome', found);
    expect(reply).toMatchObject({ ok: true, duplicate: false });
    const resent = await a.socket.emitWithAck('search:outcome', found);
    expect(resent).toMatchObject({ ok: true, duplicate: true });
    if (!reply.ok || !resent.ok) throw new Error('refused');
    expect(resent.outcomeId).toBe(reply.outcomeId);
    expect(resent.storedAt).toBe(reply.storedAt);

    // A second outcome for the bag under another key is refused, from either officer.
    expect(await b.socket.emitWithAck('search:outcome', outcome(bag.bag.bagId, { outcome: 'nothing-found', threatClass: undefined })))
      .toMatchObject({ ok: false, error: { code: 'conflict' } });
    // Another officer cannot pass off someone's key as theirs.
    expect(await b.socket.emitWithAck('search:outcome', found)).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    expect(await pushesA.next(2)).toMatchObject({ kind: 'removed', bagId: bag.bag.bagId, reason: 'outcome-recorded' });
    expect(await pushesB.next(2)).toMatchObject({ kind: 'removed', bagId: bag.bag.bagId });
    expect(hub.store.search.outcome(bag.bag.bagId)).toMatchObject({
      officerId: 'zhang', outcome: 'threat-found', threatClass: 'knife', note: 'folding knife in the side pocket', recordedAt: found.recordedAt,
    });
    expect(hub.store.search.flagged()).toEqual([]);
    const audited = hub.store.audit.tail(10).filter((r) => r.type === 'search.outcome-recorded');
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actorKind: 'officer', actorId: 'zhang', subjectId: bag.bag.bagId });
    expect(JSON.parse(audited[0]?.payload ?? '{}')).toMatchObject({ outcome: 'threat-found', threatClass: 'knife', idempotencyKey: found.idempotencyKey });
    expect(hub.store.audit.verify()).toMatchObject({ ok: true });
  });

  it('sends a flagged bag\'s images to a search officer, and no other bag\'s', async () => {
    const flagged = await screen('search');
    const cleared = await screen('clear');
    const search = await searchOfficer();
    const reply = await search.socket.emitWithAck('search:bag', { bagId: flagged.bag.bag.bagId });
    expect(reply).toMatchObject({ ok: true, bagId: flagged.bag.bag.bagId });
    if (!reply.ok) throw new Error('refused');
    const sent = flagged.scan.views[0];
    const got = reply.views[0];
    expect(got?.view).toBe('top');
    expect(Buffer.from(got?.high as unknown as Uint8Array).equals(Buffer.from(sent?.high as Uint8Array))).toBe(true);
    expect(await search.socket.emitWithAck('search:bag', { bagId: cleared.bag.bag.bagId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await search.socket.emitWithAck('search:bag', { bagId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

describe('search station permissions and bad input', () => {
  it('a search officer cannot decide at screening, not even a bag that is open', async () => {
    const device = await connectDevice(hub.url, 'scanner-1', scannerToken);
    closers.push(() => device.close());
    const screener = await officer('li.wei');
    await device.emitWithAck('scan:submit', testScan());
    const bag = await screener.nextBag();
    const search = await searchOfficer();
    expect(await search.socket.emitWithAck('decision:submit', decisionFor(bag, 'clear'))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await search.socket.emitWithAck('decision:submit', { ...decisionFor(bag, 'search'), note: 'mine' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(hub.store.screening.decisionCount()).toBe(0);
  });

  it('a screening officer cannot record an outcome or see the station\'s images', async () => {
    const { bag } = await screen('search');
    const screener = await officer('li.wei');
    expect(await screener.socket.emitWithAck('search:outcome', outcome(bag.bag.bagId))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await screener.socket.emitWithAck('search:bag', { bagId: bag.bag.bagId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(hub.store.search.outcome(bag.bag.bagId)).toBeNull();
  });

  it('refuses an outcome for a bag that was not flagged, an unknown bag, and a threat without its class', async () => {
    const cleared = await screen('clear');
    const flagged = await screen('search');
    const search = await searchOfficer();
    expect(await search.socket.emitWithAck('search:outcome', outcome(cleared.bag.bag.bagId))).toMatchObject({ ok: false, error: { code: 'conflict', message: 'the bag was not sent to search' } });
    expect(await search.socket.emitWithAck('search:outcome', outcome(randomUUID()))).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await search.socket.emitWithAck('search:outcome', outcome(flagged.bag.bag.bagId, { threatClass: undefined }))).toMatchObject({ ok: false, error: { code: 'invalid', field: 'threatClass' } });
    expect(await search.socket.emitWithAck('search:outcome', outcome(flagged.bag.bag.bagId, { outcome: 'nothing-found' }))).toMatchObject({ ok: false, error: { code: 'invalid', field: 'threatClass' } });
    expect(await search.socket.emitWithAck('search:outcome', { ...outcome(flagged.bag.bag.bagId), threatClass: 'bazooka' } as never)).toMatchObject({ ok: false, error: { code: 'invalid', field: 'threatClass' } });
    expect(hub.store.search.outcome(cleared.bag.bag.bagId)).toBeNull();
    expect(hub.store.search.outcome(flagged.bag.bag.bagId)).toBeNull();
  });
});

describe('outcomes as ground truth for officer statistics', () => {
  it('gives the decision records officerPerformance takes: a search with nothing found is a false alarm', async () => {
    const nothing = await screen('search');
    const found = await screen('search');
    await screen('clear');
    const open = await screen('search'); // no outcome yet: neither a hit nor a false alarm
    const search = await searchOfficer();
    await search.socket.emitWithAck('search:outcome', outcome(nothing.bag.bag.bagId, { outcome: 'nothing-found', threatClass: undefined }));
    await search.socket.emitWithAck('search:outcome', outcome(found.bag.bag.bagId));

    const records: DecisionRecord[] = hub.store.search.decisionRecords();
    expect(records).toHaveLength(4);
    expect(records.find((r) => r.bagId === nothing.bag.bag.bagId)).toMatchObject({ officerId: 'li.wei', verdict: 'search', searchOutcome: 'nothing-found', tipProjected: false });
    expect(records.find((r) => r.bagId === found.bag.bag.bagId)?.searchOutcome).toBe('threat-found');
    expect(records.find((r) => r.bagId === open.bag.bag.bagId)?.searchOutcome).toBeNull();
    const [li] = officerPerformance({ decisions: records, now: Date.now(), config: DEFAULT_WORKLOAD });
    expect(li).toMatchObject({ officerId: 'li.wei', decisions: 4, cleanBags: 2, falseAlarms: 1, falseAlarmRate: 0.5 });
  });
});
