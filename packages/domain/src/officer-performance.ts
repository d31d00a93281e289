/**
 * Screening officer performance from decisions with ground truth: Threat Image Projection
 * (TIP) results and search-station outcomes. Pure: the hub (or a report) gathers the records.
 *
 * Signal detection terms, per officer or team:
 * - signal trials: bags with a TIP projection; a hit is a 'search' verdict on one;
 * - noise trials: clean bags, i.e. bags without a projection that were cleared, or searched and
 *   nothing was found. A cleared bag is taken as clean: nobody looks inside it (usual TIP practice);
 * - a false alarm is a 'search' verdict on a clean bag (searched, nothing found).
 * Searched bags whose outcome is still open, and bags where something real was found, are
 * neither: they cannot be a false alarm, and a real find is not a TIP trial.
 */
import { inverseNormalCdf } from './normal.ts';
import { percentile } from './stats.ts';

export type SearchOutcome = 'threat-found' | 'other-contraband' | 'nothing-found';

export interface DecisionRecord {
  officerId: string;
  bagId: string;
  verdict: 'clear' | 'search';
  /** ms since epoch: the image first painted on the officer's screen, and the key press. */
  shownAt: number;
  decidedAt: number;
  /** A fictional threat image was projected into this bag. */
  tipProjected: boolean;
  /** The search station's outcome; null when not searched or not yet recorded. */
  searchOutcome: SearchOutcome | null;
}

/** A stretch of time an officer was at the screen (signed in and available). `end` null: still there. */
export interface ScreenPeriod {
  start: number;
  end: number | null;
}

export interface WorkloadConfig {
  /** Longest continuous image review before a break is due (EU rule: 20 minutes). */
  maxContinuousScreenMs: number;
  /** A gap away from the screen at least this long counts as a break and resets the clock. */
  minBreakMs: number;
}

export const DEFAULT_WORKLOAD: WorkloadConfig = { maxContinuousScreenMs: 20 * 60_000, minBreakMs: 10 * 60_000 };

export interface SignalDetection {
  tipProjections: number;
  tipHits: number;
  /** Raw hit rate (hits / projections); NaN without projections. */
  tipHitRate: number;
  cleanBags: number;
  falseAlarms: number;
  /** Raw false-alarm rate (false alarms / clean bags); NaN without clean bags. */
  falseAlarmRate: number;
  /** d′ with the log-linear correction (see dPrime); null without signal or noise trials. */
  dPrime: number | null;
}

export interface PerformanceFigures extends SignalDetection {
  decisions: number;
  /** Decision time (decidedAt − shownAt), ms; NaN without decisions. */
  meanDecisionMs: number;
  p95DecisionMs: number;
  /** Decisions per hour at the screen; NaN with no time at the screen. */
  bagsPerHour: number;
  screenMs: number;
}

export interface OfficerPerformance extends PerformanceFigures {
  officerId: string;
  screen: ContinuousScreen;
}

export interface TeamPerformance extends PerformanceFigures {
  teamId: string;
  officers: string[];
  /** Officers of the team whose break is due now: the shift lead sees them. */
  breakDue: string[];
}

/**
 * d′ = Z(hit rate) − Z(false-alarm rate), with the log-linear correction (Hautus 1995): add 0.5 to
 * the hit and false-alarm counts and 1 to the number of trials before taking the rates, for every
 * officer alike. This keeps d′ finite at rates of 0 and 1 and is less biased than replacing only the
 * extreme rates with 1/(2N). Null when there are no signal or no noise trials.
 */
export function dPrime(hits: number, signalTrials: number, falseAlarms: number, noiseTrials: number): number | null {
  if (signalTrials <= 0 || noiseTrials <= 0) return null;
  const h = (hits + 0.5) / (signalTrials + 1);
  const f = (falseAlarms + 0.5) / (noiseTrials + 1);
  return inverseNormalCdf(h) - inverseNormalCdf(f);
}

export function signalDetection(records: readonly DecisionRecord[]): SignalDetection {
  let tipProjections = 0;
  let tipHits = 0;
  let cleanBags = 0;
  let falseAlarms = 0;
  for (const r of records) {
    if (r.tipProjected) {
      tipProjections++;
      if (r.verdict === 'search') tipHits++;
    } else if (r.verdict === 'clear') {
      cleanBags++;
    } else if (r.searchOutcome === 'nothing-found') {
      cleanBags++;
      falseAlarms++;
    }
  }
  return {
    tipProjections, tipHits, tipHitRate: tipProjections > 0 ? tipHits / tipProjections : Number.NaN,
    cleanBags, falseAlarms, falseAlarmRate: cleanBags > 0 ? falseAlarms / cleanBags : Number.NaN,
    dPrime: dPrime(tipHits, tipProjections, falseAlarms, cleanBags),
  };
}

