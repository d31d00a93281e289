import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { RobotFeed } from './robot-feed.ts';

interface S { id: string; seq: number }

let now = 0;
let busy = false;
let sent: S[][] = [];
beforeEach(() => {
  vi.useFakeTimers();
  now = 0;
  busy = false;
  sent = [];
});
afterEach(() => vi.useRealTimers());

const feed = () => new RobotFeed<S>((states) => sent.push(states), { hz: 10, burst: 2, busy: () => busy, now: () => now });
const advance = (ms: number) => { now += ms; vi.advanceTimersByTime(ms); };

it('passes a robot reporting at the rate straight through, jitter and all', () => {
  const f = feed();
  for (let i = 0; i < 20; i++) {
    f.offer([{ id: 'robot_1', seq: i }]);
    advance(i % 2 === 0 ? 95 : 105); // 10 Hz on average, never exactly
  }
  expect(sent.flat().map((s) => s.seq)).toEqual([...Array(20).keys()]);
});

it('holds a robot reporting too fast to 10 a second, sending the newest, never one twice', () => {
  const f = feed();
  for (let i = 0; i < 100; i++) {
    f.offer([{ id: 'robot_1', seq: i }, { id: 'robot_2', seq: i }]);
    advance(10); // 100 Hz for a second
  }
  advance(200);
  const one = sent.flat().filter((s) => s.id === 'robot_1').map((s) => s.seq);
  expect(one.length).toBeLessThanOrEqual(2 + 12);
  expect(one.length).toBeGreaterThanOrEqual(10);
  expect(one.at(-1)).toBe(99);
  expect([...one].sort((a, b) => a - b)).toEqual(one);
  expect(new Set(one).size).toBe(one.length);
});

it('lets a forced state (a bridge gone) through at once, and waits while the console is busy', () => {
  const f = feed();
  f.offer([{ id: 'robot_1', seq: 1 }]);
  f.offer([{ id: 'robot_1', seq: 2 }]);
  f.offer([{ id: 'robot_1', seq: 3 }]); // out of tokens: waits
  f.offer([{ id: 'robot_1', seq: 4 }], true);
  expect(sent.flat().map((s) => s.seq)).toEqual([1, 2, 4]);
  busy = true;
  advance(1_000);
  f.offer([{ id: 'robot_1', seq: 5 }], true);
  expect(sent.flat().map((s) => s.seq)).toEqual([1, 2, 4]);
  busy = false;
  advance(200);
  expect(sent.flat().map((s) => s.seq)).toEqual([1, 2, 4, 5]);
  f.close();
  f.offer([{ id: 'robot_1', seq: 6 }], true);
  expect(sent.flat().map((s) => s.seq)).toEqual([1, 2, 4, 5]);
});

it('sends a waiting state that a newer one would hide when keep() says it matters', () => {
  const f = new RobotFeed<S & { link: string }>((states) => sent.push(states), {
    hz: 10, burst: 1, busy: () => busy, now: () => now, keep: (older, newer) => older.link !== newer.link,
  });
  f.offer([{ id: 'robot_1', seq: 1, link: 'live' }]);
  f.offer([{ id: 'robot_1', seq: 2, link: 'live' }]); // waits
  f.offer([{ id: 'robot_1', seq: 3, link: 'live' }]); // seq 2 is dropped: nothing new in it
  f.offer([{ id: 'robot_1', seq: 4, link: 'stale' }]); // the last live picture is sent first
  f.offer([{ id: 'robot_1', seq: 5, link: 'disconnected' }]); // and the stale one
  advance(200);
  expect(sent.flat().map((s) => s.seq)).toEqual([1, 3, 4, 5]);
});
