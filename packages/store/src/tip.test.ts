import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanSubmit, ViewBox } from '@clearway/protocol';
import { SCANS_DIR, Store, TIP_RESPONSE_REASON, type NewTipProjection } from './index.ts';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const W = 8;
const H = 4;
/** A bag's planes as sent: pixel i reads i (low) and 100 + i (high). */
const plane = (base: number) => new Uint8Array(Uint16Array.from({ length: W * H }, (_, i) => base + i).buffer);
const scan = (): ScanSubmit => ({
  scanId: randomUUID(), lane: 'lane-1', flight: 'CA981', bagTag: '0999123456', scannedAt: new Date().toISOString(),
  views: [{ view: 'top', width: W, height: H, encoding: 'dual-energy-u16le', low: plane(0), high: plane(100) }],
});

/** The scan with a 3 × 2 box at (2, 1) darkened by 1000, and the projection that says so. */
function projected(s: ScanSubmit): { scan: ScanSubmit; projection: NewTipProjection; box: ViewBox } {
  const box: ViewBox = { view: 'top', x: 2, y: 1, width: 3, height: 2 };
  const original: number[] = [];
  const views = s.views.map((v) => {
    const low = new Uint16Array(new Uint8Array(v.low as Uint8Array).buffer);
    const high = new Uint16Array(new Uint8Array(v.high).buffer);
    for (const p of [low, high]) for (let y = 1; y < 3; y++) for (let x = 2; x < 5; x++) original.push(p[y * W + x] as number);
    for (const p of [low, high]) for (let y = 1; y < 3; y++) for (let x = 2; x < 5; x++) p[y * W + x] = (p[y * W + x] as number) + 1000;
    return { ...v, low: new Uint8Array(low.buffer), high: new Uint8Array(high.buffer) };
  });
  return {
    scan: { ...s, views },
    projection: { itemId: 'tip-knife-01', itemClass: 'knife', description: 'kitchen knife', pose: { quarterTurns: 1, mirrored: false }, boxes: [box], original: new Uint8Array(Uint16Array.from(original).buffer) },
    box,
  };
}

async function open(dir: string | ':memory:' = ':memory:') {
  const store = Store.open(dir);
  stores.push(store);
  if (!store.identity.listOfficers().some((o) => o.id === 'li.wei')) {
    await store.identity.createOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' });
    await store.identity.createOfficer({ id: 'anna', name: 'Anna K', role: 'screening-officer', password: 'battery staple' });
  }
  return store;
}

const decisionOn = (a: { assignmentId: string; bagId: string }, verdict: 'clear' | 'search', marks?: ViewBox[]) => ({
  idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId: a.bagId, verdict, shownAt: new Date().toISOString(), decidedAt: new Date().toISOString(),
  ...(marks ? { marks } : {}),
});
const u16 = (b: Uint8Array | undefined) => Array.from(new Uint16Array(new Uint8Array(b as Uint8Array).buffer));

