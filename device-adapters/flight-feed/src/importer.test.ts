import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeAdapterConformance } from '@clearway/device-core/conformance';
import type { FlightUpsertInput } from '@clearway/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { ScheduleFileFeed, formatOf } from './importer.ts';
import type { ScheduleProblem } from './schedule-file.ts';

const examples = (name: string) => fileURLToPath(new URL(`../examples/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'clearway-schedule-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeAdapterConformance('ScheduleFileFeed', () => new ScheduleFileFeed({ file: examples('schedule.csv'), utcOffset: '+08:00', batchSize: 2 }), { request: 'flight:upsert' });

describe('ScheduleFileFeed', () => {
  it('sends the good rows in batches and reports the bad ones as it reads them', async () => {
    const problems: ScheduleProblem[] = [];
    const feed = new ScheduleFileFeed({ file: examples('schedule-with-bad-rows.csv'), utcOffset: '+08:00', batchSize: 2, onProblem: (p) => problems.push(p) });
    const messages: FlightUpsertInput[] = [];
    await feed.start(async (m) => {
      messages.push(m);
    });
    expect(messages.map((m) => m.arrivals?.map((a) => a.flight))).toEqual([['CA982', 'MU574'], ['HU498']]);
    expect(problems.map((p) => p.line)).toEqual([6, 7, 8, 9, 10, 11, 13, 14]);
    expect(feed.schedule?.rows).toBe(11);
  });

  it('tells the format from the name, or takes it as given', async () => {
    expect(formatOf('a/b/day.CSV')).toBe('csv');
    expect(formatOf('day.json')).toBe('json');
    expect(formatOf('day.txt')).toBeNull();
    const file = join(dir, 'day.txt');
    writeFileSync(file, '[{"flight":"CA982","origin":"JFK","aircraft":"B77W","scheduledOnBlock":"2025-06-01T05:50:00Z","passengers":1,"checkedBags":1,"cabinBags":1}]');
    await expect(new ScheduleFileFeed({ file }).start(async () => {})).rejects.toThrow(/cannot tell the format/);
    const messages: FlightUpsertInput[] = [];
    await new ScheduleFileFeed({ file, format: 'json' }).start(async (m) => {
      messages.push(m);
    });
    expect(messages).toHaveLength(1);
  });

  it('fails start() when the file cannot be read', async () => {
    await expect(new ScheduleFileFeed({ file: join(dir, 'missing.csv') }).start(async () => {})).rejects.toThrow(/ENOENT/);
  });
});
