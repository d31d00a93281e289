// Threat Image Projection through the real hub: what a screening console can and cannot learn,
// what happens after the decision, and the share of bags that get a projection.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import {
  NAMESPACE, PROTOCOL_VERSION, ScanSubmit, TipResult, type BagAssigned, type MachineResult, type ScanSubmitInput, type ViewBox,
} from '@clearway/protocol';
import { hashPassword } from '@clearway/store';
import { io } from 'socket.io-client';
import { startHub, type Hub } from './hub.ts';
import { connectDevice, suitcase, type DeviceClient, type OfficerClient } from './testing.ts';
import { DEFAULT_TIP_LIBRARY } from './tip-library.ts';

const OFFICERS = [
  { id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' },
  { id: 'anna', name: 'Anna K', role: 'screening-officer', password: 'battery staple' },
  { id: 'root', name: 'Ada Admin', role: 'admin', password: 'admin console' },
] as const;
type OfficerId = (typeof OFFICERS)[number]['id'];
const hashes = new Map<string, string>();
beforeAll(async () => { for (const o of OFFICERS) hashes.set(o.id, await hashPassword(o.password)); });

const closers: (() => unknown)[] = [];
afterEach(async () => { for (const c of closers.splice(0).reverse()) await c(); });

async function hub(over: { dataDir?: string; rate?: number } = {}): Promise<{ hub: Hub; scanner: DeviceClient }> {
  const h = await startHub({
    dataDir: over.dataDir ?? ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }), referenceModel: null,
    tip: { libraryDir: DEFAULT_TIP_LIBRARY, secret: 'tip-test' },
  });
  let open = true;
  const close = h.close;
  // Closed at the end of the test unless the test closed it itself.
  h.close = async () => { if (open) { open = false; await close(); } };
  closers.push(() => h.close());
  if (h.store.identity.listOfficers().length === 0) {
    for (const o of OFFICERS) h.store.identity.importOfficer({ id: o.id, name: o.name, role: o.role, passwordHash: hashes.get(o.id) ?? '' });
  }
  const deviceId = `scanner-${randomUUID().slice(0, 8)}`;
  const { token } = h.store.identity.createDevice(deviceId, 'scanner');
  if (over.rate !== undefined) setRate(h, over.rate);
  const scanner = await connectDevice(h.url, deviceId, token);
  closers.push(() => scanner.close());
  return { hub: h, scanner };
}

const setRate = (h: Hub, rate: number, items: Record<string, boolean> = {}) => h.store.settings.set('tip.projection', { rate, items });

/** A console that records every event from the first packet on, with the bags it is given. */
async function console_(h: Hub, id: OfficerId) {
  const o = OFFICERS.find((x) => x.id === id);
  const socket: OfficerClient = io(h.url + NAMESPACE.console, {
    auth: { protocolVersion: PROTOCOL_VERSION, officerId: id, password: o?.password ?? '' }, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false,
  });
  closers.push(() => socket.close());
  const events: string[] = [];
  const bags: BagAssigned[] = [];
  const results: TipResult[] = [];
  const waiters: (() => void)[] = [];
  socket.onAny((event: string, payload: unknown) => {
    events.push(event);
    if (event === 'bag:assigned') bags.push(payload as BagAssigned);
    if (event === 'tip:result') results.push(TipResult.parse(payload));
    for (const w of waiters.splice(0)) w();
  });
  const until = async <T>(get: () => T | undefined): Promise<T> => {
    for (;;) {
      const v = get();
      if (v !== undefined) return v;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  await new Promise<void>((resolve, reject) => {
    socket.once('session:ready', () => resolve());
    socket.once('connect_error', reject);
    socket.connect();
  });
  return {
    socket, events, results,
    /** The n-th bag this console was given (1-based). */
    bag: (n: number) => until(() => bags[n - 1]),
    result: (n: number) => until(() => results[n - 1]),
    decide: (bag: BagAssigned, verdict: 'clear' | 'search', marks?: ViewBox[]) => {
      const now = new Date().toISOString();
      return socket.emitWithAck('decision:submit', {
        idempotencyKey: randomUUID(), assignmentId: bag.assignmentId, bagId: bag.bag.bagId, verdict, shownAt: now, decidedAt: now, ...(marks ? { marks } : {}),
      });
    },
  };
}

const MACHINE: MachineResult = {
  algorithm: 'VendorX ATR 4.2', alarm: true, processingMs: 12,
  detections: [{ id: 'pto-1', label: 'knife', category: 'PROHIBITED_ITEM', score: 0.81, box: { view: 'top', x: 200, y: 150, width: 60, height: 20 } }],
};

/** The message's structure: every key and the type of every value, binaries by length. */
function shape(v: unknown): unknown {
  if (v instanceof Uint8Array || v instanceof ArrayBuffer) return `binary(${v.byteLength})`;
  if (Array.isArray(v)) return v.map(shape);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])]));
  return typeof v;
}

