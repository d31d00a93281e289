import { describe, expect, it } from 'vitest';
import type { OfficerWorkloadPush } from '@clearway/protocol';
import { MAX_EXTRAPOLATION_MS, ruleMinutes, screenTime, workloadView } from './break-reminder.ts';

const push = (over: Partial<OfficerWorkloadPush> = {}): OfficerWorkloadPush => ({
  at: '2025-06-01T10:00:00.000Z', continuousMs: 18 * 60_000, breakDue: false, breakDueAt: '2025-06-01T10:02:00.000Z',
  maxContinuousMinutes: 20, minBreakMinutes: 10, ...over,
});

describe('the officer\'s time at the screen and the break reminder', () => {
  it('writes screen time as m:ss and h:mm:ss, and the rule in minutes or seconds', () => {
    expect(screenTime(0)).toBe('0:00');
    expect(screenTime(65_400)).toBe('1:05');
    expect(screenTime(3_725_000)).toBe('1:02:05');
    expect(ruleMinutes(20)).toBe('20 min');
    expect(ruleMinutes(2.5)).toBe('2.5 min');
    expect(ruleMinutes(0.05)).toBe('3 s');
  });

  it('shows nothing before the hub has said anything', () => {
    expect(workloadView(null, 0, 'available')).toBeNull();
  });

  it('counts on between pushes while at the screen, but not past a stale push, and not on a break', () => {
    const w = { push: push(), receivedAt: 1_000_000 };
    expect(workloadView(w, 1_004_000, 'available')).toMatchObject({ onScreen: '18:04', reminder: false, limit: '20 min' });
    expect(workloadView(w, 1_000_000 + 10 * 60_000, 'available')?.continuousMs).toBe(18 * 60_000 + MAX_EXTRAPOLATION_MS);
    expect(workloadView(w, 1_004_000, 'on-break')?.onScreen).toBe('18:00');
    // Nothing at the screen yet (just signed in): nothing to count on.
    expect(workloadView({ push: push({ continuousMs: 0, breakDueAt: null }), receivedAt: 0 }, 4000, 'available')?.onScreen).toBe('0:00');
  });

  it('reminds only when the hub says the break is due and the officer is still at the screen', () => {
    const due = { push: push({ continuousMs: 20 * 60_000 + 5000, breakDue: true }), receivedAt: 0 };
    const view = workloadView(due, 0, 'available');
    expect(view?.reminder).toBe(true);
    expect(view?.message).toBe('Break due: 20:05 at the screen (limit 20 min). Finish the bag on screen, then take your break (B); 10 min away resets the clock.');
    expect(workloadView(due, 0, 'on-break')?.reminder).toBe(false);
    // The console never decides on its own that a break is due: past the limit by its count, the hub's word stands.
    expect(workloadView({ push: push({ continuousMs: 19 * 60_000 + 59_000 }), receivedAt: 0 }, 10_000, 'available')?.reminder).toBe(false);
  });
});
