import { describe, expect, it } from 'vitest';
import {
  advanceMission, missionEnded, missionPoints, newMission, pickRobot, robotAvailability,
  type Mission, type MissionEvent, type MissionRobot,
} from './missions.ts';

const PICKUP = { x: 8.7, y: 23.5, theta: 0 };
const DROPOFF = { x: 49.2, y: 16.5, theta: 0 };
const LIMITS = { lostAfterMs: 5_000, goalTakenWithinMs: 3_000 };

function robot(over: Partial<MissionRobot> = {}): MissionRobot {
  return { robotId: 'robot_1', linkState: 'live', emergencyStop: 'released', navStatus: 'idle', goalId: null, pose: { x: 2, y: 2, theta: 0 }, battery: 0.9, ...over };
}

/** Runs events in order, collecting the effects. */
function run(events: MissionEvent[], start: Mission = newMission(PICKUP, DROPOFF)) {
  let m = start;
  const effects = [];
  for (const e of events) {
    const step = advanceMission(m, e, LIMITS);
    m = step.mission;
    effects.push(...step.effects);
  }
  return { m, effects };
}

/** A mission that has reached 'to-lane' with robot_1, whose previous goal was 'old'. */
function toLane(): Mission {
  return run([
    { type: 'assign', robotId: 'robot_1', atMs: 0 },
    { type: 'goal-sent', target: 'pickup', goalIdBefore: 'old', atMs: 0 },
  ]).m;
}

describe('a mission that goes well', () => {
  it('sends the pickup goal, then the search-station goal, and ends delivered', () => {
    const assigned = advanceMission(newMission(PICKUP, DROPOFF), { type: 'assign', robotId: 'robot_1', atMs: 0 }, LIMITS);
    expect(assigned.mission.state).toBe('assigned');
    expect(assigned.effects).toEqual([{ type: 'send-goal', robotId: 'robot_1', target: 'pickup', pose: PICKUP }]);

    const { m, effects } = run([
      { type: 'goal-sent', target: 'pickup', goalIdBefore: 'old', atMs: 10 },
      // The status of the previous goal is still on the robot: it says nothing about ours.
      { type: 'robot', robot: robot({ navStatus: 'succeeded', goalId: 'old' }), atMs: 20 },
      { type: 'robot', robot: robot({ navStatus: 'executing', goalId: 'g1' }), atMs: 100 },
    ], assigned.mission);
    expect(m.state).toBe('to-lane');
    expect(m.leg?.goalId).toBe('g1');
    expect(effects).toEqual([]);

    const arrived = advanceMission(m, { type: 'robot', robot: robot({ navStatus: 'succeeded', goalId: 'g1' }), atMs: 9_000 }, LIMITS);
    expect(arrived.mission.state).toBe('carrying');
    expect(arrived.effects).toEqual([{ type: 'send-goal', robotId: 'robot_1', target: 'dropoff', pose: DROPOFF }]);

    const done = run([
      { type: 'goal-sent', target: 'dropoff', goalIdBefore: 'g1', atMs: 9_001 },
      { type: 'robot', robot: robot({ navStatus: 'succeeded', goalId: 'g1' }), atMs: 9_050 },
      { type: 'robot', robot: robot({ navStatus: 'executing', goalId: 'g2' }), atMs: 9_200 },
      { type: 'robot', robot: robot({ navStatus: 'succeeded', goalId: 'g2' }), atMs: 40_000 },
    ], arrived.mission);
    expect(done.m.state).toBe('delivered');
    expect(done.m.reason).toBeNull();
    expect(missionEnded(done.m.state)).toBe(true);
  });

  it('ignores everything once ended', () => {
    const cancelled = advanceMission(toLane(), { type: 'cancel', reason: 'bag searched at the lane', atMs: 5 }, LIMITS);
    expect(cancelled.mission).toMatchObject({ state: 'cancelled', reason: 'bag searched at the lane' });
    expect(cancelled.effects).toEqual([{ type: 'cancel-goal', robotId: 'robot_1' }]);
    const after = advanceMission(cancelled.mission, { type: 'robot', robot: robot({ emergencyStop: 'engaged' }), atMs: 6 }, LIMITS);
    expect(after.changed).toBe(false);
    expect(after.mission.state).toBe('cancelled');
  });

  it('cancels a mission still waiting for a robot without touching any robot', () => {
    const step = advanceMission(newMission(PICKUP, DROPOFF), { type: 'cancel', reason: 'operator', atMs: 1 }, LIMITS);
    expect(step.mission.state).toBe('cancelled');
    expect(step.effects).toEqual([]);
  });
});

