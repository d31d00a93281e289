/**
 * Flights on the hub: the flight feed's arrivals and updates in, every bag counted toward its
 * flight, each flight's clearance clocks computed with @clearway/domain, and the shift lead's
 * board pushed to FLIGHT_BOARD_ROLES consoles on sign-in and on change (coalesced, 2 Hz).
 */
import {
  DEFAULT_POLICY, DEFAULT_STAFFING, adviseStaffing, flightClocks, isCheckedBagTag, linkBagToFlight, passengerItems, passengersWithBags, workItemOf,
  type ClearancePolicy, type Clock, type ClockState, type PassengerBag, type PassengerClock, type StaffingOptions, type WorkItem, type WorkItemState,
} from '@clearway/domain';
import {
  FLIGHT_BOARD_ROLES,
  type ClearanceClock, type ConsoleToHubEvents, type FlightBoard, type FlightBoardEntry, type FlightChange, type FlightInfo, type FlightUpsert,
  type HubToConsoleEvents, type Officer, type Verdict,
} from '@clearway/protocol';
import type { FlightBag, Store } from '@clearway/store';
import type { Logger } from 'pino';
import type { Namespace, Socket } from 'socket.io';
import { wallClock, type ClockTimer, type HubClock } from './clock.ts';

type ConsoleSocket = Socket<ConsoleToHubEvents, HubToConsoleEvents>;

const FLIGHTS_ROOM = 'flights';
const MIN = 60_000;
const HOUR = 60 * MIN;

export interface FlightHubOptions {
  /** The airport's targets and at-risk rules (defaults: 30 minutes for passengers, 20 for checked bags). */
  policy?: Partial<ClearancePolicy>;
  /** Staffing advice: seconds per image on screen (default 20 s), wait and load limits. */
  staffing?: Partial<StaffingOptions>;
  /** The clock the flight clocks run on (ms since epoch). Default Date.now; a replay passes its own. */
  now?: () => number;
  /** What runs the tick below, and `now` when that is not given (default: the wall clock; a replay passes its scenario clock). */
  clock?: HubClock;
  /** Least time between two board pushes. Default 500 ms (2 Hz). */
  pushIntervalMs?: number;
  /** How often clocks are looked at for changes that time alone brings (on-block passed, a breach). Default 1 s. */
  tickMs?: number;
  /** A board goes out at least this often while someone watches, so projections stay fresh. Default 10 s. */
  refreshMs?: number;
}

interface TrackedBag {
  bagId: string;
  flightNumber: string;
  checked: boolean;
  /** When the hub received the scan. */
  seenAt: number;
  state: WorkItemState;
  doneAt?: number;
  /** The flight it counts toward; null while none fits. */
  key: string | null;
  bagTag: string;
  /** Going to the search station: a search verdict, or selected from the manifest (risk.ts). */
  toSearch: boolean;
  /** When its search outcome was stored. */
  searchedAt?: number;
}

/** A flight's manifest as the passengers' clock needs it: bag tag → passenger, bags per passenger. */
interface ManifestCount {
  owners: Map<string, string>;
  perPassenger: Map<string, number>;
}

/** Hours either side of now in which the hub keeps flights in memory. */
const WINDOW_BEFORE = 36 * HOUR;
const WINDOW_AFTER = 48 * HOUR;
/** What the board shows: flights on block in the last 12 hours or the next 6, until an hour after both clocks cleared. */
const BOARD_BEFORE = 12 * HOUR;
const BOARD_AFTER = 6 * HOUR;
const BOARD_KEEP_CLEARED = HOUR;
/** Lane rates for staffing advice: checkpoint CT for cabin bags, hold-baggage CT for checked bags (facts page). */
const CABIN_LANE_PER_MIN = 250 / 60;
/** Passengers a checkpoint lane clears per minute (facts page: about 149 an hour), for a clock counted through manifests. */
const PASSENGER_LANE_PER_MIN = 149 / 60;
const HOLD_LANE_PER_MIN = 1500 / 60;

