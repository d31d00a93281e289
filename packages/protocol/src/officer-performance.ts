import { z } from 'zod';
import { Id, Timestamp, replyOf } from './common.ts';
import { BreakRule, BreakStatus } from './shift-lead.ts';

// Screening officers' performance for the shift lead (`performance:report`), and each officer's
// own time at the screen with the break rule (`officer:workload`). The figures are computed in
// @clearway/domain officer-performance.ts; a figure that cannot be computed (no trials, no
// decisions, no time at the screen) is null on the wire, never NaN.

/** A team (watch) of officers: "A", "Blue watch". Set with `pnpm clearway users team`. */
export const TeamName = z.string().trim().min(1).max(40).regex(/^[^\p{Cc}]+$/u, 'no control characters');
export type TeamName = z.infer<typeof TeamName>;

/** Longest period one report covers. */
export const MAX_PERFORMANCE_PERIOD_MS = 31 * 24 * 3_600_000;
/** Without `from`: the current shift, the last 8 hours. */
export const DEFAULT_PERFORMANCE_PERIOD_MS = 8 * 3_600_000;

/** Decisions stored in from ≤ t < to; absent `to`: now; absent `from`: 8 hours before `to`. */
export const PerformanceQuery = z
  .object({ from: Timestamp.optional(), to: Timestamp.optional() })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), { path: ['to'], message: 'to must be after from' })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.to) - Date.parse(q.from) <= MAX_PERFORMANCE_PERIOD_MS, {
    path: ['from'], message: 'a report covers at most 31 days',
  });
export type PerformanceQuery = z.infer<typeof PerformanceQuery>;

const Count = z.number().int().min(0);
const Rate = z.number().min(0).max(1).nullable();

export const PerformanceFiguresRow = z.object({
  /** Decisions on bags, responses to projected threats included. */
  decisions: Count,
  /** Threat Image Projection: projected threats responded to, and found ('search'). */
  tipProjections: Count,
  tipHits: Count,
  tipHitRate: Rate,
  /** Clean bags (cleared, or searched and nothing found) and searches that found nothing. */
  cleanBags: Count,
  falseAlarms: Count,
  falseAlarmRate: Rate,
  /** d′ with the log-linear correction; null without both projections and clean bags. */
  dPrime: z.number().nullable(),
  /** Image shown to key press. */
  meanDecisionMs: z.number().min(0).nullable(),
  p95DecisionMs: z.number().min(0).nullable(),
  /** Decisions per hour at the screen. */
  bagsPerHour: z.number().min(0).nullable(),
  /** Time at the screen in the period (breaks shorter than the rule's break count as screen time). */
  screenMs: z.number().min(0),
});
export type PerformanceFiguresRow = z.infer<typeof PerformanceFiguresRow>;

export const OfficerPerformanceRow = PerformanceFiguresRow.extend({
  officerId: Id,
  name: z.string(),
  team: TeamName.nullable(),
  /** Now, not over the period. */
  ...BreakStatus.shape,
});
export type OfficerPerformanceRow = z.infer<typeof OfficerPerformanceRow>;

export const TeamPerformanceRow = PerformanceFiguresRow.extend({
  team: TeamName,
  officers: z.array(Id).max(500),
  /** Members whose break is due now. */
  breakDue: z.array(Id).max(500),
});
export type TeamPerformanceRow = z.infer<typeof TeamPerformanceRow>;

export const PerformanceReport = z.object({
  from: Timestamp,
  to: Timestamp,
  generatedAt: Timestamp,
  /** Every screening officer with decisions or time at the screen in the period, by officer ID. */
  officers: z.array(OfficerPerformanceRow).max(1000),
  /** Teams of those officers (officers in no team are in no row here), by team name. */
  teams: z.array(TeamPerformanceRow).max(200),
  ...BreakRule.shape,
});
export type PerformanceReport = z.infer<typeof PerformanceReport>;

export const PerformanceReportReply = replyOf({ report: PerformanceReport });
export type PerformanceReportReply = z.infer<typeof PerformanceReportReply>;

/**
 * Hub → a screening officer's consoles: their own continuous time at the screen and whether a
 * break is due, by the same rule and figures as the shift lead's `officers:status`. Every few
 * seconds while signed in, and at once when the break falls due.
 */
export const OfficerWorkloadPush = z.object({
  at: Timestamp,
  ...BreakStatus.shape,
  ...BreakRule.shape,
});
export type OfficerWorkloadPush = z.infer<typeof OfficerWorkloadPush>;
