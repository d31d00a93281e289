/**
 * At most one emission per key per interval, latest wins: telemetry marks a key dirty as often as
 * it likes, and `emit(key)` runs at the bounded rate with whatever is newest then. A significant
 * change (`urgent`) goes out on the next turn of the event loop without waiting for the interval,
 * still at most once per turn per key. Nothing is queued: the emission reads the current state.
 */
export class Coalescer {
  private readonly lastEmit = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly dueNow = new Set<string>();
  private flushScheduled = false;
  private closed = false;

  constructor(
    private readonly intervalMs: number,
    private readonly emit: (key: string) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(intervalMs >= 0)) throw new RangeError('intervalMs must be 0 or more');
  }

  mark(key: string, urgent = false): void {
    if (this.closed) return;
    const last = this.lastEmit.get(key);
    const wait = last === undefined ? 0 : last + this.intervalMs - this.now();
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
    this.lastEmit.set(key, this.now());
    this.emit(key);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.dueNow.clear();
  }
}
