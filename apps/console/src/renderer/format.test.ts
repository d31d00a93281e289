import { describe, expect, it } from 'vitest';
import { waitTime } from './format.ts';

describe('waiting times', () => {
  it('reads at a glance', () => {
    expect(waitTime(0)).toBe('0 s');
    expect(waitTime(45_900)).toBe('45 s');
    expect(waitTime(185_000)).toBe('3 min 05 s');
    expect(waitTime(3_720_000)).toBe('1 h 02 min');
    expect(waitTime(-5)).toBe('0 s');
  });
});