/** Joins periods (and the gaps between them shorter than a break) into stretches without a break. */
export function screenStints(periods: readonly ScreenPeriod[], now: number, minBreakMs: number): { start: number; end: number }[] {
  const sorted = periods.map((p) => ({ start: p.start, end: Math.min(p.end ?? now, now) })).filter((p) => p.end >= p.start).sort((a, b) => a.start - b.start);
  const stints: { start: number; end: number }[] = [];
  for (const p of sorted) {
    const last = stints[stints.length - 1];
    if (last && p.start - last.end < minBreakMs) last.end = Math.max(last.end, p.end);
    else stints.push({ ...p });
  }
  return stints;
}

/** When no screen periods are known: each decision's time on screen (shownAt to decidedAt). */
export function periodsFromDecisions(records: readonly DecisionRecord[]): ScreenPeriod[] {
  return records.map((r) => ({ start: r.shownAt, end: r.decidedAt }));
}

export interface ContinuousScreen {
  /** Time since the end of the officer's last proper break, while at the screen; 0 when on a break now. */
  continuousMs: number;
  breakDue: boolean;
  /** When the break falls due (ms since epoch); null when on a break now. */
  breakDueAt: number | null;
}

/**
 * Continuous time on screen at `now`. Gaps shorter than `minBreakMs` (a coffee at the desk, a
 * console reconnect) do not reset the clock and count as screen time; a gap of at least that
 * long does. Short gaps still running at `now` keep the officer's clock going.
 */
export function continuousScreen(periods: readonly ScreenPeriod[], now: number, config: WorkloadConfig): ContinuousScreen {
  const stints = screenStints(periods, now, config.minBreakMs);
  const last = stints[stints.length - 1];
  if (!last || now - last.end >= config.minBreakMs) return { continuousMs: 0, breakDue: false, breakDueAt: null };
  const continuousMs = now - last.start;
  return { continuousMs, breakDue: continuousMs >= config.maxContinuousScreenMs, breakDueAt: last.start + config.maxContinuousScreenMs };
}

function figures(records: readonly DecisionRecord[], screenMs: number): PerformanceFigures {
  const times = records.map((r) => r.decidedAt - r.shownAt);
  return {
    decisions: records.length,
    ...signalDetection(records),
    meanDecisionMs: times.length > 0 ? times.reduce((a, b) => a + b, 0) / times.length : Number.NaN,
    p95DecisionMs: percentile(times, 95),
    bagsPerHour: screenMs > 0 ? records.length / (screenMs / 3_600_000) : Number.NaN,
    screenMs,
  };
}

const totalMs = (stints: readonly { start: number; end: number }[]) => stints.reduce((n, s) => n + (s.end - s.start), 0);

function byOfficer(records: readonly DecisionRecord[]): Map<string, DecisionRecord[]> {
  const m = new Map<string, DecisionRecord[]>();
  for (const r of records) {
    const list = m.get(r.officerId);
    if (list) list.push(r);
    else m.set(r.officerId, [r]);
  }
  return m;
}

export interface PerformanceInput {
  decisions: readonly DecisionRecord[];
  /** Per officer: when they were at the screen. Without it, time on screen comes from the decisions. */
  screenPeriods?: Readonly<Record<string, readonly ScreenPeriod[]>>;
  now: number;
  config: WorkloadConfig;
}

/** Figures for each officer with decisions or screen time, sorted by officer ID. */
export function officerPerformance(input: PerformanceInput): OfficerPerformance[] {
  const grouped = byOfficer(input.decisions);
  const ids = new Set([...grouped.keys(), ...Object.keys(input.screenPeriods ?? {})]);
  return [...ids].sort().map((officerId) => {
    const records = grouped.get(officerId) ?? [];
    const periods = input.screenPeriods?.[officerId] ?? periodsFromDecisions(records);
    const stints = screenStints(periods, input.now, input.config.minBreakMs);
    return { officerId, ...figures(records, totalMs(stints)), screen: continuousScreen(periods, input.now, input.config) };
  });
}

/**
 * Figures per team from the pooled decisions of its officers (d′ from pooled counts; bags per
 * hour over the members' summed screen time). `teams` maps officer ID to team ID; officers in no
 * team are left out.
 */
export function teamPerformance(input: PerformanceInput & { teams: Readonly<Record<string, string>> }): TeamPerformance[] {
  const officers = officerPerformance(input);
  const grouped = byOfficer(input.decisions);
  const members = new Map<string, OfficerPerformance[]>();
  for (const o of officers) {
    const team = input.teams[o.officerId];
    if (team === undefined) continue;
    members.set(team, [...(members.get(team) ?? []), o]);
  }
  return [...members.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([teamId, list]) => {
    const records = list.flatMap((o) => grouped.get(o.officerId) ?? []);
    return {
      teamId,
      officers: list.map((o) => o.officerId),
      breakDue: list.filter((o) => o.screen.breakDue).map((o) => o.officerId),
      ...figures(records, list.reduce((n, o) => n + o.screenMs, 0)),
    };
  });
}
