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
  type BagAssigned,
  type SessionReady,
  type SearchOutcomeSubmit,
  type Verdict,
  type ViewBox,
  DetectionResultReply,
  NAMESPACE,
  OfficerStatusReply,
  PROTOCOL_VERSION,
} from '@clearway/protocol';
import { DetectionClient, createDetectionWorker } from './detection/detection-client.ts';
import { decisionDetections, detectionReport } from './detection/decision-glue.ts';
import type { BagDetections } from './detection/review.ts';
import { initThresholds } from './detection/thresholds-store.ts';
import { registerDetectionHook } from './detection/test-hook.ts';
import { linkStateOf } from './link-state.ts';
import { RobotController } from './robots/robot-controller.ts';
import { DashboardController } from './dashboard/dashboard-controller.ts';
import { resetRobots } from './robots/robot-store.ts';
import { closeSearchForm } from './search/search-form-store.ts';
import { SearchStation } from './search/search-station.ts';
import { resetSearchStation } from './search/search-store.ts';
import { ExitCheckStation } from './exit-check/exit-check-station.ts';
import { resetExitCheck } from './exit-check/exit-check-store.ts';
import { tipResultArrived } from './tip/tip-store.ts';
import { resetWorkload, workloadArrived } from './workload/workload-store.ts';
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
const DETECTION_ACK_TIMEOUT_MS = 5000;
const MAX_UNSENT_RESULTS = 20;
/** After the hub hangs up on us (restart, kicked session) try the session token again. */
const HANG_UP_RETRY_MS = 3000;

function without(record: Readonly<Record<string, string>>, key: string): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
}

export class ConsoleController {
  readonly outbox: DecisionOutbox;
  /** Robot fleet pushes and the operator's robot commands, on the same hub link. */
  readonly robots: RobotController;
  /** The shift lead's flight dashboard: board, officers' load, a flight's bags and report. */
  readonly dashboard: DashboardController;
  /** The search station: flagged bags in, search outcomes out through the outbox. */
  readonly search: SearchStation;
  /** The exit check at reclaim: passengers of flagged checked bags to stop. */
  readonly exitCheck: ExitCheckStation;
  private readonly socket: ConsoleSocket;
  /** Held only between pressing "Sign in" and the hub's answer. */
  private pendingSignIn: { officerId: string; password: string } | null = null;
  private hangUpRetry: ReturnType<typeof setTimeout> | null = null;
  /** The console's own threat detection (a Web Worker); null where the browser has no workers. */
  detection: DetectionClient | null = null;
  /** Model results the hub has not acknowledged yet, resent on the next session. */
  private unsentResults = new Map<string, { assignment: BagAssigned; result: BagDetections }>();
  /** assignmentId → when its bag:assigned arrived, then the time to first paint (ms, this console's clock). */
  private readonly arrivedAt = new Map<string, number>();
  private readonly paintMs = new Map<string, number>();

  constructor(
    readonly shell: Shell,
    private readonly sessionStorage: Storage,
  ) {
    this.outbox = new DecisionOutbox({
      load: () => shell.outbox.load(),
      save: (entries) => shell.outbox.save(entries),
      send: (payload) => this.submitDecision(payload),
      sendSearchOutcome: (payload) => this.submitSearchOutcome(payload),
      onChange: (entries) => useOutbox.setState({ entries }),
      onSettled: (entry, outcome) => (entry.kind === 'search-outcome' ? this.search.settled(entry, outcome) : this.decisionSettled(entry, outcome)),
    });
    this.socket = io(`${shell.hubUrl}${NAMESPACE.console}`, {
      autoConnect: false,
      // WebSocket first: from app://console a polling request would be cross-origin.
      transports: ['websocket', 'polling'],
      reconnectionDelayMax: 5000,
      // Called on every connection attempt, so a reconnect always uses the latest credentials.
      auth: (send) => send(this.handshake()),
    });
    this.robots = new RobotController(this.socket);
    this.dashboard = new DashboardController(this.socket);
    this.search = new SearchStation(this.socket, (entry) => void this.outbox.enqueue(entry));
    this.exitCheck = new ExitCheckStation(this.socket);
    this.listen();
    // The first paint of each bag goes to the hub: a break then leaves the bag with the officer.
    useScreening.subscribe((state, prev) => {
      if (state.shownAt === prev.shownAt) return;
      for (const [assignmentId, shownAt] of Object.entries(state.shownAt)) if (prev.shownAt[assignmentId] === undefined) this.reportShown(assignmentId, shownAt);
    });
  }

