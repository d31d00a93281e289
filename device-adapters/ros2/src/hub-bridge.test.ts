// The ros2 adapter as a hub device: the simulated fleet behind the real ros2-web-bridge → this
// adapter → the real hub (in this process) → a robot operator's console over socket.io.
import { randomUUID } from 'node:crypto';
import type { FleetBridge } from '@clearway/rclnodejs-sim/bridge';
import { HubRefusedError } from '@clearway/device-core';
import type { HubRobotState, RobotMission, RobotStatesPush } from '@clearway/protocol';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
// The hub is not a dependency of this package (adapters never import it); its tests reach it by path.
import { startHub, type Hub } from '@clearway/hub';
import { connectDevice, connectOfficer, testScan } from '@clearway/hub/testing';
import { hashPassword } from '@clearway/store';
import { RobotHubBridge, type RobotHubBridgeOptions } from './hub-bridge.ts';
import { sim } from './test-support.ts';

vi.setConfig({ testTimeout: 30_000 });
process.env['CLEARWAY_LOG_LEVEL'] = 'silent';

let passwordHash = '';
beforeAll(async () => { passwordHash = await hashPassword('robot operator'); });

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const poll = <T>(fn: () => T, timeout = 20_000) => expect.poll(fn, { timeout, interval: 25 });

interface Setup {
  running: FleetBridge;
  hub: Hub;
  bridge: RobotHubBridge;
  token: string;
  latest(id: string): HubRobotState | undefined;
  seen(id: string): HubRobotState[];
  missions: RobotMission[];
  operator: Awaited<ReturnType<typeof connectOfficer>>;
}

async function setup(fleet: Parameters<typeof sim.startFleetBridge>[0], options: Partial<RobotHubBridgeOptions> = {}, hubRobots: Parameters<typeof startHub>[0]['robots'] = {}): Promise<Setup> {
  const running = await sim.startFleetBridge(fleet);
  closers.push(() => running.close());
  const hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null, robots: { tickMs: 50, ...hubRobots } });
  closers.push(() => hub.close());
  hub.store.identity.importOfficer({ id: 'omar', name: 'Omar Haddad', role: 'robot-operator', passwordHash });
  const token = hub.store.identity.createDevice('robot-bridge-1', 'robot-bridge').token;
  const bridge = new RobotHubBridge({
    hubUrl: hub.url, deviceId: 'robot-bridge-1', token, simulated: true,
    endpoints: [{ url: running.url, robots: running.fleet.robotIds }],
    ...options,
    link: { staleAfterMs: 500, probeIntervalMs: 200, reconnect: { initialMs: 50, maxMs: 400, jitter: 0 }, ...options.link },
  });
  closers.push(() => bridge.close());
  await bridge.start();
  const operator = await connectOfficer(hub.url, { officerId: 'omar', password: 'robot operator' });
  closers.push(() => { operator.socket.close(); });
  const pushes: RobotStatesPush[] = [];
  const missions: RobotMission[] = [];
  operator.socket.on('robot:states', (p) => pushes.push(p as RobotStatesPush));
  operator.socket.on('robot:mission', (m) => missions.push(m as RobotMission));
  const seen = (id: string) => pushes.flatMap((p) => p.states).filter((s) => s.id === id);
  return { running, hub, bridge, token, latest: (id) => seen(id).at(-1), seen, missions, operator };
}

it("brings the fleet to the operator's console and drives a robot: goal, ETA, stop for all, release", async () => {
  const s = await setup({ robots: 3 });
  for (const id of ['robot_1', 'robot_2', 'robot_3']) await poll(() => s.latest(id)?.link.state).toBe('live');
  // 'live' needs any fresh message; battery (1 Hz) may come a moment after odometry.
  await poll(() => s.latest('robot_2')?.battery != null && s.latest('robot_2')?.pose != null).toBe(true);
  const r2 = s.latest('robot_2');
  expect(r2).toMatchObject({ deviceId: 'robot-bridge-1', pose: { x: 1.2, y: 4.5 }, battery: { charging: true } });
  // The robot's own stamp travels with the state: the console can tell how old the picture is.
  // (Epoch milliseconds, not seconds: within a minute of now.)
  expect(Math.abs((r2?.stampMs ?? 0) - Date.now())).toBeLessThan(60_000);

  const goal = await s.operator.socket.emitWithAck('robot:command', { robotId: 'robot_1', command: 'goal', goal: { x: 30, y: 9, theta: 0 } });
  expect(goal).toMatchObject({ ok: true, results: [{ robotId: 'robot_1', outcome: 'accepted', reason: null }] });
  await poll(() => s.latest('robot_1')?.nav?.status).toBe('executing');
  const driving = s.latest('robot_1');
  expect(driving?.nav?.goal).toEqual({ x: 30, y: 9, theta: 0 });
  expect(driving?.nav?.distanceRemaining).toBeGreaterThan(0);
  expect(driving?.nav?.etaSeconds).toBeGreaterThan(0);
  await poll(() => s.running.fleet.snapshot('robot_1').v).toBeGreaterThan(0);

  const stop = await s.operator.socket.emitWithAck('robot:command', { robotId: '*', command: 'emergency-stop' });
  expect(stop.ok && stop.results.map((r) => [r.robotId, r.outcome, r.reason])).toEqual([
    ['robot_1', 'accepted', null], ['robot_2', 'accepted', null], ['robot_3', 'accepted', null],
  ]);
  for (const id of ['robot_1', 'robot_2', 'robot_3']) expect(s.running.fleet.snapshot(id).emergencyStop).toBe(true);
  await poll(() => s.latest('robot_1')?.emergencyStop).toBe('engaged');
  await poll(() => s.latest('robot_1')?.nav?.status).toBe('aborted');
  expect(s.latest('robot_1')?.nav?.goal).toBeNull();

  const release = await s.operator.socket.emitWithAck('robot:command', { robotId: 'robot_2', command: 'release' });
  expect(release).toMatchObject({ ok: true, results: [{ robotId: 'robot_2', outcome: 'accepted' }] });
  expect(s.running.fleet.snapshot('robot_2').emergencyStop).toBe(false);
  const dock = await s.operator.socket.emitWithAck('robot:command', { robotId: 'robot_1', command: 'dock' });
  // robot_1 is still stopped: the robot says why it will not move.
  expect(dock).toMatchObject({ ok: true, results: [{ robotId: 'robot_1', outcome: expect.stringMatching(/accepted|rejected/) }] });
});

