/** The shift lead's officer performance view on this console: which view, the period, the order, the report. */
import { create } from 'zustand';
import type { PerformanceReport } from '@clearway/protocol';
import type { Loaded } from './dashboard-store.ts';
import type { PerformancePeriod, SortKey } from './performance-model.ts';

export interface PerformanceState {
  /** The dashboard shows flights, or officers' performance. */
  view: 'flights' | 'performance';
  period: PerformancePeriod;
  sort: SortKey;
  report: Loaded<PerformanceReport> | null;
}

export const emptyPerformance: PerformanceState = { view: 'flights', period: 'shift', sort: 'name', report: null };

export const usePerformance = create<PerformanceState>()(() => emptyPerformance);

export function resetPerformance(): void {
  usePerformance.setState(emptyPerformance);
}

export function showPerformance(shown: boolean): void {
  usePerformance.setState({ view: shown ? 'performance' : 'flights' });
}
