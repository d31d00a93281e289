import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCsv, parseSchedule, rowKeyOf } from './schedule-file.ts';

const example = (name: string) => readFileSync(fileURLToPath(new URL(`../examples/${name}`, import.meta.url)), 'utf8');
const HEADER = 'flight,date,origin,aircraft,sta,stand,gate,pax,checked_bags,cabin_bags';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and says where each record starts', () => {
    const records = parseCsv('a,b\r\n"x, y","say ""hi"""\n"two\nlines",z\n');
    expect(records.map((r) => [r.line, r.fields])).toEqual([[1, ['a', 'b']], [2, ['x, y', 'say "hi"']], [3, ['two\nlines', 'z']]]);
  });

  it('reports a quote that is never closed', () => {
    expect(parseCsv('a,b\n"open,b\n').at(-1)?.error).toMatch(/never closed/);
  });
});

describe('parseSchedule', () => {
  it('loads the example schedules', () => {
    const csv = parseSchedule(example('schedule.csv'), 'csv', { utcOffset: '+08:00' });
    expect(csv.problems).toEqual([]);
    expect(csv.arrivals).toHaveLength(12);
    expect(csv.arrivals[2]).toMatchObject({ flight: 'KE855', scheduledOnBlock: '2025-06-01T06:30:00+08:00', passengers: 268 });
    expect(csv.arrivals.find((a) => a.flight === 'LH722')?.targets).toEqual({ passengersMinutes: 40, checkedBagsMinutes: 25 });
    expect(csv.arrivals.find((a) => a.flight === 'HU498')?.stand).toBe('125');
    const json = parseSchedule(example('schedule.json'), 'json');
    expect(json.problems).toEqual([]);
    expect(json.arrivals.map((a) => a.flight)).toEqual(['CA982', 'KE855', 'LH722', 'CX390']);
    expect(json.lines).toEqual([2, 13, 25, 38]);
  });

  it('reports each bad row with its line and reason, and loads the rest', () => {
    const parsed = parseSchedule(example('schedule-with-bad-rows.csv'), 'csv', { utcOffset: '+08:00' });
    expect(parsed.arrivals.map((a) => a.flight)).toEqual(['CA982', 'MU574', 'HU498']);
    expect(parsed.lines).toEqual([5, 12, 15]);
    expect(parsed.rows).toBe(11);
    expect(parsed.problems.map((p) => [p.line, p.reason])).toEqual([
      [6, expect.stringMatching(/^flight: an IATA flight number/)],
      [7, expect.stringMatching(/^origin: a three-letter IATA airport code.*"SEOUL"/)],
      [8, 'passengers: "two hundred" is not a whole number'],
      [9, 'scheduledOnBlock: 07:00 needs a date'],
      [10, '10 fields where the header has 11'],
      [11, 'CA982/2025-06-01 is already on line 5'],
      [13, 'passengers is missing'],
      [14, expect.stringMatching(/^passengers: .*1000.*2750/)],
    ]);
  });

  it('reads HH:MM times on the row\'s date at the given offset, and full timestamps as written', () => {
    const text = `${HEADER}\nCA982,2025-06-01,JFK,B77W,5:50,215,E15,336,502,360\nKE855,2025-06-01,ICN,A333,2025-06-01T06:30:00Z,204,E4,268,351,300\n`;
    const { arrivals } = parseSchedule(text, 'csv', { utcOffset: '-05:30' });
    expect(arrivals.map((a) => a.scheduledOnBlock)).toEqual(['2025-06-01T05:50:00-05:30', '2025-06-01T06:30:00Z']);
    expect(() => parseSchedule(text, 'csv', { utcOffset: 'Beijing' })).toThrow(RangeError);
  });

  it('refuses a file without the columns it needs, and names them', () => {
    const { arrivals, problems } = parseSchedule('flight,origin\nCA982,JFK\n', 'csv');
    expect(arrivals).toEqual([]);
    expect(problems[0]?.reason).toMatch(/missing columns aircraft, scheduledOnBlock, passengers, checkedBags, cabinBags/);
  });

  it('reports broken JSON at its line, and JSON rows that are not objects', () => {
    expect(parseSchedule('[\n  {"flight": "CA982",\n  oops\n]', 'json').problems[0]?.line).toBe(3);
    const { problems } = parseSchedule('[\n  42,\n  {"flight": "CA982"}\n]', 'json');
    expect(problems.map((p) => [p.line, p.reason])).toEqual([[2, 'expected an object'], [3, 'origin is missing']]);
  });

  it('flags a scheduled time far from the service date', () => {
    const text = `${HEADER}\nCA982,2025-06-01,JFK,B77W,2025-06-05T05:50:00Z,215,E15,336,502,360\n`;
    expect(parseSchedule(text, 'csv').problems[0]?.reason).toMatch(/more than a day from the date 2025-06-01/);
  });

  it('knows the schedule words for columns', () => {
    expect(rowKeyOf('STA')).toBe('scheduledOnBlock');
    expect(rowKeyOf('checked_bags')).toBe('checkedBags');
    expect(rowKeyOf('Cabin Bags')).toBe('cabinBags');
    expect(rowKeyOf('colour')).toBeNull();
  });
});
