// `pnpm clearway flights report`: a flight's report from a data folder, as a process.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlightReport, FlightUpsert, ScanSubmit } from '@clearway/protocol';
import { Store } from '@clearway/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const ROOT = resolve(dirname(MAIN), '../../..');
const PASSWORD_HASH = 'scrypt$32768$8$c2FsdA$a2V5'; // imported, never checked here
const MIN = 60_000;
const ON_BLOCK = Date.parse('2025-06-01T02:00:00Z');
const iso = (minutes: number) => new Date(ON_BLOCK + minutes * MIN).toISOString();
let dir: string;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, '--data', dir, ...args], { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clearway-cli-report-'));
  const store = Store.open(dir);
  store.flights.upsert('feed-1', FlightUpsert.parse({
    arrivals: [{ flight: 'CA982', origin: 'JFK', aircraft: 'B77W', scheduledOnBlock: iso(0), actualOnBlock: iso(0), stand: '215', passengers: 2, checkedBags: 30, cabinBags: 0 }],
  }), new Date(ON_BLOCK - 60 * MIN));
  store.identity.importOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', passwordHash: PASSWORD_HASH });
  const view = { view: 'top', width: 1, height: 1, encoding: 'dual-energy-u16le', low: new Uint8Array(2), high: new Uint8Array(2) };
  // Thirty checked bags in the first three minutes; one officer, a bag a minute: cleared at 30 minutes, late.
  for (let i = 0; i < 30; i++) {
    const { bagId } = store.screening.storeScan('scanner-1', ScanSubmit.parse({ scanId: randomUUID(), lane: 'lane-1', flight: 'CA982', bagTag: `09990000${String(i).padStart(2, '0')}`, scannedAt: iso(i / 10), views: [view] }), new Date(iso(i / 10)));
    const a = store.screening.assign(bagId, 'li.wei', new Date(iso(i + 0.5)));
    store.screening.recordDecision('li.wei', { idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId, verdict: 'clear', shownAt: iso(i + 0.6), decidedAt: iso(i + 1) }, new Date(iso(i + 1)));
  }
  await store.close();
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('clearway flights report', () => {
  it('prints the report as JSON: a late flight, its breach and the understaffing behind it', async () => {
    const r = await cli('flights', 'report', 'CA982', '--json', '--at', iso(120));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = FlightReport.parse(JSON.parse(r.stdout));
    expect(report).toMatchObject({ flightId: 'CA982/2025-06-01', complete: true, clocks: { checkedBags: { clearedAt: iso(30), minutesToClear: 30, metTarget: false } } });
    expect(report.breaches).toEqual([{ clock: 'checkedBags', deadline: iso(20), clearedAt: iso(30), lateMinutes: 10, remainingAtDeadline: 10 }]);
    // A bag a minute against three at 20 s a bag; by 02:15 even that pace needed a second officer.
    expect(report.causes.map((c) => [c.kind, c.from])).toEqual([['slow-decisions', iso(0)], ['understaffed', iso(15)]]);
  });

  it('writes CSV to a file and a readable summary to the terminal', async () => {
    const file = join(dir, 'CA982.csv');
    const r = await cli('flights', 'report', 'CA982/2025-06-01', '--csv', file, '--at', iso(120));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^CA982 from JFK \(B77W\) 2025-06-01, stand 215, on block 02:00 UTC/);
    expect(r.stdout).toContain('checked bags  cleared in 30 min against 20 (late)');
    expect(r.stdout).toMatch(/Likely causes\n {2}- slow decisions 02:00–02:20: 1 bags\/min per officer/);
    const csv = await readFile(file, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('section,field,value');
    expect(csv).toContain('summary,flight,CA982');
    expect(csv).toContain('checked bags,cleared,20,2025-06-01T02:20:00.000Z,30,30,2025-06-01T02:30:00.000Z,30,false');
  });

  it('names a flight it does not know, and the plain flights command still lists', async () => {
    expect(await cli('flights', 'report', 'MU574')).toMatchObject({ code: 1, stderr: 'clearway: no flight MU574 in this data folder\n' });
    const list = await cli('flights', '--at', iso(5), '--past', '1', '--next', '1');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout.trim())).toMatchObject({ key: 'CA982/2025-06-01' });
  });
});
