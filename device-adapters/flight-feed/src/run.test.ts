import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { HubRefusedError } from '@clearway/device-core';
import { startHub, type Hub } from '@clearway/hub';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScheduleFileFeed } from './importer.ts';
import { runFlightFeed } from './run.ts';
import { SimulatedFlightFeed } from './simulator.ts';

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const examples = (name: string) => fileURLToPath(new URL(`../examples/${name}`, import.meta.url));

let hub: Hub;
let token: string;
beforeEach(async () => {
  hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }), referenceModel: null });
  token = hub.store.identity.createDevice('flight-feed-1', 'flight-feed').token;
});
afterEach(async () => {
  await hub.close();
});

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [main, ...args], { env: { ...process.env, CLEARWAY_DEVICE_TOKEN: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('runFlightFeed against the real hub', () => {
  it('loads a schedule file', async () => {
    const feed = new ScheduleFileFeed({ id: 'flight-feed-1', file: examples('schedule.csv'), utcOffset: '+08:00', batchSize: 5 });
    const lines: string[] = [];
    const summary = await runFlightFeed({ hubUrl: hub.url, token, feed, log: (l) => lines.push(l) });
    expect(summary).toMatchObject({ batches: 3, arrivals: { created: 12, changed: 0, unchanged: 0 }, rejected: [], stoppedEarly: false });
    expect(lines.filter((l) => l.startsWith('stored '))).toHaveLength(3);
    expect(hub.store.flights.flight('LH722/2025-06-01')).toMatchObject({ passengers: 502, targets: { passengersMinutes: 40, checkedBagsMinutes: 25 } });
  });

  it('runs a simulated day through, and a rerun of the same day stores no update twice', async () => {
    const options = { id: 'flight-feed-1', timeScale: Infinity, flights: 10, seed: 4, start: Date.parse('2025-06-01T00:00:00Z') };
    const first = new SimulatedFlightFeed(options);
    const summary = await runFlightFeed({ hubUrl: hub.url, token, feed: first });
    expect(summary.arrivals.created).toBe(10);
    expect(summary.updates).toEqual({ applied: first.day.events.length, duplicate: 0 });
    const onBlock = first.day.events.find((e) => e.update.type === 'on-block')?.update;
    if (onBlock?.type !== 'on-block') throw new Error('no on-block in the day');
    expect(hub.store.flights.flight(`${onBlock.flight}/${onBlock.date}`)?.actualOnBlock).toBe(onBlock.actualOnBlock);
    const again = await runFlightFeed({ hubUrl: hub.url, token, feed: new SimulatedFlightFeed(options) });
    // Last write wins: the schedule's stand replaces a stand changed live since.
    const moved = new Set(first.day.events.filter((e) => e.update.type === 'stand').map((e) => e.update.flight)).size;
    expect(again.arrivals).toEqual({ created: 0, changed: moved, unchanged: 10 - moved });
    expect(again.updates).toEqual({ applied: 0, duplicate: first.day.events.length });
  });

  it('rejects with HubRefusedError on a wrong token', async () => {
    const feed = new ScheduleFileFeed({ id: 'flight-feed-1', file: examples('schedule.csv') });
    await expect(runFlightFeed({ hubUrl: hub.url, token: 'a-token-the-hub-never-issued', feed })).rejects.toBeInstanceOf(HubRefusedError);
  });
});

// Each case starts tsx processes: slow on a busy two-core machine.
describe('flight-feed command', { timeout: 60_000 }, () => {
  it('imports a file with bad rows: reports each with its line, loads the rest, exits 4', async () => {
    const file = examples('schedule-with-bad-rows.csv');
    const { code, stdout, stderr } = await cli(['import', file, '--hub', hub.url, '--device-id', 'flight-feed-1', '--utc-offset', '+08:00'], { CLEARWAY_DEVICE_TOKEN: token });
    expect(code, stderr).toBe(4);
    expect(stderr.split('\n').filter((l) => l.startsWith(`${file}:`)).map((l) => Number(l.split(':')[1]))).toEqual([6, 7, 8, 9, 10, 11, 13, 14]);
    expect(stdout).toMatch(/3 new, 0 changed, 0 unchanged arrivals.*8 bad rows skipped/);
    expect(hub.store.flights.flightsScheduledBetween(0, Date.parse('2030-01-01T00:00:00Z')).map((f) => f.flight)).toEqual(['CA982', 'MU574', 'HU498']);
  });

  it('checks a file without a hub', async () => {
    const [good, bad] = await Promise.all([cli(['import', examples('schedule.json'), '--check']), cli(['import', examples('schedule-with-bad-rows.csv'), '--check'])]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/4 of 4 rows are good arrivals; 0 problems/);
    expect(bad.code).toBe(4);
  });

  it('simulates a day into the hub at full speed', async () => {
    const { code, stdout, stderr } = await cli(['sim', '--hub', hub.url, '--device-id', 'flight-feed-1', '--token', token, '--flights', '6', '--time-scale', 'max', '--quiet']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/simulating 6 arrivals/);
    expect(stdout).toMatch(/6 new, 0 changed, 0 unchanged arrivals/);
    expect(hub.store.flights.flightsScheduledBetween(0, Date.now() + 2 * 86_400_000)).toHaveLength(6);
  });

  it('exits 2 without a token or with a bad option, and 3 when the hub refuses the device', async () => {
    const [noToken, badScale, noFile, refused] = await Promise.all([
      cli(['sim', '--hub', hub.url]),
      cli(['sim', '--time-scale', 'fast']),
      cli(['import']),
      cli(['import', examples('schedule.csv'), '--hub', hub.url, '--token', 'a-token-the-hub-never-issued']),
    ]);
    expect([noToken.code, badScale.code, noFile.code]).toEqual([2, 2, 2]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/bad-credentials/);
  });
});
