import { describe, expect, it } from 'vitest';
import { planAssignments, type ScreeningOfficerState, type WaitingBag } from './assignment.ts';

const officer = (officerId: string, over: Partial<ScreeningOfficerState> = {}): ScreeningOfficerState => ({
  officerId, connected: true, status: 'available', openAssignment: null, freeSince: 0, ...over,
});
const bag = (bagId: string, receivedAt: number, priority = 0): WaitingBag => ({ bagId, receivedAt, priority });

describe('planAssignments', () => {
  it('gives the oldest bag to the longest-idle free officer', () => {
    const plan = planAssignments([bag('b2', 20), bag('b1', 10)], [officer('o2', { freeSince: 5 }), officer('o1', { freeSince: 1 })]);
    expect(plan).toEqual([{ bagId: 'b1', officerId: 'o1' }, { bagId: 'b2', officerId: 'o2' }]);
  });

  it('skips officers on break, signed out or busy', () => {
    const plan = planAssignments([bag('b1', 1)], [
      officer('break', { status: 'on-break' }),
      officer('gone', { connected: false }),
      officer('busy', { openAssignment: 'a1' }),
      officer('free', { freeSince: 100 }),
    ]);
    expect(plan).toEqual([{ bagId: 'b1', officerId: 'free' }]);
  });

  it('serves higher priority before arrival order', () => {
    const plan = planAssignments([bag('early', 1), bag('urgent', 50, 2)], [officer('o1')]);
    expect(plan).toEqual([{ bagId: 'urgent', officerId: 'o1' }]);
  });

  it('plans nothing without free officers or bags', () => {
    expect(planAssignments([], [officer('o1')])).toEqual([]);
    expect(planAssignments([bag('b1', 1)], [officer('o1', { status: 'on-break' })])).toEqual([]);
  });

  it('takes the head of the line the same way for few and many free officers', () => {
    const bags = Array.from({ length: 40 }, (_, i) => bag(`b${i}`, (i * 7919) % 40, i % 3));
    const sorted = [...bags].sort((a, b) => b.priority - a.priority || a.receivedAt - b.receivedAt).map((b) => b.bagId);
    for (const k of [1, 3, 7, 8, 12]) {
      const officers = Array.from({ length: k }, (_, i) => officer(`o${i}`, { freeSince: i }));
      expect(planAssignments(bags, officers).map((p) => p.bagId)).toEqual(sorted.slice(0, k));
    }
  });

  it('gives a bag barred to an officer to the next free one, and keeps it waiting when none is', () => {
    const barred: WaitingBag = { ...bag('timed-out', 1), notFor: ['o1'] };
    const plan = planAssignments([barred, bag('next', 2)], [officer('o1', { freeSince: 0 }), officer('o2', { freeSince: 5 })]);
    expect(plan).toEqual([{ bagId: 'next', officerId: 'o1' }, { bagId: 'timed-out', officerId: 'o2' }]);
    expect(planAssignments([barred], [officer('o1')])).toEqual([]);
    expect(planAssignments([barred, bag('next', 2)], [officer('o1')])).toEqual([{ bagId: 'next', officerId: 'o1' }]);
  });

  it('never gives two bags to one officer or one bag to two officers', () => {
    const bags = Array.from({ length: 7 }, (_, i) => bag(`b${i}`, i));
    const officers = Array.from({ length: 4 }, (_, i) => officer(`o${i}`, { freeSince: i }));
    const plan = planAssignments(bags, officers);
    expect(plan).toHaveLength(4);
    expect(new Set(plan.map((p) => p.bagId)).size).toBe(4);
    expect(new Set(plan.map((p) => p.officerId)).size).toBe(4);
  });
});