const u16 = (b: Uint8Array | ArrayBuffer | undefined) => new Uint16Array(new Uint8Array(b as Uint8Array).slice().buffer);

/** Pixels of the view that differ from the scan as sent, and whether each lies in one of the boxes. */
function changedPixels(sent: ScanSubmitInput, bag: Pick<BagAssigned, 'views'>, boxes: ViewBox[]): { changed: number; outside: number } {
  let changed = 0;
  let outside = 0;
  for (const [i, v] of bag.views.entries()) {
    const s = sent.views[i];
    for (const plane of ['low', 'high'] as const) {
      const a = u16(s?.[plane] as Uint8Array | undefined);
      const b = u16(v[plane]);
      for (let p = 0; p < a.length; p++) {
        if (a[p] === b[p]) continue;
        changed++;
        const x = p % v.width;
        const y = Math.floor(p / v.width);
        if (!boxes.some((bx) => bx.view === v.view && x >= bx.x && x < bx.x + bx.width && y >= bx.y && y < bx.y + bx.height)) outside++;
      }
    }
  }
  return { changed, outside };
}

describe('before the decision', () => {
  it('projects at ingest into the bag\'s own data, and the assignment is the same message as for any bag', async () => {
    const { hub: h, scanner } = await hub({ rate: 1 });
    const officer = await console_(h, 'li.wei');
    const projectedScan = suitcase({ machineResult: MACHINE });
    expect(await scanner.emitWithAck('scan:submit', projectedScan)).toMatchObject({ ok: true });
    const a = await officer.bag(1);
    const projection = h.store.tip.forBag(a.bag.bagId);
    if (!projection) throw new Error('the bag should carry a projection at rate 1');
    const diff = changedPixels(projectedScan, a, projection.boxes);
    expect(diff.changed).toBeGreaterThan(100); // the item is in the image the officer sees …
    expect(diff.outside).toBe(0); // … and nowhere else
    expect(a.machineResult).toEqual(MACHINE); // the scanner's own result is untouched

    expect(await officer.decide(a, 'clear')).toMatchObject({ ok: true });
    await officer.result(1);
    expect(await officer.decide(await officer.bag(2), 'clear')).toMatchObject({ ok: true }); // the bag itself, back again
    setRate(h, 0);
    await scanner.emitWithAck('scan:submit', suitcase({ machineResult: MACHINE }));
    const b = await officer.bag(3);
    expect(h.store.tip.forBag(b.bag.bagId)).toBeNull();
    expect(shape(a)).toEqual(shape(b));
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  });

  it('sends no tip:* before the decision and refuses tip:query alike for a projected and an ordinary bag', async () => {
    const { hub: h, scanner } = await hub({ rate: 1 });
    const li = await console_(h, 'li.wei');
    await scanner.emitWithAck('scan:submit', suitcase());
    const projected = await li.bag(1);
    setRate(h, 0);
    const anna = await console_(h, 'anna');
    await scanner.emitWithAck('scan:submit', suitcase());
    const ordinary = await anna.bag(1);
    expect(h.store.tip.forBag(projected.bag.bagId)).not.toBeNull();
    expect(h.store.tip.forBag(ordinary.bag.bagId)).toBeNull();

    const early = await li.socket.emitWithAck('tip:query', { assignmentId: projected.assignmentId });
    const earlyOrdinary = await anna.socket.emitWithAck('tip:query', { assignmentId: ordinary.assignmentId });
    expect(early).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(early).toEqual(earlyOrdinary);
    expect(await anna.socket.emitWithAck('tip:query', { assignmentId: projected.assignmentId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await li.socket.emitWithAck('tip:library', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const box = h.store.tip.forBag(projected.bag.bagId)?.boxes[0] as ViewBox;
    // What both consoles had heard when the ack arrived (the ack callback runs as its packet is read).
    let heardBeforeAck: string[] = [];
    const now = new Date().toISOString();
    const ack = await new Promise((resolve) => li.socket.emit('decision:submit', {
      idempotencyKey: randomUUID(), assignmentId: projected.assignmentId, bagId: projected.bag.bagId, verdict: 'search', shownAt: now, decidedAt: now,
      marks: [{ view: 'top', x: box.x + 2, y: box.y + 2, width: 10, height: 10 }],
    }, (reply) => {
      heardBeforeAck = [...li.events, ...anna.events];
      resolve(reply);
    }));
    expect(ack).toMatchObject({ ok: true, duplicate: false });
    expect(heardBeforeAck.length).toBeGreaterThan(3); // session:ready, bag:assigned, queue:status, …
    expect(heardBeforeAck.filter((e) => e.startsWith('tip:'))).toEqual([]);
    const result = await li.result(1);
    expect(result).toMatchObject({ assignmentId: projected.assignmentId, bagId: projected.bag.bagId, projected: true, found: true });
    expect(result.item?.boxes).toEqual([box]);
    expect(await li.socket.emitWithAck('tip:query', { assignmentId: projected.assignmentId })).toEqual({ ok: true, ...result });

    expect(await anna.decide(ordinary, 'clear')).toMatchObject({ ok: true });
    expect(await anna.result(1)).toMatchObject({ assignmentId: ordinary.assignmentId, projected: false });
    expect(anna.results[0]?.item).toBeUndefined();
  });

  it('refuses a decision on a bag assigned to another officer, projected or not, and records nothing', async () => {
    const { hub: h, scanner } = await hub({ rate: 1 });
    const li = await console_(h, 'li.wei');
    await scanner.emitWithAck('scan:submit', suitcase());
    const projected = await li.bag(1);
    const anna = await console_(h, 'anna');
    setRate(h, 0);
    await scanner.emitWithAck('scan:submit', suitcase());
    const ordinary = await anna.bag(1);
    const onProjected = await anna.decide(projected, 'search');
    const onOrdinary = await li.decide(ordinary, 'search');
    expect(onProjected).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(onProjected).toEqual(onOrdinary);
    expect(h.store.tip.forBag(projected.bag.bagId)?.response).toBeNull();
    expect(h.store.screening.decisionCount()).toBe(0);
  });
});

describe('after the decision', () => {
  it('tells the officer it was found, then gives the bag back with its own image; nothing downstream sees the projection', async () => {
    const { hub: h, scanner } = await hub({ rate: 1 });
    const li = await console_(h, 'li.wei');
    const sent = suitcase();
    await scanner.emitWithAck('scan:submit', sent);
    const first = await li.bag(1);
    setRate(h, 0);
    const key = randomUUID();
    const now = new Date().toISOString();
    const decision = { idempotencyKey: key, assignmentId: first.assignmentId, bagId: first.bag.bagId, verdict: 'search' as const, shownAt: now, decidedAt: now };
    const ack = await li.socket.emitWithAck('decision:submit', decision);
    expect(ack).toMatchObject({ ok: true, duplicate: false });
    expect(await li.result(1)).toMatchObject({ projected: true, found: true });
    const again = await li.bag(2);
    expect(again.bag).toEqual(first.bag);
    expect(again.assignmentId).not.toBe(first.assignmentId);
    expect(changedPixels(sent, again, []).changed).toBe(0); // exactly the scanner's image
    expect(h.store.screening.decisionsForBag(first.bag.bagId)).toEqual([]);
    expect(h.store.screening.unreportedDecisions(h.store.screening.deviceOf(first.bag.bagId) ?? '')).toEqual([]);
    // A resend after a lost ack gets the same answer and changes nothing.
    expect(await li.socket.emitWithAck('decision:submit', decision)).toEqual({ ...ack, duplicate: true });
    expect((await li.result(2)).projected).toBe(true);

    expect(await li.decide(again, 'clear')).toMatchObject({ ok: true });
    expect(await li.result(3)).toMatchObject({ assignmentId: again.assignmentId, projected: false });
    expect(h.store.screening.decisionsForBag(first.bag.bagId).map((d) => d.verdict)).toEqual(['clear']);
    const types = [...h.store.audit.entries()].filter((e) => e.subjectId === first.bag.bagId).map((e) => e.type);
    expect(types).toEqual(['tip.projected', 'bag.assigned', 'tip.result', 'bag.assigned', 'decision.recorded']);
    expect(h.store.audit.verify().ok).toBe(true);
  });

  it('keeps no console detections made on the image with the item in it', async () => {
    const { hub: h, scanner } = await hub({ rate: 1 });
    const li = await console_(h, 'li.wei');
    await scanner.emitWithAck('scan:submit', suitcase());
    const bag = await li.bag(1);
    const result = {
      assignmentId: bag.assignmentId, bagId: bag.bag.bagId, model: { sha256: 'a'.repeat(64), name: 'reference' }, backend: 'wasm', inferMs: 40,
      detections: [{ id: 'd1', label: 'knife', score: 0.9, box: { view: 'top' as const, x: 200, y: 150, width: 40, height: 10 } }],
    };
    expect(await li.socket.emitWithAck('detection:result', result)).toMatchObject({ ok: true }); // before the decision: like any bag
    await li.decide(bag, 'search');
    expect(h.store.screening.detectionResults(bag.bag.bagId)).toEqual([]);
    expect(await li.socket.emitWithAck('detection:result', result)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('records a miss: cleared, or sent to search with the marks elsewhere', async () => {
    const { hub: h, scanner } = await hub({ rate: 1 });
    const li = await console_(h, 'li.wei');
    await scanner.emitWithAck('scan:submit', suitcase());
    const cleared = await li.bag(1);
    await li.decide(cleared, 'clear');
    expect(await li.result(1)).toMatchObject({ projected: true, found: false });
    expect(h.store.tip.forBag(cleared.bag.bagId)?.response).toMatchObject({ outcome: 'miss', found: false, verdict: 'clear', officerId: 'li.wei' });
    const audit = [...h.store.audit.entries()].find((e) => e.type === 'tip.result' && e.subjectId === cleared.bag.bagId);
    expect(JSON.parse(audit?.payload ?? '{}')).toMatchObject({ outcome: 'miss', found: false, officerId: 'li.wei' });
    await li.decide(await li.bag(2), 'clear'); // the bag itself

    await scanner.emitWithAck('scan:submit', suitcase());
    const marked = await li.bag(3);
    const box = h.store.tip.forBag(marked.bag.bagId)?.boxes[0] as ViewBox;
    const elsewhere = box.x > 300 ? { view: 'top' as const, x: 110, y: 90, width: 20, height: 20 } : { view: 'top' as const, x: 500, y: 360, width: 20, height: 20 };
    await li.decide(marked, 'search', [elsewhere]);
    expect(await li.result(3)).toMatchObject({ projected: true, found: false });
    expect(h.store.tip.itemStats().size).toBeGreaterThan(0);
    expect([...h.store.tip.itemStats().values()].reduce((n, s) => n + s.misses, 0)).toBe(2);
  });

  it('counts a bag left undecided past its time limit as a miss, and the search sees the bag\'s own image', async () => {
    const { hub: h, scanner } = await hub({ rate: 1 });
    h.store.settings.set('screening.timeLimits', { beltMovingS: 1, beltStoppedS: 0, onExpiry: 'search', maxReassignments: 0 });
    const li = await console_(h, 'li.wei');
    const sent = suitcase();
    await scanner.emitWithAck('scan:submit', sent);
    const bag = await li.bag(1);
    await expect.poll(() => h.store.tip.forBag(bag.bag.bagId)?.response?.outcome, { timeout: 15_000 }).toBe('timed-out');
    expect(h.store.screening.decisionsForBag(bag.bag.bagId)).toMatchObject([{ verdict: 'search', madeBy: 'time-limit' }]);
    expect(changedPixels(sent, { views: h.store.screening.views(bag.bag.bagId) }, []).changed).toBe(0);
  }, 30_000);
});

describe('the library and the rate', () => {
  it('lets an administrator list items and switch them; the hub projects only switched-on items', async () => {
    const { hub: h, scanner } = await hub();
    const admin = await console_(h, 'root');
    const listed = await admin.socket.emitWithAck('tip:library', {});
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.rate).toBe(0.03);
    expect(listed.items.length).toBeGreaterThanOrEqual(16);
    expect(listed.items.every((i) => i.enabled)).toBe(true);
    for (const i of listed.items.filter((x) => x.id !== 'tip-lighter-01')) {
      expect(await admin.socket.emitWithAck('tip:item-set', { itemId: i.id, enabled: false })).toMatchObject({ ok: true, item: { id: i.id, enabled: false } });
    }
    expect(await admin.socket.emitWithAck('tip:item-set', { itemId: 'tip-nothing-99', enabled: true })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const li = await console_(h, 'li.wei');
    expect(await li.socket.emitWithAck('tip:item-set', { itemId: 'tip-lighter-01', enabled: false })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    setRate(h, 1, h.store.settings.effective('tip.projection').items);
    for (let k = 0; k < 3; k++) await scanner.emitWithAck('scan:submit', suitcase());
    const bag = await li.bag(1);
    expect(h.store.tip.forBag(bag.bag.bagId)?.itemId).toBe('tip-lighter-01');
    const changes = [...h.store.audit.entries()].filter((e) => e.type === 'config.changed' && e.actorId === 'root');
    expect(changes.length).toBe(listed.items.length - 1);
    const after = await admin.socket.emitWithAck('tip:library', {});
    expect(after.ok && after.items.find((i) => i.id === 'tip-lighter-01')?.projections).toBe(3);
  });

  it('projects into about the configured share of bags, always inside the bag', async () => {
    const { hub: h } = await hub();
    const base = ScanSubmit.parse(suitcase());
    const share = (rate: number, n: number) => {
      setRate(h, rate);
      let projected = 0;
      for (let k = 0; k < n; k++) {
        const r = h.tip.project({ ...base, scanId: `00000000-0000-4000-8000-${String(k).padStart(12, '0')}` });
        if (!r) continue;
        projected++;
        for (const b of r.projection.boxes) {
          // Inside the suitcase (x 100–539, y 80–399), never on the belt.
          expect(b.x).toBeGreaterThanOrEqual(100);
          expect(b.y).toBeGreaterThanOrEqual(80);
          expect(b.x + b.width).toBeLessThanOrEqual(540);
          expect(b.y + b.height).toBeLessThanOrEqual(400);
        }
      }
      return projected;
    };
    // Many bags with seeded scan IDs and a fixed key: 2000 at 5 % → 100 expected, σ ≈ 9.7; four σ either way.
    const at5 = share(0.05, 2000);
    expect(at5).toBeGreaterThan(100 - 39);
    expect(at5).toBeLessThan(100 + 39);
    expect(share(0, 2000)).toBe(0);
    const at30 = share(0.3, 400); // 120 expected, σ ≈ 9.2
    expect(at30).toBeGreaterThan(120 - 37);
    expect(at30).toBeLessThan(120 + 37);
  }, 60_000);

  it('projects into the one plane of a single-energy view', async () => {
    const { hub: h, scanner } = await hub({ rate: 1 });
    const li = await console_(h, 'li.wei');
    const sent = suitcase({}, 'single-energy-u16le');
    await scanner.emitWithAck('scan:submit', sent);
    const bag = await li.bag(1);
    expect(bag.views[0]?.low).toBeUndefined();
    const boxes = h.store.tip.forBag(bag.bag.bagId)?.boxes ?? [];
    expect(changedPixels(sent, bag, boxes)).toMatchObject({ outside: 0 });
    expect(changedPixels(sent, bag, boxes).changed).toBeGreaterThan(100);
    await li.decide(bag, 'search');
    expect(changedPixels(sent, await li.bag(2), []).changed).toBe(0);
  });

  it('puts back, when the hub starts, a bag\'s own pixels that a crash left out after the response', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-tip-hub-'));
    closers.push(() => rmSync(dir, { recursive: true, force: true }));
    const first = await hub({ dataDir: dir, rate: 1 });
    const sent = suitcase();
    const { bagId } = (await first.scanner.emitWithAck('scan:submit', sent)) as { bagId: string };
    // The response as the hub stores it, with the process gone before the restore that follows it.
    const a = first.hub.store.screening.assign(bagId, 'li.wei', new Date());
    const now = new Date().toISOString();
    first.hub.store.tip.respond('li.wei', { idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId, verdict: 'clear', shownAt: now, decidedAt: now }, () => false, new Date());
    expect(changedPixels(sent, { views: first.hub.store.screening.views(bagId) }, []).changed).toBeGreaterThan(0);
    first.scanner.close();
    await first.hub.close();
    const second = await hub({ dataDir: dir });
    expect(second.hub.store.tip.pendingRestores()).toEqual([]);
    const li = await console_(second.hub, 'li.wei');
    const bag = await li.bag(1);
    expect(bag.bag.bagId).toBe(bagId);
    expect(changedPixels(sent, bag, []).changed).toBe(0);
  });
});
