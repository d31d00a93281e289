// Test helpers: a scripted rosbridge server, and the simulator with the real ros2-web-bridge.
import { once } from 'node:events';
import { createRequire } from 'node:module';
import type * as BridgeModule from '@clearway/rclnodejs-sim/bridge';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The simulator and the bridge are CommonJS and must be the module instances ros2-web-bridge
 * require()s ('rclnodejs' is the simulator), so they are loaded with Node's require.
 */
export const sim = createRequire(import.meta.url)('@clearway/rclnodejs-sim/bridge') as typeof BridgeModule;

export type Frame = Record<string, unknown>;

export interface FakeServer {
  url: string;
  /** Every frame received, parsed, with the connection it came on (1, 2, …). */
  received: { connection: number; frame: Frame }[];
  sockets: WebSocket[];
  connections: number;
  /** Sends raw text (or bytes) to every open connection. */
  broadcast(data: string | Buffer): void;
  dropAll(): void;
  close(): Promise<void>;
}

/**
 * A rosbridge server that answers as `respond` says: return frames (objects are sent as JSON,
 * strings as they are) or nothing.
 */
export async function startFakeServer(respond: (frame: Frame, connection: number) => (Frame | string)[] = () => [], onConnect?: (socket: WebSocket, connection: number) => void): Promise<FakeServer> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(wss, 'listening');
  const server: FakeServer = {
    url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`,
    received: [],
    sockets: [],
    connections: 0,
    broadcast(data) {
      for (const s of server.sockets) if (s.readyState === s.OPEN) s.send(data);
    },
    dropAll() {
      for (const s of server.sockets) s.terminate();
    },
    async close() {
      for (const s of server.sockets) s.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
  wss.on('connection', (socket) => {
    const connection = ++server.connections;
    server.sockets.push(socket);
    socket.on('close', () => server.sockets.splice(server.sockets.indexOf(socket), 1));
    socket.on('message', (data) => {
      let frame: Frame;
      try {
        frame = JSON.parse(data.toString()) as Frame;
      } catch {
        throw new Error(`the client sent a malformed frame: ${data.toString().slice(0, 80)}`);
      }
      server.received.push({ connection, frame });
      for (const out of respond(frame, connection)) socket.send(typeof out === 'string' ? out : JSON.stringify(out));
    });
    onConnect?.(socket, connection);
  });
  return server;
}

/** ros2-web-bridge's answers to the two detection probes (status level 'none'). */
export function ros2WebBridgeReplies(frame: Frame): Frame[] {
  if (frame['op'] === 'set_level') return [{ op: 'status', level: 'none', msg: 'OK', id: frame['id'] }];
  if (frame['op'] === 'call_service' && frame['service'] === '/rosapi/get_time') {
    return [{ op: 'status', level: 'error', msg: 'call_service: Error: The message required does not exist: rosapi_msgs, srv, GetTime', id: frame['id'] }];
  }
  return [];
}
