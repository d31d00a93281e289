// `pnpm clearway replay`: a scenario through the real hub; the same report at any speed.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerReplayCommand } from './replay.ts';

const SMALL = resolve(dirname(fileURLToPath(import.meta.url)), '../scenarios/small-40-bags.json');
let dir: string;

/** The command as `pnpm clearway` runs it, in this process (each run its own hub on its own port). */
async function replay(...args: string[]): Promise<void> {
  const program = new Command('clearway').exitOverride();
  registerReplayCommand(program);
  await program.parseAsync(['replay', ...args], { from: 'user' });
}

interface Printed {
  scenario: string;
  bags: { planned: number; scanned: number; decidedByOfficers: number; searchedByOfficers: number; searchedByTimeLimit: number };
  search: { outcomes: number; finds: number; waiting: number };
  reports: {
    flightId: string; complete: boolean;
    bags: { total: number; checked: number; cabin: number; cleared: number; searched: number; timeLimit: number; open: number; searchOpen: number };
    clocks: Record<'passengers' | 'checkedBags', { total: number; done: number; state: string }>;
    throughput: { decided: number; arrived: number }[];
  }[];
  run: { speed: number | 'max'; dropped: number; droppedReasons: string[] };
}

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'clearway-cli-replay-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

describe('clearway replay', () => {
  it('gives the same report at 100× and as fast as the hub answers, with the scenario\'s counts', async () => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => { out.push(line); });
    vi.spyOn(console, 'error').mockImplementation((line: string) => { err.push(line); });
    // Side by side in one process: the slower run mostly waits for its scenario time to come, and
    // whatever the other costs it only makes steps late, never changes what is stored.
    await Promise.all([replay(SMALL, '--speed', '100', '--json', '--quiet'), replay(SMALL, '--speed', 'max', '--json', '--quiet')]);
    expect(err).toEqual([]);
    expect(process.exitCode ?? 0).toBe(0);
    expect(out).toHaveLength(2);
    const printed = out.map((line) => JSON.parse(line) as Printed);
    const a = printed.find((p) => p.run.speed === 100);
    const b = printed.find((p) => p.run.speed === 'max');
    if (!a || !b) throw new Error(`expected one run at 100× and one at max, got ${printed.map((p) => p.run.speed).join(', ')}`);
    expect(a.run.dropped).toBe(0);
    expect(b.run.dropped).toBe(0);
    // Everything but the wall-clock figures: reports, bag counts, the queue's peak.
    const { run: _a, ...sameA } = a;
    const { run: _b, ...sameB } = b;
    expect(sameB).toEqual(sameA);

    // The scenario: MU5101, 30 passengers, 28 cabin bags and 12 checked bags, all decided.
    expect(a.bags.planned).toBe(40);
    expect(a.bags.scanned).toBe(40);
    expect(a.bags.decidedByOfficers + a.bags.searchedByTimeLimit).toBe(40);
    const [report] = a.reports;
    expect(a.reports).toHaveLength(1);
    expect(report?.flightId).toBe('MU5101/2025-06-01');
    expect(report?.complete).toBe(true);
    expect(report?.bags).toMatchObject({ total: 40, checked: 12, cabin: 28, open: 0, timeLimit: a.bags.searchedByTimeLimit });
    expect((report?.bags.cleared ?? 0) + (report?.bags.searched ?? 0)).toBe(40);
    expect(report?.bags.searched).toBe(a.bags.searchedByOfficers + a.bags.searchedByTimeLimit);
    expect(report?.clocks.passengers).toMatchObject({ total: 30, done: 30, state: 'cleared' });
    expect(report?.clocks.checkedBags).toMatchObject({ total: 12, done: 12, state: 'cleared' });
    // The search teams recorded an outcome for every searched bag: none left open at the station.
    expect(a.search.outcomes).toBe(report?.bags.searched);
    expect(a.search.waiting).toBe(0);
    expect(report?.bags.searchOpen).toBe(0);
    expect(report?.throughput.reduce((n, t) => n + t.decided, 0)).toBe(40);
    expect(report?.throughput.reduce((n, t) => n + t.arrived, 0)).toBe(40);
  }, 60_000);

  it('refuses a bad scenario file, naming the field', async () => {
    const err: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => { err.push(line); });
    const log = vi.spyOn(console, 'log');
    const bad = join(dir, 'bad.json');
    const small = JSON.parse(await readFile(SMALL, 'utf8')) as { flights: Record<string, unknown>[] };
    await writeFile(bad, JSON.stringify({ ...small, flights: [{ ...small.flights[0], passengers: 'thirty' }] }));
    await replay(bad, '--speed', 'max');
    expect(process.exitCode).toBe(1);
    expect(log).not.toHaveBeenCalled();
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/bad\.json: flights\.0\.passengers: /);
    process.exitCode = undefined;
    await replay(join(dir, 'nowhere.json'));
    expect(process.exitCode).toBe(1);
    expect(err[1]).toMatch(/cannot read/);
  });
});
