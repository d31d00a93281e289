import { describe, expect, it } from 'vitest';
import { DEFAULT_TIME_LIMITS, decisionWindow, type DecisionWindowConfig } from './time-limits.ts';

const T0 = Date.parse('2026-03-01T08:00:00Z');
const limits: DecisionWindowConfig = { beltMovingS: 6, beltStoppedS: 30, onExpiry: 'reassign', maxReassignments: 1 };

describe('decisionWindow', () => {
  it('gives the moving window, then stops the belt, then expires', () => {
    expect(decisionWindow(T0, T0, limits)).toEqual({ phase: 'belt-moving', action: 'none', beltStopsAt: T0 + 6000, expiresAt: T0 + 36_000, msLeft: 6000 });
    expect(decisionWindow(T0, T0 + 5999, limits)).toMatchObject({ phase: 'belt-moving', msLeft: 1 });
    expect(decisionWindow(T0, T0 + 6000, limits)).toMatchObject({ phase: 'belt-stopped', action: 'stop-belt', msLeft: 30_000 });
    expect(decisionWindow(T0, T0 + 35_999, limits)).toMatchObject({ phase: 'belt-stopped', msLeft: 1 });
    expect(decisionWindow(T0, T0 + 36_000, limits)).toMatchObject({ phase: 'expired', action: 'reassign', msLeft: 0 });
  });

  it('reassigns up to the limit, then sends to search', () => {
    expect(decisionWindow(T0, T0 + 60_000, limits, 0).action).toBe('reassign');
    expect(decisionWindow(T0, T0 + 60_000, limits, 1).action).toBe('send-to-search');
    expect(decisionWindow(T0, T0 + 60_000, { ...limits, onExpiry: 'search' }, 0).action).toBe('send-to-search');
  });

  it('never stops the belt when no stopped time is allowed', () => {
    const noStop = { ...limits, beltStoppedS: 0 };
    expect(decisionWindow(T0, T0 + 5999, noStop).phase).toBe('belt-moving');
    expect(decisionWindow(T0, T0 + 6000, noStop)).toMatchObject({ phase: 'expired', action: 'reassign' });
  });

  it('sends an undecided bag to search by default, after 10 s moving and 20 s stopped', () => {
    expect(decisionWindow(T0, T0 + 9_999, DEFAULT_TIME_LIMITS).phase).toBe('belt-moving');
    expect(decisionWindow(T0, T0 + 29_999, DEFAULT_TIME_LIMITS).phase).toBe('belt-stopped');
    expect(decisionWindow(T0, T0 + 30_000, DEFAULT_TIME_LIMITS).action).toBe('send-to-search');
  });
});
