/**
 * The shift lead's performance report (`performance:report`): per officer and per team over a
 * period, from the stored decisions, TIP responses and search outcomes (store.search.decisionRecords)
 * and the officers' time at the screen. The figures are @clearway/domain officer-performance.ts;
 * this file clips the evidence to the period and puts the result in its wire shape (null, not NaN).
 */
import {
  officerPerformance, teamPerformance,
  type ContinuousScreen, type DecisionRecord, type PerformanceFigures, type ScreenPeriod, type WorkloadConfig,
} from '@clearway/domain';
import type { OfficerPerformanceRow, PerformanceFiguresRow, PerformanceReport, TeamPerformanceRow } from '@clearway/protocol';

const MIN = 60_000;

export interface PerformanceReportInput {
  /** Decisions stored in the period (responses to projected threats included). */
  records: readonly DecisionRecord[];
  /** Sampled time at the screen per officer (the hub's officer states); decision spans are added here. */
  sampled: ReadonlyMap<string, readonly ScreenPeriod[]>;
  from: number;
  to: number;
  now: number;
  config: WorkloadConfig;
  /** Each officer's continuous time at the screen now, as officers:status says it. */
  live: (officerId: string) => ContinuousScreen;
  officers: ReadonlyMap<string, { name: string; team: string | null }>;
}

/** A figure that cannot be computed (no trials, no decisions) goes on the wire as null. */
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function figuresRow(f: PerformanceFigures): PerformanceFiguresRow {
  return {
    decisions: f.decisions, tipProjections: f.tipProjections, tipHits: f.tipHits, tipHitRate: finite(f.tipHitRate),
    cleanBags: f.cleanBags, falseAlarms: f.falseAlarms, falseAlarmRate: finite(f.falseAlarmRate),
    dPrime: f.dPrime === null ? null : finite(f.dPrime),
    meanDecisionMs: finite(f.meanDecisionMs), p95DecisionMs: finite(f.p95DecisionMs), bagsPerHour: finite(f.bagsPerHour), screenMs: f.screenMs,
  };
}

/** Periods cut to [from, end]; an open one ends at `end`. */
export function clipPeriods(periods: readonly ScreenPeriod[], from: number, end: number): ScreenPeriod[] {
  return periods.flatMap((p) => {
    const start = Math.max(p.start, from);
    const stop = Math.min(p.end ?? end, end);
    return stop >= start ? [{ start, end: stop }] : [];
  });
}

export function performanceReport(input: PerformanceReportInput): PerformanceReport {
  const end = Math.min(input.to, input.now);
  // Time at the screen: the sampled states joined with each decision's shown-to-decided span (the
  // only evidence for time before this hub started), both cut to the period.
  const screenPeriods: Record<string, ScreenPeriod[]> = {};
  const add = (officerId: string, list: readonly ScreenPeriod[]) => {
    const clipped = clipPeriods(list, input.from, end);
    if (clipped.length > 0) (screenPeriods[officerId] ??= []).push(...clipped);
  };
  for (const [officerId, list] of input.sampled) add(officerId, list);
  // Every officer with a decision gets a list, empty or not: their time comes from here, not from the domain's fallback.
  for (const r of input.records) {
    screenPeriods[r.officerId] ??= [];
    add(r.officerId, [{ start: r.shownAt, end: r.decidedAt }]);
  }

  const perf = { decisions: input.records, screenPeriods, now: end, config: input.config };
  const teams: Record<string, string> = {};
  const officers: OfficerPerformanceRow[] = officerPerformance(perf).map((o) => {
    const who = input.officers.get(o.officerId);
    if (who?.team) teams[o.officerId] = who.team;
    const screen = input.live(o.officerId);
    return {
      officerId: o.officerId, name: who?.name ?? o.officerId, team: who?.team ?? null, ...figuresRow(o),
      continuousMs: screen.continuousMs, breakDue: screen.breakDue, breakDueAt: screen.breakDueAt === null ? null : new Date(screen.breakDueAt).toISOString(),
    };
  });
  const due = new Set(officers.filter((o) => o.breakDue).map((o) => o.officerId));
  const teamRows: TeamPerformanceRow[] = teamPerformance({ ...perf, teams }).map((t) => ({
    team: t.teamId, officers: t.officers, breakDue: t.officers.filter((id) => due.has(id)), ...figuresRow(t),
  }));
  return {
    from: new Date(input.from).toISOString(), to: new Date(input.to).toISOString(), generatedAt: new Date(input.now).toISOString(),
    officers: officers.slice(0, 1000), teams: teamRows.slice(0, 200),
    maxContinuousMinutes: input.config.maxContinuousScreenMs / MIN, minBreakMinutes: input.config.minBreakMs / MIN,
  };
}
