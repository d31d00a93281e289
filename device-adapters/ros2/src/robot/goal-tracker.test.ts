import { expect, it } from 'vitest';
import { GoalTracker } from './goal-tracker.ts';

const GOAL = { x: 30, y: 9, theta: 0 };

it("shows the goal sent until the robot ends it, ignoring the status of the robot's previous goal", () => {
  const t = new GoalTracker();
  t.sent('robot_1', GOAL, 'old', 0);
  expect(t.observe('robot_1', { status: 'succeeded', goalId: 'old' }, 10)).toEqual(GOAL);
  expect(t.observe('robot_1', { status: 'executing', goalId: 'new' }, 20)).toEqual(GOAL);
  expect(t.observe('robot_1', { status: 'succeeded', goalId: 'new' }, 30)).toBeNull();
  expect(t.observe('robot_1', { status: 'succeeded', goalId: 'new' }, 40)).toBeNull();
  expect(t.observe('robot_2', null, 40)).toBeNull();
});

it('forgets a goal the robot never took, one replaced by another, and one cleared by a stop', () => {
  const t = new GoalTracker(1_000);
  t.sent('robot_1', GOAL, null, 0);
  expect(t.observe('robot_1', { status: 'idle', goalId: null }, 999)).toEqual(GOAL);
  expect(t.observe('robot_1', { status: 'idle', goalId: null }, 1_001)).toBeNull();
  t.sent('robot_1', GOAL, null, 2_000);
  expect(t.observe('robot_1', { status: 'executing', goalId: 'a' }, 2_010)).toEqual(GOAL);
  expect(t.observe('robot_1', { status: 'executing', goalId: 'someone-else' }, 2_020)).toBeNull();
  t.sent('robot_1', GOAL, 'someone-else', 3_000);
  t.cleared('robot_1');
  expect(t.observe('robot_1', { status: 'executing', goalId: 'b' }, 3_010)).toBeNull();
});