it('refuses to start with a wrong token, saying so', async () => {
  const running = await sim.startFleetBridge({ robots: 1 });
  closers.push(() => running.close());
  const hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null });
  closers.push(() => hub.close());
  hub.store.identity.createDevice('robot-bridge-1', 'robot-bridge');
  const bridge = new RobotHubBridge({ hubUrl: hub.url, deviceId: 'robot-bridge-1', token: 'x'.repeat(43), endpoints: [{ url: running.url, robots: ['robot_1'] }] });
  closers.push(() => bridge.close());
  await expect(bridge.start()).rejects.toBeInstanceOf(HubRefusedError);
});

it('shows a bridge that stops replying: stale, then disconnected when the link gives up on it, then live again', async () => {
  const s = await setup({ robots: 2 }, { link: { stallTimeoutMs: 1_200 } });
  await poll(() => s.latest('robot_1')?.link.state).toBe('live');
  s.running.bridge.pause();
  await poll(() => s.latest('robot_1')?.link.state).toBe('stale');
  expect(s.latest('robot_1')?.link.issues.join('; ')).toMatch(/no message for/);
  await poll(() => s.seen('robot_1').some((r) => r.link.state === 'disconnected')).toBe(true);
  s.running.bridge.resume();
  await poll(() => s.latest('robot_1')?.link.state).toBe('live');
  // The hub kept serving throughout.
  expect(await s.operator.socket.emitWithAck('robot:missions', {})).toMatchObject({ ok: true });
});

it('shows NaN odometry and stale stamps as such on the console, with the reason', async () => {
  const s = await setup({ robots: 2 });
  await poll(() => s.latest('robot_1')?.link.state).toBe('live');
  s.running.fleet.setFault('robot_1', 'odom-nan');
  s.running.fleet.setFault('robot_2', 'stamp-behind');
  await poll(() => s.latest('robot_1')?.link.state).toBe('telemetry-invalid');
  expect(s.latest('robot_1')?.link.issues.join('; ')).toMatch(/odom: .* is null, not a number/);
  expect(s.latest('robot_1')?.pose).not.toBeNull(); // the last good pose stays
  await poll(() => s.latest('robot_2')?.link.state).toBe('stale');
  expect(s.latest('robot_2')?.link.issues.join('; ')).toMatch(/header stamp .* s behind this clock/);
  s.running.fleet.setFault('robot_1', 'odom-nan', false);
  await poll(() => s.latest('robot_1')?.link.state).toBe('live');
});

it('carries a bag to the search station, and fails the next mission when its robot vanishes halfway', async () => {
  // Ten times real time: a 45 m trip in a few seconds. Stamps run ahead of this clock, so no skew check.
  const s = await setup({ robots: 1, clockFactor: 10 }, { link: { maxStampSkewMs: null } }, { missionLimits: { lostAfterMs: 1_000 } });
  await poll(() => s.latest('robot_1')?.link.state).toBe('live');
  const scanner = await connectDevice(s.hub.url, 'scanner-1', s.hub.store.identity.createDevice('scanner-1', 'scanner').token);
  closers.push(() => { scanner.close(); });
  const bagIds: string[] = [];
  for (const lane of ['lane-1', 'lane-2']) {
    const stored = await scanner.emitWithAck('scan:submit', testScan({ lane, scanId: randomUUID() }));
    if (!stored.ok) throw new Error('scan refused');
    bagIds.push(stored.bagId);
  }
  const first = await s.operator.socket.emitWithAck('robot:dispatch', { bagId: bagIds[0] ?? '' });
  expect(first).toMatchObject({ ok: true, mission: { robotId: 'robot_1', state: 'to-lane' } });
  await poll(() => s.missions.at(-1)?.state, 30_000).toBe('delivered');
  expect(s.missions.map((m) => m.state)).toEqual(['requested', 'assigned', 'to-lane', 'carrying', 'delivered']);
  const at = s.running.fleet.snapshot('robot_1');
  expect(Math.hypot(at.x - 49.2, at.y - 16.5)).toBeLessThan(0.5);

  const second = await s.operator.socket.emitWithAck('robot:dispatch', { bagId: bagIds[1] ?? '' });
  expect(second).toMatchObject({ ok: true, mission: { state: 'to-lane' } });
  await poll(() => s.running.fleet.snapshot('robot_1').v).toBeGreaterThan(0);
  s.running.fleet.setFault('robot_1', 'silent');
  await poll(() => s.missions.at(-1)?.state, 15_000).toBe('failed');
  expect(s.missions.at(-1)?.reason).toMatch(/^robot_1 vanished mid-mission: no live link for \d/);
  expect(s.hub.store.missions.forBag(bagIds[1] ?? '')[0]).toMatchObject({ state: 'failed', endedAt: expect.any(String) });
});
