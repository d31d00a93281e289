import { describe, expect, it } from 'vitest';
import { headOfLine, planAssignments, type ScreeningOfficerState } from './assignment.ts';
import { DEFAULT_QUEUE_PRIORITY, deadlineBoost, prioritise, queueKey, type QueuedBag } from './priority.ts';

const MIN = 60_000;
const NOW = Date.parse('2026-03-01T08:00:00Z');
const bag = (bagId: string, receivedAt: number, deadlineInMin: number | null, riskBoost = 0): QueuedBag =>
  ({ bagId, receivedAt, flightDeadline: deadlineInMin === null ? null : NOW + deadlineInMin * MIN, riskBoost });
const officer = (officerId: string, freeSince = 0): ScreeningOfficerState => ({ officerId, connected: true, status: 'available', openAssignment: null, freeSince });

describe('deadlineBoost', () => {
  it('rises as the flight\'s clearance target comes closer and is highest once past it', () => {
    const at = (min: number | null) => deadlineBoost(min === null ? null : NOW + min * MIN, NOW, DEFAULT_QUEUE_PRIORITY);
    expect([at(null), at(45), at(20), at(15), at(10), at(5), at(1), at(0), at(-3)]).toEqual([0, 0, 1, 1, 2, 3, 3, 4, 4]);
  });

  it('takes the largest applicable band whatever their order', () => {
    const reversed = { ...DEFAULT_QUEUE_PRIORITY, deadlineBands: [...DEFAULT_QUEUE_PRIORITY.deadlineBands].reverse() };
    expect(deadlineBoost(NOW + 4 * MIN, NOW, reversed)).toBe(3);
  });
});

describe('the screening line with deadlines and risk', () => {
  it('serves a bag of a flight about to miss its target before older bags', () => {
    const line = prioritise([bag('early-relaxed', NOW - 5 * MIN, 60), bag('late-urgent', NOW - MIN, 4)], NOW, DEFAULT_QUEUE_PRIORITY);
    expect(planAssignments(line, [officer('li')])).toEqual([{ bagId: 'late-urgent', officerId: 'li' }]);
  });

  it('keeps first in, first out within one priority', () => {
    const bags = [bag('c', NOW - 1 * MIN, 8), bag('a', NOW - 3 * MIN, 9), bag('b', NOW - 2 * MIN, 7)]; // all in the 10-minute band
    expect(headOfLine(prioritise(bags, NOW, DEFAULT_QUEUE_PRIORITY), 3).map((b) => b.bagId)).toEqual(['a', 'b', 'c']);
  });

  it('adds the risk boost to the deadline', () => {
    const bags = [bag('urgent', NOW - 3 * MIN, 4), bag('risky', NOW - 1 * MIN, 15, 3), bag('plain', NOW - 5 * MIN, null)];
    expect(queueKey(bags[1] as QueuedBag, NOW, DEFAULT_QUEUE_PRIORITY).priority).toBe(4);
    expect(headOfLine(prioritise(bags, NOW, DEFAULT_QUEUE_PRIORITY), 3).map((b) => b.bagId)).toEqual(['risky', 'urgent', 'plain']);
  });

  it('reorders the same bags as time passes', () => {
    const bags = [bag('flight-a', NOW - 2 * MIN, 60), bag('flight-b', NOW - 1 * MIN, 25)];
    const first = (now: number) => headOfLine(prioritise(bags, now, DEFAULT_QUEUE_PRIORITY), 1)[0]?.bagId;
    expect(first(NOW)).toBe('flight-a'); // neither flight is within 20 minutes: first in, first out
    expect(first(NOW + 10 * MIN)).toBe('flight-b'); // b is 15 minutes from its target now
    expect(first(NOW + 57 * MIN)).toBe('flight-b'); // a is 3 minutes from its target, b is past its own
  });

  it('gives the same head of the line for few and many free officers', () => {
    const bags = Array.from({ length: 30 }, (_, i) => bag(`b${i}`, NOW - ((i * 7) % 30) * 1000, [null, 3, 12, 40][i % 4] ?? null, i % 2));
    const line = prioritise(bags, NOW, DEFAULT_QUEUE_PRIORITY);
    const all = headOfLine(line, 30).map((b) => b.bagId);
    for (const k of [1, 2, 5, 9]) {
      expect(planAssignments(line, Array.from({ length: k }, (_, i) => officer(`o${i}`, i))).map((p) => p.bagId)).toEqual(all.slice(0, k));
    }
  });
});
