/**
 * Staffing advice: how many screening officers (and lanes) would finish a flight's remaining work
 * on target. An M/M/c queue (Erlang C): bags must arrive on screen at the rate that finishes the
 * work by the deadline, λ = remaining / time left; each officer clears μ = 60 / (seconds per
 * bag) a minute; c officers run at ρ = λ / (cμ). The advice is the smallest c with ρ below
 * `maxUtilisation` whose expected wait for an officer stays within `maxWaitS` and leaves the last
 * bag time to be seen. Every step is written out, so that the shift lead can check the reasoning.
 */

export interface StaffingOptions {
  /**
   * Seconds an officer spends on one image. Default 20 s: the level-2 figure for hold baggage;
   * the facts page gives about 11 s (vendor) to 36 s (a customs study).
   */
  secondsPerItem: number;
  /** Longest acceptable mean wait of a bag for a free officer. Default 60 s. */
  maxWaitS: number;
  /** Highest acceptable load per officer (at 1 the queue never settles; officers also rotate off screens every 20 minutes). Default 0.9. */
  maxUtilisation: number;
  /**
   * Items per minute one lane (scanner) can put on screens. Default 250 an hour, the TSA spec for
   * checkpoint CT; hold-baggage CT reaches about 1,500 an hour.
   */
  laneItemsPerMin: number;
  /** Share of items a machine clears without an officer (multi-level hold baggage: about 0.8). Default 0. */
  autoClearShare: number;
  /** Give up beyond this many officers. Default 500. */
  maxOfficers: number;
  /** What one item is called in the reasoning: "bags", "passengers". Default "bags". */
  unit: string;
}

export const DEFAULT_STAFFING: StaffingOptions = {
  secondsPerItem: 20,
  maxWaitS: 60,
  maxUtilisation: 0.9,
  laneItemsPerMin: 250 / 60,
  autoClearShare: 0,
  maxOfficers: 500,
  unit: 'bags',
};

export interface StaffingLevel {
  officers: number;
  /** ρ = λ / (cμ). */
  utilisation: number;
  /** Erlang C: chance that a bag waits for an officer at all. */
  waitProbability: number;
  /** Mean wait for an officer, seconds. */
  meanWaitS: number;
  ok: boolean;
}

export interface StaffingAdvice {
  /** The smallest number of officers that finishes on target; null when none can (no time left, or over `maxOfficers`). */
  officers: number | null;
  /** Lanes needed to put the items on screen at that rate. */
  lanes: number;
  /** Items per minute needed. */
  requiredPerMin: number;
  /** Items per minute one officer clears. */
  perOfficerPerMin: number;
  /** The levels tried, from the first with ρ < 1 up to the advice. */
  levels: StaffingLevel[];
  /** The reasoning as readable lines. */
  lines: string[];
}

/** Erlang C for c servers at offered load a = λ/μ (in erlangs): the probability of waiting. */
export function erlangC(servers: number, offeredLoad: number): number {
  if (!Number.isInteger(servers) || servers < 1) throw new RangeError(`servers must be a whole number of at least 1, got ${servers}`);
  if (offeredLoad < 0) throw new RangeError(`offered load must not be negative, got ${offeredLoad}`);
  if (offeredLoad >= servers) return 1;
  // Erlang B by its recursion (stable for hundreds of servers), then C from B.
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredLoad * b) / (k + offeredLoad * b);
  const rho = offeredLoad / servers;
  return b / (1 - rho * (1 - b));
}

/** One staffing level: c officers against λ items a minute at μ a minute each. */
export function staffingLevel(officers: number, arrivalsPerMin: number, perOfficerPerMin: number): Omit<StaffingLevel, 'ok'> {
  const load = arrivalsPerMin / perOfficerPerMin;
  const utilisation = load / officers;
  if (utilisation >= 1) return { officers, utilisation, waitProbability: 1, meanWaitS: Infinity };
  const waitProbability = erlangC(officers, load);
  const meanWaitS = (waitProbability / (officers * perOfficerPerMin - arrivalsPerMin)) * 60;
  return { officers, utilisation, waitProbability, meanWaitS };
}

