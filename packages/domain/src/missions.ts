/**
 * Robot missions: a robot carries a bag flagged for search from its lane to the search station.
 * Pure: the hub feeds events in (robot states, command outcomes, the clock) and carries out the
 * effects that come back (send a goal, cancel one). Times are ms on any one clock.
 *
 *   requested → assigned → to-lane → carrying → delivered
 *        └──────────┴──────────┴─────────┴──→ failed (reason) | cancelled (reason)
 */

export type MissionState = 'requested' | 'assigned' | 'to-lane' | 'carrying' | 'delivered' | 'failed' | 'cancelled';

const ENDED: ReadonlySet<MissionState> = new Set<MissionState>(['delivered', 'failed', 'cancelled']);

export function missionEnded(state: MissionState): boolean {
  return ENDED.has(state);
}

export interface MissionPose {
  x: number;
  y: number;
  theta: number;
}

export type MissionTarget = 'pickup' | 'dropoff';

/** The leg the robot is driving: which goal was sent, and how to recognise it among the robot's goals. */
export interface MissionLeg {
  target: MissionTarget;
  sentAtMs: number;
  /** The robot's goal id when this goal was sent: a status for that id is about an older goal. */
  goalIdBefore: string | null;
  /** The goal's id once the robot reports it. */
  goalId: string | null;
}

export interface Mission {
  state: MissionState;
  robotId: string | null;
  reason: string | null;
  pickup: MissionPose;
  dropoff: MissionPose;
  leg: MissionLeg | null;
  /** Since when the robot has been stale or disconnected (null: it is not). */
  lostSinceMs: number | null;
}

/** What a mission needs to know of its robot, from the robot's latest state. */
export interface MissionRobot {
  robotId: string;
  linkState: 'disconnected' | 'connecting' | 'stale' | 'telemetry-invalid' | 'live';
  emergencyStop: 'engaged' | 'released' | 'unknown';
  navStatus: 'idle' | 'unknown' | 'accepted' | 'executing' | 'canceling' | 'succeeded' | 'canceled' | 'aborted' | null;
  goalId: string | null;
  pose: MissionPose | null;
  /** 0..1, null when unknown. */
  battery: number | null;
}

export interface MissionLimits {
  /** A robot stale or disconnected this long has vanished: the mission fails. */
  lostAfterMs: number;
  /** A goal the robot has not reported taking within this long fails the mission. */
  goalTakenWithinMs: number;
}

export const DEFAULT_MISSION_LIMITS: MissionLimits = { lostAfterMs: 10_000, goalTakenWithinMs: 10_000 };

export type MissionEvent =
  | { type: 'assign'; robotId: string; atMs: number }
  /** The hub sent the leg's goal; goalIdBefore is the robot's goal id at that moment. */
  | { type: 'goal-sent'; target: MissionTarget; goalIdBefore: string | null; atMs: number }
  /** The bridge refused the goal or did not answer. */
  | { type: 'goal-refused'; reason: string; atMs: number }
  | { type: 'robot'; robot: MissionRobot; atMs: number }
  | { type: 'tick'; atMs: number }
  | { type: 'cancel'; reason: string; atMs: number };

export type MissionEffect =
  | { type: 'send-goal'; robotId: string; target: MissionTarget; pose: MissionPose }
  | { type: 'cancel-goal'; robotId: string };

export interface MissionStep {
  mission: Mission;
  effects: MissionEffect[];
  /** True when the mission changed (to be stored and pushed). */
  changed: boolean;
}

export function newMission(pickup: MissionPose, dropoff: MissionPose): Mission {
  return { state: 'requested', robotId: null, reason: null, pickup, dropoff, leg: null, lostSinceMs: null };
}

const ACTIVE_NAV = new Set(['accepted', 'executing', 'canceling']);

