import { beforeEach, describe, expect, it } from 'vitest';
import { LOG_LINES, appendLog, historyOf, receiveFleet, receiveLog, receiveMission, receiveStates, resetRobots, useRobots } from './robot-store.ts';
import { mission, robotState } from './test-robots.ts';

const line = (n: number) => ({ robotId: 'robot_1', level: 'info' as const, message: `line ${n}`, atMs: n, deviceId: 'bridge-1' });

beforeEach(() => resetRobots());

describe('robot store', () => {
  it('takes the fleet snapshot, selects the first robot and starts its history', () => {
    receiveFleet({ robots: [robotState('robot_2'), robotState('robot_1')], missions: [mission()], log: [line(1)], at: '2025-05-01T10:00:00.000Z' }, 100);
    const s = useRobots.getState();
    expect(s.fleet.order).toEqual(['robot_1', 'robot_2']);
    expect(s.selectedId).toBe('robot_1');
    expect(Object.keys(s.missions)).toHaveLength(1);
    expect(s.log).toHaveLength(1);
    expect(s.historyRevision).toBe(1);
    expect(historyOf('robot_1').samples.length).toBe(1);
  });

  it('records only pictures the fleet took', () => {
    receiveFleet({ robots: [robotState('robot_1', { seq: 5, atMs: 5000 })], missions: [], log: [], at: '2025-05-01T10:00:00.000Z' }, 0);
    receiveStates([robotState('robot_1', { seq: 4, atMs: 1000 })], 10);
    expect(historyOf('robot_1').samples.toArray().map((x) => x.t)).toEqual([5000]);
    receiveStates([robotState('robot_1', { seq: 6, atMs: 6000, pose: { x: 20, y: 5, theta: 0 } })], 20);
    expect(historyOf('robot_1').samples.toArray().map((x) => x.t)).toEqual([5000, 6000]);
    expect(historyOf('robot_1').trail.last()).toEqual({ x: 20, y: 5 });
  });

  it('keeps the log bounded', () => {
    receiveLog(Array.from({ length: LOG_LINES + 10 }, (_, i) => line(i)));
    expect(useRobots.getState().log).toHaveLength(LOG_LINES);
    expect(useRobots.getState().log[0]?.message).toBe('line 10');
    expect(appendLog([line(1)], [line(2), line(3)], 2).map((l) => l.atMs)).toEqual([2, 3]);
  });

  it("follows the mission of the bag this officer asked a robot for", () => {
    const m = mission();
    useRobots.setState({ dispatch: { bagId: m.bagId, bagTag: m.bagTag, phase: 'sending', missionId: null, error: null } });
    receiveMission(m);
    expect(useRobots.getState().dispatch).toMatchObject({ phase: 'sent', missionId: m.missionId });
    expect(useRobots.getState().missions[m.missionId]?.state).toBe('assigned');
  });

  it('forgets everything on sign-out', () => {
    receiveFleet({ robots: [robotState('robot_1')], missions: [], log: [], at: '2025-05-01T10:00:00.000Z' }, 0);
    resetRobots();
    expect(useRobots.getState().fleet.order).toEqual([]);
    expect(historyOf('robot_1').samples.length).toBe(0);
  });
});
