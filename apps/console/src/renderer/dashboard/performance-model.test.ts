import { describe, expect, it } from 'vitest';
import type { OfficerPerformanceRow, PerformanceFiguresRow } from '@clearway/protocol';
import { cells, marks, percent, periodQuery, screenDuration, sortOfficers, sortTeams } from './performance-model.ts';

const figures = (over: Partial<PerformanceFiguresRow> = {}): PerformanceFiguresRow => ({
  decisions: 40, tipProjections: 4, tipHits: 3, tipHitRate: 0.75, cleanBags: 36, falseAlarms: 2, falseAlarmRate: 2 / 36, dPrime: 2.27,
  meanDecisionMs: 4230, p95DecisionMs: 11_050, bagsPerHour: 61.4, screenMs: 39 * 60_000 + 5000, ...over,
});
const officer = (officerId: string, name: string, over: Partial<OfficerPerformanceRow> = {}): OfficerPerformanceRow => ({
  officerId, name, team: 'A', continuousMs: 0, breakDue: false, breakDueAt: null, ...figures(), ...over,
});

describe('officer performance view model', () => {
  it('asks for the current shift, today, the last day or week, ending now', () => {
    const now = Date.parse('2025-06-01T15:30:00.000Z');
    expect(periodQuery('shift', now)).toEqual({ from: '2025-06-01T07:30:00.000Z', to: '2025-06-01T15:30:00.000Z' });
    expect(periodQuery('day', now).from).toBe('2025-05-31T15:30:00.000Z');
    expect(periodQuery('week', now).from).toBe('2025-05-25T15:30:00.000Z');
    const today = new Date(periodQuery('today', now).from);
    expect([today.getHours(), today.getMinutes(), today.getSeconds()]).toEqual([0, 0, 0]);
    expect(today.getDate()).toBe(new Date(now).getDate());
    // A minute after midnight at most: never an empty or reversed period.
    const justAfter = new Date(now);
    justAfter.setHours(0, 0, 10, 0);
    const q = periodQuery('today', justAfter.getTime());
    expect(Date.parse(q.to) - Date.parse(q.from)).toBe(60_000);
  });

  it('writes every figure, with a dash where there is none', () => {
    expect(cells(figures())).toEqual({
      decisions: '40', tip: '3 / 4', hitRate: '75 %', falseAlarms: '2 / 36', falseAlarmRate: '5.6 %', dPrime: '2.27',
      meanTime: '4.2 s', p95Time: '11.1 s', bagsPerHour: '61', screenTime: '39:05',
    });
    expect(cells(figures({ tipProjections: 0, tipHits: 0, tipHitRate: null, dPrime: null, meanDecisionMs: null, p95DecisionMs: null, bagsPerHour: 4.25, screenMs: 2 * 3_600_000 + 5 * 60_000 })))
      .toMatchObject({ tip: '0 / 0', hitRate: '—', dPrime: '—', meanTime: '—', p95Time: '—', bagsPerHour: '4.3', screenTime: '2:05 h' });
    expect(percent(0)).toBe('0 %');
    expect(screenDuration(0)).toBe('0:00');
  });

  it('marks a low d′ and a low hit rate, never a missing one', () => {
    expect(marks(figures())).toEqual({ lowDPrime: false, lowHitRate: false });
    expect(marks(figures({ dPrime: 0.4, tipHitRate: 0.5 }))).toEqual({ lowDPrime: true, lowHitRate: true });
    expect(marks(figures({ dPrime: null, tipHitRate: null }))).toEqual({ lowDPrime: false, lowHitRate: false });
  });

  it('puts officers whose break is due first, then the weakest by the chosen figure, missing figures last', () => {
    const rows = [
      officer('li', 'Li Wei', { dPrime: 1.5, tipHitRate: 0.9, bagsPerHour: 50 }),
      officer('anna', 'Anna K', { dPrime: null, tipHitRate: null, bagsPerHour: 70 }),
      officer('omar', 'Omar H', { dPrime: 0.8, tipHitRate: 0.6, bagsPerHour: null }),
      officer('zhang', 'Zhang Min', { dPrime: 2.1, tipHitRate: 1, bagsPerHour: 40, breakDue: true }),
    ];
    const ids = (key: Parameters<typeof sortOfficers>[1]) => sortOfficers(rows, key).map((r) => r.officerId);
    expect(ids('name')).toEqual(['zhang', 'anna', 'li', 'omar']);
    expect(ids('dPrime')).toEqual(['zhang', 'omar', 'li', 'anna']);
    expect(ids('hitRate')).toEqual(['zhang', 'omar', 'li', 'anna']);
    expect(ids('bagsPerHour')).toEqual(['zhang', 'anna', 'li', 'omar']);
    expect(rows.map((r) => r.officerId)).toEqual(['li', 'anna', 'omar', 'zhang']); // the report itself untouched
  });

  it('lists teams by name', () => {
    const team = (name: string) => ({ team: name, officers: [], breakDue: [], ...figures() });
    expect(sortTeams([team('B'), team('Blue watch'), team('A')]).map((t) => t.team)).toEqual(['A', 'B', 'Blue watch']);
  });
});
