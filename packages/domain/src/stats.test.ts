import { expect, it } from 'vitest';
import { percentile } from './stats.ts';

it('takes nearest-rank percentiles', () => {
  const xs = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
  expect(percentile(xs, 50)).toBe(5);
  expect(percentile(xs, 99)).toBe(10);
  expect(percentile(xs, 0)).toBe(1);
  expect(percentile([], 50)).toBeNaN();
});
