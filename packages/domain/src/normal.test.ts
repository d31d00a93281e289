import { describe, expect, it } from 'vitest';
import { inverseNormalCdf, wilsonInterval } from './normal.ts';

describe('inverseNormalCdf', () => {
  // Reference quantiles of the standard normal (R's qnorm, 16 digits), across the central and both tail regions.
  const known: [number, number][] = [
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.9, 1.2815515655446004],
    [0.05, -1.6448536269514722],
    [0.02, -2.053748910631823],
    [0.001, -3.090232306167813],
    [0.999, 3.090232306167813],
    [1e-10, -6.361340902404056],
    [0.3, -0.5244005127080407],
  ];
  for (const [p, z] of known) {
    it(`gives ${z} at p = ${p}`, () => {
      expect(Math.abs(inverseNormalCdf(p) - z)).toBeLessThan(1e-8 * Math.max(1, Math.abs(z)));
    });
  }

  it('is antisymmetric and increasing', () => {
    let previous = -Infinity;
    for (let i = 1; i < 1000; i++) {
      const p = i / 1000;
      const z = inverseNormalCdf(p);
      expect(z).toBeGreaterThan(previous);
      expect(z + inverseNormalCdf(1 - p)).toBeCloseTo(0, 8);
      previous = z;
    }
  });

  it('gives infinities at 0 and 1 and NaN outside', () => {
    expect(inverseNormalCdf(0)).toBe(-Infinity);
    expect(inverseNormalCdf(1)).toBe(Infinity);
    expect(inverseNormalCdf(-0.1)).toBeNaN();
    expect(inverseNormalCdf(1.5)).toBeNaN();
    expect(inverseNormalCdf(Number.NaN)).toBeNaN();
  });
});

describe('wilsonInterval', () => {
  it('matches a worked example (Newcombe 1998: 81 of 263, 95 %: 0.2553 to 0.3662)', () => {
    const w = wilsonInterval(81, 263);
    expect(w.rate).toBeCloseTo(81 / 263, 10);
    expect(w.low).toBeCloseTo(0.2553, 4);
    expect(w.high).toBeCloseTo(0.3662, 4);
  });

  it('stays inside [0, 1] at 0 and n successes and is [0, 1] without data', () => {
    const none = wilsonInterval(0, 10);
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.2775, 4); // Newcombe's 0 of 10 example: 0 to 0.2775
    const all = wilsonInterval(10, 10);
    expect(all.high).toBe(1);
    expect(all.low).toBeCloseTo(1 - 0.2775, 4);
    expect(wilsonInterval(0, 0)).toEqual({ rate: Number.NaN, low: 0, high: 1 });
  });

  it('narrows with more data and widens with more confidence', () => {
    const small = wilsonInterval(5, 20);
    const large = wilsonInterval(50, 200);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
    const ninetyNine = wilsonInterval(5, 20, 0.99);
    expect(ninetyNine.high - ninetyNine.low).toBeGreaterThan(small.high - small.low);
  });
});
