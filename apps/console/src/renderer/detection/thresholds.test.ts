import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLD, MAX_THRESHOLD, MIN_THRESHOLD, THRESHOLDS_KEY, type ThresholdStorage, clampThreshold, loadThresholds, parseThresholds, saveThresholds, thresholdFor, withThreshold } from './thresholds.ts';

function memoryStorage(initial: Record<string, string> = {}): ThresholdStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => { data[k] = v; } };
}

describe('per-class thresholds', () => {
  it('gives the default to a class nobody set', () => {
    expect(thresholdFor({}, 'knife')).toBe(DEFAULT_THRESHOLD);
    expect(thresholdFor({ knife: 0.7 }, 'knife')).toBe(0.7);
  });

  it('keeps thresholds on the slider steps and within the floor and ceiling', () => {
    expect(clampThreshold(0.62)).toBe(0.6);
    expect(clampThreshold(0.01)).toBe(MIN_THRESHOLD);
    expect(clampThreshold(1.5)).toBe(MAX_THRESHOLD);
    expect(clampThreshold(Number.NaN)).toBe(DEFAULT_THRESHOLD);
  });

  it('stores only the classes that differ from the default', () => {
    const raised = withThreshold({}, 'lighter', 0.8);
    expect(raised).toEqual({ lighter: 0.8 });
    expect(withThreshold(raised, 'lighter', DEFAULT_THRESHOLD)).toEqual({});
    expect(withThreshold(raised, 'gun', 0.3)).toEqual({ lighter: 0.8, gun: 0.3 });
  });

  it('survives a reload through storage and ignores what it cannot read', () => {
    const storage = memoryStorage();
    saveThresholds(storage, { knife: 0.35 });
    expect(JSON.parse(storage.data[THRESHOLDS_KEY] ?? '')).toEqual({ knife: 0.35 });
    expect(loadThresholds(storage)).toEqual({ knife: 0.35 });
    expect(parseThresholds('not json')).toEqual({});
    expect(parseThresholds('[0.5]')).toEqual({});
    expect(parseThresholds('{"gun":"high","knife":0.9,"":0.5}')).toEqual({ knife: 0.9 });
  });

  it('falls back to the defaults when storage refuses', () => {
    const broken: ThresholdStorage = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('quota'); } };
    expect(loadThresholds(broken)).toEqual({});
    expect(() => saveThresholds(broken, { gun: 0.3 })).not.toThrow();
  });
});
