/**
 * What the screening line needs from outside the dispatcher: the run-time settings (decision time
 * limits, queue priority) from SQLite, and each waiting bag's flight deadline from the flight clocks.
 */
import { isCheckedBagTag, linkBagToFlight, type DecisionWindowConfig, type QueuePriorityConfig, type WorkloadConfig } from '@clearway/domain';
import type { FlightBoardEntry } from '@clearway/protocol';
import type { Store } from '@clearway/store';
import type { Logger } from 'pino';

export interface ScreeningRules {
  timeLimits: DecisionWindowConfig;
  queuePriority: QueuePriorityConfig;
}

/**
 * The screening settings as stored (`pnpm clearway config set screening.timeLimits …`), the
 * schemas' defaults where a key is not set. Re-read at most once a second, and at once after a
 * change through this process's store; `current()` returns the same object until something changed.
 */
export class ScreeningSettings {
  private rules: ScreeningRules | null = null;
  private text = '';
  private readAt = 0;
  private version = -1;
  private workloadRule: WorkloadConfig | null = null;
  private workloadReadAt = 0;
  private workloadVersion = -1;

  constructor(private readonly store: Store, private readonly log: Logger, private readonly ttlMs = 1000) {}

  current(): ScreeningRules {
    const now = Date.now();
    if (this.rules && this.version === this.store.settings.version && now - this.readAt < this.ttlMs) return this.rules;
    this.readAt = now;
    this.version = this.store.settings.version;
    const next = { timeLimits: this.read('screening.timeLimits'), queuePriority: this.read('screening.queuePriority') };
    const text = JSON.stringify(next);
    if (this.rules && text === this.text) return this.rules;
    if (this.rules) this.log.info({ rules: next }, 'screening settings changed');
    this.rules = next;
    this.text = text;
    return next;
  }

  /**
   * The break rule (`screening.officerWorkload`): the shift lead's officers:status, the officer's
   * own officer:workload and the performance report all take it from here, so they agree.
   */
  workload(): WorkloadConfig {
    const now = Date.now();
    if (this.workloadRule && this.workloadVersion === this.store.settings.version && now - this.workloadReadAt < this.ttlMs) return this.workloadRule;
    this.workloadReadAt = now;
    this.workloadVersion = this.store.settings.version;
    const w = this.read('screening.officerWorkload');
    const next = { maxContinuousScreenMs: w.maxContinuousScreenMin * 60_000, minBreakMs: w.minBreakMin * 60_000 };
    if (this.workloadRule && (next.maxContinuousScreenMs !== this.workloadRule.maxContinuousScreenMs || next.minBreakMs !== this.workloadRule.minBreakMs)) {
      this.log.info({ workload: w }, 'break rule changed');
    }
    if (!this.workloadRule || JSON.stringify(next) !== JSON.stringify(this.workloadRule)) this.workloadRule = next;
    return this.workloadRule;
  }

  private read<K extends 'screening.timeLimits' | 'screening.queuePriority' | 'screening.officerWorkload'>(key: K) {
    try {
      return this.store.settings.effective(key);
    } catch (err) {
      // A value edited by hand past its schema: run on the defaults rather than stop screening.
      this.log.error({ err, key }, 'stored setting is invalid; using the defaults');
      return this.store.settings.defaults(key);
    }
  }
}

type FlightEntries = { entry(key: string): FlightBoardEntry | null };

/**
 * A waiting bag's flight deadline: the clearance deadline of the clock it counts toward (checked
 * bags: the checked-bags clock; cabin bags: the passengers' clock), from the flight clocks. Null
 * when no known flight fits the bag. Flights are looked up per flight number every 10 s and
 * deadlines per flight every second, so a long line costs two map lookups per bag.
 */
export class FlightDeadlines {
  private readonly candidates = new Map<string, { at: number; list: { key: string; startsAt: number }[] }>();
  private readonly deadlines = new Map<string, { at: number; checked: number | null; cabin: number | null }>();

  constructor(private readonly store: Store, private readonly flights: FlightEntries) {}

  deadline(bag: { flight: string; bagTag: string; receivedAt: number }, now = Date.now()): number | null {
    let c = this.candidates.get(bag.flight);
    if (!c || now - c.at > 10_000) {
      const list = this.store.flights.flightsByNumber(bag.flight)
        .filter((f) => !f.cancelled)
        .map((f) => ({ key: f.key, startsAt: Date.parse(f.actualOnBlock ?? f.estimatedOnBlock ?? f.scheduledOnBlock) }));
      c = { at: now, list };
      this.candidates.set(bag.flight, c);
    }
    if (c.list.length === 0) return null;
    const key = linkBagToFlight(bag.receivedAt, c.list);
    if (key === null) return null;
    let d = this.deadlines.get(key);
    if (!d || now - d.at > 1000) {
      const entry = this.flights.entry(key);
      const at = (iso: string | undefined) => (iso === undefined ? null : Date.parse(iso));
      d = { at: now, checked: at(entry?.clocks.checkedBags.deadline), cabin: at(entry?.clocks.passengers.deadline) };
      this.deadlines.set(key, d);
    }
    return isCheckedBagTag(bag.bagTag) ? d.checked : d.cabin;
  }
}
