import { afterEach, expect, it } from 'vitest';
import { startHub, type Hub } from '@clearway/hub';
import { pino } from 'pino';
import { hashPassword } from '@clearway/store';
import { connectOfficer, decisionFor } from '@clearway/hub/testing';
import { runScannerSimulator } from './run.ts';

let hub: Hub | null = null;
afterEach(async () => { await hub?.close(); hub = null; });

// The simulator against the real hub, not a fake: scans are stored once each, views intact.
it('streams simulated bags into the real hub', async () => {
  hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }) });
  const { token } = hub.store.identity.createDevice('scanner-sim-1', 'scanner');
  const summary = await runScannerSimulator({ hubUrl: hub.url, deviceId: 'scanner-sim-1', token, lanes: 2, rate: Infinity, count: 4, seed: 7, views: 2 });
  expect(summary.bagsAcked).toBe(4);
  const waiting = hub.store.screening.waitingBags();
  expect(waiting).toHaveLength(4);
  const first = waiting[0];
  if (!first) throw new Error('no bag');
  const views = hub.store.screening.views(first.bagId);
  expect(views.map((v) => v.view).sort()).toEqual(['side', 'top']);
  for (const v of views) expect(v.low?.byteLength).toBe(v.width * v.height * 2);
  expect(new Set(waiting.map((b) => hub?.store.screening.bag(b.bagId)?.lane))).toEqual(new Set(['lane-1', 'lane-2']));
}, 30_000);

it('acknowledges the hub\'s decision reports', async () => {
  hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }) });
  const { token } = hub.store.identity.createDevice('scanner-sim-1', 'scanner');
  await hub.store.identity.importOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', passwordHash: await hashPassword('correct horse') });
  const stop = new AbortController();
  const lines: string[] = [];
  const running = runScannerSimulator({ hubUrl: hub.url, deviceId: 'scanner-sim-1', token, rate: 1, seed: 3, log: (l) => lines.push(l), signal: stop.signal });
  const officer = await connectOfficer(hub.url, { officerId: 'li.wei', password: 'correct horse' });
  const bag = await officer.nextBag();
  await officer.socket.emitWithAck('decision:submit', decisionFor(bag, 'search'));
  await expect.poll(() => lines.some((l) => l.includes(`${bag.bag.bagTag} search by li.wei`))).toBe(true);
  await expect.poll(() => hub?.store.screening.unreportedDecisions('scanner-sim-1').length).toBe(0);
  officer.socket.close();
  stop.abort();
  await running;
}, 30_000);

it('stops with a clear error when the hub refuses the token', async () => {
  hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }) });
  hub.store.identity.createDevice('scanner-sim-1', 'scanner');
  await expect(runScannerSimulator({ hubUrl: hub.url, deviceId: 'scanner-sim-1', token: 'z'.repeat(43), count: 1 }))
    .rejects.toThrow(/wrong token|refused/i);
}, 30_000);
