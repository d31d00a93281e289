import { describe, expect, it } from 'vitest';
import type { ClearanceClock, FlightBagRow, FlightBoardEntry, OfficersStatus } from '@clearway/protocol';
import {
  HISTORY_LIMIT, RESAMPLE_MS, addAlerts, addSample, boardAlerts, breakAlerts, duration, historyFromBags, progress, stateLabel, staffingItems, updateAlert,
} from './dashboard-model.ts';
import { canOpenDashboard, showDashboard } from './dashboard-view.ts';

const MIN = 60_000;
const START = Date.parse('2025-06-01T02:00:00Z');
const iso = (minutes: number) => new Date(START + minutes * MIN).toISOString();

function clock(over: Partial<ClearanceClock> = {}): ClearanceClock {
  return {
    state: 'in-progress', startsAt: iso(0), onBlockAssumed: false, targetMinutes: 20, deadline: iso(20), total: 4, started: 2, done: 1, remaining: 3,
    clearedAt: null, metTarget: null, projection: null, atRiskReason: null, staffing: null, ...over,
  };
}

function entry(over: Partial<FlightBoardEntry> = {}, clocks: Partial<FlightBoardEntry['clocks']> = {}): FlightBoardEntry {
  return {
    key: 'CA982/2025-06-01', flight: 'CA982', date: '2025-06-01', origin: 'JFK', aircraft: 'B77W', scheduledOnBlock: iso(0), passengers: 6, checkedBags: 4, cabinBags: 3,
    cancelled: false, updatedAt: iso(-60), clocks: { passengers: clock({ targetMinutes: 30, deadline: iso(30), total: 6, done: 0, remaining: 6 }), checkedBags: clock(), ...clocks }, ...over,
  };
}

function bagRow(kind: 'checked' | 'cabin', decided: number | null): FlightBagRow {
  return {
    bagId: crypto.randomUUID(), bagTag: 'X', lane: 'lane-1', kind, state: decided === null ? 'waiting' : 'cleared', verdict: decided === null ? null : 'clear', officerId: null, madeBy: null,
    receivedAt: iso(0), assignedAt: null, decidedAt: decided === null ? null : iso(decided), searchOutcome: null, searchedAt: null,
  };
}

describe('clock words and progress', () => {
  it('says cleared late apart from cleared, and shows progress as a share', () => {
    expect(stateLabel({ state: 'cleared', metTarget: false })).toBe('state.clearedLate');
    expect(stateLabel({ state: 'at-risk', metTarget: null })).toBe('state.at-risk');
    expect(progress({ done: 1, total: 4, state: 'in-progress' })).toBe(0.25);
    expect(progress({ done: 0, total: 0, state: 'cleared' })).toBe(1);
    expect(duration(65_000)).toBe('1:05');
    expect(duration(3_725_000)).toBe('1:02:05');
  });
});

describe('burn-down history', () => {
  it('keeps a sample when the figure changes, or after a while unchanged; never one older than the last', () => {
    let h = addSample([], { t: 0, remaining: 10 });
    h = addSample(h, { t: 1000, remaining: 10 });
    expect(h).toHaveLength(1);
    h = addSample(h, { t: 2000, remaining: 9 });
    h = addSample(h, { t: 2000 + RESAMPLE_MS, remaining: 9 });
    h = addSample(h, { t: 500, remaining: 3 });
    expect(h).toEqual([{ t: 0, remaining: 10 }, { t: 2000, remaining: 9 }, { t: 2000 + RESAMPLE_MS, remaining: 9 }]);
    let long: readonly { t: number; remaining: number }[] = [];
    for (let i = 0; i < HISTORY_LIMIT + 10; i++) long = addSample(long, { t: i, remaining: i });
    expect(long).toHaveLength(HISTORY_LIMIT);
    expect(long[0]?.t).toBe(10);
  });

  it('rebuilds what a console missed from the flight\'s bags: a step down per decision, passengers through cabin bags', () => {
    const bags = [bagRow('checked', 2), bagRow('checked', 5), bagRow('checked', null), bagRow('cabin', 3), bagRow('cabin', 4), bagRow('cabin', 6)];
    const h = historyFromBags(entry(), bags);
    expect(h.checkedBags).toEqual([{ t: START, remaining: 4 }, { t: START + 2 * MIN, remaining: 3 }, { t: START + 5 * MIN, remaining: 2 }]);
    // 6 passengers over 3 cabin bags: 2 each.
    expect(h.passengers.map((s) => s.remaining)).toEqual([6, 4, 2, 0]);
  });
});

