/** A robot's state in the words an operator reads at a glance, each with a tone for its colour. */
import type { DiagnosticLevel, MissionState, NavStatus, RobotMission } from '@clearway/protocol';
import type { ShownLinkState } from './fleet.ts';

/** ok: green, warn: amber, bad: red, idle: grey. Every tone comes with words, never colour alone. */
export type Tone = 'ok' | 'warn' | 'bad' | 'idle';

export interface Words {
  readonly text: string;
  readonly tone: Tone;
}

export const LINK_WORDS: Readonly<Record<ShownLinkState, Words>> = {
  live: { text: 'Live', tone: 'ok' },
  connecting: { text: 'Connecting…', tone: 'idle' },
  stale: { text: 'Stale — no fresh data', tone: 'warn' },
  'telemetry-invalid': { text: 'Bad data from robot', tone: 'warn' },
  disconnected: { text: 'Disconnected', tone: 'bad' },
  'no-news': { text: 'No news from the hub', tone: 'warn' },
  missing: { text: 'Not reported any more', tone: 'bad' },
  'console-offline': { text: 'Unknown — console offline', tone: 'bad' },
};

export const NAV_WORDS: Readonly<Record<NavStatus, Words>> = {
  idle: { text: 'Idle', tone: 'idle' },
  unknown: { text: 'Unknown', tone: 'idle' },
  accepted: { text: 'Goal accepted', tone: 'ok' },
  executing: { text: 'Driving to goal', tone: 'ok' },
  canceling: { text: 'Cancelling goal', tone: 'warn' },
  succeeded: { text: 'Arrived', tone: 'ok' },
  canceled: { text: 'Goal cancelled', tone: 'idle' },
  aborted: { text: 'Could not reach goal', tone: 'bad' },
};

export const DIAGNOSTIC_WORDS: Readonly<Record<DiagnosticLevel, Words>> = {
  ok: { text: 'OK', tone: 'ok' },
  warn: { text: 'Warning', tone: 'warn' },
  error: { text: 'Fault', tone: 'bad' },
  stale: { text: 'No diagnostics', tone: 'warn' },
};

export const MISSION_WORDS: Readonly<Record<MissionState, Words>> = {
  requested: { text: 'Waiting for a robot', tone: 'warn' },
  assigned: { text: 'Robot assigned', tone: 'ok' },
  'to-lane': { text: 'Robot on its way to the lane', tone: 'ok' },
  carrying: { text: 'Carrying the bag to search', tone: 'ok' },
  delivered: { text: 'Delivered to the search station', tone: 'ok' },
  failed: { text: 'Failed', tone: 'bad' },
  cancelled: { text: 'Cancelled', tone: 'idle' },
};

/** "Delivered to the search station", "Failed: robot_2 disconnected". */
export function missionText(m: Pick<RobotMission, 'state' | 'reason'>): string {
  const words = MISSION_WORDS[m.state].text;
  return m.reason && (m.state === 'failed' || m.state === 'cancelled') ? `${words}: ${m.reason}` : words;
}

/** "82 %", "82 % · charging", "unknown"; null battery reading: "no reading". */
export function batteryText(battery: { percentage: number | null; charging: boolean } | null): string {
  if (!battery) return 'no reading';
  const pct = battery.percentage === null || !Number.isFinite(battery.percentage) ? 'unknown' : `${Math.round(battery.percentage * 100)} %`;
  return battery.charging ? `${pct} · charging` : pct;
}

export const LOW_BATTERY = 0.2;

export function batteryTone(battery: { percentage: number | null; charging: boolean } | null): Tone {
  if (!battery || battery.percentage === null) return 'warn';
  if (battery.percentage < 0.1) return 'bad';
  if (battery.percentage < LOW_BATTERY && !battery.charging) return 'warn';
  return 'ok';
}

/** Message age: "0.3 s", "12 s", "4 min", "never". */
export function ageText(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return 'never';
  if (ms < 10_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

export function latencyText(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** Distance for the goal panel: "12.3 m", "140 m". */
export function distanceText(m: number | null): string {
  if (m === null || !Number.isFinite(m) || m < 0) return '—';
  if (m < 0.1) return 'under 0.1 m';
  return m < 100 ? `${m.toFixed(1)} m` : `${Math.round(m)} m`;
}

/** Time to arrival: "8 s", "1 min 20 s", "12 min". */
export function etaText(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 10) return `${min} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.round(s / 60)} min`;
}

/** Speeds below this are standing still: no ETA from them. */
const MOVING = 0.05;

/**
 * Seconds to the goal: the bridge's own figure when it gives one, otherwise the distance left at
 * the robot's current speed; null while it stands still or nothing is known.
 */
export function etaSeconds(nav: { distanceRemaining: number | null; etaSeconds: number | null } | null, velocity: { linear: number } | null): number | null {
  if (!nav) return null;
  if (nav.etaSeconds !== null) return nav.etaSeconds;
  const speed = velocity ? Math.abs(velocity.linear) : 0;
  if (nav.distanceRemaining === null || !(speed > MOVING)) return null;
  return nav.distanceRemaining / speed;
}

/** "(12.3, 4.5)" for a map point. */
export function pointText(p: { x: number; y: number } | null): string {
  if (!p || !Number.isFinite(p.x) || !Number.isFinite(p.y)) return 'unknown';
  return `(${p.x.toFixed(1)}, ${p.y.toFixed(1)})`;
}

/** "robot_1" → "Robot 1"; other namespaces stay as they are. */
export function robotName(id: string): string {
  const m = /^robot_(\d+)$/.exec(id);
  return m ? `Robot ${m[1]}` : id;
}