describe('TIP projections', () => {
  it('stores the bag and its projection together, audited, and a resent scan stores neither again', async () => {
    const store = await open();
    const p = projected(scan());
    const r = store.tip.storeScan('scanner-1', p.scan, new Date(), p.projection);
    expect(r.duplicate).toBe(false);
    expect(store.tip.forBag(r.bagId)).toMatchObject({ itemId: 'tip-knife-01', boxes: [p.box], response: null, restoredAt: null });
    expect(u16(store.screening.views(r.bagId)[0]?.high)).toEqual(u16(p.scan.views[0]?.high)); // stored as composited
    const again = store.tip.storeScan('scanner-1', p.scan, new Date(), p.projection);
    expect(again).toEqual({ bagId: r.bagId, duplicate: true, projectionId: null });
    expect(store.audit.tail(5).filter((e) => e.type === 'tip.projected').map((e) => e.subjectId)).toEqual([r.bagId]);
  });

  it('takes the officer\'s decision as the response: no decision row, the assignment closed, the bag back in the line', async () => {
    const store = await open();
    const p = projected(scan());
    const { bagId } = store.tip.storeScan('scanner-1', p.scan, new Date(), p.projection);
    const a = store.screening.assign(bagId, 'li.wei', new Date());
    const d = decisionOn(a, 'search', [{ view: 'top', x: 3, y: 2, width: 4, height: 1 }]);
    const r = store.tip.respond('li.wei', d, () => true, new Date());
    expect(r).toMatchObject({ kind: 'recorded', response: { outcome: 'hit', found: true, verdict: 'search', officerId: 'li.wei' } });
    expect(store.screening.decisionsForBag(bagId)).toEqual([]);
    expect(store.screening.bag(bagId)?.state).toBe('waiting');
    expect(store.screening.openAssignments()).toEqual([]);
    expect(store.db.prepare('SELECT state, close_reason FROM assignments WHERE id = ?').get(a.assignmentId)).toEqual({ state: 'decided', close_reason: TIP_RESPONSE_REASON });
    expect(store.audit.tail(1)[0]).toMatchObject({ type: 'tip.result', actorKind: 'officer', actorId: 'li.wei', subjectId: bagId });
    expect(JSON.parse(store.audit.tail(1)[0]?.payload ?? '{}')).toMatchObject({ outcome: 'hit', found: true, itemId: 'tip-knife-01' });
    // A resend after a lost ack: the same response; another officer's resend of that key is refused.
    const again = store.tip.respond('li.wei', d, () => false, new Date());
    expect(again).toMatchObject({ kind: 'duplicate', response: { responseId: r?.kind === 'recorded' ? r.response.responseId : '', outcome: 'hit' } });
    expect(store.tip.respond('anna', d, () => true, new Date())).toMatchObject({ kind: 'refused', code: 'forbidden' });
    // The projection is answered: the bag's next decision is an ordinary one.
    const next = store.screening.assign(bagId, 'li.wei', new Date());
    expect(store.tip.respond('li.wei', decisionOn(next, 'clear'), () => true, new Date())).toBeNull();
    expect(store.tip.itemStats().get('tip-knife-01')).toEqual({ projections: 1, hits: 1, misses: 0 });
  });

  it('records a miss, and leaves every decision that is not a response to the ordinary path', async () => {
    const store = await open();
    const p = projected(scan());
    const { bagId } = store.tip.storeScan('scanner-1', p.scan, new Date(), p.projection);
    const a = store.screening.assign(bagId, 'li.wei', new Date());
    expect(store.tip.respond('anna', decisionOn(a, 'clear'), () => false, new Date())).toBeNull(); // not theirs
    expect(store.tip.respond('li.wei', { ...decisionOn(a, 'clear'), bagId: randomUUID() }, () => false, new Date())).toBeNull();
    expect(store.tip.respond('li.wei', decisionOn({ assignmentId: randomUUID(), bagId }, 'clear'), () => false, new Date())).toBeNull();
    const r = store.tip.respond('li.wei', decisionOn(a, 'clear'), () => false, new Date());
    expect(r).toMatchObject({ kind: 'recorded', response: { outcome: 'miss', found: false } });
    expect(store.tip.forAssignment(a.assignmentId)?.response?.outcome).toBe('miss');
    expect(store.tip.itemStats().get('tip-knife-01')).toEqual({ projections: 1, hits: 0, misses: 1 });
    // An ordinary bag: nothing for TIP to do.
    const plain = store.screening.storeScan('scanner-1', scan(), new Date());
    const b = store.screening.assign(plain.bagId, 'anna', new Date());
    expect(store.tip.respond('anna', decisionOn(b, 'search'), () => true, new Date())).toBeNull();
  });

  it('puts the bag\'s own pixels back, in the database and in image files, and only once', async () => {
    for (const dir of [':memory:', mkdtempSync(join(tmpdir(), 'clearway-tip-'))] as const) {
      if (dir !== ':memory:') dirs.push(dir);
      const store = await open(dir);
      const s = scan();
      const p = projected(s);
      const { bagId } = store.tip.storeScan('scanner-1', p.scan, new Date(), p.projection);
      expect(store.tip.restore(bagId)).toBe(true); // restore itself does not ask; the hub calls it after a response
      expect(u16(store.screening.views(bagId)[0]?.low)).toEqual(u16(s.views[0]?.low));
      expect(u16(store.screening.views(bagId)[0]?.high)).toEqual(u16(s.views[0]?.high));
      expect(store.tip.restore(bagId)).toBe(false);
      if (dir !== ':memory:') expect(u16(readFileSync(join(dir, SCANS_DIR, bagId, 'top.high')))).toEqual(u16(s.views[0]?.high));
    }
  });

  it('finds responses whose pixels are not back yet (a crash in between), and records a time-out as a miss', async () => {
    const store = await open();
    const p = projected(scan());
    const { bagId } = store.tip.storeScan('scanner-1', p.scan, new Date(), p.projection);
    const a = store.screening.assign(bagId, 'li.wei', new Date());
    expect(store.tip.pendingRestores()).toEqual([]);
    const t = store.tip.timedOut(bagId, a.assignmentId, 'li.wei', new Date());
    expect(t?.response).toMatchObject({ outcome: 'timed-out', found: false, officerId: 'li.wei' });
    expect(store.tip.timedOut(bagId, a.assignmentId, 'li.wei', new Date())).toBeNull();
    expect(store.tip.pendingRestores()).toEqual([bagId]);
    store.tip.restore(bagId);
    expect(store.tip.pendingRestores()).toEqual([]);
    expect(store.audit.verify().ok).toBe(true);
  });
});
