/**
 * A clock's burn-down as chart series (uPlot's aligned data, time in seconds): what was left
 * over time, the projection from now with its 80 % band, and the target line from the clock's
 * start (all to do) to its deadline (nothing left). Pure.
 */
import type { ClearanceClock } from '@clearway/protocol';
import type { Sample } from './dashboard-model.ts';

export interface BurnDown {
  /** Seconds since epoch, ascending, no repeats. */
  x: number[];
  /** Left at each time up to now; null after. */
  remaining: (number | null)[];
  /** The projection from now (median, fast end, slow end); null before now or without a projection. */
  expected: (number | null)[];
  earliest: (number | null)[];
  latest: (number | null)[];
  /** Total at the start down to 0 at the deadline; null outside. */
  target: (number | null)[];
  /** Seconds: the deadline, and now (for markers). */
  deadline: number;
  now: number;
}

/** Time after the last interesting moment the chart still shows, as a share of the target. */
const MARGIN = 0.1;

export function burnDown(clock: ClearanceClock, samples: readonly Sample[], nowMs: number): BurnDown {
  const start = Date.parse(clock.startsAt);
  const deadline = Date.parse(clock.deadline);
  // The clock's own figure is the truth now; a cleared clock stands at nothing left since then.
  const endOfActual = clock.clearedAt === null ? nowMs : Math.min(nowMs, Math.max(start, Date.parse(clock.clearedAt)));
  const known: Sample[] = [...samples.filter((s) => s.t >= start && s.t < endOfActual), { t: endOfActual, remaining: clock.remaining }].sort((a, b) => a.t - b.t);
  if (known[0] && known[0].t > start) known.unshift({ t: start, remaining: clock.total });
  const p = clock.state === 'cleared' ? null : clock.projection;
  const at = (iso: string | null) => (iso === null ? null : Date.parse(iso));
  const expectedAt = at(p?.expectedAt ?? null);
  const earliestAt = at(p?.earliestAt ?? null);
  const latestAt = at(p?.latestAt ?? null);
  const targetMs = deadline - start;
  const horizon = Math.max(deadline, nowMs, expectedAt ?? 0, Math.min(latestAt ?? 0, nowMs + 2 * targetMs)) + MARGIN * targetMs;

  const times = new Set<number>([start, deadline, nowMs, horizon, ...known.map((s) => s.t)]);
  for (const t of [expectedAt, earliestAt, latestAt]) if (t !== null && t > nowMs && t < horizon) times.add(t);
  const xs = [...times].filter((t) => t >= start).sort((a, b) => a - b);

  // The step function of what was left: the last sample at or before t.
  let i = 0;
  const remainingAt = (t: number): number | null => {
    if (t > endOfActual && t > nowMs) return null;
    while (i + 1 < known.length && (known[i + 1]?.t ?? Infinity) <= t) i++;
    return t >= endOfActual ? clock.remaining : (known[i]?.remaining ?? clock.total);
  };
  const line = (perMin: number | undefined) => (t: number): number | null => {
    if (p === null || perMin === undefined || t < nowMs) return null;
    return Math.max(0, clock.remaining - (perMin * (t - nowMs)) / 60_000);
  };
  const expected = line(p?.ratePerMin);
  const earliest = line(p?.rateHighPerMin);
  const latest = line(p?.rateLowPerMin);
  const target = (t: number): number | null => (t < start || t > deadline || targetMs <= 0 ? null : clock.total * (1 - (t - start) / targetMs));

  return {
    x: xs.map((t) => t / 1000),
    remaining: xs.map(remainingAt),
    expected: xs.map(expected),
    earliest: xs.map(earliest),
    latest: xs.map(latest),
    target: xs.map(target),
    deadline: deadline / 1000,
    now: nowMs / 1000,
  };
}
