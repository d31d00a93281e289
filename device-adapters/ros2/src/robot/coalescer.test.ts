import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { Coalescer } from './coalescer.ts';

it('emits each key at most once per interval, whatever the mark rate, and the last mark is not lost', async () => {
  const emitted: { key: string; at: number }[] = [];
  const c = new Coalescer(50, (key) => emitted.push({ key, at: performance.now() }));
  const start = performance.now();
  while (performance.now() - start < 300) {
    c.mark('robot_1');
    c.mark('robot_2');
    await sleep(1);
  }
  await sleep(80);
  c.close();
  for (const key of ['robot_1', 'robot_2']) {
    const times = emitted.filter((e) => e.key === key).map((e) => e.at);
    // 300 ms at one emission per 50 ms: 6 or 7, plus the trailing one for the last marks.
    expect(times.length).toBeGreaterThanOrEqual(5);
    expect(times.length).toBeLessThanOrEqual(9);
    for (let i = 1; i < times.length; i++) expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(45);
  }
});

it('lets an urgent mark through on the next turn, once per turn', async () => {
  const emitted: string[] = [];
  const c = new Coalescer(10_000, (key) => emitted.push(key));
  c.mark('a');
  await sleep(0);
  expect(emitted).toEqual(['a']);
  c.mark('a');
  c.mark('a', true);
  c.mark('a', true);
  await new Promise((resolve) => setImmediate(resolve));
  expect(emitted).toEqual(['a', 'a']);
  c.close();
});

it('emits nothing after close', async () => {
  const emitted: string[] = [];
  const c = new Coalescer(20, (key) => emitted.push(key));
  c.mark('a');
  c.close();
  c.mark('a', true);
  await sleep(40);
  expect(emitted).toEqual([]);
});

it('with a burst, passes marks that come at about the rate (with jitter) at once, and still holds the average', async () => {
  let now = 0;
  const emitted: number[] = [];
  const c = new Coalescer(100, () => emitted.push(now), () => now, 2);
  // 10 Hz with ±10 ms jitter: every mark goes out on the next turn.
  for (let i = 0; i < 20; i++) {
    now = i * 100 + (i % 2 === 0 ? 10 : -10) + 10;
    c.mark('robot_1');
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(emitted.length).toBe(20);
  // 50 marks in 50 ms: the burst of 2, then nothing more until a token is back.
  const before = emitted.length;
  for (let i = 0; i < 50; i++) {
    now = 3_000 + i;
    c.mark('robot_1');
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(emitted.length - before).toBe(2);
  c.close();
});

it('lets a lazy mark ride along with the next emission, or go by itself after one interval', async () => {
  let now = 0;
  const emitted: number[] = [];
  const c = new Coalescer(50, () => emitted.push(now), () => now, 1);
  c.mark('a');
  await new Promise((resolve) => setImmediate(resolve));
  expect(emitted).toEqual([0]);
  c.markLazy('a'); // a battery message: waits
  now = 50;
  c.mark('a'); // odometry: goes, and carries the battery with it
  await new Promise((resolve) => setImmediate(resolve));
  expect(emitted).toEqual([0, 50]);
  await sleep(80); // the lazy timer was cleared by that emission: nothing more
  expect(emitted).toEqual([0, 50]);
  now = 200;
  c.markLazy('a'); // nothing else comes: it goes by itself one interval later
  await sleep(120);
  expect(emitted).toEqual([0, 50, 200]);
  c.close();
});
