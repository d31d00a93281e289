/**
 * The shift lead's dashboard as data: clock progress and state words, burn-down histories kept
 * from board pushes (and seeded from a flight's bags), alerts, staffing advice to show. Pure.
 */
import type {
  ClearanceClock, ClockName, FlightBagRow, FlightBoardEntry, FlightUpdatePush, OfficersStatus, StaffingAdviceView,
} from '@clearway/protocol';
import type { LabelKey } from './i18n.ts';

export const CLOCKS: readonly ClockName[] = ['passengers', 'checkedBags'];

// ---- clocks ---------------------------------------------------------------------------------------

/** Share done, 0–1; a clock with nothing to do is done once cleared. */
export function progress(c: Pick<ClearanceClock, 'done' | 'total' | 'state'>): number {
  if (c.total <= 0) return c.state === 'cleared' ? 1 : 0;
  return Math.min(1, c.done / c.total);
}

/** The state's words: a clock cleared after its deadline says so. */
export function stateLabel(c: Pick<ClearanceClock, 'state' | 'metTarget'>): LabelKey {
  if (c.state === 'cleared' && c.metTarget === false) return 'state.clearedLate';
  return `state.${c.state}`;
}

/** The state's colour class (the words say it too). */
export function stateClass(c: Pick<ClearanceClock, 'state' | 'metTarget'>): string {
  return c.state === 'cleared' && c.metTarget === false ? 'state-cleared-late' : `state-${c.state}`;
}

/** The flight's worse clock state, for ordering and the card's edge. */
const SEVERITY = { breached: 4, 'at-risk': 3, 'in-progress': 2, arriving: 1, cleared: 0 } as const;
export function worstState(f: FlightBoardEntry): ClearanceClock['state'] {
  const { passengers, checkedBags } = f.clocks;
  return SEVERITY[passengers.state] >= SEVERITY[checkedBags.state] ? passengers.state : checkedBags.state;
}

