/**
 * The search station on the hub: the line of bags sent to search, pushed to search officers on
 * sign-in (`search:queue` snapshot) and kept current (a bag added on each search decision,
 * removed on each outcome); search outcomes stored once per bag; a flagged bag's images on request.
 */
import {
  SEARCH_ROLES,
  type ConsoleToHubEvents, type ErrorBody, type HubToConsoleEvents, type Officer, type ScanView, type SearchOutcomeSubmit,
} from '@clearway/protocol';
import type { Store } from '@clearway/store';
import type { Logger } from 'pino';
import type { Namespace, Socket } from 'socket.io';

type ConsoleSocket = Socket<ConsoleToHubEvents, HubToConsoleEvents>;

const SEARCH_ROOM = 'search-station';
/** The longest line a search console is sent at once (oldest first); later bags follow as the line moves. */
const SNAPSHOT_LIMIT = 200;

export class SearchHub {
  constructor(
    private readonly store: Store,
    private readonly consoles: Namespace<ConsoleToHubEvents, HubToConsoleEvents>,
    private readonly log: Logger,
    /** The hub's clock (a replay runs on scenario time): outcomes are stamped with it. */
    private readonly now: () => number = Date.now,
    /** An outcome was stored: the search of the bag has ended (the passengers' clock holds a passenger until then). */
    private readonly outcomeStored: (bagId: string) => void = () => {},
  ) {}

  /** A search officer signed in: the whole line now, and every change after. */
  consoleJoined(socket: ConsoleSocket, officer: Officer): void {
    if (!SEARCH_ROLES.some((r) => r === officer.role)) return;
    void socket.join(SEARCH_ROOM);
    socket.emit('search:queue', { kind: 'snapshot', bags: this.store.search.flagged(SNAPSHOT_LIMIT), at: new Date(this.now()).toISOString() });
  }

  /**
   * A decision was stored: a search verdict puts the bag in the station's line, and so does any
   * verdict on a bag its manifest selected for search (risk.ts); flaggedBag says which.
   */
  bagDecided(bagId: string, _verdict: string): void {
    if (this.audience() === 0) return;
    const bag = this.store.search.flaggedBag(bagId);
    if (bag) this.consoles.to(SEARCH_ROOM).emit('search:queue', { kind: 'added', bag, at: new Date(this.now()).toISOString() });
  }

  consoleHandlers(officer: Officer) {
    return {
      'search:outcome': (o: SearchOutcomeSubmit): { outcomeId: string; duplicate: boolean; storedAt: string } | ErrorBody => {
        const result = this.store.search.recordOutcome(officer.id, o, new Date(this.now()));
        if (!result.ok) return { code: result.code, message: result.message };
        if (!result.duplicate) {
          this.log.info({ officerId: officer.id, bagId: o.bagId, outcome: o.outcome, threatClass: o.threatClass, outcomeId: result.outcome.outcomeId }, 'search outcome stored');
          // Every search console drops the bag, this one included (it did already).
          this.consoles.to(SEARCH_ROOM).emit('search:queue', { kind: 'removed', bagId: o.bagId, reason: 'outcome-recorded', at: new Date(this.now()).toISOString() });
          this.outcomeStored(o.bagId);
        }
        return { outcomeId: result.outcome.outcomeId, duplicate: result.duplicate, storedAt: result.outcome.storedAt };
      },
      'search:bag': ({ bagId }: { bagId: string }): { bagId: string; views: ScanView[] } | ErrorBody => {
        // Only bags sent to search: the station is not a window on every bag screened.
        if (!this.store.screening.bag(bagId)) return { code: 'not-found', message: 'no such bag' };
        if (!this.store.search.wasFlagged(bagId)) return { code: 'forbidden', message: 'the bag was not sent to search' };
        return { bagId, views: this.store.screening.views(bagId) };
      },
    };
  }

  private audience(): number {
    return this.consoles.adapter.rooms.get(SEARCH_ROOM)?.size ?? 0;
  }
}
