/**
 * The hub's clock: what stamps and measures workflow time (bag arrival, assignment, decision,
 * time limits, flight clocks and projections) and runs the timers that act on it. The default is
 * the wall clock. An accelerated replay passes a `ScenarioClock`, whose time moves only when the
 * replay advances it, so that every stamp is the scenario's time and every timer fires at its
 * scenario time, in order, however fast or slow the replay runs.
 *
 * Transport timers stay on the wall clock on purpose (pushes coalesced to a few a second, ack
 * timeouts, model polling): they pace messages to consoles, not the checkpoint's work.
 */

export interface ClockTimer {
  cancel(): void;
}

export interface HubClock {
  /** ms since epoch. */
  now(): number;
  /** Calls `fn` once, `ms` from now on this clock. Never keeps the process alive. */
  after(ms: number, fn: () => void): ClockTimer;
  /** Calls `fn` every `ms` on this clock: housekeeping ticks that look at state, never start work of their own. */
  every(ms: number, fn: () => void): ClockTimer;
}

export const wallClock: HubClock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, Math.min(Math.max(0, ms), 2 ** 31 - 1)); // setTimeout holds at most 2^31-1 ms
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
  every(ms, fn) {
    const t = setInterval(fn, ms);
    t.unref();
    return { cancel: () => clearInterval(t) };
  },
};

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  /** Period of an `every` timer; null for `after`. */
  periodMs: number | null;
  cancelled: boolean;
}

/** What one `advanceTo` did. */
export interface Advanced {
  /** One-shot timers fired (time limits, grace periods): they may have changed who holds which bag. */
  oneShot: number;
  /** Periodic ticks fired. */
  ticks: number;
}

/**
 * A clock that stands still until advanced. Timers fire inside `advanceTo`, each with the clock
 * set to its own due time, in order of due time and then of scheduling, so that the same
 * sequence of advances gives the same sequence of callbacks on every run.
 */
export class ScenarioClock implements HubClock {
  private current: number;
  private seq = 0;
  private readonly queue: Pending[] = [];

  constructor(start: number, private readonly onError: (err: unknown) => void = (err) => { throw err; }) {
    if (!Number.isFinite(start)) throw new RangeError(`the scenario clock needs a start time, got ${start}`);
    this.current = start;
  }

  now = (): number => this.current;

  after(ms: number, fn: () => void): ClockTimer {
    return this.schedule(this.current + Math.max(0, ms), fn, null);
  }

  every(ms: number, fn: () => void): ClockTimer {
    if (!(ms > 0)) throw new RangeError(`a periodic timer needs a period above 0 ms, got ${ms}`);
    return this.schedule(this.current + ms, fn, ms);
  }

  /** When the next timer is due; null when none is set. */
  nextAt(): number | null {
    this.dropCancelled();
    return this.queue[0]?.at ?? null;
  }

  /** Whether any one-shot timer is set (periodic ticks alone never end a replay's waiting). */
  hasOneShot(): boolean {
    return this.queue.some((p) => !p.cancelled && p.periodMs === null);
  }

  /** Whether a one-shot timer is due by `t`. */
  oneShotDueBy(t: number): boolean {
    for (const p of this.queue) {
      if (p.at > t) return false;
      if (!p.cancelled && p.periodMs === null) return true;
    }
    return false;
  }

  /** Moves the clock to `t`, firing every timer due by then (timers they set included). Time never goes back. */
  advanceTo(t: number): Advanced {
    if (t < this.current) throw new RangeError(`the scenario clock cannot go back from ${new Date(this.current).toISOString()} to ${new Date(t).toISOString()}`);
    const done: Advanced = { oneShot: 0, ticks: 0 };
    for (;;) {
      this.dropCancelled();
      const next = this.queue[0];
      if (!next || next.at > t) break;
      this.queue.shift();
      this.current = next.at;
      if (next.periodMs === null) {
        next.cancelled = true;
        done.oneShot++;
      } else {
        done.ticks++;
        next.at += next.periodMs;
        next.seq = this.seq++;
        this.insert(next);
      }
      try {
        next.fn();
      } catch (err) {
        this.onError(err);
      }
    }
    this.current = t;
    return done;
  }

  private schedule(at: number, fn: () => void, periodMs: number | null): ClockTimer {
    const p: Pending = { at, seq: this.seq++, fn, periodMs, cancelled: false };
    this.insert(p);
    return { cancel: () => { p.cancelled = true; } };
  }

  /** Keeps the queue sorted by (due time, scheduling order); timers are few, so a sorted array will do. */
  private insert(p: Pending): void {
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const q = this.queue[mid] as Pending;
      if (q.at < p.at || (q.at === p.at && q.seq < p.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, p);
  }

  private dropCancelled(): void {
    while (this.queue[0]?.cancelled) this.queue.shift();
    // Cancelled timers deeper in the queue are skipped when they reach the front; a long run that
    // cancels many (every decided bag cancels its time limit) is swept now and then.
    if (this.queue.length > 256) {
      const live = this.queue.filter((p) => !p.cancelled);
      if (live.length < this.queue.length / 2) this.queue.splice(0, this.queue.length, ...live);
    }
  }
}
