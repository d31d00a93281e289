import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { hashPassword } from '@clearway/store';
import { startHub, type Hub } from './hub.ts';
import { connectDevice, connectOfficer, decisionFor, testScan, type DeviceClient } from './testing.ts';

let hub: Hub;
let scannerToken: string;
const closers: (() => void)[] = [];

const OFFICERS = [
  { id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' },
  { id: 'anna', name: 'Anna K', role: 'screening-officer', password: 'battery staple' },
  { id: 'zhang', name: 'Zhang Min', role: 'search-officer', password: 'search station' },
] as const;
const hashes = new Map<string, string>();
// scrypt is slow on purpose: hash once per file, not per test.
beforeAll(async () => { for (const o of OFFICERS) hashes.set(o.id, await hashPassword(o.password)); });

beforeEach(async () => {
  hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }), maxPayloadBytes: 256 * 1024 });
  for (const o of OFFICERS) hub.store.identity.importOfficer({ id: o.id, name: o.name, role: o.role, passwordHash: hashes.get(o.id) ?? '' });
  scannerToken = hub.store.identity.createDevice('scanner-1', 'scanner').token;
});
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await hub.close();
});

async function officer(id = 'li.wei', password = 'correct horse') {
  const o = await connectOfficer(hub.url, { officerId: id, password });
  closers.push(() => o.socket.close());
  return o;
}
async function scanner(): Promise<DeviceClient> {
  const d = await connectDevice(hub.url, 'scanner-1', scannerToken);
  closers.push(() => d.close());
  return d;
}

describe('sign-in and device handshake', () => {
  it('refuses a wrong password without saying which part was wrong', async () => {
    const err = await connectOfficer(hub.url, { officerId: 'li.wei', password: 'wrong' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ data: { code: 'bad-credentials' } });
  });

  it('refuses another protocol version and says which one the hub speaks', async () => {
    const err = await connectOfficer(hub.url, { officerId: 'li.wei', password: 'correct horse' }, { protocolVersion: 99 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ data: { code: 'protocol-version', serverProtocolVersion: 1 } });
  });

  it('lets a console reconnect with its session token', async () => {
    const first = await officer();
    const again = await connectOfficer(hub.url, { sessionToken: first.session.sessionToken });
    closers.push(() => again.socket.close());
    expect(again.session.officer.id).toBe('li.wei');
    const expired = await connectOfficer(hub.url, { sessionToken: 'x'.repeat(43) }).catch((e: unknown) => e);
    expect(expired).toMatchObject({ data: { code: 'session-expired' } });
  });

  it('refuses an unknown device token and a revoked device', async () => {
    await expect(connectDevice(hub.url, 'scanner-1', 'y'.repeat(43))).rejects.toMatchObject({ data: { code: 'bad-credentials' } });
    hub.store.identity.revokeDevice('scanner-1');
    await expect(connectDevice(hub.url, 'scanner-1', scannerToken)).rejects.toMatchObject({ data: { code: 'device-revoked' } });
  });
});

