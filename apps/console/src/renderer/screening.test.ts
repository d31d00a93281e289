import { describe, expect, it } from 'vitest';
import type { BagAssigned } from '@clearway/protocol';
import {
  assign,
  currentBag,
  decisionTimes,
  emptyQueue,
  lastDecisionText,
  markDecided,
  withdraw,
} from './screening.ts';

function bag(n: number): BagAssigned {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    assignmentId: id,
    assignedAt: '2030-01-01T10:00:00.000Z',
    bag: { bagId: id, bagTag: `TAG-${n}`, lane: 'lane-3', flight: 'CA981', scannedAt: '2030-01-01T09:59:58.000Z' },
    views: [{ view: 'top', width: 1, height: 1, encoding: 'dual-energy-u16le', low: new Uint8Array(2), high: new Uint8Array(2) }],
  };
}

describe('screening queue', () => {
  it('shows assignments in arrival order, each once', () => {
    let queue = assign(assign(assign(emptyQueue, bag(1)), bag(2)), bag(1));
    expect(queue.bags.map((b) => b.bag.bagTag)).toEqual(['TAG-1', 'TAG-2']);
    queue = markDecided(queue, bag(1).assignmentId);
    expect(currentBag(queue)?.bag.bagTag).toBe('TAG-2');
  });

  it('never shows a decided bag again, even if the hub re-sends it', () => {
    const queue = assign(markDecided(assign(emptyQueue, bag(1)), bag(1).assignmentId), bag(1));
    expect(currentBag(queue)).toBeUndefined();
  });

  it('removes a withdrawn bag from the screen', () => {
    const queue = withdraw(assign(assign(emptyQueue, bag(1)), bag(2)), bag(1).assignmentId);
    expect(queue.bags.map((b) => b.bag.bagTag)).toEqual(['TAG-2']);
    expect(withdraw(queue, 'unknown')).toEqual(queue);
  });
});

describe('decision timing', () => {
  it('never dates a decision before the image was shown', () => {
    const shownAt = '2030-01-01T10:00:05.000Z';
    expect(decisionTimes(shownAt, Date.parse('2030-01-01T10:00:07.250Z'))).toEqual({ shownAt, decidedAt: '2030-01-01T10:00:07.250Z' });
    expect(decisionTimes(shownAt, Date.parse('2030-01-01T10:00:01.000Z')).decidedAt).toBe(shownAt);
  });
});

describe('last decision line', () => {
  const base = { idempotencyKey: 'k', bagTag: '0123456789', verdict: 'clear' as const };
  it('says where the decision is', () => {
    expect(lastDecisionText({ ...base, delivery: 'stored' })).toBe('Bag 0123456789: clear — stored');
    expect(lastDecisionText({ ...base, verdict: 'search', delivery: 'waiting' })).toBe('Bag 0123456789: search — waiting to send');
    expect(lastDecisionText({ ...base, delivery: 'refused', error: 'assignment already closed' })).toBe(
      'Bag 0123456789: clear — refused: assignment already closed',
    );
  });
});
