/**
 * Per-class score thresholds for the model's boxes: the officer (or the checkpoint's standing
 * setting) raises one class that alarms too often without silencing the others. Kept in the
 * browser's localStorage by class name, so they survive a reload and a model change with the
 * same classes. Pure rules here; the zustand store is in thresholds-store.ts.
 */

/** The model's boxes below this never reach the console: the floor of every threshold. */
export const MIN_THRESHOLD = 0.25;
export const MAX_THRESHOLD = 0.95;
export const DEFAULT_THRESHOLD = 0.5;
export const THRESHOLD_STEP = 0.05;
export const THRESHOLDS_KEY = 'clearway.detection.thresholds';

export type Thresholds = Readonly<Record<string, number>>;

/** Within [MIN, MAX], on the slider's 0.05 steps. */
export function clampThreshold(value: number): number {
  if (!Number.isFinite(value)) return DEFAULT_THRESHOLD;
  const stepped = Math.round(value / THRESHOLD_STEP) * THRESHOLD_STEP;
  return Number(Math.min(MAX_THRESHOLD, Math.max(MIN_THRESHOLD, stepped)).toFixed(2));
}

export function thresholdFor(thresholds: Thresholds, label: string): number {
  return thresholds[label] ?? DEFAULT_THRESHOLD;
}

/** A class set back to the default is not stored: a later change of the default reaches it. */
export function withThreshold(thresholds: Thresholds, label: string, value: number): Thresholds {
  const next = clampThreshold(value);
  const rest = Object.fromEntries(Object.entries(thresholds).filter(([k]) => k !== label));
  return next === DEFAULT_THRESHOLD ? rest : { ...rest, [label]: next };
}

/** What localStorage held; anything unreadable is ignored rather than trusted. */
export function parseThresholds(raw: string | null): Thresholds {
  if (raw === null) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: Record<string, number> = {};
  for (const [label, v] of Object.entries(value)) {
    if (typeof v === 'number' && Number.isFinite(v) && label.length > 0 && label.length <= 64) out[label] = clampThreshold(v);
  }
  return out;
}

export interface ThresholdStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function loadThresholds(storage: ThresholdStorage): Thresholds {
  try {
    return parseThresholds(storage.getItem(THRESHOLDS_KEY));
  } catch {
    return {}; // storage refused (private mode, quota): the defaults
  }
}

export function saveThresholds(storage: ThresholdStorage, thresholds: Thresholds): void {
  try {
    storage.setItem(THRESHOLDS_KEY, JSON.stringify(thresholds));
  } catch {
    // Not remembered across a reload; still applied now.
  }
}
