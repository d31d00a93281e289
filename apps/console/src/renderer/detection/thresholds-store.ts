import { create } from 'zustand';
import { type ThresholdStorage, type Thresholds, loadThresholds, saveThresholds, withThreshold } from './thresholds.ts';

/** The per-class thresholds, remembered in this browser's localStorage. */
export const useThresholds = create<{ byClass: Thresholds }>()(() => ({ byClass: {} }));

let storage: ThresholdStorage | null = null;

export function initThresholds(from: ThresholdStorage): void {
  storage = from;
  useThresholds.setState({ byClass: loadThresholds(from) });
}

export function setThreshold(label: string, value: number): void {
  const byClass = withThreshold(useThresholds.getState().byClass, label, value);
  useThresholds.setState({ byClass });
  if (storage) saveThresholds(storage, byClass);
}
