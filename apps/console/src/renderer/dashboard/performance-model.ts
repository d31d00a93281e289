/**
 * The shift lead's officer performance view as data: the period asked for, each figure in words,
 * what is marked (low d′ or TIP hit rate, break due), and the order of the rows. Pure.
 */
import type { OfficerPerformanceRow, PerformanceFiguresRow, TeamPerformanceRow } from '@clearway/protocol';

export type PerformancePeriod = 'shift' | 'today' | 'day' | 'week';
export const PERIODS: readonly PerformancePeriod[] = ['shift', 'today', 'day', 'week'];

const HOUR = 3_600_000;

/** The period's from and to at `now`; "today" starts at the console's (the airport's) midnight. */
export function periodQuery(period: PerformancePeriod, now: number): { from: string; to: string } {
  const to = new Date(now).toISOString();
  switch (period) {
    case 'shift':
      return { from: new Date(now - 8 * HOUR).toISOString(), to };
    case 'today': {
      const midnight = new Date(now);
      midnight.setHours(0, 0, 0, 0);
      // Just after midnight the day is empty: at least a minute, so that from < to.
      return { from: new Date(Math.min(midnight.getTime(), now - 60_000)).toISOString(), to };
    }
    case 'day':
      return { from: new Date(now - 24 * HOUR).toISOString(), to };
    case 'week':
      return { from: new Date(now - 7 * 24 * HOUR).toISOString(), to };
  }
}

/**
 * Marked for the shift lead's attention (not a verdict: few projections make both figures
 * uncertain, which is why the counts stand beside them). d′ of 1 means the officer tells a
 * threat from a clean bag only a little better than by chance at their bias.
 */
export const LOW_D_PRIME = 1;
export const LOW_HIT_RATE = 0.7;

export interface Marks {
  lowDPrime: boolean;
  lowHitRate: boolean;
}

export function marks(f: Pick<PerformanceFiguresRow, 'dPrime' | 'tipHitRate'>): Marks {
  return { lowDPrime: f.dPrime !== null && f.dPrime < LOW_D_PRIME, lowHitRate: f.tipHitRate !== null && f.tipHitRate < LOW_HIT_RATE };
}

const NONE = '—';

/** 75 %, 4.5 %, 0 %. */
export function percent(x: number | null): string {
  if (x === null) return NONE;
  const p = x * 100;
  return `${p === 0 || p >= 10 ? Math.round(p) : p.toFixed(1)} %`;
}

export function seconds(ms: number | null): string {
  return ms === null ? NONE : `${(ms / 1000).toFixed(1)} s`;
}

export function dPrimeText(d: number | null): string {
  return d === null ? NONE : d.toFixed(2);
}

export function perHour(x: number | null): string {
  return x === null ? NONE : x >= 10 ? String(Math.round(x)) : x.toFixed(1);
}

/** h:mm or m:ss. */
export function screenDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 3600) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} h`;
}

export interface FigureCells {
  decisions: string;
  /** "3 / 4": projected threats found of those responded to. */
  tip: string;
  hitRate: string;
  /** "1 / 20": searches that found nothing of the clean bags. */
  falseAlarms: string;
  falseAlarmRate: string;
  dPrime: string;
  meanTime: string;
  p95Time: string;
  bagsPerHour: string;
  screenTime: string;
}

export function cells(f: PerformanceFiguresRow): FigureCells {
  return {
    decisions: String(f.decisions),
    tip: `${f.tipHits} / ${f.tipProjections}`,
    hitRate: percent(f.tipHitRate),
    falseAlarms: `${f.falseAlarms} / ${f.cleanBags}`,
    falseAlarmRate: percent(f.falseAlarmRate),
    dPrime: dPrimeText(f.dPrime),
    meanTime: seconds(f.meanDecisionMs),
    p95Time: seconds(f.p95DecisionMs),
    bagsPerHour: perHour(f.bagsPerHour),
    screenTime: screenDuration(f.screenMs),
  };
}

export type SortKey = 'name' | 'dPrime' | 'hitRate' | 'bagsPerHour';
export const SORT_KEYS: readonly SortKey[] = ['name', 'dPrime', 'hitRate', 'bagsPerHour'];

/** Missing figures go last whichever way the column sorts. */
function byFigure(a: number | null, b: number | null, ascending: boolean): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
  return ascending ? a - b : b - a;
}

/** Officers whose break is due first, then by the chosen figure (weakest first), then by name. */
export function sortOfficers(rows: readonly OfficerPerformanceRow[], key: SortKey): OfficerPerformanceRow[] {
  const byName = (a: OfficerPerformanceRow, b: OfficerPerformanceRow) => a.name.localeCompare(b.name) || a.officerId.localeCompare(b.officerId);
  const figure = (a: OfficerPerformanceRow, b: OfficerPerformanceRow): number => {
    switch (key) {
      case 'name':
        return 0;
      case 'dPrime':
        return byFigure(a.dPrime, b.dPrime, true);
      case 'hitRate':
        return byFigure(a.tipHitRate, b.tipHitRate, true);
      case 'bagsPerHour':
        return byFigure(a.bagsPerHour, b.bagsPerHour, false);
    }
  };
  return [...rows].sort((a, b) => Number(b.breakDue) - Number(a.breakDue) || figure(a, b) || byName(a, b));
}

export function sortTeams(rows: readonly TeamPerformanceRow[]): TeamPerformanceRow[] {
  return [...rows].sort((a, b) => a.team.localeCompare(b.team));
}
