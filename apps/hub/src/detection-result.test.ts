import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { BagAssigned, DetectionResultSubmitInput } from '@clearway/protocol';
import { hashPassword } from '@clearway/store';
import { startHub, type Hub } from './hub.ts';
import { connectDevice, connectOfficer, decisionFor, testScan } from './testing.ts';

// The console's own model on a bag: `detection:result` is stored as a machine result of the bag
// (beside the scanner's), only from the console the bag is assigned to; the decision carries the
// officer's verdict on each detection.

let hub: Hub;
let scannerToken: string;
const closers: (() => void)[] = [];
const OFFICERS = [
  { id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' },
  { id: 'anna', name: 'Anna K', role: 'screening-officer', password: 'battery staple' },
  { id: 'zhang', name: 'Zhang Min', role: 'search-officer', password: 'search station' },
] as const;
const hashes = new Map<string, string>();
beforeAll(async () => { for (const o of OFFICERS) hashes.set(o.id, await hashPassword(o.password)); });

beforeEach(async () => {
  hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }) });
  for (const o of OFFICERS) hub.store.identity.importOfficer({ id: o.id, name: o.name, role: o.role, passwordHash: hashes.get(o.id) ?? '' });
  scannerToken = hub.store.identity.createDevice('scanner-1', 'scanner').token;
});
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await hub.close();
});

async function officer(index: number) {
  const o = OFFICERS[index];
  if (!o) throw new Error('no such officer');
  const c = await connectOfficer(hub.url, { officerId: o.id, password: o.password });
  closers.push(() => c.socket.close());
  return c;
}

/** One scanned bag, assigned to the first officer. */
async function assignedBag() {
  const o = await officer(0);
  const d = await connectDevice(hub.url, 'scanner-1', scannerToken);
  closers.push(() => d.close());
  await d.emitWithAck('scan:submit', testScan());
  return { o, bag: await o.nextBag() };
}

const SHA = 'ab'.repeat(32);

function resultFor(bag: BagAssigned, over: Partial<DetectionResultSubmitInput> = {}): DetectionResultSubmitInput {
  return {
    assignmentId: bag.assignmentId,
    bagId: bag.bag.bagId,
    model: { sha256: SHA, name: 'clearway-xray-ref-v1' },
    backend: 'wasm SIMD 4 threads',
    inferMs: 41.5,
    alarm: true,
    detections: [
      { id: 'ai-top-1', label: 'knife', score: 0.91, box: { view: 'top', x: 4, y: 5, width: 10, height: 6 } },
      { id: 'ai-top-2', label: 'lighter', score: 0.3, box: { view: 'top', x: 20, y: 2, width: 4, height: 3 } },
    ],
    ...over,
  };
}

describe('detection:result', () => {
  it('stores the console model result beside the scanner result and replaces it on a resend', async () => {
    const { o, bag } = await assignedBag();
    const first = await o.socket.emitWithAck('detection:result', resultFor(bag));
    expect(first).toMatchObject({ ok: true, replaced: false });
    const [stored] = hub.store.screening.detectionResults(bag.bag.bagId);
    expect(stored).toMatchObject({
      officerId: 'li.wei', assignmentId: bag.assignmentId, model: { sha256: SHA, name: 'clearway-xray-ref-v1' },
      backend: 'wasm SIMD 4 threads', inferMs: 41.5, alarm: true,
    });
    expect(stored?.detections.map((d) => [d.id, d.label, d.category])).toEqual([['ai-top-1', 'knife', 'PROHIBITED_ITEM'], ['ai-top-2', 'lighter', 'PROHIBITED_ITEM']]);

    const again = await o.socket.emitWithAck('detection:result', resultFor(bag, { inferMs: 30, detections: [] , alarm: false }));
    expect(again).toMatchObject({ ok: true, replaced: true });
    if (first.ok && again.ok) expect(again.resultId).toBe(first.resultId);
    const results = hub.store.screening.detectionResults(bag.bag.bagId);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ inferMs: 30, alarm: false, detections: [] });
  });

  it('refuses a result on a bag assigned to another officer, and from a role that does not screen', async () => {
    const { bag } = await assignedBag();
    const other = await officer(1);
    expect(await other.socket.emitWithAck('detection:result', resultFor(bag))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const search = await officer(2);
    expect(await search.socket.emitWithAck('detection:result', resultFor(bag))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(hub.store.screening.detectionResults(bag.bag.bagId)).toEqual([]);
  });

  it('refuses a bag that does not match its assignment', async () => {
    const { o, bag } = await assignedBag();
    const reply = await o.socket.emitWithAck('detection:result', resultFor(bag, { bagId: '00000000-0000-4000-8000-000000000000' }));
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('names the invalid field', async () => {
    const { o, bag } = await assignedBag();
    const badScore = resultFor(bag, { detections: [{ id: 'ai-top-1', label: 'knife', score: 1.5, box: { view: 'top', x: 0, y: 0, width: 1, height: 1 } }] });
    expect(await o.socket.emitWithAck('detection:result', badScore)).toMatchObject({ ok: false, error: { code: 'invalid', field: 'detections.0.score' } });
    const badSha = resultFor(bag, { model: { sha256: 'not-a-hash', name: 'm' } });
    expect(await o.socket.emitWithAck('detection:result', badSha)).toMatchObject({ ok: false, error: { code: 'invalid', field: 'model.sha256' } });
    expect(hub.store.screening.detectionResults(bag.bag.bagId)).toEqual([]);
  });
});

describe('decision with verdicts on the machine detections', () => {
  it('stores which detections the officer confirmed or dismissed', async () => {
    const { o, bag } = await assignedBag();
    const detections = [{ detectionId: 'ai-top-1', verdict: 'confirmed' as const }, { detectionId: 'ai-top-2', verdict: 'dismissed' as const }];
    const reply = await o.socket.emitWithAck('decision:submit', { ...decisionFor(bag, 'search'), detections });
    expect(reply).toMatchObject({ ok: true });
    expect(hub.store.screening.decisionsForBag(bag.bag.bagId)[0]?.detections).toEqual(detections);
  });

  it('still takes a decision without them (older consoles) and refuses a detection named twice', async () => {
    const { o, bag } = await assignedBag();
    const twice = { ...decisionFor(bag), detections: [{ detectionId: 'a', verdict: 'confirmed' }, { detectionId: 'a', verdict: 'dismissed' }] as const };
    expect(await o.socket.emitWithAck('decision:submit', { ...twice, detections: [...twice.detections] })).toMatchObject({ ok: false, error: { code: 'invalid', field: 'detections' } });
    expect(await o.socket.emitWithAck('decision:submit', decisionFor(bag))).toMatchObject({ ok: true });
    expect(hub.store.screening.decisionsForBag(bag.bag.bagId)[0]?.detections).toBeUndefined();
  });
});