describe('one bag end to end', () => {
  it('stores a scan, assigns it to the signed-in officer, stores the decision once and acks it', async () => {
    const o = await officer();
    const d = await scanner();
    const scan = testScan();
    const stored = await d.emitWithAck('scan:submit', scan);
    expect(stored).toMatchObject({ ok: true, duplicate: false });
    const bag = await o.nextBag();
    expect(bag.bag.bagTag).toBe(scan.bagTag);
    expect(bag.views[0]?.width).toBe(32);
    expect(bag.views[0]?.low?.byteLength).toBe(32 * 32 * 2); // arrives as binary, not base64

    const decision = decisionFor(bag, 'search');
    const ack = await o.socket.emitWithAck('decision:submit', decision);
    expect(ack).toMatchObject({ ok: true, duplicate: false });
    const resent = await o.socket.emitWithAck('decision:submit', decision);
    expect(resent).toMatchObject({ ok: true, duplicate: true });
    expect(resent.ok && ack.ok && resent.decisionId === ack.decisionId).toBe(true);
    expect(hub.store.screening.decisionsForBag(bag.bag.bagId)).toMatchObject([{ verdict: 'search', officerId: 'li.wei' }]);
  });

  it('stores a resent scan once', async () => {
    const d = await scanner();
    const scan = testScan();
    const a = await d.emitWithAck('scan:submit', scan);
    const b = await d.emitWithAck('scan:submit', scan);
    expect(b).toMatchObject({ ok: true, duplicate: true });
    expect(a.ok && b.ok && a.bagId === b.bagId).toBe(true);
  });

  it('gives each officer one bag at a time, first in first out', async () => {
    const d = await scanner();
    const scans = [testScan(), testScan(), testScan()];
    for (const s of scans) await d.emitWithAck('scan:submit', s);
    const a = await officer();
    const b = await officer('anna', 'battery staple');
    const first = await a.nextBag();
    const second = await b.nextBag();
    expect([first.bag.bagTag, second.bag.bagTag]).toEqual([scans[0]?.bagTag, scans[1]?.bagTag]);
    await a.socket.emitWithAck('decision:submit', decisionFor(first));
    expect((await a.nextBag()).bag.bagTag).toBe(scans[2]?.bagTag);
  });

  it('holds bags while the officer is on break', async () => {
    const o = await officer();
    expect(await o.socket.emitWithAck('officer:status', { status: 'on-break' })).toEqual({ ok: true, status: 'on-break' });
    const d = await scanner();
    await d.emitWithAck('scan:submit', testScan());
    await expect(o.nextBag(300)).rejects.toThrow(/no bag/);
    await o.socket.emitWithAck('officer:status', { status: 'available' });
    await expect(o.nextBag()).resolves.toBeTruthy();
  });

  it('gives the open bag again when the officer reconnects', async () => {
    const o = await officer();
    const d = await scanner();
    await d.emitWithAck('scan:submit', testScan());
    const bag = await o.nextBag();
    o.socket.close();
    const back = await officer();
    expect((await back.nextBag()).assignmentId).toBe(bag.assignmentId);
  });
});

describe('reports to the scanning device', () => {
  it('passes the scanner\'s machine result to the officer and reports the decision back until acknowledged', async () => {
    const o = await officer();
    const d = await connectDevice(hub.url, 'scanner-1', scannerToken, { ackDecisions: false });
    closers.push(() => d.close());
    const machineResult = { algorithm: 'VendorX ATR 4.2', alarm: true, detections: [{ id: 'PTO-1', label: 'knife', score: 0.91, box: { view: 'top' as const, x: 4, y: 4, width: 10, height: 6 } }] };
    const source = { standard: 'dicos' as const, sopClassUid: '1.2.840.10008.5.1.4.1.1.501.2.1', sopInstanceUid: '1.2.3.4.5' };
    await d.emitWithAck('scan:submit', testScan({ machineResult, source }));
    const bag = await o.nextBag();
    expect(bag.machineResult).toMatchObject({ algorithm: 'VendorX ATR 4.2', detections: [{ label: 'knife', category: 'PROHIBITED_ITEM' }] });

    // First report: the device does not acknowledge.
    const first = new Promise<unknown>((resolve) => d.once('decision:stored', (report, _ack) => resolve(report)));
    await o.socket.emitWithAck('decision:submit', decisionFor(bag, 'search'));
    expect(await first).toMatchObject({ verdict: 'search', officer: { id: 'li.wei', name: 'Li Wei' }, source: { sopInstanceUid: '1.2.3.4.5' } });
    d.close();

    // After a reconnect it comes again; this time it is acknowledged and not sent a third time.
    const again = await connectDevice(hub.url, 'scanner-1', scannerToken, { autoConnect: false, ackDecisions: false });
    closers.push(() => again.close());
    const resent = new Promise<unknown>((resolve) => again.once('decision:stored', (report, ack) => { ack({ ok: true }); resolve(report); }));
    again.connect();
    expect(await resent).toMatchObject({ bagId: bag.bag.bagId });
    await expect.poll(() => hub.store.screening.unreportedDecisions('scanner-1')).toEqual([]);
  });
});

describe('transports', () => {
  it('accepts clients on HTTP long-polling as well as WebSocket', async () => {
    const { io } = await import('socket.io-client');
    const socket = io(`${hub.url}/console`, {
      transports: ['polling'], forceNew: true, reconnection: false,
      auth: { protocolVersion: 1, officerId: 'li.wei', password: 'correct horse' },
    });
    closers.push(() => socket.close());
    const ready = await new Promise<unknown>((resolve, reject) => {
      socket.once('session:ready', resolve);
      socket.once('connect_error', reject);
    });
    expect(ready).toMatchObject({ officer: { id: 'li.wei' } });
  });
});

