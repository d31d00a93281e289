// The robot link against the real ros2-web-bridge, with the simulated fleet behind it.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FleetBridge } from '@clearway/rclnodejs-sim/bridge';
import type { EmergencyStopEvent } from '@clearway/rclnodejs-sim/fleet';
import { afterEach, describe, expect, it } from 'vitest';
import { RobotFleetLink, type RobotFleetLinkOptions } from './fleet-link.ts';
import type { RobotState } from './robot/robot-state.ts';
import { ServiceCallError } from './rosbridge/errors.ts';
import { sim } from './test-support.ts';

let running: FleetBridge | null = null;
let link: RobotFleetLink | null = null;

afterEach(async () => {
  await link?.close();
  link = null;
  await running?.close();
  running = null;
});

const ids = (n: number) => Array.from({ length: n }, (_, i) => `robot_${i + 1}`);

async function start(fleet: Parameters<typeof sim.startFleetBridge>[0], options: Partial<RobotFleetLinkOptions> & { robots?: string[] } = {}) {
  running = await sim.startFleetBridge(fleet);
  const { robots, ...rest } = options;
  link = new RobotFleetLink({
    endpoints: [{ url: running.url, robots: robots ?? running.fleet.robotIds }],
    staleAfterMs: 500,
    forwardHz: 10,
    probeIntervalMs: 200,
    reconnect: { initialMs: 50, maxMs: 400, jitter: 0 },
    ...rest,
  });
  const states = new Map<string, RobotState[]>();
  link.on('robot-state', (s) => {
    const list = states.get(s.id) ?? [];
    list.push(s);
    states.set(s.id, list);
  });
  await link.connect();
  return { fleet: running.fleet, bridge: running.bridge, link, states, latest: (id: string) => states.get(id)?.at(-1) };
}

describe('telemetry through the real ros2-web-bridge', () => {
  it('brings every robot live: pose, velocity, battery, diagnostics, navigation, latency; dialect detected', async () => {
    const { link: l, latest, states } = await start({ robots: 3 });
    for (const id of ids(3)) {
      await expect.poll(() => latest(id)?.link.state, { timeout: 15_000 }).toBe('live');
      await expect.poll(() => latest(id)?.battery !== null && latest(id)?.diagnostics !== null && latest(id)?.nav !== null, { timeout: 15_000 }).toBe(true);
    }
    const s = latest('robot_2') as RobotState;
    expect(s.pose).toMatchObject({ x: 1.2, y: 4.5 });
    expect(s.velocity).toEqual({ linear: 0, angular: 0 });
    expect(s.battery?.charging).toBe(true);
    expect(s.diagnostics?.level).toBe('ok');
    expect(s.nav).toMatchObject({ status: 'idle', goalId: null });
    expect(s.emergencyStop).toBe('unknown');
    expect(s.link.lastMessageAgeMs).toBeGreaterThanOrEqual(0);
    await expect.poll(() => l.state('robot_1').link.latencyMs, { timeout: 15_000 }).not.toBeNull();
    expect(l.dialects()).toEqual({ [running?.url as string]: 'ros2-web-bridge' });
    expect(Object.isFrozen(s) && Object.isFrozen(s.link)).toBe(true);
    // Bounded: at most forwardHz (10) states per robot per second, although odometry alone is 10 Hz.
    const before = states.get('robot_1')?.length ?? 0;
    await sleep(500);
    expect((states.get('robot_1')?.length ?? 0) - before).toBeLessThanOrEqual(7);
  });

  it('moves a robot to a goal (clock ×20): executing, then succeeded, at the goal', async () => {
    const { link: l, latest, states } = await start({ robots: 2, clockFactor: 20 });
    await expect.poll(() => latest('robot_1')?.link.state).toBe('live');
    const sent = await l.sendGoal('robot_1', 8, 2, Math.PI / 2);
    expect(sent).toEqual({ robotId: 'robot_1', via: 'topic', acknowledged: true });
    await expect.poll(() => latest('robot_1')?.nav?.status, { timeout: 15_000 }).toBe('succeeded');
    const seen = new Set(states.get('robot_1')?.map((s) => s.nav?.status));
    expect(seen.has('executing')).toBe(true);
    const pose = latest('robot_1')?.pose;
    expect(Math.hypot((pose?.x ?? 0) - 8, (pose?.y ?? 0) - 2)).toBeLessThan(0.1);
    expect(pose?.theta).toBeCloseTo(Math.PI / 2, 1);
  });

  it('cancels a goal and docks a robot, which then charges (clock ×20)', async () => {
    const { link: l, latest, fleet } = await start({ robots: 2, clockFactor: 20 }, { maxStampSkewMs: null });
    await l.sendGoal('robot_1', 30, 9, 0);
    await expect.poll(() => latest('robot_1')?.nav?.status, { timeout: 15_000 }).toBe('executing');
    const canceled = await l.cancel('robot_1');
    expect(canceled).toMatchObject({ robotId: 'robot_1', returnCode: 0, goalsCanceling: 1 });
    await expect.poll(() => latest('robot_1')?.nav?.status, { timeout: 15_000 }).toBe('canceled');
    const docking = await l.dock('robot_1');
    expect(docking.success).toBe(true);
    // The nearest free dock: which one depends on how far the robot got before the cancel.
    const dock = /^docking at (dock-\d+)/.exec(docking.message)?.[1];
    expect(dock).toBeDefined();
    await expect.poll(() => fleet.snapshot('robot_1').dockedAt, { timeout: 20_000 }).toBe(dock);
    await expect.poll(() => latest('robot_1')?.battery?.charging, { timeout: 15_000 }).toBe(true);
    const charge = latest('robot_1')?.battery?.percentage ?? 1;
    await expect.poll(() => (latest('robot_1')?.battery?.percentage ?? 0) > charge + 0.02, { timeout: 15_000 }).toBe(true);
  });
});

