/**
 * The exit check at baggage reclaim on the hub. Checked bags are screened on the belt before they
 * reach reclaim; each flagged checked bag marks its passenger (manifest and bag tag), and search
 * officers see whom to stop at the exit and send to the search station (`exit-check:list`, the
 * whole list on sign-in and after every change), and record that they did (`exit-check:direct`).
 * The search's outcome is recorded against the bag at the station like any other.
 */
import { exitCheckList } from '@clearway/domain';
import {
  EXIT_CHECK_MAX_ENTRIES, SEARCH_ROLES,
  type ConsoleToHubEvents, type ErrorBody, type ExitCheckDirect, type ExitCheckEntry, type ExitCheckList, type HubToConsoleEvents, type Officer,
} from '@clearway/protocol';
import type { Store } from '@clearway/store';
import type { Logger } from 'pino';
import type { Namespace, Socket } from 'socket.io';

type ConsoleSocket = Socket<ConsoleToHubEvents, HubToConsoleEvents>;

const ROOM = 'exit-check';
/** Searched passengers stay on the list this long, so the officer sees how it ended. */
const SEARCHED_KEPT_MS = 2 * 60 * 60_000;
/** Changes come in bursts (a flight's bags); consoles need the list a few times a second at most. */
const PUSH_COALESCE_MS = 250;

const iso = (ms: number) => new Date(ms).toISOString();

export class ExitCheckHub {
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly consoles: Namespace<ConsoleToHubEvents, HubToConsoleEvents>,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** The list as search officers see it now. */
  list(): ExitCheckList {
    const now = this.now();
    const bags = this.store.exitCheck.flaggedCheckedBags(new Date(now - SEARCHED_KEPT_MS));
    const entries = exitCheckList(bags).slice(0, EXIT_CHECK_MAX_ENTRIES).map((e): ExitCheckEntry => ({
      key: e.key, passenger: e.passenger, flight: e.flight, state: e.state, flaggedAt: iso(e.flaggedAt), searchedAt: e.searchedAt === null ? null : iso(e.searchedAt),
      bags: e.bags.slice(0, 20).map((b) => ({ bagId: b.bagId, bagTag: b.bagTag, flaggedAt: iso(b.flaggedAt), reasons: b.reasons.map((r) => r.slice(0, 600)).slice(0, 10), state: b.state, outcome: b.outcome })),
    }));
    return { entries, at: iso(now) };
  }

  consoleJoined(socket: ConsoleSocket, officer: Officer): void {
    if (!SEARCH_ROLES.some((r) => r === officer.role)) return;
    void socket.join(ROOM);
    socket.emit('exit-check:list', this.list());
  }

  /** Something that may change the list happened (a decision, an outcome, a passenger stopped). */
  changed(): void {
    if (this.closed || this.timer || (this.consoles.adapter.rooms.get(ROOM)?.size ?? 0) === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      try {
        this.consoles.to(ROOM).emit('exit-check:list', this.list());
      } catch (err) {
        this.log.error({ err }, 'could not push the exit-check list');
      }
    }, PUSH_COALESCE_MS);
  }

  consoleHandlers(officer: Officer) {
    return {
      'exit-check:direct': ({ bagIds }: ExitCheckDirect): { directed: number; at: string } | ErrorBody => {
        const at = new Date(this.now());
        const { marked, flagged } = this.store.exitCheck.direct(officer.id, bagIds, at);
        if (flagged === 0) {
          return { code: 'not-found', message: 'none of these bags is a checked bag flagged for search' };
        }
        if (marked.length > 0) {
          this.log.info({ officerId: officer.id, bagIds: marked }, 'passenger stopped at the exit and sent to the search station');
          this.changed();
        }
        return { directed: marked.length, at: at.toISOString() };
      },
    };
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