/** h:mm:ss or m:ss. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(Math.abs(ms) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Checkpoint clock time, 24 h, local to the console (the airport's). */
export function clockTime(t: string | number): string {
  const d = new Date(t);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export function rate(x: number): string {
  return x >= 10 ? String(Math.round(x)) : x.toFixed(1);
}

// ---- burn-down histories ----------------------------------------------------------------------------

export interface Sample {
  t: number;
  remaining: number;
}

export type FlightHistory = Record<ClockName, Sample[]>;

/** Samples kept per clock: a day at one every 45 s. */
export const HISTORY_LIMIT = 2000;
/** An unchanged figure is sampled again after this long, so the line reaches the present. */
export const RESAMPLE_MS = 15_000;

/** Adds a board's figure: kept when it changed or a while has passed; older than the last: ignored. */
export function addSample(list: readonly Sample[], s: Sample): readonly Sample[] {
  const last = list[list.length - 1];
  if (last && (s.t < last.t || (s.remaining === last.remaining && s.t - last.t < RESAMPLE_MS))) return list;
  const next = [...list, s];
  return next.length > HISTORY_LIMIT ? next.slice(next.length - HISTORY_LIMIT) : next;
}

/** Two histories as one, by time; at the same time the second wins. */
export function mergeSamples(a: readonly Sample[], b: readonly Sample[]): Sample[] {
  const byTime = new Map<number, Sample>();
  for (const s of [...a, ...b]) byTime.set(s.t, s);
  const out = [...byTime.values()].sort((x, y) => x.t - y.t);
  return out.length > HISTORY_LIMIT ? out.slice(out.length - HISTORY_LIMIT) : out;
}

/** Each clock's remaining figure from a board: one sample per clock that has started. */
export function boardSamples(f: FlightBoardEntry, t: number): Partial<Record<ClockName, Sample>> {
  const out: Partial<Record<ClockName, Sample>> = {};
  for (const name of CLOCKS) {
    const c = f.clocks[name];
    if (c.state !== 'arriving') out[name] = { t, remaining: c.remaining };
  }
  return out;
}

/**
 * The history a console missed, rebuilt from the flight's bags: the clock's total at its start,
 * one step down at each decision. Passengers are counted through their cabin bags, in proportion
 * and rounded down (as the hub counts them).
 */
export function historyFromBags(f: FlightBoardEntry, bags: readonly FlightBagRow[]): FlightHistory {
  const out: FlightHistory = { passengers: [], checkedBags: [] };
  for (const name of CLOCKS) {
    const c = f.clocks[name];
    const start = Date.parse(c.startsAt);
    const kind = name === 'checkedBags' ? 'checked' : 'cabin';
    const mine = bags.filter((b) => b.kind === kind);
    const done = mine.flatMap((b) => (b.decidedAt === null ? [] : [Date.parse(b.decidedAt)])).sort((a, b) => a - b);
    // Cabin bags expected: declared, or more if more were seen.
    const items = name === 'checkedBags' ? c.total : Math.max(f.cabinBags, mine.length);
    const left = (n: number) => (name === 'checkedBags' ? c.total - n : items === 0 || n >= items ? 0 : c.total - Math.floor((c.total * n) / items));
    const samples: Sample[] = [{ t: start, remaining: left(0) }];
    done.forEach((t, i) => samples.push({ t: Math.max(t, start), remaining: left(i + 1) }));
    out[name] = mergeSamples([], samples);
  }
  return out;
}

// ---- alerts ---------------------------------------------------------------------------------------

export interface DashboardAlert {
  /** Same alert, same id: shown once. */
  id: string;
  at: string;
  kind: 'at-risk' | 'breached' | 'break-due';
  flightId?: string;
  flight?: string;
  clock?: ClockName;
  officerId?: string;
  name?: string;
  /** Why, in the hub's words (at risk). */
  reason?: string | null;
}

/** Alerts the board shows at once: every clock at risk or breached (as first seen, when the console opens). */
export function boardAlerts(flights: readonly FlightBoardEntry[], at: string): DashboardAlert[] {
  const out: DashboardAlert[] = [];
  for (const f of flights) {
    for (const clock of CLOCKS) {
      const c = f.clocks[clock];
      if (c.state !== 'at-risk' && c.state !== 'breached') continue;
      out.push({ id: `${f.key}:${clock}:${c.state}`, at: c.state === 'breached' ? c.deadline : at, kind: c.state, flightId: f.key, flight: f.flight, clock, reason: c.atRiskReason });
    }
  }
  return out;
}

/** The alert a clock's state change raises, if it is one. */
export function updateAlert(u: FlightUpdatePush): DashboardAlert | null {
  const change = u.change;
  if (change.type !== 'clock' || (change.to !== 'at-risk' && change.to !== 'breached')) return null;
  const c = u.flight.clocks[change.clock];
  return { id: `${u.flight.key}:${change.clock}:${change.to}`, at: u.at, kind: change.to, flightId: u.flight.key, flight: u.flight.flight, clock: change.clock, reason: c.atRiskReason };
}

/** Officers whose break is due and who are still at the screen. */
export function breakAlerts(s: OfficersStatus): DashboardAlert[] {
  return s.officers
    .filter((o) => o.breakDue && (o.state === 'available' || o.state === 'screening'))
    .map((o) => ({ id: `break:${o.officerId}:${o.breakDueAt ?? ''}`, at: o.breakDueAt ?? s.at, kind: 'break-due' as const, officerId: o.officerId, name: o.name }));
}

export const ALERT_LIMIT = 200;

/** New alerts added (each id once), newest first. */
export function addAlerts(list: readonly DashboardAlert[], fresh: readonly DashboardAlert[]): readonly DashboardAlert[] {
  const known = new Set(list.map((a) => a.id));
  const added = fresh.filter((a) => !known.has(a.id) && (known.add(a.id), true));
  if (added.length === 0) return list;
  return [...added, ...list].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, ALERT_LIMIT);
}

// ---- staffing ---------------------------------------------------------------------------------------

export interface StaffingItem {
  flightId: string;
  flight: string;
  clock: ClockName;
  state: ClearanceClock['state'];
  deadline: string;
  advice: StaffingAdviceView;
}

/** Advice for every clock still being worked, the ones at risk first, then by deadline. */
export function staffingItems(flights: readonly FlightBoardEntry[]): StaffingItem[] {
  const out: StaffingItem[] = [];
  for (const f of flights) {
    for (const clock of CLOCKS) {
      const c = f.clocks[clock];
      if (c.staffing === null) continue;
      out.push({ flightId: f.key, flight: f.flight, clock, state: c.state, deadline: c.deadline, advice: c.staffing });
    }
  }
  return out.sort((a, b) => Number(b.state === 'at-risk') - Number(a.state === 'at-risk') || Date.parse(a.deadline) - Date.parse(b.deadline));
}