export class FlightHub {
  private readonly flights = new Map<string, FlightInfo>();
  private readonly bags = new Map<string, TrackedBag>();
  /** Flight numbers whose bags have been loaded from the store. */
  private readonly loadedNumbers = new Set<string>();
  private readonly lastStates = new Map<string, Record<'passengers' | 'checkedBags', ClockState>>();
  /** Manifests by flight key (null: the flight has none), read on first need and after each new one. */
  private readonly manifests = new Map<string, ManifestCount | null>();
  private readonly policy: ClearancePolicy;
  private readonly staffing: StaffingOptions;
  private readonly now: () => number;
  private readonly pushIntervalMs: number;
  private readonly refreshMs: number;
  private readonly ticker: ClockTimer;
  private pushTimer: ReturnType<typeof setTimeout> | null = null;
  private lastPushAt = 0;
  private windowLoadedAt = 0;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly consoles: Namespace<ConsoleToHubEvents, HubToConsoleEvents>,
    private readonly log: Logger,
    options: FlightHubOptions = {},
  ) {
    this.policy = { ...DEFAULT_POLICY, ...options.policy, targets: { ...DEFAULT_POLICY.targets, ...options.policy?.targets } };
    this.staffing = { ...DEFAULT_STAFFING, ...options.staffing };
    const clock = options.clock ?? wallClock;
    this.now = options.now ?? clock.now;
    this.pushIntervalMs = options.pushIntervalMs ?? 500;
    this.refreshMs = options.refreshMs ?? 10_000;
    this.loadWindow();
    // Settle the clocks' states without announcing them as changes.
    this.evaluate(false);
    this.ticker = clock.every(options.tickMs ?? 1000, () => this.tick());
  }

  /** A console signed in: shift leads and admins get the board now and every change after. */
  consoleJoined(socket: ConsoleSocket, officer: Officer): void {
    if (!FLIGHT_BOARD_ROLES.some((r) => r === officer.role)) return;
    void socket.join(FLIGHTS_ROOM);
    socket.emit('flight:board', this.board());
  }

  deviceHandlers(deviceId: string) {
    return {
      'flight:upsert': (batch: FlightUpsert) => {
        const result = this.store.flights.upsert(deviceId, batch, new Date(this.now()));
        this.applied(result.changes);
        const { arrivals, updates, rejected } = result;
        this.log.info({ deviceId, arrivals, updates, rejected: rejected.length }, 'flights stored');
        for (const r of rejected) this.log.warn({ deviceId, ...r }, 'flight item refused');
        return { arrivals, updates, rejected };
      },
    };
  }

  /** A scan was stored: the bag counts toward its flight from now on (seen now, on the flights' clock). */
  bagStored(bagId: string, scan: { flight: string; bagTag: string }): void {
    if (!this.loadedNumbers.has(scan.flight)) {
      // The first bag of a number nobody tracks yet: load its earlier bags (this one among them).
      if (this.numberHasFlights(scan.flight)) this.loadNumber(scan.flight);
      else return;
    } else {
      const bag: TrackedBag = {
        bagId, flightNumber: scan.flight, checked: isCheckedBagTag(scan.bagTag), seenAt: this.now(), state: 'waiting', key: null, bagTag: scan.bagTag, toSearch: false,
      };
      bag.key = this.linkOf(bag);
      this.bags.set(bagId, bag);
    }
    if (this.bags.get(bagId)?.key) this.schedulePush();
  }

  /** The flight's manifest selected the bag for search (risk.ts): its passenger waits for the search. */
  bagSelected(bagId: string): void {
    const bag = this.bags.get(bagId);
    if (bag) bag.toSearch = true;
  }

  /** A search outcome was stored: the bag's passenger may go (when their other bags are done). */
  searchEnded(bagId: string): void {
    const bag = this.bags.get(bagId);
    if (!bag || bag.searchedAt !== undefined) return;
    bag.searchedAt = this.now();
    if (bag.key) this.schedulePush();
  }

  /** A flight's manifest was stored: its passengers' clock counts people from now on. */
  manifestStored(flightKey: string): void {
    this.manifests.delete(flightKey);
    if (this.flights.has(flightKey)) this.schedulePush();
  }

  /** A decision was stored: the bag is done (inspected) for its flight's clock. */
  bagDecided(bagId: string, verdict: Verdict): void {
    const bag = this.bags.get(bagId);
    if (bag && verdict === 'search') bag.toSearch = true;
    if (!bag || bag.state === 'done') return;
    // A search verdict ends the image inspection; the search itself follows at the exit check
    // (counted as done until search outcomes are stored).
    bag.state = 'done';
    bag.doneAt = this.now();
    if (bag.key) this.schedulePush();
  }

  /** The board as it is now. */
  board(): FlightBoard {
    return { at: new Date(this.now()).toISOString(), flights: this.evaluate(true) };
  }

  /** One flight's board entry, or null when the hub does not hold it. */
  entry(key: string): FlightBoardEntry | null {
    const flight = this.flights.get(key);
    return flight ? this.entryOf(flight, this.bagsByFlight()) : null;
  }

  close(): void {
    this.closed = true;
    this.ticker.cancel();
    if (this.pushTimer) clearTimeout(this.pushTimer);
  }

  // ---- state -------------------------------------------------------------------------------

  private loadWindow(): void {
    const now = this.now();
    this.windowLoadedAt = now;
    const fresh = this.store.flights.flightsScheduledBetween(now - WINDOW_BEFORE, now + WINDOW_AFTER);
    this.flights.clear();
    for (const f of fresh) this.flights.set(f.key, f);
    // Forget bags of numbers that left the window; load those that entered it.
    const numbers = new Set(fresh.map((f) => f.flight));
    for (const [id, bag] of this.bags) if (!numbers.has(bag.flightNumber)) this.bags.delete(id);
    for (const n of [...this.loadedNumbers]) if (!numbers.has(n)) this.loadedNumbers.delete(n);
    for (const n of numbers) {
      if (this.loadedNumbers.has(n)) this.relink(n);
      else this.loadNumber(n);
    }
  }

  private numberHasFlights(flightNumber: string): boolean {
    for (const f of this.flights.values()) if (f.flight === flightNumber) return true;
    return false;
  }

  private loadNumber(flightNumber: string): void {
    const since = new Date(this.now() - WINDOW_BEFORE - LINK_SPAN);
    for (const b of this.store.flights.bagsOfFlightNumber(flightNumber, since)) this.bags.set(b.bagId, trackedOf(b));
    for (const s of this.store.manifests.searchesOfFlightNumber(flightNumber, since)) {
      const bag = this.bags.get(s.bagId);
      if (!bag) continue;
      bag.toSearch = true;
      if (s.searchedAt !== null) bag.searchedAt = Date.parse(s.searchedAt);
    }
    this.loadedNumbers.add(flightNumber);
    this.relink(flightNumber);
  }

  private candidates(flightNumber: string) {
    const out: { key: string; startsAt: number }[] = [];
    for (const f of this.flights.values()) {
      if (f.flight !== flightNumber || f.cancelled) continue;
      out.push({ key: f.key, startsAt: Date.parse(f.actualOnBlock ?? f.estimatedOnBlock ?? f.scheduledOnBlock) });
    }
    return out;
  }

  private linkOf(bag: TrackedBag): string | null {
    return linkBagToFlight(bag.seenAt, this.candidates(bag.flightNumber));
  }

  /** Recomputes which flight each bag of a number counts toward (after a new flight, a delay, a cancellation). */
  private relink(flightNumber: string): void {
    const candidates = this.candidates(flightNumber);
    for (const bag of this.bags.values()) if (bag.flightNumber === flightNumber) bag.key = linkBagToFlight(bag.seenAt, candidates);
  }

  private applied(changes: readonly { key: string; change: FlightChange }[]): void {
    if (changes.length === 0) return;
    const now = this.now();
    const touched = new Set<string>();
    for (const { key } of changes) {
      if (touched.has(key)) continue;
      touched.add(key);
      const flight = this.store.flights.flight(key);
      if (!flight) continue;
      const at = Date.parse(flight.scheduledOnBlock);
      if (at < now - WINDOW_BEFORE || at > now + WINDOW_AFTER) continue;
      this.flights.set(key, flight);
    }
    for (const number of new Set([...touched].map((k) => this.flights.get(k)?.flight).filter((n): n is string => n !== undefined))) {
      if (this.loadedNumbers.has(number)) this.relink(number);
      else this.loadNumber(number);
    }
    // Tell the watchers what changed; a new arrival simply appears on the board.
    if (this.audience() > 0) {
      const at = new Date(now).toISOString();
      const groups = this.bagsByFlight();
      for (const { key, change } of changes) {
        if (change.type === 'arrival' && change.created) continue;
        const flight = this.flights.get(key);
        if (flight) this.consoles.to(FLIGHTS_ROOM).emit('flight:update', { at, flight: this.entryOf(flight, groups), change });
      }
    }
    this.schedulePush();
  }

  // ---- clocks and pushes ----------------------------------------------------------------------

  private audience(): number {
    return this.consoles.adapter.rooms.get(FLIGHTS_ROOM)?.size ?? 0;
  }

  private schedulePush(): void {
    if (this.pushTimer || this.closed) return;
    const wait = Math.max(0, this.lastPushAt + this.pushIntervalMs - Date.now());
    this.pushTimer = setTimeout(() => {
      this.pushTimer = null;
      this.push();
    }, wait);
  }

  private push(): void {
    if (this.closed) return;
    this.lastPushAt = Date.now();
    if (this.audience() === 0) return;
    this.consoles.to(FLIGHTS_ROOM).emit('flight:board', this.board());
  }

  private tick(): void {
    if (this.closed) return;
    if (this.now() - this.windowLoadedAt > 10 * MIN) this.loadWindow();
    if (this.audience() === 0) {
      this.evaluate(false);
      return;
    }
    const changed = this.evaluate(true, true);
    if (changed || Date.now() - this.lastPushAt >= this.refreshMs) this.schedulePush();
  }

  /**
   * Every flight on the board with its clocks. Notices clock state changes and, when `announce`,
   * sends each as a flight:update. With `reportOnly`, returns whether any changed instead.
   */
  private evaluate(announce: boolean): FlightBoardEntry[];
  private evaluate(announce: boolean, reportOnly: true): boolean;
  private evaluate(announce: boolean, reportOnly = false): FlightBoardEntry[] | boolean {
    const now = this.now();
    const entries: FlightBoardEntry[] = [];
    let changed = false;
    const at = new Date(now).toISOString();
    const groups = this.bagsByFlight();
    for (const flight of this.flights.values()) {
      if (flight.cancelled) continue;
      // Far from the board's window nothing changes that anyone watches (a first bag can only bring the start earlier).
      const expected = Date.parse(flight.actualOnBlock ?? flight.estimatedOnBlock ?? flight.scheduledOnBlock);
      if (expected < now - BOARD_BEFORE - HOUR || expected > now + BOARD_AFTER + HOUR) continue;
      const entry = this.entryOf(flight, groups);
      const { passengers, checkedBags } = entry.clocks;
      const before = this.lastStates.get(flight.key);
      this.lastStates.set(flight.key, { passengers: passengers.state, checkedBags: checkedBags.state });
      if (before) {
        for (const clock of ['passengers', 'checkedBags'] as const) {
          const from = before[clock];
          const to = entry.clocks[clock].state;
          if (from === to) continue;
          changed = true;
          if (announce && this.audience() > 0) this.consoles.to(FLIGHTS_ROOM).emit('flight:update', { at, flight: entry, change: { type: 'clock', clock, from, to } });
          if (to === 'at-risk' || to === 'breached') this.log.warn({ flight: flight.key, clock, from, to, reason: entry.clocks[clock].atRiskReason }, 'flight clock');
        }
      }
      if (!onBoard(entry, now)) continue;
      entries.push(entry);
    }
    if (reportOnly) return changed;
    entries.sort((a, b) => Date.parse(a.clocks.checkedBags.startsAt) - Date.parse(b.clocks.checkedBags.startsAt) || a.key.localeCompare(b.key));
    return entries.slice(0, 500);
  }

  /** The tracked bags of each flight, in one pass. */
  private bagsByFlight(): Map<string, TrackedBag[]> {
    const groups = new Map<string, TrackedBag[]>();
    for (const bag of this.bags.values()) {
      if (bag.key === null) continue;
      const group = groups.get(bag.key);
      if (group) group.push(bag);
      else groups.set(bag.key, [bag]);
    }
    return groups;
  }

  private entryOf(flight: FlightInfo, groups: ReadonlyMap<string, readonly TrackedBag[]>): FlightBoardEntry {
    const now = this.now();
    const checked: WorkItem[] = [];
    const cabin: WorkItem[] = [];
    const manifest = this.manifestOf(flight.key);
    const ofPassengers: PassengerBag[] = [];
    for (const bag of groups.get(flight.key) ?? []) {
      const item: WorkItem = { state: bag.state, startedAt: bag.seenAt, ...(bag.doneAt === undefined ? {} : { doneAt: bag.doneAt }) };
      (bag.checked ? checked : cabin).push(item);
      const passengerRef = manifest?.owners.get(bag.bagTag);
      if (passengerRef !== undefined) ofPassengers.push({ passengerRef, item: passengerItemOf(bag, item) });
    }
    // With a manifest the passengers' clock counts people (clearance.ts passengerItems); without, their cabin bags.
    const passengers = manifest ? { total: passengersWithBags(manifest.perPassenger), items: passengerItems(manifest.perPassenger, ofPassengers) } : undefined;
    const clocks = flightClocks(
      {
        scheduledOnBlock: Date.parse(flight.scheduledOnBlock),
        estimatedOnBlock: flight.estimatedOnBlock === undefined ? undefined : Date.parse(flight.estimatedOnBlock),
        actualOnBlock: flight.actualOnBlock === undefined ? undefined : Date.parse(flight.actualOnBlock),
        passengers: flight.passengers, checkedBags: flight.checkedBags, cabinBags: flight.cabinBags, targets: flight.targets,
      },
      { checkedBags: checked, cabinBags: cabin, passengers },
      now,
      this.policy,
    );
    return {
      ...flight,
      clocks: {
        // Counted through manifests, the remaining figure is people; otherwise the cabin bags officers screen.
        passengers: this.wireClock(clocks.passengers, now, clocks.passengers.countedBy === 'manifest'
          ? { unit: 'passengers', laneItemsPerMin: PASSENGER_LANE_PER_MIN }
          : { unit: 'cabin bags', laneItemsPerMin: CABIN_LANE_PER_MIN }),
        checkedBags: this.wireClock(clocks.checkedBags, now, { unit: 'bags', laneItemsPerMin: HOLD_LANE_PER_MIN }),
      },
    };
  }

  private manifestOf(flightKey: string): ManifestCount | null {
    let m = this.manifests.get(flightKey);
    if (m === undefined) {
      const owners = this.store.manifests.hasManifest(flightKey) ? this.store.manifests.bagOwners(flightKey) : null;
      m = null;
      if (owners) {
        const perPassenger = new Map<string, number>();
        for (const ref of owners.values()) perPassenger.set(ref, (perPassenger.get(ref) ?? 0) + 1);
        // Passengers without bags have nothing to screen: left out (clearance.ts passengersWithBags).
        m = { owners, perPassenger };
      }
      this.manifests.set(flightKey, m);
    }
    return m;
  }

  /** A domain clock on the wire; the passengers' clock in passengers, its advice in cabin bags (what officers screen). */
  private wireClock(clock: Clock | PassengerClock, now: number, lane: { unit: string; laneItemsPerMin: number }): ClearanceClock {
    const people = 'passengersTotal' in clock;
    const ratio = people ? (clock.total > 0 ? clock.passengersTotal / clock.total : 0) : 1;
    const total = people ? clock.passengersTotal : clock.total;
    const done = people ? clock.passengersDone : clock.done;
    const time = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);
    const p = clock.projection;
    const working = (clock.state === 'in-progress' || clock.state === 'at-risk') && clock.remaining > 0;
    const advice = working ? adviseStaffing(clock.remaining, (clock.deadline - now) / MIN, { ...this.staffing, ...lane }) : null;
    return {
      state: clock.state,
      startsAt: new Date(clock.startsAt).toISOString(),
      onBlockAssumed: clock.onBlockAssumed,
      targetMinutes: clock.targetMinutes,
      deadline: new Date(clock.deadline).toISOString(),
      total,
      started: Math.min(total, Math.round(clock.started * ratio)),
      done,
      remaining: total - done,
      clearedAt: clock.clearedAt === null ? null : new Date(clock.clearedAt).toISOString(),
      metTarget: clock.metTarget,
      projection: p === null ? null : {
        ratePerMin: p.ratePerMin * ratio, rateLowPerMin: p.rateLowPerMin * ratio, rateHighPerMin: p.rateHighPerMin * ratio,
        expectedAt: time(p.expectedAt), earliestAt: time(p.earliestAt), latestAt: time(p.latestAt), completions: p.completions,
      },
      atRiskReason: clock.atRiskReason,
      staffing: advice === null ? null : { officers: advice.officers, lanes: advice.lanes, lines: advice.lines },
      ...(people ? { countedBy: clock.countedBy } : {}),
    };
  }
}

