/**
 * At most one emission per key per interval, latest wins: telemetry marks a key dirty as often as
 * it likes, and `emit(key)` runs at the bounded rate with whatever is newest then. A significant
 * change (`urgent`) goes out on the next turn of the event loop without waiting for the interval,
 * still at most once per turn per key. Nothing is queued: the emission reads the current state.
 * With `burst` above 1 the bound is an average (a token bucket of that size): a robot that
 * publishes at about the rate, with jitter, is passed on without waiting for the interval.
 */
export class Coalescer {
  /** Emissions each key may make now (refilled one per interval, up to burst), and when that was. */
  private readonly tokens = new Map<string, { n: number; at: number }>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly lazy = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly dueNow = new Set<string>();
  private flushScheduled = false;
  private closed = false;

  constructor(
    private readonly intervalMs: number,
    private readonly emit: (key: string) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly burst = 1,
  ) {
    if (!(intervalMs >= 0)) throw new RangeError('intervalMs must be 0 or more');
    if (!(burst >= 1)) throw new RangeError('burst must be 1 or more');
  }

  private level(key: string): { n: number; at: number } {
    const now = this.now();
    const b = this.tokens.get(key) ?? { n: this.burst, at: now };
    b.n = this.intervalMs === 0 ? this.burst : Math.min(this.burst, b.n + (now - b.at) / this.intervalMs);
    b.at = now;
    this.tokens.set(key, b);
    return b;
  }

  mark(key: string, urgent = false): void {
    if (this.closed) return;
    const b = this.level(key);
    const wait = (1 - b.n) * this.intervalMs;
    if (urgent || wait <= 0) {
      const timer = this.timers.get(key);
      if (timer) clearTimeout(timer);
      this.timers.delete(key);
      this.dueNow.add(key);
      this.scheduleFlush();
      return;
    }
    if (this.timers.has(key) || this.dueNow.has(key)) return;
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.fire(key);
      }, wait),
    );
  }

  /**
   * A change that may wait for the next emission of the key (slow topics: battery, diagnostics),
   * but no longer than one interval: it spends no emission of its own while a faster topic keeps
   * the key emitting, so that topic's messages are not held back behind it.
   */
  markLazy(key: string): void {
    if (this.closed || this.lazy.has(key) || this.timers.has(key) || this.dueNow.has(key)) return;
    this.lazy.set(key, setTimeout(() => {
      this.lazy.delete(key);
      this.mark(key);
    }, this.intervalMs));
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const keys = [...this.dueNow];
      this.dueNow.clear();
      for (const key of keys) this.fire(key);
    });
  }

  private fire(key: string): void {
    if (this.closed) return;
    const lazy = this.lazy.get(key);
    if (lazy) clearTimeout(lazy);
    this.lazy.delete(key);
    const b = this.level(key);
    b.n = Math.max(0, b.n - 1);
    this.emit(key);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const timer of this.lazy.values()) clearTimeout(timer);
    this.lazy.clear();
    this.dueNow.clear();
  }
}