  private reportShown(assignmentId: string, shownAt: string): void {
    const arrived = this.arrivedAt.get(assignmentId);
    const paintMs = arrived === undefined ? 0 : Math.min(3_600_000, Math.max(0, Date.parse(shownAt) - arrived));
    this.paintMs.set(assignmentId, paintMs);
    if (!this.socket.connected || useSession.getState().officer?.role !== 'screening-officer') return;
    // Best effort: the decision carries paintMs too.
    this.socket.timeout(STATUS_ACK_TIMEOUT_MS).emit('bag:shown', { assignmentId, shownAt, paintMs }, () => {});
  }

  /** Loads the outbox and, after a reload, reconnects with the session token in this tab. */
  start(): void {
    void this.outbox.start();
    this.startDetection();
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
  decide(verdict: Verdict, pressedAtMs: number, search: { marks?: ViewBox[]; note?: string } = {}): boolean {
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
    const detections = decisionDetections(assignment.assignmentId, verdict);
    if (detections) payload.detections = detections;
    const paintMs = this.paintMs.get(assignment.assignmentId);
    if (paintMs !== undefined) payload.paintMs = paintMs;
    this.paintMs.delete(assignment.assignmentId);
    this.arrivedAt.delete(assignment.assignmentId);
    // The search form's regions and note go with a search only.
    if (verdict === 'search' && search.marks && search.marks.length > 0) payload.marks = search.marks;
    if (verdict === 'search' && search.note) payload.note = search.note;
    const bagTag = assignment.bag.bagTag;
    // Synchronous: the bag is off screen before a second key press can reach it.
    useScreening.setState((state) => ({
      queue: markDecided(state.queue, assignment.assignmentId),
      shownAt: without(state.shownAt, assignment.assignmentId),
      lastDecision: { idempotencyKey: payload.idempotencyKey, bagTag, verdict, delivery: 'waiting' },
    }));
    void this.outbox.enqueue(createEntry({ officerId: officer.id, bagTag, payload, createdAt: new Date(pressedAtMs).toISOString() }));
    if (verdict === 'search') this.robots.offerDispatch(payload.bagId, bagTag);
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

  private startDetection(): void {
    initThresholds(window.localStorage);
    if (typeof Worker === 'undefined') return;
    this.detection = new DetectionClient(createDetectionWorker(), (assignment, result) => this.reportDetections(assignment, result));
    // onnxruntime-web's .wasm and .mjs files, served beside the console (never from a CDN).
    const wasmBase = new URL(__CLEARWAY_ORT_DIR__, document.baseURI).href;
    // `?detector=wasm` keeps the model off WebGPU (support's switch for a GPU driver that misbehaves).
    this.detection.configure(wasmBase, new URLSearchParams(window.location.search).get('detector') !== 'wasm');
    registerDetectionHook(this.detection);
  }

  /** Sends the model's result on a bag to the hub, as that bag's machine result from this console. */
  private reportDetections(assignment: BagAssigned, result: BagDetections): void {
    const key = `${assignment.assignmentId}:${result.model.sha256}`;
    this.unsentResults.set(key, { assignment, result });
    // Only the latest few: a console offline for a shift keeps its decisions, not every model run.
    for (const old of [...this.unsentResults.keys()].slice(0, -MAX_UNSENT_RESULTS)) this.unsentResults.delete(old);
    if (!this.socket.connected || useSession.getState().phase !== 'signed-in') return;
    const payload = detectionReport(assignment, result);
    this.socket.timeout(DETECTION_ACK_TIMEOUT_MS).emit('detection:result', payload, (error, raw) => {
      if (error) return; // no answer: resent with the next session
      this.unsentResults.delete(key);
      const reply = DetectionResultReply.safeParse(raw);
      if (reply.success && !reply.data.ok) console.warn(`the hub refused the detections on bag ${assignment.bag.bagTag}: ${reply.data.error.message}`);
    });
  }

  private resendDetections(): void {
    for (const { assignment, result } of [...this.unsentResults.values()]) this.reportDetections(assignment, result);
  }

  private handshake(): ConsoleAuth | { protocolVersion: number } {
    const stored = loadSession(this.sessionStorage);
    if (stored) return { protocolVersion: PROTOCOL_VERSION, sessionToken: stored.sessionToken };
    if (this.pendingSignIn) return { protocolVersion: PROTOCOL_VERSION, ...this.pendingSignIn };
    return { protocolVersion: PROTOCOL_VERSION }; // nothing to sign in with: the hub refuses it
  }

  private submitSearchOutcome(payload: SearchOutcomeSubmit): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.socket.timeout(DECISION_ACK_TIMEOUT_MS).emit('search:outcome', payload, (error, reply) => (error ? reject(error) : resolve(reply)));
    });
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
      if (!assigned) return;
      if (!this.arrivedAt.has(assigned.assignmentId)) this.arrivedAt.set(assigned.assignmentId, Date.now());
      useScreening.setState((state) => ({ queue: assign(state.queue, assigned) }));
    });
    socket.on('bag:withdrawn', (raw) => {
      const withdrawn = parsePush('bag:withdrawn', raw);
      if (!withdrawn) return;
      this.arrivedAt.delete(withdrawn.assignmentId);
      this.paintMs.delete(withdrawn.assignmentId);
      useScreening.setState((state) => ({
        queue: withdraw(state.queue, withdrawn.assignmentId),
        shownAt: without(state.shownAt, withdrawn.assignmentId),
      }));
    });
    socket.on('queue:status', (raw) => {
      const status = parsePush('queue:status', raw);
      if (status) useScreening.setState({ queueStatus: status });
    });
    socket.on('model:current', (raw) => {
      const model = parsePush('model:current', raw);
      // The hub names a path on itself: from app://console that is another origin.
      if (model) this.detection?.setModel({ ...model, url: new URL(model.url, this.shell.hubUrl).href });
    });
    // Only ever after a decision's ack: whether that bag carried a projected threat (tip/).
    socket.on('tip:result', (raw) => {
      const result = parsePush('tip:result', raw);
      if (result) tipResultArrived(result);
    });
    // The officer's own time at the screen and whether a break is due (workload/).
    socket.on('officer:workload', (raw) => {
      const push = parsePush('officer:workload', raw);
      if (push) workloadArrived(push);
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
    if (useSession.getState().officer?.id !== ready.officer.id) {
      useScreening.setState(emptyScreening);
      resetRobots();
      resetSearchStation();
      resetExitCheck();
      closeSearchForm();
      resetWorkload();
    }
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
    this.resendDetections();
    this.search.connected();
  }

  private endSession(signInError: string | null): void {
    clearSession(this.sessionStorage);
    this.unsentResults.clear();
    this.pendingSignIn = null;
    if (this.hangUpRetry !== null) clearTimeout(this.hangUpRetry);
    this.hangUpRetry = null;
    this.socket.disconnect();
    this.outbox.disconnected();
    useSession.setState({ ...signedOut, signInError });
    useScreening.setState(emptyScreening);
    resetWorkload();
    resetRobots();
    resetSearchStation();
    resetExitCheck();
    closeSearchForm();
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
