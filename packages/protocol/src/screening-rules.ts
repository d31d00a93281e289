import { z } from 'zod';

/**
 * Configuration of the screening rules computed in @clearway/domain (risk.ts, time-limits.ts,
 * priority.ts, officer-performance.ts). Parsed wherever a configuration enters the hub; the
 * defaults match the domain's DEFAULT_* constants and the facts page.
 */

const Airport = z.string().regex(/^[A-Z]{3}$/, 'an IATA airport code such as PVG');
/** Points a rule adds (negative: a rule that lowers the score, e.g. a trusted-traveller programme). */
const Weight = z.number().int().min(-100).max(100);
const Label = z.string().min(1).max(80).optional();

export const RiskFlag = z.enum(['watch-list-hit', 'cash-declaration', 'late-check-in', 'one-way-ticket']);
export type RiskFlag = z.infer<typeof RiskFlag>;

/** One scoring rule. `label` replaces the generated reason text ("origin KBL on high-risk list"). */
export const RiskRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('origin-in'), airports: z.array(Airport).min(1).max(500), weight: Weight, label: Label }),
  z.object({ kind: z.literal('route-through'), airports: z.array(Airport).min(1).max(500), weight: Weight, label: Label }),
  z.object({ kind: z.literal('flag'), flag: RiskFlag, weight: Weight, label: Label }),
  z.object({ kind: z.literal('frequent-trips'), trips: z.number().int().min(1).max(365), withinDays: z.number().int().min(1).max(3650), weight: Weight, label: Label }),
  z.object({ kind: z.literal('short-stay'), maxDays: z.number().int().min(0).max(365), weight: Weight, label: Label }),
]);
export type RiskRule = z.infer<typeof RiskRule>;

/** Flags only: which airports are high-risk is the airport's own policy and has no default. */
const DEFAULT_RISK_RULES: RiskRule[] = [
  { kind: 'flag', flag: 'watch-list-hit', weight: 60 },
  { kind: 'flag', flag: 'cash-declaration', weight: 15 },
  { kind: 'flag', flag: 'late-check-in', weight: 10 },
  { kind: 'flag', flag: 'one-way-ticket', weight: 10 },
];

export const RiskRules = z.object({
  rules: z.array(RiskRule).max(200).default(DEFAULT_RISK_RULES),
  /** A score (0..100) at or above this selects the bag for search. */
  searchThreshold: z.number().min(0).max(100).default(60),
  priorityBoost: z.object({ everyPoints: z.number().positive().max(100), max: z.number().int().min(0).max(10) }).default({ everyPoints: 25, max: 3 }),
  /** Share of bags selected for search at random, the control group for the rules. */
  randomSelectionRate: z.number().min(0).max(1).default(0.02),
  /** Makes random selection repeatable for an audit. Keep it confidential; change it per period. */
  randomSeed: z.string().min(8).max(128),
});
export type RiskRules = z.output<typeof RiskRules>;

/** Facts page: 1 to 10 s with the belt moving, then 0 to 45 s more with the belt stopped. */
export const DecisionTimeLimits = z.object({
  beltMovingS: z.number().min(1).max(10).default(10),
  beltStoppedS: z.number().min(0).max(45).default(20),
  /** An undecided bag goes to search by default: it is never cleared by running out of time. */
  onExpiry: z.enum(['reassign', 'search']).default('search'),
  maxReassignments: z.number().int().min(0).max(10).default(1),
});
export type DecisionTimeLimits = z.output<typeof DecisionTimeLimits>;

export const QueuePriority = z.object({
  deadlineBands: z.array(z.object({ withinMin: z.number().min(0).max(24 * 60), boost: z.number().int().min(0).max(10) })).max(20)
    .default([{ withinMin: 20, boost: 1 }, { withinMin: 10, boost: 2 }, { withinMin: 5, boost: 3 }]),
  overdueBoost: z.number().int().min(0).max(10).default(4),
});
export type QueuePriority = z.output<typeof QueuePriority>;

/** EU rule: at most 20 minutes of continuous image review. The break length that resets it is local policy. */
export const OfficerWorkload = z.object({
  maxContinuousScreenMin: z.number().positive().max(240).default(20),
  minBreakMin: z.number().positive().max(240).default(10),
});
export type OfficerWorkload = z.output<typeof OfficerWorkload>;
