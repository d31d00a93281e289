/**
 * Risk-based selection from a flight's manifest: a rule-based score for a bag with readable
 * reasons, a priority boost for the screening line, selection for search over a threshold, and a
 * seeded random selection (the control group that shows whether the rules find more than chance).
 * Pure: the config arrives parsed (zod schema `RiskRules` in @clearway/protocol).
 */
import { wilsonInterval, type ProportionInterval } from './normal.ts';

export type RiskFlag = 'watch-list-hit' | 'cash-declaration' | 'late-check-in' | 'one-way-ticket';

/** What the manifest says about the passenger a bag belongs to. */
export interface PassengerFacts {
  /** IATA code of the journey's origin airport. */
  origin: string;
  /** The airports of the whole journey in order, origin and transfers included. */
  route: readonly string[];
  flags: readonly RiskFlag[];
  /** Travel pattern: trips in the recent past, as days before this flight (e.g. [3, 10, 12]). */
  recentTripsDaysAgo?: readonly number[];
  /** Planned length of stay in days; null for one-way or unknown. */
  stayDays?: number | null;
}

export type RiskRule =
  | { kind: 'origin-in'; airports: readonly string[]; weight: number; label?: string | undefined }
  | { kind: 'route-through'; airports: readonly string[]; weight: number; label?: string | undefined }
  | { kind: 'flag'; flag: RiskFlag; weight: number; label?: string | undefined }
  | { kind: 'frequent-trips'; trips: number; withinDays: number; weight: number; label?: string | undefined }
  | { kind: 'short-stay'; maxDays: number; weight: number; label?: string | undefined };

export interface RiskConfig {
  rules: readonly RiskRule[];
  /** A score at or above this selects the bag for search, whatever the image shows. */
  searchThreshold: number;
  /** One step of queue priority per `everyPoints` of score, at most `max` steps. */
  priorityBoost: { everyPoints: number; max: number };
  /** Share of bags selected for search at random (0..1), independent of the score. */
  randomSelectionRate: number;
  /**
   * Makes the random selection repeatable for an audit, given the bag ID. Keep it out of
   * passengers' reach and change it per period: whoever knows it can tell which bags are picked.
   */
  randomSeed: string;
}

export interface RiskReason {
  rule: RiskRule['kind'];
  points: number;
  /** e.g. "origin KBL on high-risk list: +30". */
  text: string;
}

export interface RiskAssessment {
  bagId: string;
  /** Sum of the matched rules' weights, clamped to 0..100. */
  score: number;
  reasons: RiskReason[];
  priorityBoost: number;
  /** Selected because the score reached the threshold. */
  riskSelected: boolean;
  /** Selected by the random draw; independent of the score, so a bag can be both. */
  randomSelected: boolean;
}

const FLAG_TEXT: Record<RiskFlag, string> = {
  'watch-list-hit': 'watch-list hit',
  'cash-declaration': 'cash declaration',
  'late-check-in': 'late check-in',
  'one-way-ticket': 'one-way ticket',
};

const signed = (n: number) => (n >= 0 ? `+${n}` : `${n}`);

/** The points and reason a rule gives for this passenger, or null when it does not apply. */
function applyRule(rule: RiskRule, p: PassengerFacts): RiskReason | null {
  const reason = (text: string): RiskReason => ({ rule: rule.kind, points: rule.weight, text: `${rule.label ?? text}: ${signed(rule.weight)}` });
  switch (rule.kind) {
    case 'origin-in':
      return rule.airports.includes(p.origin) ? reason(`origin ${p.origin} on high-risk list`) : null;
    case 'route-through': {
      // Transfers only: the origin has its own rule and the destination is here.
      const via = p.route.slice(1, -1).filter((a) => rule.airports.includes(a));
      return via.length > 0 ? reason(`route through ${via.join(', ')} on high-risk list`) : null;
    }
    case 'flag':
      return p.flags.includes(rule.flag) ? reason(FLAG_TEXT[rule.flag]) : null;
    case 'frequent-trips': {
      const trips = (p.recentTripsDaysAgo ?? []).filter((d) => d >= 0 && d <= rule.withinDays).length;
      return trips >= rule.trips ? reason(`${trips} trips in the last ${rule.withinDays} days`) : null;
    }
    case 'short-stay':
      return p.stayDays !== undefined && p.stayDays !== null && p.stayDays <= rule.maxDays ? reason(`stay of ${p.stayDays} days`) : null;
  }
}

