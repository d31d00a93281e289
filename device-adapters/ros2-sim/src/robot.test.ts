import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// The robot model and the map are plain CommonJS without ROS; typed here by what the tests use.
interface Point {
  x: number;
  y: number;
}
interface MapLike {
  docks: { id: string; x: number; y: number; theta: number }[];
  isFree(x: number, y: number): boolean;
  zoneAt(x: number, y: number): { id: string } | undefined;
  plan(start: Point, goal: Point): Point[] | null;
}
interface Goal {
  id: string;
  status: number;
  note: string;
  path: Point[];
}
interface Robot {
  x: number;
  y: number;
  theta: number;
  v: number;
  battery: number;
  dockedAt: string | null;
  charging: boolean;
  emergencyStop: boolean;
  goals: Goal[];
  activeGoal: Goal | null;
  setGoal(x: number, y: number, theta: number, nowMs: number): Goal;
  dock(nowMs: number): { success: boolean; message: string };
  cancel(uuid: number[], stamp: { sec: number; nanosec: number }): { returnCode: number; goals: Goal[] };
  setEmergencyStop(engaged: boolean): boolean;
  step(dtMs: number): void;
}

const load = createRequire(import.meta.url);
const { loadMap, TerminalMap } = load('./map.cjs') as { loadMap: () => MapLike; TerminalMap: { pathLength(start: Point, path: Point[]): number } };
const { SimRobot, GoalStatus } = load('./robot.cjs') as {
  SimRobot: new (options: object) => Robot;
  GoalStatus: Record<'ACCEPTED' | 'EXECUTING' | 'CANCELING' | 'SUCCEEDED' | 'CANCELED' | 'ABORTED', number>;
};

const map = loadMap();

function robotAt(x: number, y: number, theta = 0, battery = 0.8): Robot {
  let seed = 1;
  return new SimRobot({ id: 'robot_t', map, pose: { x, y, theta }, battery, random: () => ((seed = (seed * 16807) % 2147483647) / 2147483647) });
}

/** Steps until `done` or the simulated time runs out; returns the simulated ms it took. */
function run(robot: Robot, done: () => boolean, limitMs = 200_000, dt = 20): number {
  for (let t = 0; t < limitMs; t += dt) {
    if (done()) return t;
    robot.step(dt);
  }
  throw new Error(`not done within ${limitMs} ms of simulated time`);
}

describe('terminal map', () => {
  it('has free docks, blocked screening lanes and named zones', () => {
    expect(map.docks.length).toBeGreaterThanOrEqual(4);
    for (const d of map.docks) expect(map.isFree(d.x, d.y), d.id).toBe(true);
    expect(map.isFree(10, 18)).toBe(false); // lane 1's belt
    expect(map.zoneAt(52, 19)?.id).toBe('search-station');
    expect(map.zoneAt(30, 5)?.id).toBe('arrival-hall');
  });

  it('plans around walls: every leg of the path stays clear of obstacles', () => {
    const start = { x: 1.2, y: 2 };
    const goal = { x: 52, y: 19 };
    const path = map.plan(start, goal);
    expect(path).not.toBeNull();
    let prev = start;
    for (const p of path ?? []) {
      for (let t = 0; t <= 1; t += 0.02) expect(map.isFree(prev.x + (p.x - prev.x) * t, prev.y + (p.y - prev.y) * t)).toBe(true);
      prev = p;
    }
    expect(path?.at(-1)).toEqual(goal);
    // Through the search-station entrance, so longer than the straight line.
    expect(TerminalMap.pathLength(start, path ?? [])).toBeGreaterThan(Math.hypot(goal.x - start.x, goal.y - start.y));
  });

  it('finds no path into an obstacle or off the map', () => {
    expect(map.plan({ x: 1.2, y: 2 }, { x: 10, y: 18 })).toBeNull();
    expect(map.plan({ x: 1.2, y: 2 }, { x: 100, y: 2 })).toBeNull();
  });
});