describe('a mission that fails says why', () => {
  it('fails on an emergency stop', () => {
    const { m } = run([{ type: 'robot', robot: robot({ emergencyStop: 'engaged', navStatus: 'aborted', goalId: 'g1' }), atMs: 50 }], toLane());
    expect(m).toMatchObject({ state: 'failed', reason: 'emergency stop engaged on robot_1' });
  });

  it('fails when the robot vanishes (stale or disconnected) for longer than the limit, not before', () => {
    const blip = run([
      { type: 'robot', robot: robot({ navStatus: 'executing', goalId: 'g1' }), atMs: 500 },
      { type: 'robot', robot: robot({ linkState: 'stale', navStatus: 'executing', goalId: 'g1' }), atMs: 1_000 },
      { type: 'tick', atMs: 5_999 },
      { type: 'robot', robot: robot({ navStatus: 'executing', goalId: 'g1' }), atMs: 5_999 },
      { type: 'tick', atMs: 20_000 },
    ], toLane());
    expect(blip.m.state).toBe('to-lane');

    const gone = run([
      { type: 'robot', robot: robot({ linkState: 'stale', navStatus: 'executing', goalId: 'g1' }), atMs: 1_000 },
      { type: 'robot', robot: robot({ linkState: 'disconnected', navStatus: 'executing', goalId: 'g1' }), atMs: 2_000 },
      { type: 'tick', atMs: 6_000 },
    ], toLane());
    expect(gone.m.state).toBe('failed');
    expect(gone.m.reason).toBe('robot_1 vanished mid-mission: no live link for 5.0 s');
  });

  it('fails when the robot aborts or someone cancels its goal, naming where it was going', () => {
    const aborted = run([
      { type: 'robot', robot: robot({ navStatus: 'executing', goalId: 'g1' }), atMs: 10 },
      { type: 'robot', robot: robot({ navStatus: 'aborted', goalId: 'g1' }), atMs: 20 },
    ], toLane());
    expect(aborted.m).toMatchObject({ state: 'failed', reason: 'robot_1 aborted its way to the lane' });
    const cancelled = run([{ type: 'robot', robot: robot({ navStatus: 'canceled', goalId: 'g1' }), atMs: 20 }], toLane());
    expect(cancelled.m.reason).toBe('the goal to the lane was cancelled on robot_1');
  });

  it('fails when the robot never takes the goal, or the bridge refuses it', () => {
    const silent = run([
      { type: 'robot', robot: robot({ navStatus: 'succeeded', goalId: 'old' }), atMs: 1_000 },
      { type: 'tick', atMs: 3_000 },
    ], toLane());
    expect(silent.m.reason).toBe('robot_1 did not take the goal to the lane within 3.0 s');
    const refused = run([{ type: 'goal-refused', reason: 'timeout', atMs: 5 }], toLane());
    expect(refused.m).toMatchObject({ state: 'failed', reason: 'robot_1 did not take the goal: timeout' });
  });

  it('fails when the robot is given another goal mid-mission', () => {
    const { m } = run([
      { type: 'robot', robot: robot({ navStatus: 'executing', goalId: 'g1' }), atMs: 10 },
      { type: 'robot', robot: robot({ navStatus: 'executing', goalId: 'operator-goal-123' }), atMs: 20 },
    ], toLane());
    expect(m.state).toBe('failed');
    expect(m.reason).toMatch(/took another goal/);
  });

  it('ignores other robots', () => {
    const step = advanceMission(toLane(), { type: 'robot', robot: robot({ robotId: 'robot_2', emergencyStop: 'engaged' }), atMs: 1 }, LIMITS);
    expect(step.changed).toBe(false);
  });
});

describe('choosing a robot', () => {
  it('takes the nearest available robot to the pickup and says why others cannot go', () => {
    const robots = [
      robot({ robotId: 'robot_1', pose: { x: 1, y: 1, theta: 0 } }),
      robot({ robotId: 'robot_2', pose: { x: 9, y: 20, theta: 0 } }),
      robot({ robotId: 'robot_3', pose: { x: 8, y: 23, theta: 0 }, emergencyStop: 'engaged' }),
      robot({ robotId: 'robot_4', pose: { x: 8, y: 23, theta: 0 }, battery: 0.1 }),
      robot({ robotId: 'robot_5', pose: { x: 8, y: 23, theta: 0 }, linkState: 'stale' }),
      robot({ robotId: 'robot_6', pose: { x: 8, y: 23, theta: 0 }, navStatus: 'executing', goalId: 'x' }),
      robot({ robotId: 'robot_7', pose: { x: 8, y: 23, theta: 0 } }),
    ];
    expect(pickRobot(robots, PICKUP, new Set(['robot_7']))).toBe('robot_2');
    expect(pickRobot(robots, PICKUP, new Set())).toBe('robot_7');
    expect(pickRobot([], PICKUP, new Set())).toBeNull();
    const why = (i: number) => {
      const a = robotAvailability(robots[i] as MissionRobot, new Set(['robot_7']));
      return a.ok ? 'ok' : a.reason;
    };
    expect([2, 3, 4, 5, 6].map(why)).toEqual([
      'robot_3 is emergency-stopped', "robot_4's battery is at 10%", 'robot_5 is stale', 'robot_6 is driving to another goal', 'robot_7 is on another mission',
    ]);
  });
});

describe('mission points on the terminal map', () => {
  const map = {
    obstacles: [
      { id: 'lane-2-belt', kind: 'screening-lane', min: [14.5, 14], max: [15.5, 24] },
      { id: 'search-table-1', kind: 'search-table', min: [50, 16], max: [54, 17] },
    ],
    zones: [],
  };
  it("stops beside the exit of the lane's belt and at the search table", () => {
    expect(missionPoints(map, 'lane-2')).toEqual({ pickup: { x: 13.7, y: 23.5, theta: 0 }, dropoff: { x: 49.2, y: 16.5, theta: 0 } });
    expect(missionPoints(map, 'lane-9')).toBeNull();
    expect(missionPoints({ ...map, obstacles: map.obstacles.slice(0, 1) }, 'lane-2')).toBeNull();
  });
});
