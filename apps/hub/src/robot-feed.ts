/**
 * One console's robot telemetry: at most `hz` states per robot per second on average (a token
 * bucket, so the jitter of a robot reporting at that rate costs no delay), latest wins, never a
 * state the bridge did not send, never the same state twice. A console whose socket has not
 * written out what it was given (a slow screen or network) gets nothing new until it has; the
 * newest state per robot waits instead of a queue growing in the hub. A waiting state that differs
 * from its successor in a way the operator must see (`keep`: the link went stale, then
 * disconnected) is sent rather than dropped.
 */
export class RobotFeed<S extends { id: string }> {
  private readonly tokens = new Map<string, { n: number; at: number }>();
  private readonly pending = new Map<string, S>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private readonly periodMs: number;

  constructor(
    private readonly send: (states: S[]) => void,
    private readonly options: { hz: number; burst: number; busy: () => boolean; now?: () => number; keep?: (older: S, newer: S) => boolean },
  ) {
    if (!(options.hz > 0) || !(options.burst >= 1)) throw new RangeError('hz must be above 0 and burst at least 1');
    this.periodMs = 1000 / options.hz;
  }

  /** New states from a bridge; `force` (a bridge gone, a stop) skips the rate limit but not the order. */
  offer(states: readonly S[], force = false): void {
    if (this.closed) return;
    const now = this.now();
    const out: S[] = [];
    const busy = this.options.busy();
    for (const s of states) {
      const waiting = this.pending.get(s.id);
      if (waiting && !busy && this.options.keep?.(waiting, s)) out.push(waiting);
      if (!busy && (force || this.take(s.id, now))) {
        this.pending.delete(s.id);
        out.push(s);
      } else {
        this.pending.set(s.id, s);
      }
    }
    if (out.length > 0) this.send(out);
    if (this.pending.size > 0) this.schedule();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }

  private now(): number {
    return this.options.now ? this.options.now() : performance.now();
  }

  private take(id: string, now: number): boolean {
    const b = this.tokens.get(id) ?? { n: this.options.burst, at: now };
    b.n = Math.min(this.options.burst, b.n + (now - b.at) / this.periodMs);
    b.at = now;
    this.tokens.set(id, b);
    if (b.n < 1) return false;
    b.n -= 1;
    return true;
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    // The soonest a waiting robot has a token again.
    const now = this.now();
    let wait = this.periodMs;
    for (const id of this.pending.keys()) {
      const b = this.tokens.get(id);
      wait = Math.min(wait, b ? Math.max(0, (1 - b.n) * this.periodMs - (now - b.at)) : 0);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      const waiting = [...this.pending.values()];
      this.pending.clear();
      this.offer(waiting);
    }, Math.max(1, Math.ceil(wait)));
  }
}
