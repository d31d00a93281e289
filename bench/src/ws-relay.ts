/**
 * The baseline for scan forwarding: a plain `ws` relay with the hub's delivery rule (each scan
 * to one free console, one at a time) and nothing else: no parsing, no storage, no auth.
 * Producers send binary scans; consumers send the text "ready" when they can take the next one.
 * Runs as its own process and prints its URL as one JSON line.
 */
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 * 1024 });
const waiting: RawData[] = [];
const ready: WebSocket[] = [];

function pump(): void {
  while (waiting.length > 0 && ready.length > 0) {
    const scan = waiting.shift();
    const consumer = ready.shift();
    if (scan && consumer) consumer.send(scan, { binary: true });
  }
}

wss.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      waiting.push(data);
      socket.send('stored'); // the producer's ack, like the hub's scan:submit reply
    } else if (data.toString() === 'ready') {
      ready.push(socket);
    }
    pump();
  });
  socket.on('close', () => {
    const i = ready.indexOf(socket);
    if (i >= 0) ready.splice(i, 1);
  });
});
wss.on('listening', () => {
  const address = wss.address();
  if (typeof address === 'object' && address) console.log(JSON.stringify({ url: `http://127.0.0.1:${address.port}` }));
});
process.on('SIGTERM', () => wss.close(() => process.exit(0)));
