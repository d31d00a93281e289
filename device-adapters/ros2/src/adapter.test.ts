import { setTimeout as sleep } from 'node:timers/promises';
import type { FleetBridge } from '@clearway/rclnodejs-sim/bridge';
import { DeviceKind, Id } from '@clearway/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RobotBridgeAdapter } from './adapter.ts';
import { RobotFleetLink } from './fleet-link.ts';
import type { RobotState } from './robot/robot-state.ts';
import { sim } from './test-support.ts';

let running: FleetBridge;

beforeAll(async () => {
  running = await sim.startFleetBridge({ robots: 3 });
});

afterAll(async () => {
  await running.close();
});

function adapter(): RobotBridgeAdapter {
  const link = new RobotFleetLink({ endpoints: [{ url: running.url, robots: running.fleet.robotIds }], forwardHz: 20 });
  return new RobotBridgeAdapter({ id: 'robot-bridge-1', link, endpoints: [running.url], maxStateHz: 20, simulated: true });
}

it("declares itself a 'robot-bridge' with its robots and commands", async () => {
  const a = adapter();
  expect(Id.safeParse(a.id).success).toBe(true);
  expect(DeviceKind.options).toContain(a.kind);
  expect(a.capabilities).toEqual({
    robots: ['robot_1', 'robot_2', 'robot_3'],
    endpoints: [running.url],
    commands: ['goal', 'cancel', 'dock', 'emergency-stop', 'release'],
    maxStateHz: 20,
    simulated: true,
  });
  expect(() => new RobotBridgeAdapter({ id: 'robot bridge', link: a.link, endpoints: [], maxStateHz: 1 })).toThrow(/device id/);
  await a.close();
  await a.close();
});

it('holds back while the sink holds a state: one call at a time, then the newest state of each robot, not a backlog', async () => {
  const a = adapter();
  const got: RobotState[] = [];
  let outstanding = 0;
  let most = 0;
  let hold: Promise<void> | null = null;
  let release: () => void = () => {};
  const stopped = a.start(async (state) => {
    outstanding++;
    most = Math.max(most, outstanding);
    got.push(state);
    if (hold) await hold;
    outstanding--;
  });
  await expect.poll(() => new Set(got.map((s) => s.id)).size, { timeout: 3_000 }).toBe(3);
  hold = new Promise((resolve) => (release = resolve));
  const held = got.length;
  // Half a second at up to 20 states per robot per second would be ~30 states; they wait as 3.
  await sleep(500);
  expect(got.length).toBe(held + 1);
  hold = null;
  release();
  await sleep(30);
  const after = got.slice(held + 1, held + 4);
  expect(new Set(after.map((s) => s.id)).size).toBe(after.length);
  expect(most).toBe(1);
  // States handed over are frozen: the link may not change them later.
  expect(Object.isFrozen(got[0])).toBe(true);
  await a.close();
  await stopped;
  const atClose = got.length;
  await sleep(100);
  expect(got.length).toBe(atClose);
  await expect(a.start(async () => {})).rejects.toThrow(/once/);
});

it('stops when the sink fails, and start() rejects with that failure', async () => {
  const a = adapter();
  const failure = new Error('hub gone');
  let calls = 0;
  await expect(
    a.start(async () => {
      calls++;
      if (calls === 2) throw failure;
    }),
  ).rejects.toBe(failure);
  await sleep(100);
  expect(calls).toBe(2);
  await a.close();
});
