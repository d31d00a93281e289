// The hub writes the audit trail as officers work: sign-in, assignment, decision, sign-out, refused sign-ins.
import { pino } from 'pino';
import { hashPassword } from '@clearway/store';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHub, type Hub } from './hub.ts';
import { connectDevice, connectOfficer, decisionFor, testScan } from './testing.ts';

let hub: Hub;
let scannerToken: string;
let passwordHash: string;
/** Rows written before each test's work: the reference model registered at start (when present), the officer, the scanner. */
let setupRows = 0;
const closers: (() => void)[] = [];

beforeAll(async () => { passwordHash = await hashPassword('correct horse'); });
beforeEach(async () => {
  hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }) });
  hub.store.identity.importOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', passwordHash });
  scannerToken = hub.store.identity.createDevice('scanner-1', 'scanner').token;
  setupRows = hub.store.audit.tail(1000).length;
});
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await hub.close();
});

/** Audit rows after the setup, as [type, actor, subject]. */
const trail = (hubNow: Hub) => hubNow.store.audit.tail(1000).slice(setupRows).map((r) => ({ type: r.type, actor: `${r.actorKind}:${r.actorId}`, subject: r.subjectId, payload: JSON.parse(r.payload) as Record<string, unknown> }));

async function until(check: () => boolean): Promise<void> {
  // The sign-out row is written when the hub sees the socket close: wait for it, without a fixed sleep.
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('audit trail from the hub', () => {
  it('records sign-in, assignment, decision and sign-out in order, all in one verified chain', async () => {
    const o = await connectOfficer(hub.url, { officerId: 'li.wei', password: 'correct horse' });
    closers.push(() => o.socket.close());
    const d = await connectDevice(hub.url, 'scanner-1', scannerToken);
    closers.push(() => d.close());
    await d.emitWithAck('scan:submit', testScan());
    const bag = await o.nextBag();
    const decision = decisionFor(bag, 'search');
    const reply = await o.socket.emitWithAck('decision:submit', decision);
    expect(reply.ok).toBe(true);
    await o.socket.emitWithAck('decision:submit', decision); // a resend is no second decision in the trail
    o.socket.close();
    await until(() => trail(hub).some((r) => r.type === 'officer.signed-out'));

    const rows = trail(hub);
    expect(rows.map((r) => [r.type, r.actor, r.subject])).toEqual([
      ['officer.signed-in', 'officer:li.wei', 'li.wei'],
      ['bag.assigned', 'hub:dispatcher', bag.bag.bagId],
      ['decision.recorded', 'officer:li.wei', bag.bag.bagId],
      ['officer.signed-out', 'officer:li.wei', 'li.wei'],
    ]);
    expect(rows[0]?.payload).toMatchObject({ method: 'password', address: expect.any(String) });
    expect(rows[1]?.payload).toEqual({ assignmentId: bag.assignmentId, officerId: 'li.wei' });
    expect(rows[2]?.payload).toMatchObject({
      decisionId: reply.ok ? reply.decisionId : '', assignmentId: bag.assignmentId, verdict: 'search', idempotencyKey: decision.idempotencyKey,
    });
    expect(rows[3]?.payload).toMatchObject({ consolesOpen: 0 });
    expect(hub.store.audit.verify()).toMatchObject({ ok: true, rows: setupRows + 4 });
  });

  it('records refused sign-ins without creating a session', async () => {
    await expect(connectOfficer(hub.url, { officerId: 'li.wei', password: 'wrong horse' })).rejects.toMatchObject({ data: { code: 'bad-credentials' } });
    await expect(connectOfficer(hub.url, { officerId: 'nobody', password: 'x' })).rejects.toMatchObject({ data: { code: 'bad-credentials' } });
    await expect(connectOfficer(hub.url, { sessionToken: 'x'.repeat(43) })).rejects.toMatchObject({ data: { code: 'session-expired' } });
    expect(trail(hub).map((r) => [r.type, r.actor, r.subject, r.payload['reason']])).toEqual([
      ['officer.sign-in-refused', 'anonymous:li.wei', 'li.wei', 'bad-credentials'],
      ['officer.sign-in-refused', 'anonymous:nobody', 'nobody', 'bad-credentials'],
      ['officer.sign-in-refused', 'anonymous:session-token', null, 'session-expired'],
    ]);
  });
});
