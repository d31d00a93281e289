/**
 * Glue between the hub link (socket.io), the decision outbox and the stores. Everything the
 * hub says is parsed with the protocol's schemas before it touches state.
 */
import { type Socket, io } from 'socket.io-client';
import {
  type ConsoleAuth,
  type ConsoleToHubEvents,
  type DecisionSubmit,
  type HubToConsoleEvents,
  type OfficerStatus,
  type SessionReady,
  type Verdict,
  NAMESPACE,
  OfficerStatusReply,
  PROTOCOL_VERSION,
} from '@clearway/protocol';
import { linkStateOf } from './link-state.ts';
import { type SendOutcome, type OutboxEntry, DecisionOutbox, createEntry } from './outbox.ts';
import { useOutbox } from './outbox-store.ts';
import { connectErrorOf, parsePush, signInMessage } from './pushes.ts';
import { assign, currentBag, decisionTimes, markDecided, withdraw } from './screening.ts';
import { emptyScreening, useScreening } from './screening-store.ts';
import { signedOut, useSession } from './session-store.ts';
import type { Shell } from './shell.ts';
import { clearSession, loadSession, saveSession } from './stored-session.ts';
import { newIdempotencyKey } from './ids.ts';

type ConsoleSocket = Socket<HubToConsoleEvents, ConsoleToHubEvents>;

/** The hub acknowledges a decision only after its database commit; past this we resend. */
export const DECISION_ACK_TIMEOUT_MS = 5000;
const STATUS_ACK_TIMEOUT_MS = 5000;
/** After the hub hangs up on us (restart, kicked session) try the session token again. */
const HANG_UP_RETRY_MS = 3000;

function without(record: Readonly<Record<string, string>>, key: string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
}

