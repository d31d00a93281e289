import { describe, expect, it } from 'vitest';
import { HISTORY_SAMPLES, SAMPLE_EVERY_MS, TRAIL_POINTS, chartData, newHistory, record, sampleOf } from './history.ts';
import { robotState } from './test-robots.ts';

describe('robot history', () => {
  it('takes one sample per second however fast pictures come', () => {
    const h = newHistory();
    for (let i = 0; i < 30; i++) record(h, robotState('r', { atMs: 10_000 + i * 100 }));
    expect(h.samples.toArray().map((s) => s.t)).toEqual([10_000, 11_000, 12_000]);
  });

  it('stays bounded over a long shift', () => {
    const h = newHistory();
    for (let i = 0; i < HISTORY_SAMPLES * 3; i++) record(h, robotState('r', { atMs: i * SAMPLE_EVERY_MS }));
    expect(h.samples.length).toBe(HISTORY_SAMPLES);
    expect(h.samples.last()?.t).toBe((HISTORY_SAMPLES * 3 - 1) * SAMPLE_EVERY_MS);
  });

  it('starts again when the bridge clock goes back', () => {
    const h = newHistory();
    record(h, robotState('r', { atMs: 50_000 }));
    record(h, robotState('r', { atMs: 51_000 }));
    record(h, robotState('r', { atMs: 1_000 }));
    expect(h.samples.toArray().map((s) => s.t)).toEqual([1_000]);
  });

  it('keeps unknown battery and latency as gaps, never as zero', () => {
    expect(sampleOf(robotState('r', { battery: null, link: { state: 'live', lastMessageAgeMs: 1, latencyMs: null, issues: [] } }))).toEqual({ t: 1_000_000, battery: null, latencyMs: null });
    expect(sampleOf(robotState('r', { battery: { percentage: null, voltage: null, charging: false } })).battery).toBeNull();
    expect(sampleOf(robotState('r', { battery: { percentage: 0.8234, voltage: null, charging: false } })).battery).toBe(82.3);
  });

  it('adds a trail point every half metre driven, none for a missing pose', () => {
    const h = newHistory();
    record(h, robotState('r', { atMs: 1, pose: { x: 0, y: 0, theta: 0 } }));
    record(h, robotState('r', { atMs: 2, pose: { x: 0.2, y: 0, theta: 0 } }));
    record(h, robotState('r', { atMs: 3, pose: { x: 0.6, y: 0, theta: 0 } }));
    record(h, robotState('r', { atMs: 4, pose: null }));
    expect(h.trail.toArray()).toEqual([{ x: 0, y: 0 }, { x: 0.6, y: 0 }]);
    for (let i = 0; i < TRAIL_POINTS * 2; i++) record(h, robotState('r', { atMs: 5, pose: { x: i, y: 1, theta: 0 } }));
    expect(h.trail.length).toBe(TRAIL_POINTS);
  });

  it('says whether anything changed', () => {
    const h = newHistory();
    expect(record(h, robotState('r', { atMs: 1000 }))).toBe(true);
    expect(record(h, robotState('r', { atMs: 1100 }))).toBe(false);
  });

  it('lays samples out for uPlot, time in seconds', () => {
    expect(chartData([{ t: 2000, battery: 50, latencyMs: null }, { t: 3000, battery: null, latencyMs: 4 }])).toEqual([[2, 3], [50, null], [null, 4]]);
  });
});