describe('emergency stop', () => {
  async function measure(robots: string[], cycles: number, fleetSize = 20) {
    const { link: l, fleet, latest } = await start({ robots: fleetSize }, { robots });
    await expect.poll(() => latest('robot_1')?.link.state, { timeout: 15_000 }).toBe('live');
    const halts: number[] = [];
    const reports = [];
    for (let i = 0; i < cycles; i++) {
      await l.sendGoal('robot_1', 30 + (i % 2) * 5, 9, 0);
      await expect.poll(() => fleet.snapshot('robot_1').v, { timeout: 15_000 }).toBeGreaterThan(0);
      let halted: EmergencyStopEvent | null = null;
      const onStop = (e: EmergencyStopEvent) => {
        if (e.robotId === 'robot_1' && e.engaged && e.changed) halted = e;
      };
      fleet.on('emergency-stop', onStop);
      const calledAt = performance.now();
      const report = l.emergencyStop('robot_1');
      await expect.poll(() => halted, { timeout: 15_000, interval: 1 }).not.toBeNull();
      halts.push((halted as unknown as EmergencyStopEvent).atMs - calledAt);
      expect(fleet.snapshot('robot_1')).toMatchObject({ v: 0, emergencyStop: true });
      fleet.off('emergency-stop', onStop);
      reports.push(await report);
      await l.release('robot_1');
      await expect.poll(() => fleet.snapshot('robot_1').emergencyStop).toBe(false);
    }
    halts.sort((a, b) => a - b);
    return { halts, reports: reports.flat(), median: halts[Math.floor(halts.length / 2)] as number, max: halts.at(-1) as number };
  }

  it('halts the robot and confirms every stop, with and without the telemetry of 20 robots × 10 Hz', async ({ annotate }) => {
    const quiet = await measure(['robot_1'], 5);
    await link?.close();
    link = null;
    await running?.close();
    running = null;
    const loaded = await measure(ids(20), 5);
    const line = (name: string, m: typeof quiet) => `${name}: call → robot halted median ${m.median.toFixed(2)} ms, max ${m.max.toFixed(2)} ms (${m.halts.length} stops)`;
    await annotate(line('1 robot subscribed', quiet));
    await annotate(line('20 robots × 10 Hz subscribed', loaded));
    for (const m of [quiet, loaded]) {
      // How fast is the benchmark's business (`pnpm bench robots`); here: every stop confirmed.
      expect(m.halts).toHaveLength(5);
      for (const r of m.reports) {
        expect(r).toMatchObject({ robotId: 'robot_1', engaged: true, confirmed: true, error: null });
        expect(r.sentAfterMs).not.toBeNull();
        expect(r.acknowledgedAfterMs).not.toBeNull();
      }
    }
  });

  it("stops 'all' robots, and a stop given while disconnected is sent on reconnection", async () => {
    const { link: l, fleet, bridge } = await start({ robots: 3 });
    const reports = await l.emergencyStop('all');
    expect(reports.map((r) => r.robotId)).toEqual(ids(3));
    expect(reports.every((r) => r.confirmed)).toBe(true);
    for (const id of ids(3)) expect(fleet.snapshot(id).emergencyStop).toBe(true);
    await l.release('all');
    for (const id of ids(3)) await expect.poll(() => fleet.snapshot(id).emergencyStop).toBe(false);

    bridge.dropConnections();
    await expect.poll(() => l.state('robot_2').link.state).toBe('disconnected');
    const [offline] = await l.emergencyStop('robot_2');
    expect(offline).toMatchObject({ confirmed: false, error: expect.stringMatching(/not connected; latched, sent again on reconnection/) });
    expect(l.state('robot_2').emergencyStop).toBe('engaged');
    await expect.poll(() => fleet.snapshot('robot_2').emergencyStop, { timeout: 15_000 }).toBe(true);
  });
});

