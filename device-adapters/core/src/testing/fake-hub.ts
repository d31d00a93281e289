import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  NAMESPACE,
  PROTOCOL_VERSION,
  type ConnectErrorData,
  type DeviceToHubEvents,
  type HubToDeviceEvents,
  type ScanReply,
} from '@clearway/protocol';
import { Server, type Socket } from 'socket.io';

export const GOOD_TOKEN = 'token-for-the-test-scanner-000';

/** What a fake hub does with one scan: reply, or stay silent to drop the acknowledgement. */
export type ScanHandler = (scan: ReceivedScan, socket: Socket<DeviceToHubEvents, HubToDeviceEvents>) => ScanReply | 'drop' | Promise<ScanReply | 'drop'>;

export interface ReceivedScan {
  scanId: string;
  /** Images exactly as they arrived: Buffers when sent as binary attachments. */
  images: unknown[];
}

export interface FakeHub {
  url: string;
  scans: ReceivedScan[];
  handshakes: unknown[];
  setHandler(handler: ScanHandler): void;
  close(): Promise<void>;
}

/** A stand-in for apps/hub's device namespace: token check, device:ready, scan:submit. */
export async function startFakeHub(): Promise<FakeHub> {
  const http = createServer();
  const io = new Server<DeviceToHubEvents, HubToDeviceEvents>(http);
  const scans: ReceivedScan[] = [];
  const handshakes: unknown[] = [];
  let handler: ScanHandler = (scan) => ({ ok: true, bagId: crypto.randomUUID(), duplicate: scans.filter((s) => s.scanId === scan.scanId).length > 1 });
  const device = io.of(NAMESPACE.device);
  device.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    handshakes.push(auth);
    const token = typeof auth === 'object' && auth !== null && 'token' in auth ? auth.token : undefined;
    if (token !== GOOD_TOKEN) {
      const data: ConnectErrorData = { code: 'bad-credentials', message: 'unknown device or wrong token', serverProtocolVersion: PROTOCOL_VERSION };
      next(Object.assign(new Error(data.message), { data }));
      return;
    }
    next();
  });
  device.on('connection', (socket) => {
    socket.emit('device:ready', { deviceId: 'scanner-test', kind: 'scanner', serverTime: new Date().toISOString(), protocolVersion: PROTOCOL_VERSION });
    socket.on('scan:submit', (payload, ack) => {
      const scan: ReceivedScan = { scanId: payload.scanId, images: payload.views.flatMap((v) => [v.low, v.high]) };
      scans.push(scan);
      void Promise.resolve(handler(scan, socket)).then((reply) => {
        if (reply !== 'drop') ack(reply);
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    scans,
    handshakes,
    setHandler: (h) => (handler = h),
    close: async () => {
      await io.close();
    },
  };
}
