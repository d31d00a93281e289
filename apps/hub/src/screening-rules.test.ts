// The protocol's configuration schemas feed the domain's pure rules unchanged: parsed output is
// the domain's input type (a compile error here otherwise), and the defaults agree.
import {
  DEFAULT_QUEUE_PRIORITY, DEFAULT_TIME_LIMITS, DEFAULT_WORKLOAD, assessRisk, decisionWindow, deadlineBoost,
  type DecisionWindowConfig, type QueuePriorityConfig, type RiskConfig,
} from '@clearway/domain';
import { DecisionTimeLimits, OfficerWorkload, QueuePriority, RiskRules } from '@clearway/protocol';
import { describe, expect, it } from 'vitest';

describe('screening rule configuration', () => {
  it('parses to the domain\'s types with the domain\'s defaults', () => {
    const limits: DecisionWindowConfig = DecisionTimeLimits.parse({});
    const priority: QueuePriorityConfig = QueuePriority.parse({});
    const risk: RiskConfig = RiskRules.parse({ randomSeed: 'early-shift-2026-03-01' });
    const workload = OfficerWorkload.parse({});
    expect(limits).toEqual(DEFAULT_TIME_LIMITS);
    expect(priority).toEqual(DEFAULT_QUEUE_PRIORITY);
    expect({ maxContinuousScreenMs: workload.maxContinuousScreenMin * 60_000, minBreakMs: workload.minBreakMin * 60_000 }).toEqual(DEFAULT_WORKLOAD);
    expect(decisionWindow(0, 10_000, limits).action).toBe('stop-belt');
    expect(deadlineBoost(5 * 60_000, 0, priority)).toBe(3);
    const a = assessRisk('bag-1', { origin: 'PVG', route: ['PVG', 'FRA'], flags: ['watch-list-hit'] }, risk);
    expect(a).toMatchObject({ score: 60, riskSelected: true, reasons: [{ text: 'watch-list hit: +60' }] });
  });

  it('refuses time limits outside the facts page\'s ranges and rules with bad airports', () => {
    expect(DecisionTimeLimits.safeParse({ beltMovingS: 11 }).success).toBe(false);
    expect(DecisionTimeLimits.safeParse({ beltMovingS: 0.5 }).success).toBe(false);
    expect(DecisionTimeLimits.safeParse({ beltStoppedS: 46 }).success).toBe(false);
    expect(DecisionTimeLimits.safeParse({ beltMovingS: 1, beltStoppedS: 0, onExpiry: 'reassign' }).success).toBe(true);
    const bad = RiskRules.safeParse({ randomSeed: 'early-shift', rules: [{ kind: 'origin-in', airports: ['kabul'], weight: 30 }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['rules', 0, 'airports', 0]);
    expect(RiskRules.safeParse({ randomSeed: 'early-shift', randomSelectionRate: 1.5 }).success).toBe(false);
    expect(RiskRules.safeParse({}).success).toBe(false); // the seed has no default: every airport sets its own
  });
});
