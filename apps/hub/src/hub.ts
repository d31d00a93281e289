import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DecisionStoredReply, NAMESPACE, PROTOCOL_VERSION, consoleRequests, deviceRequests,
  type ConsoleToHubEvents, type DeviceToHubEvents, type HubToConsoleEvents, type HubToDeviceEvents,
} from '@clearway/protocol';
import { Store } from '@clearway/store';
import { pino, type Logger } from 'pino';
import { Server, type Namespace, type Socket } from 'socket.io';
import { consoleHandshake, deviceHandshake } from './auth.ts';
import { ScreeningDispatcher } from './dispatcher.ts';
import { FlightDeadlines, ScreeningSettings } from './screening-config.ts';
import { createHttpHandler } from './http.ts';
import { DEFAULT_REFERENCE_MODEL, ModelRegistry } from './models.ts';
import { binaryBytes, registerRequests } from './requests.ts';
import { RobotHub, type RobotHubOptions } from './robots.ts';
import { FlightHub, type FlightHubOptions } from './flights.ts';
import { ExitCheckHub } from './exit-check.ts';
import { SearchHub } from './search.ts';
import { TipHub, type TipHubOptions } from './tip.ts';
import { ShiftLeadHub } from './shift-lead.ts';
import { RiskHub } from './risk.ts';
import { wallClock, type HubClock } from './clock.ts';

export const HUB_VERSION = '0.1.0';

export interface HubOptions {
  /** Data folder for clearway.sqlite, or ':memory:' in tests. */
  dataDir: string;
  port?: number;
  host?: string;
  /** The console's web build (browser mode); null serves only /healthz and socket.io. */
  consoleDir?: string | null;
  /** Largest message accepted, binary attachments included. */
  maxPayloadBytes?: number;
  sessionTtlMs?: number;
  reassignAfterSignOutMs?: number;
  logger?: Logger;
  /** Fault injection for tests: hold each decision ack this long after its commit. */
  faultDecisionAckDelayMs?: number;
  /** Detection model registered when the data folder has none (default: the committed reference model); null for none. */
  referenceModel?: string | null;
  /** How often to look for model changes the CLI made (ms). */
  modelPollMs?: number;
  /** Largest model upload (POST /models) read, in bytes. */
  maxModelUploadBytes?: number;
  /** Robots: the terminal map, command timeout, missions on search decisions, limits. */
  robots?: RobotHubOptions;
  /** Flight clocks: the airport's targets, staffing figures, the clock they run on. */
  flights?: FlightHubOptions;
  /** Threat Image Projection (tip.ts): the library folder and the draw's key. Absent: no projections (main.ts turns it on). */
  tip?: Partial<TipHubOptions>;
  /**
   * What stamps and times the workflow: bag arrival, assignment, decisions, time limits, flight
   * clocks and reports (clock.ts). Default: the wall clock; an accelerated replay passes a ScenarioClock.
   */
  clock?: HubClock;
}

export interface Hub {
  url: string;
  port: number;
  store: Store;
  log: Logger;
  /** Detection models: the active one, files and uploads over HTTP (models.ts). */
  models: ModelRegistry;
  /** Robot states, commands and missions (robots.ts). */
  robots: RobotHub;
  /** Flights from the flight feed and their clearance clocks (flights.ts). */
  flights: FlightHub;
  /** Threat Image Projection (tip.ts). */
  tip: TipHub;
  close(): Promise<void>;
}

export const DEFAULTS = {
  port: 4300,
  host: '127.0.0.1',
  maxPayloadBytes: 32 * 1024 * 1024,
  sessionTtlMs: 12 * 60 * 60 * 1000, // one shift
  reassignAfterSignOutMs: 60_000,
} as const;

/** queue:status to shift leads and other watchers of the line; screening officers get it once a second (200 of them add up). */
const QUEUE_STATUS_INTERVAL_MS = 250;
const QUEUE_STATUS_OFFICER_INTERVAL_MS = 1000;
const QUEUE_WATCH_ROOM = 'queue:watch';
const QUEUE_OFFICER_ROOM = 'queue:officers';