function fail(m: Mission, reason: string): MissionStep {
  return { mission: { ...m, state: 'failed', reason, leg: null }, effects: [], changed: true };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

const same = (m: Mission): MissionStep => ({ mission: m, effects: [], changed: false });

/** Applies one event to a mission. Ended missions ignore everything. */
export function advanceMission(m: Mission, e: MissionEvent, limits: MissionLimits = DEFAULT_MISSION_LIMITS): MissionStep {
  if (missionEnded(m.state)) return same(m);
  switch (e.type) {
    case 'assign': {
      if (m.state !== 'requested') return same(m);
      return {
        mission: { ...m, state: 'assigned', robotId: e.robotId, lostSinceMs: null },
        effects: [{ type: 'send-goal', robotId: e.robotId, target: 'pickup', pose: m.pickup }],
        changed: true,
      };
    }
    case 'goal-sent': {
      if (m.robotId === null) return same(m);
      const leg: MissionLeg = { target: e.target, sentAtMs: e.atMs, goalIdBefore: e.goalIdBefore, goalId: null };
      if (e.target === 'pickup' && m.state === 'assigned') return { mission: { ...m, state: 'to-lane', leg }, effects: [], changed: true };
      if (e.target === 'dropoff' && m.state === 'carrying') return { mission: { ...m, leg }, effects: [], changed: false };
      return same(m);
    }
    case 'goal-refused':
      if (m.robotId === null) return same(m);
      return fail(m, `${m.robotId} did not take the goal: ${e.reason}`);
    case 'cancel': {
      const effects: MissionEffect[] = m.robotId !== null && m.state !== 'requested' ? [{ type: 'cancel-goal', robotId: m.robotId }] : [];
      return { mission: { ...m, state: 'cancelled', reason: e.reason, leg: null }, effects, changed: true };
    }
    case 'tick':
      return checkTime(m, e.atMs, limits);
    case 'robot':
      return onRobot(m, e.robot, e.atMs, limits);
  }
}

function checkTime(m: Mission, atMs: number, limits: MissionLimits): MissionStep {
  if (m.robotId === null) return same(m);
  if (m.lostSinceMs !== null && atMs - m.lostSinceMs >= limits.lostAfterMs) {
    return fail(m, `${m.robotId} vanished mid-mission: no live link for ${seconds(atMs - m.lostSinceMs)}`);
  }
  if (m.leg && m.leg.goalId === null && atMs - m.leg.sentAtMs >= limits.goalTakenWithinMs) {
    return fail(m, `${m.robotId} did not take the goal to the ${m.leg.target === 'pickup' ? 'lane' : 'search station'} within ${seconds(limits.goalTakenWithinMs)}`);
  }
  return same(m);
}

function onRobot(m: Mission, r: MissionRobot, atMs: number, limits: MissionLimits): MissionStep {
  if (m.robotId === null || r.robotId !== m.robotId) return same(m);
  if (r.emergencyStop === 'engaged') return fail(m, `emergency stop engaged on ${m.robotId}`);
  const lost = r.linkState === 'stale' || r.linkState === 'disconnected';
  let next: Mission = m;
  if (lost && m.lostSinceMs === null) next = { ...m, lostSinceMs: atMs };
  else if (!lost && m.lostSinceMs !== null) next = { ...m, lostSinceMs: null };
  const timed = checkTime(next, atMs, limits);
  if (timed.changed) return timed;
  const leg = next.leg;
  if (!leg || lost || r.goalId === null || r.navStatus === null) return same(next);
  // The first goal id other than the one the robot had when the goal was sent is ours.
  if (leg.goalId === null) {
    if (r.goalId === leg.goalIdBefore) return same(next);
    next = { ...next, leg: { ...leg, goalId: r.goalId } };
  } else if (r.goalId !== leg.goalId) {
    return fail(next, `${m.robotId} took another goal (${r.goalId.slice(0, 8)}) during the mission`);
  }
  const where = leg.target === 'pickup' ? 'the lane' : 'the search station';
  switch (r.navStatus) {
    case 'succeeded':
      if (leg.target === 'pickup') {
        return {
          mission: { ...next, state: 'carrying', leg: null },
          effects: [{ type: 'send-goal', robotId: m.robotId, target: 'dropoff', pose: m.dropoff }],
          changed: true,
        };
      }
      return { mission: { ...next, state: 'delivered', leg: null }, effects: [], changed: true };
    case 'aborted':
      return fail(next, `${m.robotId} aborted its way to ${where}`);
    case 'canceled':
      return fail(next, `the goal to ${where} was cancelled on ${m.robotId}`);
    default:
      return { mission: next, effects: [], changed: false };
  }
}

/** Whether a robot may take a mission now, and why not. */
export function robotAvailability(r: MissionRobot, busy: ReadonlySet<string>, minBattery = 0.2): { ok: true } | { ok: false; reason: string } {
  if (busy.has(r.robotId)) return { ok: false, reason: `${r.robotId} is on another mission` };
  if (r.linkState !== 'live') return { ok: false, reason: `${r.robotId} is ${r.linkState}` };
  if (r.emergencyStop === 'engaged') return { ok: false, reason: `${r.robotId} is emergency-stopped` };
  if (r.pose === null) return { ok: false, reason: `${r.robotId} reports no position` };
  if (r.navStatus !== null && ACTIVE_NAV.has(r.navStatus)) return { ok: false, reason: `${r.robotId} is driving to another goal` };
  if (r.battery !== null && r.battery < minBattery) return { ok: false, reason: `${r.robotId}'s battery is at ${Math.round(r.battery * 100)}%` };
  return { ok: true };
}

/** The available robot nearest the pickup, or null. Ties go to the lower id. */
export function pickRobot(robots: readonly MissionRobot[], pickup: MissionPose, busy: ReadonlySet<string>, minBattery = 0.2): string | null {
  let best: { id: string; d: number } | null = null;
  for (const r of robots) {
    if (!robotAvailability(r, busy, minBattery).ok || !r.pose) continue;
    const d = Math.hypot(r.pose.x - pickup.x, r.pose.y - pickup.y);
    if (!best || d < best.d || (d === best.d && r.robotId < best.id)) best = { id: r.robotId, d };
  }
  return best?.id ?? null;
}

/** The parts of the terminal map (assets/maps/terminal.json) missions use. */
export interface MissionMap {
  obstacles: readonly { id: string; kind: string; min: readonly number[]; max: readonly number[] }[];
  zones: readonly { id: string; kind: string; min: readonly number[]; max: readonly number[] }[];
}

/** Clearance between a robot's centre and the belt or table it stops at. */
const STANDOFF_M = 0.8;

/**
 * Where a mission picks up and drops off: beside the exit end of the lane's belt (`<lane>-belt`,
 * west side, facing the belt) and at the west end of the first search table (facing it). Null when
 * the map has no such lane or no search table.
 */
export function missionPoints(map: MissionMap, lane: string): { pickup: MissionPose; dropoff: MissionPose } | null {
  const belt = map.obstacles.find((o) => o.id === `${lane}-belt`);
  const table = map.obstacles.find((o) => o.kind === 'search-table');
  if (!belt || !table) return null;
  const [bx0 = 0] = belt.min;
  const [, by1 = 0] = belt.max;
  const [tx0 = 0, ty0 = 0] = table.min;
  const [, ty1 = 0] = table.max;
  return {
    pickup: { x: bx0 - STANDOFF_M, y: by1 - 0.5, theta: 0 },
    dropoff: { x: tx0 - STANDOFF_M, y: (ty0 + ty1) / 2, theta: 0 },
  };
}
