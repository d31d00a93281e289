/**
 * The shift lead's risk-selection panel as plain data (risk:report): per group its searches,
 * finds, find rate and interval as text and as positions on one scale for the bar picture, and
 * what the difference says. Pure, so that it is tested without React.
 */
import type { RiskSelectionReport, SelectionGroupView } from '@clearway/protocol';

export interface SelectionRow {
  group: 'risk' | 'random';
  searches: number;
  finds: number;
  /** "12.5 %"; null without searches. */
  rate: string | null;
  low: string;
  high: string;
  /** On the panel's scale, in percent of its width: the interval's start and width, the rate's mark (null: none). */
  bar: { left: number; width: number; mark: number | null };
}

export interface SelectionPanelModel {
  rows: SelectionRow[];
  /** The scale's right end as a rate ("20 %"): the smallest step of 10 % above every interval. */
  scaleEnd: string;
  /** Risk minus random in percentage points with its interval; null until both groups have searches. */
  difference: { verdict: 'higher' | 'lower' | 'unclear'; diff: string; low: string; high: string } | null;
  open: number;
  confidence: string;
  randomSelectionRate: string;
  periodDays: number;
}

/** A rate as a percentage: one decimal below 10 %, none above. */
export function percent(rate: number): string {
  const p = rate * 100;
  return `${p < 10 && p !== 0 ? p.toFixed(1) : Math.round(p).toFixed(0)} %`;
}

/** Percentage points with a sign. */
function points(d: number): string {
  const p = Math.round(d * 1000) / 10;
  return `${p > 0 ? '+' : p < 0 ? '−' : '±'}${Math.abs(p).toFixed(1)}`;
}

export function selectionPanel(report: RiskSelectionReport): SelectionPanelModel {
  const top = Math.max(report.risk.searches > 0 ? report.risk.high : 0, report.random.searches > 0 ? report.random.high : 0);
  const end = Math.min(1, Math.max(0.1, Math.ceil(top * 10 - 1e-9) / 10));
  const at = (x: number) => Math.round(Math.min(1, x / end) * 1000) / 10;
  const row = (group: 'risk' | 'random', g: SelectionGroupView): SelectionRow => ({
    group, searches: g.searches, finds: g.finds,
    rate: g.rate === null ? null : percent(g.rate), low: percent(g.low), high: percent(g.high),
    bar: g.searches === 0 ? { left: 0, width: 0, mark: null } : { left: at(g.low), width: Math.max(0.5, at(g.high) - at(g.low)), mark: g.rate === null ? null : at(g.rate) },
  });
  const d = report.difference;
  return {
    rows: [row('risk', report.risk), row('random', report.random)],
    scaleEnd: percent(end),
    difference: d === null ? null : { verdict: d.low > 0 ? 'higher' : d.high < 0 ? 'lower' : 'unclear', diff: points(d.value), low: points(d.low), high: points(d.high) },
    open: report.open,
    confidence: percent(report.confidence),
    randomSelectionRate: percent(report.randomSelectionRate),
    periodDays: Math.round((Date.parse(report.to) - Date.parse(report.from)) / 86_400_000),
  };
}
