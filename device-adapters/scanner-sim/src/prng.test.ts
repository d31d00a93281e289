import { expect, it } from 'vitest';
import { Random, mixSeed } from './prng.ts';

it('repeats the same sequence for the same seed, in [0, 1)', () => {
  const a = new Random(42);
  const b = new Random(42);
  const xs = Array.from({ length: 1000 }, () => a.next());
  expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()));
  expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...xs)).toBeLessThan(1);
  expect(new Random(43).next()).not.toBe(xs[0]);
});

it('mixes seeds so that order and high bits matter', () => {
  expect(mixSeed(1, 7)).not.toBe(mixSeed(7, 1));
  expect(mixSeed(2 ** 40)).not.toBe(mixSeed(0));
  expect(mixSeed(1, 2)).toBe(mixSeed(1, 2));
});

it('draws roughly standard normals', () => {
  const r = new Random(5);
  const xs = Array.from({ length: 20_000 }, () => r.normal());
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
  expect(Math.abs(mean)).toBeLessThan(0.03);
  expect(Math.abs(variance - 1)).toBeLessThan(0.05);
});
