import { describe, expect, it } from 'vitest';
import { readBattery, readDiagnostics, readGoalStatus, readOdometry } from './telemetry.ts';

const stamp = { sec: 1_700_000_000, nanosec: 500_000_000 };

function odom(overrides: { x?: unknown; y?: unknown; q?: Record<string, unknown>; linear?: unknown } = {}) {
  return {
    header: { stamp, frame_id: 'odom' },
    child_frame_id: 'base_link',
    pose: {
      pose: { position: { x: 'x' in overrides ? overrides.x : 3, y: 'y' in overrides ? overrides.y : 4, z: 0 }, orientation: overrides.q ?? { x: 0, y: 0, z: Math.sin(Math.PI / 4), w: Math.cos(Math.PI / 4) } },
      covariance: new Array(36).fill(0),
    },
    twist: { twist: { linear: { x: 'linear' in overrides ? overrides.linear : 0.5, y: 0, z: 0 }, angular: { x: 0, y: 0, z: 0.1 } }, covariance: new Array(36).fill(0) },
  };
}

describe('odometry', () => {
  it('gives pose, heading and velocity, and the stamp in ms', () => {
    const r = readOdometry(odom());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.pose.x).toBe(3);
    expect(r.value.pose.theta).toBeCloseTo(Math.PI / 2, 9);
    expect(r.value.velocity).toEqual({ linear: 0.5, angular: 0.1 });
    expect(r.stampMs).toBe(1_700_000_000_500);
  });

  it('reads the heading of a quaternion that is not normalised', () => {
    const r = readOdometry(odom({ q: { x: 0, y: 0, z: 2, w: 2 } }));
    expect(r.ok && r.value.pose.theta).toBeCloseTo(Math.PI / 2, 9);
  });

  const bad: [string, Parameters<typeof odom>[0], RegExp][] = [
    ['NaN position (null on the wire)', { x: null }, /^odom: pose\.pose\.position\.x is null, not a number$/],
    ['missing position', { y: undefined }, /pose\.pose\.position\.y is missing/],
    ['a string', { linear: '0.5' }, /twist\.twist\.linear\.x is string "0\.5"/],
    ['a zero quaternion', { q: { x: 0, y: 0, z: 0, w: 0 } }, /zero quaternion/],
  ];
  it.each(bad)('refuses %s with a clear issue', (_name, overrides, issue) => {
    const r = readOdometry(odom(overrides));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue).toMatch(issue);
  });

  it('survives messages of any shape', () => {
    for (const m of [null, 42, 'odom', [], { header: null }, { header: { stamp: { sec: 'x' } } }]) expect(readOdometry(m).ok).toBe(false);
  });
});

describe('battery', () => {
  const battery = (percentage: unknown, status = 2) => ({ header: { stamp, frame_id: '' }, percentage, power_supply_status: status, voltage: 24.1 });
  it('reads charge and charging', () => {
    expect(readBattery(battery(0.54, 1))).toMatchObject({ ok: true, value: { percentage: 0.54, charging: true, status: 'charging', voltage: 24.1 } });
  });
  it('takes NaN (null on the wire) as unknown, which BatteryState allows', () => {
    expect(readBattery(battery(null))).toMatchObject({ ok: true, value: { percentage: null, status: 'discharging' } });
  });
  it('refuses a percentage outside 0..1 (a driver sending 54 for 54 %)', () => {
    expect(readBattery(battery(54))).toMatchObject({ ok: false, issue: 'battery_state: percentage is 54, outside 0..1' });
  });
});

describe('diagnostics', () => {
  it('reports the worst entry', () => {
    const r = readDiagnostics({
      header: { stamp, frame_id: '' },
      status: [
        { level: 0, name: 'robot_1: battery', message: 'ok 80%', hardware_id: 'robot_1', values: [] },
        { level: 1, name: 'robot_1: drive', message: 'emergency stop engaged', hardware_id: 'robot_1', values: [] },
      ],
    });
    expect(r).toMatchObject({ ok: true, value: { level: 'warn', message: 'robot_1: drive: emergency stop engaged' } });
  });
  it('is ok with no entries', () => {
    expect(readDiagnostics({ header: { stamp, frame_id: '' }, status: [] })).toMatchObject({ ok: true, value: { level: 'ok', message: '' } });
  });
});

describe('navigation status', () => {
  const uuid = Array.from({ length: 16 }, (_, i) => i);
  const entry = (id: number[] | string, status: number, sec: number) => ({ goal_info: { goal_id: { uuid: id }, stamp: { sec, nanosec: 0 } }, status });

  it('follows the newest goal, with the uuid as an array (ros2-web-bridge) or base64 (rosbridge_suite)', () => {
    const asArray = readGoalStatus({ status_list: [entry(new Array(16).fill(9), 4, 10), entry(uuid, 2, 20)] });
    expect(asArray).toMatchObject({ ok: true, value: { status: 'executing', goalId: '000102030405060708090a0b0c0d0e0f' } });
    const asBase64 = readGoalStatus({ status_list: [entry(Buffer.from(uuid).toString('base64'), 6, 20)] });
    expect(asBase64).toMatchObject({ ok: true, value: { status: 'aborted', goalId: '000102030405060708090a0b0c0d0e0f' } });
  });

  it('is idle with no goals, and refuses a uuid that is neither', () => {
    expect(readGoalStatus({ status_list: [] })).toMatchObject({ ok: true, value: { status: 'idle', goalId: null } });
    expect(readGoalStatus({ status_list: [entry('not base64!', 2, 1)] })).toMatchObject({ ok: false });
    expect(readGoalStatus({ status_list: [entry([1, 2, 300], 2, 1)] })).toMatchObject({ ok: false });
  });
});