/**
 * A uniform number in [0, 1) from the seed and the bag ID: cyrb53 (a 53-bit string hash with good
 * avalanche) over "seed\0bagId". Same seed and bag, same draw, on every machine.
 */
export function seededDraw(seed: string, bagId: string): number {
  const text = `${seed}\u0000${bagId}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hash = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return hash / 2 ** 53;
}

export function riskPriorityBoost(score: number, config: Pick<RiskConfig, 'priorityBoost'>): number {
  const { everyPoints, max } = config.priorityBoost;
  return everyPoints > 0 ? Math.min(max, Math.floor(score / everyPoints)) : 0;
}

/** Scores a bag from its passenger's manifest data and decides whether it is selected for search. */
export function assessRisk(bagId: string, passenger: PassengerFacts, config: RiskConfig): RiskAssessment {
  const reasons = config.rules.map((r) => applyRule(r, passenger)).filter((r): r is RiskReason => r !== null);
  const score = Math.max(0, Math.min(100, reasons.reduce((n, r) => n + r.points, 0)));
  return {
    bagId, score, reasons,
    priorityBoost: riskPriorityBoost(score, config),
    riskSelected: score >= config.searchThreshold,
    randomSelected: seededDraw(config.randomSeed, bagId) < config.randomSelectionRate,
  };
}

/** A search that followed a selection, with what the search station found. */
export interface SelectionOutcome {
  riskSelected: boolean;
  randomSelected: boolean;
  /** null while the search is open: left out of the report. */
  outcome: 'threat-found' | 'other-contraband' | 'nothing-found' | null;
}

export interface SelectionGroup extends ProportionInterval {
  searches: number;
  finds: number;
}

export interface SelectionReport {
  risk: SelectionGroup;
  random: SelectionGroup;
  /** Searched bags in both groups (counted in each). */
  both: number;
  /** Risk find rate minus random find rate, with Newcombe's interval built from the two Wilson intervals; null when a group is empty. */
  difference: { value: number; low: number; high: number } | null;
  confidence: number;
}

/**
 * Compares the find rate (threat or other contraband found) of risk-selected and randomly
 * selected searches. The random group is every random draw, high-scoring bags included, so it is
 * an unbiased sample of all bags; a bag drawn both ways is in both groups.
 */
export function selectionReport(outcomes: readonly SelectionOutcome[], confidence = 0.95): SelectionReport {
  const count = (pick: (o: SelectionOutcome) => boolean) => {
    const done = outcomes.filter((o) => o.outcome !== null && pick(o));
    const finds = done.filter((o) => o.outcome !== 'nothing-found').length;
    return { searches: done.length, finds, ...wilsonInterval(finds, done.length, confidence) };
  };
  const risk = count((o) => o.riskSelected);
  const random = count((o) => o.randomSelected);
  const both = outcomes.filter((o) => o.outcome !== null && o.riskSelected && o.randomSelected).length;
  let difference: SelectionReport['difference'] = null;
  if (risk.searches > 0 && random.searches > 0) {
    // Newcombe (1998) method 10: the difference's interval from each proportion's Wilson interval.
    const d = risk.rate - random.rate;
    difference = {
      value: d,
      low: d - Math.sqrt((risk.rate - risk.low) ** 2 + (random.high - random.rate) ** 2),
      high: d + Math.sqrt((risk.high - risk.rate) ** 2 + (random.rate - random.low) ** 2),
    };
  }
  return { risk, random, both, difference, confidence };
}
