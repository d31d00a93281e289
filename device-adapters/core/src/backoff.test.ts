import { expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

const b = { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 };

it('doubles the delay per failed attempt up to the cap', () => {
  expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, b))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
});

it('spreads the delay by the jitter fraction and never passes the cap', () => {
  const j = { ...b, jitter: 0.5 };
  expect(backoffDelay(1, j, () => 0)).toBe(50);
  expect(backoffDelay(1, j, () => 1)).toBe(150);
  expect(backoffDelay(10, j, () => 1)).toBe(1_000);
});
