import type { NavStatus, Pose2D } from './telemetry.ts';

interface Tracked {
  pose: Pose2D;
  /** The robot's goal id when this goal was sent: statuses for it are about an older goal. */
  goalIdBefore: string | null;
  goalId: string | null;
  sentAt: number;
}

const ENDED: ReadonlySet<NavStatus> = new Set<NavStatus>(['succeeded', 'canceled', 'aborted']);

/**
 * The goal this link sent each robot, for the operator's map, until the robot ends it. A robot
 * reports goals by an id it makes up, so the goal is recognised as the first id other than the
 * one the robot had when the goal was sent. Pure apart from the times passed in.
 */
export class GoalTracker {
  private readonly goals = new Map<string, Tracked>();

  constructor(private readonly forgetUntakenAfterMs = 30_000) {}

  sent(robotId: string, pose: Pose2D, currentGoalId: string | null, now: number): void {
    this.goals.set(robotId, { pose: { ...pose }, goalIdBefore: currentGoalId, goalId: null, sentAt: now });
  }

  /** Forgets the robot's goal (cancelled, emergency stop). */
  cleared(robotId: string): void {
    this.goals.delete(robotId);
  }

  /** The goal still on its way for this robot, given its latest navigation status, or null. */
  observe(robotId: string, nav: { status: NavStatus; goalId: string | null } | null, now: number): Pose2D | null {
    const g = this.goals.get(robotId);
    if (!g) return null;
    if (g.goalId === null && nav?.goalId && nav.goalId !== g.goalIdBefore) g.goalId = nav.goalId;
    if (g.goalId === null) {
      if (now - g.sentAt <= this.forgetUntakenAfterMs) return g.pose;
      this.goals.delete(robotId);
      return null;
    }
    if (nav === null || nav.goalId !== g.goalId || ENDED.has(nav.status)) {
      // Ended, or the robot is now on someone else's goal.
      if (nav !== null) this.goals.delete(robotId);
      return nav === null ? g.pose : null;
    }
    return g.pose;
  }
}