describe('bad input and permissions', () => {
  it('answers a request sent with a callback but no payload', async () => {
    const o = await officer();
    const raw = o.socket as unknown as { emit(e: string, cb: (r: unknown) => void): void };
    const reply = await new Promise((resolve) => raw.emit('officer:status', resolve));
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('answers an invalid decision with the field and changes nothing', async () => {
    const o = await officer();
    const d = await scanner();
    await d.emitWithAck('scan:submit', testScan());
    const bag = await o.nextBag();
    const bad = { ...decisionFor(bag), verdict: 'maybe' } as unknown as ReturnType<typeof decisionFor>;
    expect(await o.socket.emitWithAck('decision:submit', bad)).toMatchObject({ ok: false, error: { code: 'invalid', field: 'verdict' } });
    const noKey = { ...decisionFor(bag), idempotencyKey: 'not-a-uuid' };
    expect(await o.socket.emitWithAck('decision:submit', noKey)).toMatchObject({ ok: false, error: { code: 'invalid', field: 'idempotencyKey' } });
    expect(hub.store.screening.decisionCount()).toBe(0);
  });

  it('answers a scan whose image size is wrong with the field', async () => {
    const d = await scanner();
    const scan = testScan();
    const view = scan.views[0];
    if (!view) throw new Error('no view');
    const bad = { ...scan, views: [{ ...view, low: new Uint8Array(10) }] };
    expect(await d.emitWithAck('scan:submit', bad)).toMatchObject({ ok: false, error: { code: 'invalid', field: 'views.0.low' } });
    expect(await d.emitWithAck('scan:submit', { ...scan, flight: 'not a flight' })).toMatchObject({ ok: false, error: { field: 'flight' } });
    expect(hub.store.screening.waitingBags()).toHaveLength(0);
  });

  it('refuses a message over the size limit and keeps serving other clients', async () => {
    const d = await scanner();
    const o = await officer();
    const big = testScan({}, 300); // 2 × 300 × 300 × 2 bytes = 360 kB > 256 kB
    expect(await d.emitWithAck('scan:submit', big)).toMatchObject({ ok: false, error: { code: 'too-large' } });
    expect(await d.emitWithAck('scan:submit', testScan())).toMatchObject({ ok: true });
    await expect(o.nextBag()).resolves.toBeTruthy();
  });

  it('keeps serving an officer while another client floods it with invalid messages', async () => {
    const d = await scanner();
    const o = await officer();
    const raw = d as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> };
    const flood = Promise.all(Array.from({ length: 200 }, (_, i) => raw.emitWithAck('scan:submit', { garbage: i })));
    await d.emitWithAck('scan:submit', testScan());
    const bag = await o.nextBag();
    expect(await o.socket.emitWithAck('decision:submit', decisionFor(bag))).toMatchObject({ ok: true });
    const replies = await flood;
    expect(replies.every((r) => (r as { ok: boolean }).ok === false)).toBe(true);
    expect(hub.store.screening.decisionCount()).toBe(1);
  });

  it('refuses a decision from a role that does not screen', async () => {
    const s = await officer('zhang', 'search station');
    const d = await scanner();
    await d.emitWithAck('scan:submit', testScan());
    const fake = { idempotencyKey: randomUUID(), assignmentId: randomUUID(), bagId: randomUUID(), verdict: 'clear' as const, shownAt: new Date().toISOString(), decidedAt: new Date().toISOString() };
    expect(await s.socket.emitWithAck('decision:submit', fake)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses a decision on a bag assigned to another officer', async () => {
    const a = await officer();
    const d = await scanner();
    await d.emitWithAck('scan:submit', testScan());
    const bag = await a.nextBag();
    const b = await officer('anna', 'battery staple');
    expect(await b.socket.emitWithAck('decision:submit', decisionFor(bag))).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(hub.store.screening.decisionCount()).toBe(0);
  });

  it('answers unknown events and payloads that are not objects', async () => {
    const o = await officer();
    const raw = o.socket as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> };
    expect(await raw.emitWithAck('bag:steal', {})).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await raw.emitWithAck('decision:submit', 'DROP TABLE')).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await raw.emitWithAck('officer:status', null)).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});
