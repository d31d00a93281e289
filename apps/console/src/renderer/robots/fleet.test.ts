import { describe, expect, it } from 'vitest';
import { NO_NEWS_MS, applySnapshot, applyStates, canCommand, emptyFleet, isOlder, messageAgeMs, shownLinkState } from './fleet.ts';
import { robotState } from './test-robots.ts';

describe('fleet snapshot', () => {
  it('lists robots in natural order', () => {
    const fleet = applySnapshot(emptyFleet, [robotState('robot_10'), robotState('robot_2'), robotState('robot_1')], 5);
    expect(fleet.order).toEqual(['robot_1', 'robot_2', 'robot_10']);
    expect(fleet.robots['robot_2']).toMatchObject({ receivedAtMs: 5, missing: false });
  });

  it('keeps a robot that vanished from the next snapshot, marked missing', () => {
    const first = applySnapshot(emptyFleet, [robotState('robot_1'), robotState('robot_2')], 5);
    const second = applySnapshot(first, [robotState('robot_1', { seq: 2 })], 10);
    expect(second.order).toEqual(['robot_1', 'robot_2']);
    expect(second.robots['robot_2']?.missing).toBe(true);
    expect(second.robots['robot_2']?.receivedAtMs).toBe(5);
    expect(second.robots['robot_1']?.missing).toBe(false);
  });
});

describe('state batches', () => {
  const fleet = applySnapshot(emptyFleet, [robotState('robot_1', { seq: 5, atMs: 500 }), robotState('robot_2')], 0);

  it('replaces only the robots in the batch', () => {
    const next = applyStates(fleet, [robotState('robot_1', { seq: 6, atMs: 600, pose: { x: 11, y: 5, theta: 0 } })], 100);
    expect(next.robots['robot_1']?.state.pose).toEqual({ x: 11, y: 5, theta: 0 });
    expect(next.robots['robot_1']?.receivedAtMs).toBe(100);
    expect(next.robots['robot_2']).toBe(fleet.robots['robot_2']);
    expect(next.order).toBe(fleet.order);
  });

  it('drops a picture older than the one shown and returns the same fleet', () => {
    expect(applyStates(fleet, [robotState('robot_1', { seq: 4, atMs: 400 })], 100)).toBe(fleet);
  });

  it('accepts the same picture again (the hub marking the robot disconnected) and a restarted bridge', () => {
    const again = applyStates(fleet, [robotState('robot_1', { seq: 5, atMs: 500, link: { state: 'disconnected', lastMessageAgeMs: null, latencyMs: null, issues: ['bridge gone'] } })], 100);
    expect(again.robots['robot_1']?.state.link.state).toBe('disconnected');
    const restarted = applyStates(fleet, [robotState('robot_1', { seq: 1, atMs: 900 })], 100);
    expect(restarted.robots['robot_1']?.state.seq).toBe(1);
  });

  it('takes the newest of two pictures of one robot in a batch', () => {
    const next = applyStates(fleet, [robotState('robot_1', { seq: 7, atMs: 700 }), robotState('robot_1', { seq: 6, atMs: 600 })], 100);
    expect(next.robots['robot_1']?.state.seq).toBe(7);
  });

  it('adds a robot it did not know and a missing robot comes back', () => {
    const vanished = applySnapshot(fleet, [robotState('robot_1', { seq: 5, atMs: 500 })], 50);
    const next = applyStates(vanished, [robotState('robot_3'), robotState('robot_2', { seq: 2, atMs: 2_000_000 })], 100);
    expect(next.order).toEqual(['robot_1', 'robot_2', 'robot_3']);
    expect(next.robots['robot_2']?.missing).toBe(false);
  });

  it('compares sequence numbers only within one bridge device', () => {
    expect(isOlder(robotState('r', { seq: 1, atMs: 1 }), robotState('r', { seq: 9, atMs: 9 }))).toBe(true);
    expect(isOlder(robotState('r', { seq: 1, atMs: 1, deviceId: 'bridge-2' }), robotState('r', { seq: 9, atMs: 9 }))).toBe(false);
  });
});

describe('link state as shown', () => {
  const fleet = applySnapshot(emptyFleet, [robotState('robot_1'), robotState('robot_2', { link: { state: 'disconnected', lastMessageAgeMs: 9000, latencyMs: null, issues: [] } })], 1000);
  const live = fleet.robots['robot_1'];
  const gone = fleet.robots['robot_2'];
  if (!live || !gone) throw new Error('fixture');

  it("is the bridge's own state while news keeps coming", () => {
    expect(shownLinkState(live, 1000 + NO_NEWS_MS, true)).toBe('live');
  });

  it('says no news when the hub has been silent about a live robot', () => {
    expect(shownLinkState(live, 1001 + NO_NEWS_MS, true)).toBe('no-news');
    expect(shownLinkState(gone, 1001 + NO_NEWS_MS, true)).toBe('disconnected');
  });

  it('says the console is offline before anything else, then missing', () => {
    expect(shownLinkState(live, 1000, false)).toBe('console-offline');
    const missing = applySnapshot(fleet, [], 2000).robots['robot_1'];
    if (!missing) throw new Error('kept');
    expect(shownLinkState(missing, 2000, true)).toBe('missing');
  });

  it('ages the last message by the time since it arrived', () => {
    expect(messageAgeMs(live, 1000)).toBe(40);
    expect(messageAgeMs(live, 3000)).toBe(2040);
    expect(messageAgeMs(live, 500)).toBe(40);
    const never = applySnapshot(emptyFleet, [robotState('r', { link: { state: 'connecting', lastMessageAgeMs: null, latencyMs: null, issues: [] } })], 0).robots['r'];
    if (!never) throw new Error('fixture');
    expect(messageAgeMs(never, 100)).toBeNull();
  });

  it('allows goals only while the robot can be reached', () => {
    expect(canCommand('live')).toBe(true);
    expect(canCommand('telemetry-invalid')).toBe(true);
    expect(canCommand('disconnected')).toBe(false);
    expect(canCommand('missing')).toBe(false);
    expect(canCommand('console-offline')).toBe(false);
    expect(canCommand('connecting')).toBe(false);
  });
});
