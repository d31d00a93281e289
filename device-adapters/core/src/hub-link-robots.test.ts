// HubDeviceLink for robot bridges: reports that are never resent, and the hub's robot commands,
// which are answered even while a telemetry report waits for the hub's acknowledgement.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NAMESPACE, PROTOCOL_VERSION, type RobotCommandToDevice, type RobotStateMessage } from '@clearway/protocol';
import { Server, type Socket } from 'socket.io';
import { afterEach, expect, it } from 'vitest';
import { HubDeviceLink } from './hub-link.ts';

const TOKEN = 'token-for-the-test-robot-bridge';
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of closers.splice(0).reverse()) await c(); });

async function hub() {
  const http = createServer();
  const io = new Server(http);
  const sockets: Socket[] = [];
  const held: ((reply: unknown) => void)[] = [];
  io.of(NAMESPACE.device).on('connection', (socket) => {
    sockets.push(socket);
    socket.emit('device:ready', { deviceId: 'bridge-1', kind: 'robot-bridge', serverTime: new Date().toISOString(), protocolVersion: PROTOCOL_VERSION });
    // The hub sits on every telemetry report until the test lets it go.
    socket.on('robot:states', (_payload: unknown, ack: (reply: unknown) => void) => { held.push(ack); });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => { void io.close(() => resolve()); }));
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, sockets, held };
}

const state: RobotStateMessage = {
  id: 'robot_1', endpoint: 'ws://bridge:9090', pose: { x: 1, y: 2, theta: 0 }, velocity: null, battery: null, diagnostics: null, nav: null,
  emergencyStop: 'released', link: { state: 'live', lastMessageAgeMs: 5, latencyMs: 1, issues: [] }, seq: 1, atMs: Date.now(), stampMs: Date.now(),
};

it("carries out the hub's emergency stop while a telemetry report waits for its ack, and answers with the results", async () => {
  const h = await hub();
  const commands: RobotCommandToDevice[] = [];
  const link = new HubDeviceLink({
    hubUrl: h.url, deviceId: 'bridge-1', token: TOKEN, ackTimeoutMs: 10_000,
    onRobotCommand: async (c) => { commands.push(c); return [{ robotId: 'robot_1', outcome: 'accepted', reason: null }]; },
  });
  closers.push(() => link.close());
  await link.connect();
  const report = link.report('robot:states', { states: [state] });
  await expect.poll(() => h.held.length).toBe(1);
  const socket = h.sockets[0] as Socket;
  const commandId = crypto.randomUUID();
  const reply: unknown = await socket.timeout(5_000).emitWithAck('robot:command', { commandId, robotId: '*', command: 'emergency-stop' });
  expect(reply).toEqual({ ok: true, results: [{ robotId: 'robot_1', outcome: 'accepted', reason: null }] });
  expect(commands).toEqual([{ commandId, robotId: '*', command: 'emergency-stop' }]);
  // The report is still waiting; the hub's answer, ok or not, is what it resolves with.
  h.held[0]?.({ ok: false, error: { code: 'invalid', message: 'states.0.pose.x: expected number', field: 'states.0.pose.x' } });
  expect(await report).toMatchObject({ ok: false, error: { field: 'states.0.pose.x' } });
});

it('answers a malformed command with the field and a failing handler with its message; a report the hub never answers rejects', async () => {
  const h = await hub();
  const link = new HubDeviceLink({
    hubUrl: h.url, deviceId: 'bridge-1', token: TOKEN,
    onRobotCommand: () => Promise.reject(new Error('the fleet link is closed')),
  });
  closers.push(() => link.close());
  await link.connect();
  const socket = h.sockets[0] as Socket;
  expect(await socket.timeout(5_000).emitWithAck('robot:command', { commandId: crypto.randomUUID(), robotId: 'robot_1', command: 'goal' }))
    .toMatchObject({ ok: false, error: { code: 'invalid', field: 'goal' } });
  expect(await socket.timeout(5_000).emitWithAck('robot:command', { commandId: crypto.randomUUID(), robotId: 'robot_1', command: 'dock' }))
    .toEqual({ ok: false, error: { code: 'internal', message: 'the fleet link is closed' } });
  await expect(link.report('robot:states', { states: [state] }, 200)).rejects.toThrow();
});
