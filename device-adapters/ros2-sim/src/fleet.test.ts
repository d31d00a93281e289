import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '@clearway/rclnodejs-sim';
import type { SimFleet } from '@clearway/rclnodejs-sim/fleet';
import { ensureInit, fleetModule, rcl, settle } from './test-support.ts';

const { SimFleet: Fleet, GoalStatus } = fleetModule;

let fleet: SimFleet;
let operator: Node;
const received = new Map<string, Record<string, unknown>[]>();

function subscribe(topic: string, type: string): void {
  received.set(topic, []);
  operator.createSubscription(type, topic, (m) => received.get(topic)?.push(m));
}

function last(topic: string): Record<string, unknown> {
  const list = received.get(topic) ?? [];
  const m = list[list.length - 1];
  if (!m) throw new Error(`nothing on ${topic}`);
  return m;
}

/** Steps the fleet in small chunks, letting deliveries run between them. */
async function advance(ms: number, chunk = 100): Promise<void> {
  for (let t = 0; t < ms; t += chunk) {
    fleet.step(Math.min(chunk, ms - t));
    await settle(2);
  }
}

function call(type: string, service: string, request: unknown): Promise<Record<string, unknown>> {
  const client = operator.createClient(type, service);
  return new Promise((resolve) => client.sendRequest(request, resolve));
}

beforeAll(async () => {
  await ensureInit();
  fleet = new Fleet({ robots: 3, manualClock: true, seed: 7, startTimeMs: 1_700_000_000_000 });
  await fleet.start();
  operator = rcl.createNode('operator');
  rcl.spin(operator);
  subscribe('/robot_1/odom', 'nav_msgs/msg/Odometry');
  subscribe('/robot_1/battery_state', 'sensor_msgs/msg/BatteryState');
  subscribe('/robot_1/diagnostics', 'diagnostic_msgs/msg/DiagnosticArray');
  subscribe('/robot_1/navigate_to_pose/_action/status', 'action_msgs/msg/GoalStatusArray');
});

afterAll(() => {
  fleet.close();
  operator.destroy();
});