export class ConsoleController {
  readonly outbox: DecisionOutbox;
  private readonly socket: ConsoleSocket;
  /** Held only between pressing "Sign in" and the hub's answer. */
  private pendingSignIn: { officerId: string; password: string } | null = null;
  private hangUpRetry: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly shell: Shell,
    private readonly sessionStorage: Storage,
  ) {
    this.outbox = new DecisionOutbox({
      load: () => shell.outbox.load(),
      save: (entries) => shell.outbox.save(entries),
      send: (payload) => this.submitDecision(payload),
      onChange: (entries) => useOutbox.setState({ entries }),
      onSettled: (entry, outcome) => this.decisionSettled(entry, outcome),
    });
    this.socket = io(`${shell.hubUrl}${NAMESPACE.console}`, {
      autoConnect: false,
      // WebSocket first: from app://console a polling request would be cross-origin.
      transports: ['websocket', 'polling'],
      reconnectionDelayMax: 5000,
      // Called on every connection attempt, so a reconnect always uses the latest credentials.
      auth: (send) => send(this.handshake()),
    });
    this.listen();
  }

  /** Loads the outbox and, after a reload, reconnects with the session token in this tab. */
  start(): void {
    void this.outbox.start();
    window.addEventListener('online', () => this.refreshLink());
    window.addEventListener('offline', () => this.refreshLink());
    const stored = loadSession(this.sessionStorage);
    if (stored) {
      useSession.setState({ ...signedOut, phase: 'resuming', officer: stored.officer, link: 'reconnecting' });
      this.socket.connect();
    }
  }

  signIn(officerId: string, password: string): void {
    clearSession(this.sessionStorage);
    this.pendingSignIn = { officerId, password };
    useSession.setState({ ...signedOut, phase: 'signing-in' });
    this.socket.disconnect();
    this.socket.connect();
  }

  /** Unsent decisions stay in the outbox and go when this officer next signs in on this console. */
  signOut(): void {
    this.endSession(null);
  }

  /** Records the officer's decision on the bag on screen. False when no bag may be decided now. */
  decide(verdict: Verdict, pressedAtMs: number): boolean {
    const { phase, officer } = useSession.getState();
    if (phase !== 'signed-in' || officer?.role !== 'screening-officer') return false;
    const { queue, shownAt } = useScreening.getState();
    const assignment = currentBag(queue);
    // Nothing is decided unseen: the image must have been drawn first.
    const shown = assignment && shownAt[assignment.assignmentId];
    if (!assignment || shown === undefined) return false;

    const payload: DecisionSubmit = {
      idempotencyKey: newIdempotencyKey(),
      assignmentId: assignment.assignmentId,
      bagId: assignment.bag.bagId,
      verdict,
      ...decisionTimes(shown, pressedAtMs),
    };
    const bagTag = assignment.bag.bagTag;
    // Synchronous: the bag is off screen before a second key press can reach it.
    useScreening.setState((state) => ({
      queue: markDecided(state.queue, assignment.assignmentId),
      shownAt: without(state.shownAt, assignment.assignmentId),
      lastDecision: { idempotencyKey: payload.idempotencyKey, bagTag, verdict, delivery: 'waiting' },
    }));
    void this.outbox.enqueue(createEntry({ officerId: officer.id, bagTag, payload, createdAt: new Date(pressedAtMs).toISOString() }));
    return true;
  }

  async toggleAvailability(): Promise<void> {
    const { phase, availability, availabilityPending } = useSession.getState();
    if (phase !== 'signed-in' || availabilityPending || !this.socket.connected) return;
    const status: OfficerStatus = availability === 'available' ? 'on-break' : 'available';
    useSession.setState({ availabilityPending: true, notice: null });
    try {
      const raw = await new Promise<unknown>((resolve, reject) => {
        this.socket.timeout(STATUS_ACK_TIMEOUT_MS).emit('officer:status', { status }, (error, reply) => (error ? reject(error) : resolve(reply)));
      });
      const reply = OfficerStatusReply.safeParse(raw);
      if (!reply.success) useSession.setState({ notice: 'Could not change availability: the hub sent an unreadable reply' });
      else if (reply.data.ok) useSession.setState({ availability: reply.data.status });
      else useSession.setState({ notice: `Could not change availability: ${reply.data.error.message}` });
    } catch {
      useSession.setState({ notice: 'Could not change availability: the hub did not answer' });
    } finally {
      useSession.setState({ availabilityPending: false });
    }
  }

  dismissRefused(idempotencyKey: string): void {
    void this.outbox.dismiss(idempotencyKey);
  }

  private handshake(): ConsoleAuth | { protocolVersion: number } {
    const stored = loadSession(this.sessionStorage);
    if (stored) return { protocolVersion: PROTOCOL_VERSION, sessionToken: stored.sessionToken };
    if (this.pendingSignIn) return { protocolVersion: PROTOCOL_VERSION, ...this.pendingSignIn };
    return { protocolVersion: PROTOCOL_VERSION }; // nothing to sign in with: the hub refuses it
  }

  private submitDecision(payload: DecisionSubmit): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.socket.timeout(DECISION_ACK_TIMEOUT_MS).emit('decision:submit', payload, (error, reply) => (error ? reject(error) : resolve(reply)));
    });
  }

  private listen(): void {
    const socket = this.socket;
    socket.on('connect', () => this.refreshLink());
    socket.on('disconnect', (reason) => {
      this.outbox.disconnected();
      this.refreshLink();
      // socket.io does not reconnect after the server hangs up; a stored session tries again.
      if (reason === 'io server disconnect' && loadSession(this.sessionStorage)) {
        if (this.hangUpRetry !== null) clearTimeout(this.hangUpRetry);
        this.hangUpRetry = setTimeout(() => {
          this.hangUpRetry = null;
          if (!socket.active && loadSession(this.sessionStorage)) socket.connect();
        }, HANG_UP_RETRY_MS);
      }
    });
    socket.on('connect_error', (error) => {
      this.outbox.disconnected();
      const refusal = connectErrorOf(error);
      if (refusal) {
        // A refused handshake is not retried by socket.io: back to the sign-in screen.
        this.endSession(signInMessage(refusal));
        return;
      }
      this.refreshLink();
      if (useSession.getState().phase === 'signing-in') {
        useSession.setState({ signInError: `Can't reach the hub at ${this.shell.hubUrl}. Still trying…` });
      }
    });
    socket.on('session:ready', (raw) => {
      const ready = parsePush('session:ready', raw);
      if (ready) this.sessionReady(ready);
    });
    socket.on('bag:assigned', (raw) => {
      const assigned = parsePush('bag:assigned', raw);
      if (assigned) useScreening.setState((state) => ({ queue: assign(state.queue, assigned) }));
    });
    socket.on('bag:withdrawn', (raw) => {
      const withdrawn = parsePush('bag:withdrawn', raw);
      if (!withdrawn) return;
      useScreening.setState((state) => ({
        queue: withdraw(state.queue, withdrawn.assignmentId),
        shownAt: without(state.shownAt, withdrawn.assignmentId),
      }));
    });
    socket.on('queue:status', (raw) => {
      const status = parsePush('queue:status', raw);
      if (status) useScreening.setState({ queueStatus: status });
    });
    socket.on('protocol:error', (raw) => {
      const refused = parsePush('protocol:error', raw);
      if (refused) console.warn(`the hub refused "${refused.event}": ${refused.error.message}`);
    });
  }

  private sessionReady(ready: SessionReady): void {
    saveSession(this.sessionStorage, { sessionToken: ready.sessionToken, officer: ready.officer });
    this.pendingSignIn = null;
    // A different officer on this console starts from a clean screen; a reconnect keeps the bag.
    if (useSession.getState().officer?.id !== ready.officer.id) useScreening.setState(emptyScreening);
    useSession.setState({
      phase: 'signed-in',
      officer: ready.officer,
      availability: ready.status,
      availabilityPending: false,
      signInError: null,
      notice: null,
    });
    this.refreshLink();
    this.outbox.connected(ready.officer.id);
  }

  private endSession(signInError: string | null): void {
    clearSession(this.sessionStorage);
    this.pendingSignIn = null;
    if (this.hangUpRetry !== null) clearTimeout(this.hangUpRetry);
    this.hangUpRetry = null;
    this.socket.disconnect();
    this.outbox.disconnected();
    useSession.setState({ ...signedOut, signInError });
    useScreening.setState(emptyScreening);
  }

  private decisionSettled(entry: OutboxEntry, outcome: SendOutcome): void {
    useScreening.setState((state) => {
      const last = state.lastDecision;
      if (last?.idempotencyKey !== entry.idempotencyKey) return state;
      if (outcome.kind === 'stored') return { lastDecision: { ...last, delivery: 'stored' } };
      if (outcome.kind === 'refused') return { lastDecision: { ...last, delivery: 'refused', error: outcome.message } };
      return { lastDecision: { ...last, delivery: 'waiting' } };
    });
  }

  private refreshLink(): void {
    useSession.setState({ link: linkStateOf(this.socket, navigator.onLine) });
  }
}