/** How many officers and lanes finish `remaining` items in `minutesLeft`. */
export function adviseStaffing(remaining: number, minutesLeft: number, options: Partial<StaffingOptions> = {}): StaffingAdvice {
  const o = { ...DEFAULT_STAFFING, ...options };
  if (!(o.secondsPerItem > 0)) throw new RangeError(`secondsPerItem must be above 0, got ${o.secondsPerItem}`);
  if (!(o.autoClearShare >= 0 && o.autoClearShare < 1)) throw new RangeError(`autoClearShare must lie in [0, 1), got ${o.autoClearShare}`);
  const u = o.unit;
  const perOfficerPerMin = 60 / o.secondsPerItem;
  const lines: string[] = [];
  if (remaining <= 0) {
    return { officers: 0, lanes: 0, requiredPerMin: 0, perOfficerPerMin, levels: [], lines: [`nothing left to screen: no officers needed`] };
  }
  if (!(minutesLeft > 0)) {
    return {
      officers: null, lanes: 0, requiredPerMin: Infinity, perOfficerPerMin, levels: [],
      lines: [`${remaining} ${u} left and no time: the target has passed; every free officer helps`],
    };
  }
  const requiredPerMin = remaining / minutesLeft;
  const onScreenPerMin = requiredPerMin * (1 - o.autoClearShare);
  const lanes = Math.max(1, Math.ceil(requiredPerMin / o.laneItemsPerMin - 1e-9));
  lines.push(`${remaining} ${u} in ${fmt(minutesLeft)} min left → ${fmt(requiredPerMin)} ${u}/min`);
  if (o.autoClearShare > 0) lines.push(`the machine clears ${Math.round(o.autoClearShare * 100)} %: ${fmt(onScreenPerMin)} ${u}/min reach an officer`);
  lines.push(`at ${fmt(o.secondsPerItem)} s per ${singular(u)} one officer clears ${fmt(perOfficerPerMin)}/min`);
  const levels: StaffingLevel[] = [];
  let advice: number | null = null;
  // From the fewest officers that can keep up at all.
  const first = Math.max(1, Math.floor(onScreenPerMin / perOfficerPerMin) + 1);
  for (let c = first; c <= o.maxOfficers; c++) {
    const level = staffingLevel(c, onScreenPerMin, perOfficerPerMin);
    // The last bag must still be seen: its wait and its own screening fit in the time left.
    const fits = level.meanWaitS + o.secondsPerItem <= minutesLeft * 60;
    const ok = level.utilisation <= o.maxUtilisation && level.meanWaitS <= o.maxWaitS && fits;
    levels.push({ ...level, ok });
    const why = level.utilisation > o.maxUtilisation
      ? `over ${fmt(o.maxUtilisation)}`
      : level.meanWaitS > o.maxWaitS ? `over ${fmt(o.maxWaitS)} s` : !fits ? 'the last one would be late' : '';
    lines.push(`${c} officer${c === 1 ? ' gives' : 's give'} ρ=${level.utilisation.toFixed(2)}, expected wait ${fmt(level.meanWaitS)} s${ok ? ' ✓' : ` (${why})`}`);
    if (ok) {
      advice = c;
      break;
    }
  }
  if (advice === null) lines.push(`no staffing up to ${o.maxOfficers} officers finishes on target`);
  else lines.push(`→ ${advice} officer${advice === 1 ? '' : 's'} on screens, ${lanes} lane${lanes === 1 ? '' : 's'} (${fmt(o.laneItemsPerMin * 60)} ${u}/h per lane)`);
  return { officers: advice, lanes, requiredPerMin, perOfficerPerMin, levels, lines };
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '∞';
  return Number.isInteger(x) ? String(x) : x >= 10 ? String(Math.round(x)) : x.toFixed(x >= 1 ? 1 : 2);
}

function singular(unit: string): string {
  if (unit === 'passengers') return 'passenger';
  return unit.endsWith('s') ? unit.slice(0, -1) : unit;
}
