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
import { createHttpHandler } from './http.ts';
import { binaryBytes, registerRequests } from './requests.ts';

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
}

export interface Hub {
  url: string;
  port: number;
  store: Store;
  log: Logger;
  close(): Promise<void>;
}

export const DEFAULTS = {
  port: 4300,
  host: '127.0.0.1',
  maxPayloadBytes: 32 * 1024 * 1024,
  sessionTtlMs: 12 * 60 * 60 * 1000, // one shift
  reassignAfterSignOutMs: 60_000,
} as const;

const QUEUE_STATUS_INTERVAL_MS = 250;

export async function startHub(options: HubOptions): Promise<Hub> {
  const log = options.logger ?? pino({ level: process.env['CLEARWAY_LOG_LEVEL'] ?? 'info' });
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULTS.maxPayloadBytes;
  const store = Store.open(options.dataDir, { backgroundCheckpoints: true, onError: (message) => log.error({ message }, 'background checkpoint failed') });
  const startedAt = Date.now();

  let consoles = 0;
  let devices = 0;
  // The page handler must be registered before socket.io attaches: socket.io then routes its own
  // paths (long-polling included) and hands everything else to this handler.
  const http: HttpServer = createServer(createHttpHandler(options.consoleDir ?? null, () => ({
    status: 'ok', version: HUB_VERSION, protocolVersion: PROTOCOL_VERSION, uptimeS: Math.round((Date.now() - startedAt) / 1000),
    consoles, devices, waitingBags: dispatcher.status().waitingBags,
  })));
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
  const dispatcher = new ScreeningDispatcher(store, {
    assigned: (officerId, message) => {
      log.info({ officerId, assignmentId: message.assignmentId, bagTag: message.bag.bagTag }, 'bag assigned');
      consoleNs.to(`officer:${officerId}`).emit('bag:assigned', message);
    },
    withdrawn: (officerId, assignmentId, reason) => consoleNs.to(`officer:${officerId}`).emit('bag:withdrawn', { assignmentId, reason }),
    queueChanged: () => {
      // Coalesce: a busy line changes many times a second; consoles need a few updates a second.
      if (queueTimer) return;
      queueTimer = setTimeout(() => {
        queueTimer = null;
        consoleNs.emit('queue:status', dispatcher.status());
      }, QUEUE_STATUS_INTERVAL_MS);
    },
  }, log, options.reassignAfterSignOutMs ?? DEFAULTS.reassignAfterSignOutMs);

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
        if (replies.some((r) => DecisionStoredReply.safeParse(r).data?.ok === true)) store.screening.markReported(report.decisionId, new Date());
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
    const joined = screening ? dispatcher.officerSignedIn(officer.id, socket.id) : { status: 'available' as const, current: null };
    socket.emit('session:ready', {
      officer, sessionToken: session.sessionToken, expiresAt: session.expiresAt, status: joined.status,
      serverTime: new Date().toISOString(), protocolVersion: PROTOCOL_VERSION,
    });
    if (joined.current) socket.emit('bag:assigned', joined.current);
    else if (screening) dispatcher.pump(); // a newly free officer takes the head of the line
    socket.emit('queue:status', dispatcher.status());

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
          const result = store.screening.recordDecision(officer.id, d, new Date());
          if (!result.ok) return { code: result.code, message: result.message };
          if (!result.duplicate) {
            log.info({ officerId: officer.id, bagId: d.bagId, verdict: d.verdict, decisionId: result.decision.decisionId }, 'decision stored');
            dispatcher.decided(d.assignmentId);
          }
          if (options.faultDecisionAckDelayMs) await new Promise((r) => setTimeout(r, options.faultDecisionAckDelayMs));
          // Right after this ack: the officer's next bag, and the report to the scanning device.
          setImmediate(() => {
            dispatcher.pump();
            if (result.duplicate) return;
            const deviceId = store.screening.deviceOf(d.bagId);
            if (deviceId) reportDecisions(deviceId, result.decision.decisionId);
          });
          return { decisionId: result.decision.decisionId, duplicate: result.duplicate, storedAt: result.decision.storedAt };
        },
      },
    });
    socket.on('disconnect', (reason) => {
      consoles--;
      log.info({ officerId: officer.id, reason }, 'console disconnected');
      if (screening) dispatcher.officerSignedOut(officer.id, socket.id);
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
    socket.emit('device:ready', { deviceId: device.deviceId, kind: device.kind, serverTime: new Date().toISOString(), protocolVersion: PROTOCOL_VERSION });
    reportDecisions(device.deviceId);
    registerRequests(socket as unknown as Socket, deviceRequests, {
      log: log.child({ deviceId: device.deviceId }),
      allowed: (event) => deviceRequests[event].kinds.some((k) => k === device.kind),
      handlers: {
        'scan:submit': (scan) => {
          const receivedAt = new Date();
          const { bagId, duplicate } = store.screening.storeScan(device.deviceId, scan, receivedAt);
          if (!duplicate) {
            log.info({ deviceId: device.deviceId, bagId, bagTag: scan.bagTag, lane: scan.lane, flight: scan.flight }, 'scan stored');
            dispatcher.bagArrived(bagId, receivedAt, scan.views);
          }
          return { bagId, duplicate };
        },
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
    url, port, store, log,
    close: async () => {
      if (queueTimer) clearTimeout(queueTimer);
      dispatcher.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await store.close();
    },
  };
}
