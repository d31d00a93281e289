/**
 * The baseline for the decision benchmark: a bare socket.io server that acks each payload
 * straight back. Runs as its own process, like the hub, and prints its URL as one JSON line.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NAMESPACE } from '@clearway/protocol';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { serveClient: false });
io.of(NAMESPACE.console).on('connection', (socket) => {
  socket.on('decision:submit', (payload: unknown, ack: (reply: unknown) => void) => ack(payload));
});
http.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` }));
});
process.on('SIGTERM', () => io.close(() => process.exit(0)));