describe('simulated robot', () => {
  it('goes accepted → executing → succeeded, at no more than 1 m/s, ending on the goal and heading', () => {
    const robot = robotAt(5, 5);
    const goal = robot.setGoal(15, 9, Math.PI / 2, 0);
    expect(goal.status).toBe(GoalStatus.ACCEPTED);
    robot.step(20);
    expect(goal.status).toBe(GoalStatus.EXECUTING);
    let fastest = 0;
    const took = run(robot, () => {
      fastest = Math.max(fastest, robot.v);
      return goal.status !== GoalStatus.EXECUTING;
    });
    expect(goal.status).toBe(GoalStatus.SUCCEEDED);
    expect(fastest).toBeLessThanOrEqual(1.0);
    expect(Math.hypot(robot.x - 15, robot.y - 9)).toBeLessThan(0.05);
    expect(Math.abs(robot.theta - Math.PI / 2)).toBeLessThan(0.03);
    expect(took).toBeGreaterThan(Math.hypot(10, 4) * 1000);
  });

  it('halts at once on an emergency stop, aborts its goal, stays stopped until released', () => {
    const robot = robotAt(5, 5);
    const goal = robot.setGoal(40, 10, 0, 0);
    run(robot, () => robot.v > 0.9);
    expect(robot.setEmergencyStop(true)).toBe(true);
    expect(robot.v).toBe(0);
    expect(goal.status).toBe(GoalStatus.ABORTED);
    const { x, y } = robot;
    for (let i = 0; i < 100; i++) robot.step(20);
    expect([robot.x, robot.y]).toEqual([x, y]);
    // Latched: a new goal is refused while engaged.
    expect(robot.setGoal(20, 5, 0, 2000).status).toBe(GoalStatus.ABORTED);
    robot.setEmergencyStop(false);
    const again = robot.setGoal(20, 5, 0, 4000);
    run(robot, () => again.status === GoalStatus.SUCCEEDED);
  });

  it('drains its battery with distance and charges on a dock', () => {
    const robot = robotAt(30, 10, 0, 0.5);
    const goal = robot.setGoal(30, 2, 0, 0);
    run(robot, () => goal.status === GoalStatus.SUCCEEDED);
    expect(robot.battery).toBeLessThan(0.5);
    expect(robot.dock(0).success).toBe(true);
    run(robot, () => robot.dockedAt !== null);
    const docked = robot.battery;
    expect(robot.charging).toBe(true);
    for (let i = 0; i < 500; i++) robot.step(20); // 10 s
    expect(robot.battery).toBeCloseTo(docked + 0.05, 3);
  });

  it('cancels through CANCELING to CANCELED; an unknown goal id is refused', () => {
    const robot = robotAt(5, 5);
    const goal = robot.setGoal(40, 10, 0, 0);
    robot.step(20);
    expect(robot.cancel(new Array(16).fill(7), { sec: 0, nanosec: 0 }).returnCode).toBe(2);
    const result = robot.cancel(new Array(16).fill(0), { sec: 0, nanosec: 0 });
    expect(result.returnCode).toBe(0);
    expect(result.goals).toEqual([goal]);
    expect(goal.status).toBe(GoalStatus.CANCELING);
    robot.step(20);
    expect(goal.status).toBe(GoalStatus.CANCELED);
    expect(robot.cancel(new Array(16).fill(0), { sec: 0, nanosec: 0 }).goals).toEqual([]);
  });

  it('aborts a goal inside an obstacle, and a goal preempted by a newer one', () => {
    const robot = robotAt(5, 5);
    expect(robot.setGoal(10, 18, 0, 0)).toMatchObject({ status: GoalStatus.ABORTED, note: 'goal is off the map or inside an obstacle' });
    const first = robot.setGoal(20, 5, 0, 0);
    const second = robot.setGoal(25, 5, 0, 0);
    expect(first.status).toBe(GoalStatus.ABORTED);
    expect(second.status).toBe(GoalStatus.ACCEPTED);
  });
});