describe('link health', () => {
  it('marks robots stale when the bridge goes silent, reconnects after the stall, and is live again', async () => {
    const { link: l, bridge, latest } = await start({ robots: 2 }, { stallTimeoutMs: 800, probeIntervalMs: 100 });
    await expect.poll(() => latest('robot_1')?.link.state).toBe('live');
    const events: string[] = [];
    l.on('link', (e) => events.push(e.type));
    bridge.pause();
    await expect.poll(() => latest('robot_1')?.link.state, { timeout: 15_000 }).toBe('stale');
    expect(latest('robot_1')?.link.lastMessageAgeMs).toBeGreaterThanOrEqual(500);
    // Each robot's silence is noticed on its own timer: robot_2 may turn a moment later.
    await expect.poll(() => ['stale', 'disconnected', 'connecting'].includes(latest('robot_2')?.link.state ?? ''), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => events.includes('stalled'), { timeout: 15_000 }).toBe(true);
    bridge.resume();
    await expect.poll(() => latest('robot_1')?.link.state, { timeout: 15_000 }).toBe('live');
    expect(events).toContain('open');
  });

  it('reconnects to a bridge that was stopped and started again on the same port', async () => {
    const { link: l, latest, fleet } = await start({ robots: 1 });
    await expect.poll(() => latest('robot_1')?.link.state).toBe('live');
    const port = running?.bridge.port as number;
    await running?.bridge.close();
    await expect.poll(() => latest('robot_1')?.link.state).toBe('disconnected');
    await sleep(200);
    const again = await sim.startBridge({ port });
    try {
      await expect.poll(() => latest('robot_1')?.link.state, { timeout: 15_000 }).toBe('live');
      expect(l.state('robot_1').pose?.x).toBeCloseTo(fleet.snapshot('robot_1').x, 3);
    } finally {
      await again.close();
    }
  });

  it('tells a silent robot (stale), NaN odometry (telemetry-invalid) and old stamps (stale) apart, and recovers', async () => {
    const { fleet, latest } = await start({ robots: 3 });
    for (const id of ids(3)) await expect.poll(() => latest(id)?.link.state === 'live' && latest(id)?.pose !== null).toBe(true);
    const pose = latest('robot_2')?.pose;
    fleet.setFault('robot_1', 'silent');
    fleet.setFault('robot_2', 'odom-nan');
    fleet.setFault('robot_3', 'stamp-behind');
    await expect.poll(() => latest('robot_1')?.link.state, { timeout: 15_000 }).toBe('stale');
    await expect.poll(() => latest('robot_2')?.link.state).toBe('telemetry-invalid');
    expect(latest('robot_2')?.link.issues).toContain('odom: pose.pose.position.x is null, not a number');
    expect(latest('robot_2')?.pose).toEqual(pose);
    await expect.poll(() => latest('robot_3')?.link.state).toBe('stale');
    expect(latest('robot_3')?.link.issues.join()).toMatch(/odom: header stamp 60\.\d s behind this clock/);
    for (const [id, fault] of [['robot_1', 'silent'], ['robot_2', 'odom-nan'], ['robot_3', 'stamp-behind']] as const) fleet.setFault(id, fault, false);
    for (const id of ids(3)) await expect.poll(() => latest(id)?.link.state, { timeout: 15_000 }).toBe('live');
  });

  it("keeps a robot going with the operator heartbeat; the robot stops itself when the link is gone", async () => {
    const { link: l, fleet } = await start({ robots: 1, heartbeatTimeoutMs: 400 }, { heartbeatIntervalMs: 100 });
    await l.sendGoal('robot_1', 30, 9, 0);
    await expect.poll(() => fleet.snapshot('robot_1').v, { timeout: 15_000 }).toBeGreaterThan(0);
    await sleep(600);
    expect(fleet.snapshot('robot_1').heartbeatLost).toBe(false);
    await l.close();
    await expect.poll(() => fleet.snapshot('robot_1'), { timeout: 15_000 }).toMatchObject({ heartbeatLost: true, v: 0, goal: { note: 'operator heartbeat lost' } });
  });

  it('takes an unknown battery charge (NaN) as unknown, not as invalid', async () => {
    const { fleet, latest } = await start({ robots: 1 });
    fleet.setFault('robot_1', 'battery-unknown');
    await expect.poll(() => latest('robot_1')?.battery?.percentage, { timeout: 15_000 }).toBeNull();
    expect(latest('robot_1')?.link.state).toBe('live');
  });

  it('times out a service call to a robot the bridge does not know, and reports the stop unconfirmed', async () => {
    const { link: l } = await start({ robots: 1 }, { robots: ['robot_1', 'robot_9'], serviceTimeoutMs: 300 });
    const started = performance.now();
    const error = await l.dock('robot_9').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceCallError);
    expect(error).toMatchObject({ reason: 'timeout', service: '/robot_9/dock' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    const [report] = await l.emergencyStop('robot_9');
    expect(report).toMatchObject({ confirmed: false, error: '/robot_9/emergency_stop: no reply within 300 ms' });
    expect(report?.sentAfterMs).not.toBeNull();
    await expect(l.sendGoal('robot_1', NaN, 0, 0)).rejects.toThrow(/finite/);
    await expect(l.sendGoal('robot_7', 1, 1, 0)).rejects.toThrow(/no robot "robot_7"/);
  });
});