export async function startHub(options: HubOptions): Promise<Hub> {
  const log = options.logger ?? pino({ level: process.env['CLEARWAY_LOG_LEVEL'] ?? 'info' });
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULTS.maxPayloadBytes;
  const store = Store.open(options.dataDir, { backgroundCheckpoints: true, onError: (message) => log.error({ message }, 'background checkpoint failed') });
  const startedAt = Date.now();
  const clock = options.clock ?? wallClock;
  const stamp = () => new Date(clock.now());
  const flightOptions: FlightHubOptions = { clock, now: clock.now, ...options.flights };
  const models = new ModelRegistry(store, log, {
    referenceModel: options.referenceModel === undefined ? DEFAULT_REFERENCE_MODEL : options.referenceModel,
    pollMs: options.modelPollMs ?? 1000,
    ...(options.maxModelUploadBytes ? { maxUploadBytes: options.maxModelUploadBytes } : {}),
    onChange: (model) => consoleNs.emit('model:current', model),
  });

  let consoles = 0;
  let devices = 0;
  // The page handler must be registered before socket.io attaches: socket.io then routes its own
  // paths (long-polling included) and hands everything else to this handler.
  const http: HttpServer = createServer(createHttpHandler(options.consoleDir ?? null, () => ({
    status: 'ok', version: HUB_VERSION, protocolVersion: PROTOCOL_VERSION, uptimeS: Math.round((Date.now() - startedAt) / 1000),
    consoles, devices, waitingBags: dispatcher.waitingCount,
  }), (req, res) => models.handle(req, res)));
  // Frames up to twice the limit are read so that an oversized message gets a clear 'too-large'
  // reply; beyond that the transport drops the connection to protect the hub's memory.
  const io = new Server(http, {
    maxHttpBufferSize: maxPayloadBytes * 2,
    cors: { origin: true }, // bearer-style auth in the handshake, no cookies: origins need not be trusted
    serveClient: false,
  });
  const consoleNs = io.of(NAMESPACE.console) as unknown as Namespace<ConsoleToHubEvents, HubToConsoleEvents>;
  const deviceNs = io.of(NAMESPACE.device) as unknown as Namespace<DeviceToHubEvents, HubToDeviceEvents>;

  let queueTimer: NodeJS.Timeout | null = null;
  let officerQueueTimer: NodeJS.Timeout | null = null;
  let closing = false;
  // Set once the flight clocks exist (below); until then priority comes from risk and arrival.
  let flightDeadlines: FlightDeadlines | null = null;
  const screeningSettings = new ScreeningSettings(store, log);
  // Manifests and risk-based selection (risk.ts); before the dispatcher, which reloads waiting bags with their risk steps.
  const risk = new RiskHub(store, log, { now: clock.now, manifestStored: (key) => flights.manifestStored(key) });
  const dispatcher = new ScreeningDispatcher(store, {
    assigned: (officerId, message) => {
      log.info({ officerId, assignmentId: message.assignmentId, bagTag: message.bag.bagTag }, 'bag assigned');
      consoleNs.to(`officer:${officerId}`).emit('bag:assigned', message);
    },
    withdrawn: (officerId, assignmentId, reason) => consoleNs.to(`officer:${officerId}`).emit('bag:withdrawn', { assignmentId, reason }),
    // The time limit sent a bag to search: it travels on like an officer's 'search' decision.
    sentToSearch: (decision) => {
      tip.sentToSearch(decision); // first: the search sees the bag's own image
      robots.bagDecided(decision.bagId, decision.verdict);
      flights.bagDecided(decision.bagId, decision.verdict);
      search.bagDecided(decision.bagId, decision.verdict);
      exitCheck.changed();
      const deviceId = store.screening.deviceOf(decision.bagId);
      if (deviceId) reportDecisions(deviceId, decision.decisionId);
    },
    queueChanged: () => {
      // Coalesce: a busy line changes many times a second; consoles need a few updates a second.
      if (closing) return; // consoles signing out while the hub closes change the line too
      queueTimer ??= setTimeout(() => {
        queueTimer = null;
        consoleNs.to(QUEUE_WATCH_ROOM).emit('queue:status', dispatcher.status());
      }, QUEUE_STATUS_INTERVAL_MS);
      officerQueueTimer ??= setTimeout(() => {
        officerQueueTimer = null;
        consoleNs.to(QUEUE_OFFICER_ROOM).emit('queue:status', dispatcher.status());
      }, QUEUE_STATUS_OFFICER_INTERVAL_MS);
    },
  }, log, options.reassignAfterSignOutMs ?? DEFAULTS.reassignAfterSignOutMs, {
    rules: () => screeningSettings.current(),
    flightDeadline: (bag) => flightDeadlines?.deadline(bag, clock.now()) ?? null,
    riskSteps: () => risk.rules().priorityBoost,
    clock,
  });
  const robots = new RobotHub(store, consoleNs, log, options.robots);
  const flights = new FlightHub(store, consoleNs, log, flightOptions);
  const search = new SearchHub(store, consoleNs, log, clock.now, (bagId) => {
    flights.searchEnded(bagId);
    exitCheck.changed();
  });
  // Checked bags flagged on the belt: whom to stop at the reclaim exit (exit-check.ts).
  const exitCheck = new ExitCheckHub(store, consoleNs, log, clock.now);
  const tip = new TipHub(store, dispatcher, consoleNs, log, { libraryDir: null, now: clock.now, ...options.tip });
  // The shift lead's dashboard: officers' load, a flight's bags and report (same targets as the clocks).
  // The break rule from the run-time settings (screening.officerWorkload), the same for shift leads and officers.
  const shiftLead = new ShiftLeadHub(store, consoleNs, dispatcher, log, { ...flightOptions, workload: () => screeningSettings.workload() });
  flightDeadlines = new FlightDeadlines(store, flights);

  /**
   * Tells the scanning device about decisions on its bags (a DICOS adapter writes operator TDRs
   * from them). Each is resent on every reconnect until the device acknowledges it.
   */
  const DEVICE_ACK_TIMEOUT_MS = 10_000;
  const reportDecisions = (deviceId: string, decisionId: string | null = null) => {
    const sockets = deviceNs.adapter.rooms.get(`device:${deviceId}`);
    if (!sockets || sockets.size === 0) return;
    for (const report of store.screening.unreportedDecisions(deviceId, decisionId)) {
      deviceNs.to(`device:${deviceId}`).timeout(DEVICE_ACK_TIMEOUT_MS).emit('decision:stored', report, (err: Error | null, replies: unknown[]) => {
        if (err) return log.warn({ deviceId, decisionId: report.decisionId }, 'device did not acknowledge decision:stored; resent on reconnect');
        if (replies.some((r) => DecisionStoredReply.safeParse(r).data?.ok === true)) store.screening.markReported(report.decisionId, stamp());
      });
    }
  };

  const limitPayload = (socket: Socket) => {
    socket.use((packet, next) => {
      const bytes = binaryBytes(packet.slice(1));
      if (bytes <= maxPayloadBytes) return next();
      const [event] = packet;
      const ack = packet[packet.length - 1];
      const error = { code: 'too-large' as const, message: `message of ${bytes} bytes is over the hub's limit of ${maxPayloadBytes} bytes` };
      log.warn({ event, bytes, socket: socket.id }, 'message too large');
      if (typeof ack === 'function') ack({ ok: false, error });
      else socket.emit('protocol:error', { event: String(event), error });
    });
  };

  consoleNs.use(consoleHandshake(store, log, options.sessionTtlMs ?? DEFAULTS.sessionTtlMs) as never);
  consoleNs.on('connection', (socket) => {
    const session = socket.data.officerSession;
    if (!session) return socket.disconnect(true);
    const { officer } = session;
    consoles++;
    limitPayload(socket as unknown as Socket);
    void socket.join(`officer:${officer.id}`);
    const screening = officer.role === 'screening-officer';
    void socket.join(screening ? QUEUE_OFFICER_ROOM : QUEUE_WATCH_ROOM);
    const joined = screening ? dispatcher.officerSignedIn(officer.id, socket.id) : { status: 'available' as const, current: null };
    socket.emit('session:ready', {
      officer, sessionToken: session.sessionToken, expiresAt: session.expiresAt, status: joined.status,
      serverTime: stamp().toISOString(), protocolVersion: PROTOCOL_VERSION,
    });
    // Before the first bag, so that the console loads the model while the officer settles in.
    const model = models.current();
    if (model) socket.emit('model:current', model);
    if (joined.current) socket.emit('bag:assigned', joined.current);
    else if (screening) dispatcher.pump(); // a newly free officer takes the head of the line
    socket.emit('queue:status', dispatcher.status());
    robots.consoleJoined(socket, officer);
    flights.consoleJoined(socket, officer);
    shiftLead.consoleJoined(socket, officer);
    search.consoleJoined(socket, officer);
    exitCheck.consoleJoined(socket, officer);

    registerRequests(socket as unknown as Socket, consoleRequests, {
      log: log.child({ officerId: officer.id }),
      allowed: (event) => consoleRequests[event].roles.some((r) => r === officer.role),
      handlers: {
        'officer:status': ({ status }) => {
          if (screening) dispatcher.setStatus(officer.id, status);
          log.info({ officerId: officer.id, status }, 'officer status');
          return { status };
        },
        'decision:submit': async (d) => {
          // A bag with a projected item: the decision is the officer's response to it (tip.ts).
          const tipResponse = tip.decision(officer.id, d);
          if (tipResponse) return tipResponse;
          const result = store.screening.recordDecision(officer.id, d, stamp());
          if (!result.ok) return { code: result.code, message: result.message };
          if (!result.duplicate) {
            log.info({ officerId: officer.id, bagId: d.bagId, verdict: d.verdict, decisionId: result.decision.decisionId }, 'decision stored');
            dispatcher.decided(d.assignmentId);
          }
          if (options.faultDecisionAckDelayMs) await new Promise((r) => setTimeout(r, options.faultDecisionAckDelayMs));
          // Right after this ack: the officer's next bag, and the report to the scanning device.
          setImmediate(() => {
            tip.decided(officer.id, result.decision);
            dispatcher.pump();
            if (result.duplicate) return;
            robots.bagDecided(d.bagId, d.verdict);
            flights.bagDecided(d.bagId, d.verdict);
            search.bagDecided(d.bagId, d.verdict);
            exitCheck.changed();
            const deviceId = store.screening.deviceOf(d.bagId);
            if (deviceId) reportDecisions(deviceId, result.decision.decisionId);
          });
          return { decisionId: result.decision.decisionId, duplicate: result.duplicate, storedAt: result.decision.storedAt };
        },
        // The first paint: a break now leaves this bag with the officer; the paint time is kept.
        'bag:shown': ({ assignmentId, paintMs }) => {
          const at = stamp();
          const r = store.screening.markShown(officer.id, assignmentId, paintMs, at);
          if (!r.ok) return { code: r.code, message: r.message };
          if (r.first) dispatcher.shown(assignmentId, at);
          return {};
        },
        ...robots.consoleHandlers(officer),
        ...search.consoleHandlers(officer),
        ...exitCheck.consoleHandlers(officer),
        ...tip.consoleHandlers(officer),
        ...shiftLead.consoleHandlers(officer),
        ...risk.consoleHandlers(officer),
        'detection:result': (r) => {
          if (store.tip.answered(r.assignmentId)) return { code: 'conflict', message: 'that bag carried a projected threat: detections on it are not kept' };
          const stored = store.screening.recordDetectionResult(officer.id, r, stamp());
          if (!stored.ok) return { code: stored.code, message: stored.message };
          log.info({ officerId: officer.id, bagId: r.bagId, model: r.model.name, backend: r.backend, inferMs: r.inferMs, detections: r.detections.length }, 'console detections stored');
          return { resultId: stored.result.resultId, replaced: stored.replaced, storedAt: stored.result.storedAt };
        },
      },
    });
    socket.on('disconnect', (reason) => {
      consoles--;
      log.info({ officerId: officer.id, reason }, 'console disconnected');
      if (screening) dispatcher.officerSignedOut(officer.id, socket.id);
      try {
        const consolesOpen = consoleNs.adapter.rooms.get(`officer:${officer.id}`)?.size ?? 0;
        store.audit.append({ type: 'officer.signed-out', actor: { kind: 'officer', id: officer.id }, subjectId: officer.id, payload: { reason, consolesOpen } });
      } catch (err) {
        log.error({ err, officerId: officer.id }, 'could not write sign-out to the audit trail');
      }
    });
  });

  deviceNs.use(deviceHandshake(store, log) as never);
  deviceNs.on('connection', (socket) => {
    const device = socket.data.device;
    if (!device) return socket.disconnect(true);
    devices++;
    limitPayload(socket as unknown as Socket);
    log.info({ deviceId: device.deviceId, kind: device.kind }, 'device connected');
    void socket.join(`device:${device.deviceId}`);
    socket.emit('device:ready', { deviceId: device.deviceId, kind: device.kind, serverTime: stamp().toISOString(), protocolVersion: PROTOCOL_VERSION });
    reportDecisions(device.deviceId);
    if (device.kind === 'robot-bridge') robots.deviceJoined(socket, device.deviceId);
    registerRequests(socket as unknown as Socket, deviceRequests, {
      log: log.child({ deviceId: device.deviceId }),
      allowed: (event) => deviceRequests[event].kinds.some((k) => k === device.kind),
      handlers: {
        'scan:submit': (scan) => {
          const receivedAt = stamp();
          // Stored with a projected item when the TIP draw says so: `views` are the planes as stored.
          const { bagId, duplicate, views } = tip.storeScan(device.deviceId, scan, receivedAt);
          if (!duplicate) {
            log.info({ deviceId: device.deviceId, bagId, bagTag: scan.bagTag, lane: scan.lane, flight: scan.flight }, 'scan stored');
            // Its passenger's risk from the flight's manifest: a higher place in the line, maybe a selection for search.
            const assessed = risk.bagArrived({ bagId, flight: scan.flight, bagTag: scan.bagTag, receivedAt });
            dispatcher.bagArrived({ bagId, receivedAt, lane: scan.lane, flight: scan.flight, bagTag: scan.bagTag, risk: RiskHub.lineRisk(scan.risk, assessed) }, views);
            flights.bagStored(bagId, scan);
            if (assessed?.riskSelected || assessed?.randomSelected) flights.bagSelected(bagId);
          }
          return { bagId, duplicate };
        },
        ...robots.deviceHandlers(device.deviceId),
        ...flights.deviceHandlers(device.deviceId),
        ...risk.deviceHandlers(device.deviceId),
      },
    });
    socket.on('disconnect', (reason) => {
      devices--;
      log.info({ deviceId: device.deviceId, reason }, 'device disconnected');
    });
  });


  const host = options.host ?? DEFAULTS.host;
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? DEFAULTS.port, host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log.info({ url, dataDir: options.dataDir, consoleDir: options.consoleDir ?? null }, 'hub listening');

  return {
    url, port, store, log, robots, models, flights, tip,
    close: async () => {
      closing = true;
      if (queueTimer) clearTimeout(queueTimer);
      if (officerQueueTimer) clearTimeout(officerQueueTimer);
      dispatcher.close();
      models.close();
      robots.close();
      flights.close();
      shiftLead.close();
      exitCheck.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await store.close();
    },
  };
}
