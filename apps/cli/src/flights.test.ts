// `pnpm clearway flights`: the clocks from a data folder, in-process and as a process.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlightUpsert, ScanSubmit } from '@clearway/protocol';
import { Store } from '@clearway/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flightLines } from './flights.ts';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const ROOT = resolve(dirname(MAIN), '../../..');
const PASSWORD_HASH = 'scrypt$32768$8$c2FsdA$a2V5'; // imported, never checked here
const MIN = 60_000;
let dir: string;
/** On-block of CA982, a few minutes before the bags were stored (so that they link by time). */
let onBlock: number;
/** Just after the bags were decided: the clocks are looked at then, however slow the machine. */
let evalAt: number;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, '--data', dir, ...args], { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clearway-cli-flights-'));
  const store = Store.open(dir);
  onBlock = Math.floor(Date.now() / 1000) * 1000 - 2 * MIN;
  const iso = (ms: number) => new Date(ms).toISOString();
  store.flights.upsert('feed-1', FlightUpsert.parse({
    arrivals: [
      { flight: 'CA982', origin: 'JFK', aircraft: 'B77W', scheduledOnBlock: iso(onBlock - 10 * MIN), actualOnBlock: iso(onBlock), stand: '215', passengers: 2, checkedBags: 3, cabinBags: 1 },
      { flight: 'KE855', origin: 'ICN', aircraft: 'A333', scheduledOnBlock: iso(onBlock + 60 * MIN), stand: '204', passengers: 268, checkedBags: 351, cabinBags: 300 },
      { flight: 'MU574', origin: 'NRT', aircraft: 'A321', scheduledOnBlock: iso(onBlock + 90 * MIN), passengers: 190, checkedBags: 238, cabinBags: 205 },
    ],
    updates: [{ type: 'cancelled', updateId: randomUUID(), flight: 'MU574', date: iso(onBlock + 90 * MIN).slice(0, 10), at: iso(onBlock) }],
  }), new Date());
  store.identity.importOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', passwordHash: PASSWORD_HASH });
  const view = { view: 'top', width: 1, height: 1, encoding: 'dual-energy-u16le', low: new Uint8Array(2), high: new Uint8Array(2) };
  for (const bagTag of ['0999000001', '0999000002', '0999000003', 'L1-0001']) {
    const { bagId } = store.screening.storeScan('scanner-1', ScanSubmit.parse({ scanId: randomUUID(), lane: 'lane-1', flight: 'CA982', bagTag, scannedAt: iso(Date.now()), views: [view] }), new Date());
    if (bagTag === '0999000003') continue; // one checked bag still waits
    const a = store.screening.assign(bagId, 'li.wei', new Date());
    store.screening.recordDecision('li.wei', { idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId, verdict: 'clear', shownAt: iso(Date.now()), decidedAt: iso(Date.now()) }, new Date());
  }
  evalAt = Date.now() + 1000;
  await store.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('flightLines', () => {
  it('counts each flight\'s bags and gives each clock its state', async () => {
    const store = Store.open(dir);
    try {
      const now = evalAt;
      const lines = flightLines(store, now - 12 * 3_600_000, now + 6 * 3_600_000, now);
      expect(lines.map((l) => [l.flight, l.cancelled])).toEqual([['CA982', false], ['KE855', false], ['MU574', true]]);
      const [ca, ke] = lines;
      expect(ca).toMatchObject({ onBlock: new Date(onBlock).toISOString(), onBlockAssumed: false, stand: '215' });
      expect(ca?.checkedBags).toMatchObject({ state: 'in-progress', done: 2, total: 3, deadline: new Date(onBlock + 20 * MIN).toISOString() });
      // The one cabin bag declared is done: both passengers are through.
      expect(ca?.passengers).toMatchObject({ state: 'cleared', done: 2, total: 2, metTarget: true });
      expect(ke?.checkedBags).toMatchObject({ state: 'arriving', done: 0, total: 351 });
      // Before the decisions, nothing was done.
      expect(flightLines(store, now - 12 * 3_600_000, now, onBlock, 'CA982')[0]?.checkedBags.done).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe('clearway flights', () => {
  it('prints one JSON object per flight, leaving out cancelled ones unless asked', async () => {
    const at = new Date(evalAt).toISOString();
    const [{ code, stdout, stderr }, table, bad] = await Promise.all([
      cli('flights', '--at', at), cli('flights', '--at', at, '--table', '--cancelled', '--flight', 'MU574'), cli('flights', '--flight', 'not a flight'),
    ]);
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { flight: string; checkedBags: { state: string } });
    expect(lines.map((l) => l.flight)).toEqual(['CA982', 'KE855']);
    expect(lines[0]?.checkedBags.state).toBe('in-progress');
    expect(table.stdout).toMatch(/MU574 +NRT +A321 .*cancelled/);
    expect(bad.code).not.toBe(0);
  }, 60_000);
});