describe('alerts', () => {
  const risky = entry({}, { checkedBags: clock({ state: 'at-risk', atRiskReason: 'projected to finish 4.0 min after the deadline at 1.2/min' }) });

  it('raises at-risk and breached from the board and from clock changes, each once', () => {
    const first = boardAlerts([risky], iso(6));
    expect(first).toEqual([{ id: 'CA982/2025-06-01:checkedBags:at-risk', at: iso(6), kind: 'at-risk', flightId: 'CA982/2025-06-01', flight: 'CA982', clock: 'checkedBags', reason: expect.stringMatching(/^projected/) }]);
    const again = updateAlert({ at: iso(7), flight: risky, change: { type: 'clock', clock: 'checkedBags', from: 'in-progress', to: 'at-risk' } });
    let list = addAlerts([], first);
    expect(addAlerts(list, again ? [again] : [])).toBe(list);
    const breached = entry({}, { checkedBags: clock({ state: 'breached' }) });
    const b = updateAlert({ at: iso(20), flight: breached, change: { type: 'clock', clock: 'checkedBags', from: 'at-risk', to: 'breached' } });
    list = addAlerts(list, b ? [b] : []);
    expect(list.map((a) => a.kind)).toEqual(['breached', 'at-risk']);
    expect(updateAlert({ at: iso(1), flight: breached, change: { type: 'stand', stand: '221' } })).toBeNull();
    expect(updateAlert({ at: iso(1), flight: breached, change: { type: 'clock', clock: 'checkedBags', from: 'at-risk', to: 'in-progress' } })).toBeNull();
  });

  it('raises a break due for officers still at the screen only', () => {
    const s: OfficersStatus = {
      at: iso(30), maxContinuousMinutes: 20, minBreakMinutes: 10,
      officers: [
        { officerId: 'li.wei', name: 'Li Wei', state: 'screening', bagsLastHour: 40, continuousMs: 21 * MIN, breakDue: true, breakDueAt: iso(29) },
        { officerId: 'anna', name: 'Anna', state: 'on-break', bagsLastHour: 10, continuousMs: 22 * MIN, breakDue: true, breakDueAt: iso(28) },
        { officerId: 'omar', name: 'Omar', state: 'available', bagsLastHour: 2, continuousMs: MIN, breakDue: false, breakDueAt: iso(49) },
      ],
    };
    expect(breakAlerts(s)).toEqual([{ id: `break:li.wei:${iso(29)}`, at: iso(29), kind: 'break-due', officerId: 'li.wei', name: 'Li Wei' }]);
  });
});

describe('staffing advice and who sees the dashboard', () => {
  it('lists advice for clocks being worked, at risk first', () => {
    const advice = { officers: 5, lanes: 1, lines: ['…'] };
    const a = entry({ key: 'A1/2025-06-01', flight: 'A1' }, { checkedBags: clock({ deadline: iso(10), staffing: advice }) });
    const b = entry({ key: 'B2/2025-06-01', flight: 'B2' }, { checkedBags: clock({ state: 'at-risk', deadline: iso(15), staffing: advice }) });
    expect(staffingItems([a, b]).map((i) => i.flight)).toEqual(['B2', 'A1']);
  });

  it('opens for shift leads and admins by default, and never for other roles', () => {
    expect(showDashboard('shift-lead', null)).toBe(true);
    expect(showDashboard('admin', null)).toBe(true);
    expect(showDashboard('shift-lead', false)).toBe(false);
    expect(showDashboard('screening-officer', true)).toBe(false);
    expect(canOpenDashboard('robot-operator')).toBe(false);
  });
});
