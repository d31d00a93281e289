/**
 * Battery and link latency over time, per robot, for the charts: one sample per SAMPLE_EVERY_MS
 * at most, in a ring buffer of HISTORY_SAMPLES (15 minutes), so a shift-long session uses the
 * same memory as its first quarter hour. Also the robot's recent trail for the map.
 */
import type { HubRobotState } from '@clearway/protocol';
import { RingBuffer } from './ring-buffer.ts';

export const SAMPLE_EVERY_MS = 1000;
export const HISTORY_SAMPLES = 900;
/** Trail points: one per TRAIL_STEP_M driven, the last TRAIL_POINTS of them. */
export const TRAIL_STEP_M = 0.5;
export const TRAIL_POINTS = 120;

export interface RobotSample {
  /** ms since the epoch (the bridge's time of the picture). */
  readonly t: number;
  /** 0–100, null when unknown. */
  readonly battery: number | null;
  readonly latencyMs: number | null;
}

export interface RobotHistory {
  readonly samples: RingBuffer<RobotSample>;
  readonly trail: RingBuffer<{ x: number; y: number }>;
}

export function newHistory(): RobotHistory {
  return { samples: new RingBuffer(HISTORY_SAMPLES), trail: new RingBuffer(TRAIL_POINTS) };
}

function finiteOrNull(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function sampleOf(state: HubRobotState): RobotSample {
  const pct = finiteOrNull(state.battery?.percentage);
  return { t: state.atMs, battery: pct === null ? null : Math.round(pct * 1000) / 10, latencyMs: finiteOrNull(state.link.latencyMs) };
}

/**
 * Adds what this picture adds to the robot's history; true when the history changed (a chart or
 * the trail should redraw).
 */
export function record(history: RobotHistory, state: HubRobotState): boolean {
  let changed = false;
  const last = history.samples.last();
  // A bridge whose clock went back (restart, resync) starts its samples again from here.
  if (!last || state.atMs - last.t >= SAMPLE_EVERY_MS || state.atMs < last.t) {
    if (last && state.atMs < last.t) history.samples.clear();
    history.samples.push(sampleOf(state));
    changed = true;
  }
  const pose = state.pose;
  if (pose && Number.isFinite(pose.x) && Number.isFinite(pose.y)) {
    const prev = history.trail.last();
    if (!prev || Math.hypot(pose.x - prev.x, pose.y - prev.y) >= TRAIL_STEP_M) {
      history.trail.push({ x: pose.x, y: pose.y });
      changed = true;
    }
  }
  return changed;
}

/** uPlot's aligned data: time in seconds, battery %, latency ms (null draws a gap). */
export type ChartData = [number[], (number | null)[], (number | null)[]];

export function chartData(samples: readonly RobotSample[]): ChartData {
  const data: ChartData = [[], [], []];
  for (const s of samples) {
    data[0].push(s.t / 1000);
    data[1].push(s.battery);
    data[2].push(s.latencyMs);
  }
  return data;
}