describe('simulated fleet on the graph', () => {
  it('offers the topics and services of each robot', () => {
    const graph = rcl.currentContext().graph;
    const topics = new Map(graph.topicNamesAndTypes());
    expect(topics.get('/robot_3/odom')).toEqual(['nav_msgs/msg/Odometry']);
    expect(topics.get('/robot_3/goal_pose')).toEqual(['geometry_msgs/msg/PoseStamped']);
    expect(topics.get('/robot_3/emergency_stop')).toEqual(['std_msgs/msg/Bool']);
    const services = new Map(graph.serviceNamesAndTypes());
    expect(services.get('/robot_3/emergency_stop')).toEqual(['std_srvs/srv/SetBool']);
    expect(services.get('/robot_3/dock')).toEqual(['std_srvs/srv/Trigger']);
    expect(services.get('/robot_3/navigate_to_pose/_action/cancel_goal')).toEqual(['action_msgs/srv/CancelGoal']);
  });

  it('publishes odometry at 10 Hz and battery and diagnostics at 1 Hz of simulated time, stamped with it', async () => {
    await advance(1_000);
    for (const list of received.values()) list.length = 0;
    await advance(2_000);
    expect(received.get('/robot_1/odom')?.length).toBe(20);
    expect(received.get('/robot_1/battery_state')?.length).toBe(2);
    expect(received.get('/robot_1/diagnostics')?.length).toBe(2);
    const odom = last('/robot_1/odom') as { header: { stamp: { sec: number } }; pose: { pose: { position: { x: number } } } };
    expect(odom.header.stamp.sec).toBe(Math.floor(fleet.nowMs / 1000));
    expect(odom.pose.pose.position.x).toBeCloseTo(fleet.map.docks[0]?.x ?? NaN, 6);
    expect(last('/robot_1/battery_state')).toMatchObject({ power_supply_status: 1, present: true });
  });

  it('drives to a goal from goal_pose, reporting accepted, executing and succeeded', async () => {
    const goals = operator.createPublisher('geometry_msgs/msg/PoseStamped', '/robot_1/goal_pose');
    const statuses = received.get('/robot_1/navigate_to_pose/_action/status') ?? [];
    statuses.length = 0;
    goals.publish({ header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'map' }, pose: { position: { x: 8, y: 2, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } } });
    await settle();
    await advance(12_000, 200);
    const seen = statuses.map((m) => (m['status_list'] as { status: number }[]).at(-1)?.status);
    expect(seen).toContain(GoalStatus.ACCEPTED);
    expect(seen).toContain(GoalStatus.EXECUTING);
    expect(seen.at(-1)).toBe(GoalStatus.SUCCEEDED);
    const s = fleet.snapshot('robot_1');
    expect(Math.hypot(s.x - 8, s.y - 2)).toBeLessThan(0.05);
    expect(s.dockedAt).toBeNull();
  });

  it('stops at once on the latched emergency stop topic, refuses goals, and moves again after release by service', async () => {
    const goals = operator.createPublisher('geometry_msgs/msg/PoseStamped', '/robot_2/goal_pose');
    const estop = operator.createPublisher('std_msgs/msg/Bool', '/robot_2/emergency_stop');
    goals.publish({ header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'map' }, pose: { position: { x: 20, y: 10, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } } });
    await settle();
    await advance(3_000);
    expect(fleet.snapshot('robot_2').v).toBeGreaterThan(0);
    estop.publish({ data: true });
    await settle();
    const stopped = fleet.snapshot('robot_2');
    expect(stopped).toMatchObject({ v: 0, emergencyStop: true, goal: { status: GoalStatus.ABORTED, note: 'emergency stop engaged' } });
    await advance(2_000);
    expect(fleet.snapshot('robot_2')).toMatchObject({ x: stopped.x, y: stopped.y });
    goals.publish({ header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'map' }, pose: { position: { x: 20, y: 10, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } } });
    await settle();
    expect(fleet.snapshot('robot_2').goal?.status).toBe(GoalStatus.ABORTED);
    expect(await call('std_srvs/srv/SetBool', '/robot_2/emergency_stop', { data: false })).toEqual({ success: true, message: 'emergency stop released' });
    expect(fleet.snapshot('robot_2').emergencyStop).toBe(false);
  });

  it('docks on request and charges there', async () => {
    const reply = await call('std_srvs/srv/Trigger', '/robot_1/dock', {});
    expect(reply['success']).toBe(true);
    expect(reply['message']).toMatch(/^docking at dock-1, [\d.]+ m away$/);
    await advance(20_000, 500);
    const s = fleet.snapshot('robot_1');
    expect(s.dockedAt).toBe('dock-1');
    const before = s.battery;
    await advance(10_000, 500);
    expect(fleet.snapshot('robot_1').battery).toBeGreaterThan(before);
    expect(last('/robot_1/battery_state')['power_supply_status']).toBe(s.battery >= 0.995 ? 4 : 1);
  });

  it('cancels through the cancel_goal service', async () => {
    const goals = operator.createPublisher('geometry_msgs/msg/PoseStamped', '/robot_3/goal_pose');
    goals.publish({ header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'map' }, pose: { position: { x: 40, y: 10, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } } });
    await settle();
    await advance(1_000);
    const reply = await call('action_msgs/srv/CancelGoal', '/robot_3/navigate_to_pose/_action/cancel_goal', {
      goal_info: { goal_id: { uuid: new Array(16).fill(0) }, stamp: { sec: 0, nanosec: 0 } },
    });
    expect(reply['return_code']).toBe(0);
    expect(reply['goals_canceling']).toHaveLength(1);
    await advance(100);
    expect(fleet.snapshot('robot_3').goal?.status).toBe(GoalStatus.CANCELED);
  });

  it('sends NaN where a fault says so; the message still type-checks', async () => {
    fleet.setFault('robot_1', 'odom-nan');
    fleet.setFault('robot_1', 'battery-unknown');
    await advance(1_000);
    const odom = last('/robot_1/odom') as { pose: { pose: { position: { x: number } } } };
    expect(odom.pose.pose.position.x).toBeNaN();
    expect(last('/robot_1/battery_state')['percentage']).toBeNaN();
    fleet.setFault('robot_1', 'odom-nan', false);
    fleet.setFault('robot_1', 'battery-unknown', false);
  });
});

describe('operator heartbeat', () => {
  it('stops a robot whose operator heartbeat stopped, and lets it go again when it returns', async () => {
    const hb = new Fleet({ robots: 1, manualClock: true, heartbeatTimeoutMs: 1_000 });
    // robot_1 exists already in the other fleet: give this one its own context time by closing that one first.
    fleet.close();
    await hb.start();
    try {
      const beat = operator.createPublisher('std_msgs/msg/Header', '/robot_1/operator_heartbeat');
      const goals = operator.createPublisher('geometry_msgs/msg/PoseStamped', '/robot_1/goal_pose');
      beat.publish({ stamp: { sec: 0, nanosec: 0 }, frame_id: 'test' });
      await settle();
      goals.publish({ header: { stamp: { sec: 0, nanosec: 0 }, frame_id: 'map' }, pose: { position: { x: 20, y: 10, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } } });
      await settle();
      for (let i = 0; i < 5; i++) {
        hb.step(500);
        beat.publish({ stamp: { sec: 0, nanosec: 0 }, frame_id: 'test' });
        await settle();
      }
      expect(hb.snapshot('robot_1').heartbeatLost).toBe(false);
      hb.step(1_500);
      expect(hb.snapshot('robot_1')).toMatchObject({ heartbeatLost: true, v: 0, goal: { status: GoalStatus.ABORTED, note: 'operator heartbeat lost' } });
      beat.publish({ stamp: { sec: 0, nanosec: 0 }, frame_id: 'test' });
      await settle();
      expect(hb.snapshot('robot_1').heartbeatLost).toBe(false);
    } finally {
      hb.close();
    }
  });
});