/** Bags are looked up this far back beyond the flight window (a bag belongs to a flight for up to a day after on-block). */
const LINK_SPAN = 24 * HOUR;

function trackedOf(b: FlightBag): TrackedBag {
  const seenAt = Date.parse(b.receivedAt);
  const item = workItemOf(b.state, seenAt, b.decidedAt === null ? null : Date.parse(b.decidedAt));
  return {
    bagId: b.bagId, flightNumber: b.flight, checked: isCheckedBagTag(b.bagTag), seenAt, state: item.state, ...(item.doneAt === undefined ? {} : { doneAt: item.doneAt }),
    key: null, bagTag: b.bagTag, toSearch: b.verdict === 'search',
  };
}

/**
 * The bag as its passenger sees it: a decision lets the passenger's bag go, unless the bag goes to
 * the search station (search verdict or selection); then it holds them until the outcome is stored.
 */
function passengerItemOf(bag: TrackedBag, item: WorkItem): WorkItem {
  if (item.state !== 'done' || !bag.toSearch) return item;
  return bag.searchedAt === undefined ? { state: 'held', startedAt: item.startedAt } : { state: 'done', startedAt: item.startedAt, doneAt: bag.searchedAt };
}

function onBoard(entry: FlightBoardEntry, now: number): boolean {
  const { passengers, checkedBags } = entry.clocks;
  const startsAt = Date.parse(checkedBags.startsAt);
  if (startsAt < now - BOARD_BEFORE || startsAt > now + BOARD_AFTER) return false;
  if (passengers.clearedAt !== null && checkedBags.clearedAt !== null) {
    return Math.max(Date.parse(passengers.clearedAt), Date.parse(checkedBags.clearedAt)) > now - BOARD_KEEP_CLEARED;
  }
  return true;
}
