/**
 * The screening officer's own time at the screen and the break reminder, from the hub's
 * `officer:workload` (the same rule and figures the shift lead sees in officers:status). The hub
 * decides when a break is due; between its pushes (every few seconds) the console only counts the
 * clock on, and stops counting once a push is old (a lost link must not invent screen time). Pure.
 */
import type { OfficerStatus, OfficerWorkloadPush } from '@clearway/protocol';

/** How far the console counts on past the last push before it waits for the next one. */
export const MAX_EXTRAPOLATION_MS = 15_000;

export interface ReceivedWorkload {
  push: OfficerWorkloadPush;
  /** When it arrived, on this console's clock (the hub's clock may differ). */
  receivedAt: number;
}

export interface WorkloadView {
  /** Time at the screen since the last proper break, e.g. "18:42". */
  onScreen: string;
  continuousMs: number;
  /** The hub says a break is due and the officer is still at the screen. */
  reminder: boolean;
  /** The break rule in words, e.g. "20 min". */
  limit: string;
  /** What the reminder says. */
  message: string;
}

/** m:ss, or h:mm:ss past an hour. */
export function screenTime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Minutes as the rule is written: whole minutes, or seconds for a rule under a minute. */
export function ruleMinutes(minutes: number): string {
  if (minutes >= 1) return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} min`;
  return `${Math.round(minutes * 60)} s`;
}

export function workloadView(w: ReceivedWorkload | null, now: number, availability: OfficerStatus): WorkloadView | null {
  if (!w) return null;
  const { push } = w;
  // On a break the clock is the hub's to reset (after the rule's break length); nothing to count on.
  const atScreen = availability === 'available';
  const counted = atScreen && push.continuousMs > 0 ? Math.min(Math.max(0, now - w.receivedAt), MAX_EXTRAPOLATION_MS) : 0;
  const continuousMs = push.continuousMs + counted;
  const limit = ruleMinutes(push.maxContinuousMinutes);
  return {
    onScreen: screenTime(continuousMs),
    continuousMs,
    reminder: push.breakDue && atScreen,
    limit,
    message: `Break due: ${screenTime(continuousMs)} at the screen (limit ${limit}). Finish the bag on screen, then take your break (B); ${ruleMinutes(push.minBreakMinutes)} away resets the clock.`,
  };
}
