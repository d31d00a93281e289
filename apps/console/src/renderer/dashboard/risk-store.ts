/** The shift lead's risk-selection report (risk:report), as last loaded. */
import type { RiskSelectionReport } from '@clearway/protocol';
import { create } from 'zustand';

export interface RiskReportState {
  report: { phase: 'loading' | 'done' | 'failed'; data: RiskSelectionReport | null; error: string | null } | null;
}

export const useRiskReport = create<RiskReportState>()(() => ({ report: null }));

export function resetRiskReport(): void {
  useRiskReport.setState({ report: null });
}
