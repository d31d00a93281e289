import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ros2WebBridgeReplies, startFakeServer, type FakeServer, type Frame } from '../test-support.ts';
import { RosbridgeConnection, type ConnectionEvent, type RosbridgeConnectionOptions } from './connection.ts';
import { CommandError, ServiceCallError } from './errors.ts';

let server: FakeServer | null = null;
let connection: RosbridgeConnection | null = null;

afterEach(async () => {
  connection?.close();
  connection = null;
  await server?.close();
  server = null;
});

function connect(options: Partial<RosbridgeConnectionOptions> & { events?: ConnectionEvent[] } = {}): RosbridgeConnection {
  if (!server) throw new Error('no server');
  const events = options.events;
  connection = new RosbridgeConnection({
    url: server.url,
    reconnect: { initialMs: 20, maxMs: 200, jitter: 0 },
    ...options,
    onEvent: (e) => events?.push(e),
  });
  connection.start();
  return connection;
}

const ops = (op: string) => (server?.received ?? []).filter((r) => r.frame['op'] === op).map((r) => r.frame);

describe('dialect', () => {
  it('tells ros2-web-bridge by its status replies to the probes', async () => {
    server = await startFakeServer(ros2WebBridgeReplies);
    const events: ConnectionEvent[] = [];
    const c = connect({ events });
    await c.whenOpen();
    await expect.poll(() => c.dialect).toBe('ros2-web-bridge');
    expect(events).toContainEqual({ type: 'dialect', url: server.url, dialect: 'ros2-web-bridge', how: 'detected' });
  });

  it('tells rosbridge_suite by its service_response, result: false for a missing rosapi', async () => {
    server = await startFakeServer((f) =>
      f['op'] === 'call_service' ? [{ op: 'service_response', service: f['service'], values: 'Service /rosapi/get_time does not exist', result: false, id: f['id'] }] : [],
    );
    const c = connect();
    await expect.poll(() => c.dialect).toBe('rosbridge_suite');
  });

  it('assumes ros2-web-bridge when nothing answers', async () => {
    server = await startFakeServer();
    const events: ConnectionEvent[] = [];
    const c = connect({ events, detectTimeoutMs: 50 });
    await expect.poll(() => c.dialect).toBe('ros2-web-bridge');
    expect(events.find((e) => e.type === 'dialect')).toMatchObject({ how: 'assumed' });
  });
});

describe('robust input', () => {
  it('skips malformed frames, reports them, and goes on with the next good one', async () => {
    server = await startFakeServer(ros2WebBridgeReplies);
    const events: ConnectionEvent[] = [];
    const c = connect({ events, dialect: 'ros2-web-bridge' });
    const got: unknown[] = [];
    c.subscribe('/robot_1/odom', 'nav_msgs/msg/Odometry', (msg) => got.push(msg));
    await c.whenOpen();
    await expect.poll(() => ops('subscribe').length).toBe(1);
    for (const junk of ['garbage', '{"op":"publish","topic":', '[1,2,3]', '{"topic":"/robot_1/odom"}', '{"op":"publish","topic":"/robot_1/odom","msg":"x"}', '\u0000\u0001']) server.broadcast(junk);
    server.broadcast(Buffer.from([0xff, 0xfe, 0x00]));
    server.broadcast('{"op":"publish","topic":"/robot_1/odom","msg":{"ok":true}}');
    server.broadcast('{"op":"publish","topic":"/not_subscribed","msg":{"ok":true}}');
    await expect.poll(() => got).toEqual([{ ok: true }]);
    expect(events.filter((e) => e.type === 'malformed-frame')).toHaveLength(7);
    expect(c.counters.malformed).toBe(7);
    expect(c.isOpen).toBe(true);
  });

  it('survives a subscription handler that throws', async () => {
    server = await startFakeServer(ros2WebBridgeReplies);
    const events: ConnectionEvent[] = [];
    const c = connect({ events, dialect: 'ros2-web-bridge' });
    c.subscribe('/robot_1/odom', 'nav_msgs/msg/Odometry', () => {
      throw new Error('handler bug');
    });
    await c.whenOpen();
    await expect.poll(() => ops('subscribe').length).toBe(1);
    server.broadcast('{"op":"publish","topic":"/robot_1/odom","msg":{}}');
    await expect.poll(() => events.find((e) => e.type === 'handler-error')).toMatchObject({ message: 'handler bug' });
    expect(c.isOpen).toBe(true);
  });

  it('never sends a frame it cannot encode: NaN in a message is refused before anything goes out', async () => {
    server = await startFakeServer(ros2WebBridgeReplies);
    const c = connect({ dialect: 'ros2-web-bridge' });
    await c.whenOpen();
    c.advertise('/robot_1/goal_pose', 'geometry_msgs/msg/PoseStamped');
    const before = server.received.length;
    expect(() => c.publish('/robot_1/goal_pose', { pose: { position: { x: NaN } } })).toThrow(CommandError);
    await sleep(30);
    expect(server.received.slice(before).filter((r) => r.frame['op'] === 'publish')).toEqual([]);
  });
});

describe('service calls', () => {
  it('time out when nobody answers (ros2-web-bridge never replies for an unknown service)', async () => {
    server = await startFakeServer(ros2WebBridgeReplies);
    const c = connect({ dialect: 'ros2-web-bridge' });
    await c.whenOpen();
    const started = performance.now();
    const { response } = c.callService('/robot_9/dock', 'std_srvs/srv/Trigger', {}, { timeoutMs: 150 });
    const error = await response.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceCallError);
    expect(error).toMatchObject({ reason: 'timeout', service: '/robot_9/dock' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("fail with rosbridge_suite's result: false and its message", async () => {
    server = await startFakeServer((f) =>
      f['op'] === 'call_service' ? [{ op: 'service_response', service: f['service'], values: `Service ${String(f['service'])} does not exist`, result: false, id: f['id'] }] : [],
    );
    const c = connect({ dialect: 'rosbridge_suite' });
    await c.whenOpen();
    const { response } = c.callService('/robot_9/dock', 'std_srvs/srv/Trigger', {});
    await expect(response).rejects.toMatchObject({ reason: 'failed', message: '/robot_9/dock: Service /robot_9/dock does not exist' });
  });

  it("fail at once on ros2-web-bridge's error status for the call", async () => {
    server = await startFakeServer((f) => [
      ...ros2WebBridgeReplies(f),
      ...(f['op'] === 'call_service' && f['service'] === '/x' ? [{ op: 'status', level: 'error', msg: 'call_service: Error: The message required does not exist', id: f['id'] }] : []),
    ]);
    const c = connect({ dialect: 'ros2-web-bridge' });
    await c.whenOpen();
    await expect(c.callService('/x', 'nope/srv/Nope', {}).response).rejects.toMatchObject({ reason: 'bridge-error' });
  });

  it('fail when the connection drops, and refuse while not connected', async () => {
    server = await startFakeServer(ros2WebBridgeReplies);
    const c = connect({ dialect: 'ros2-web-bridge' });
    await c.whenOpen();
    const { response } = c.callService('/robot_1/dock', 'std_srvs/srv/Trigger', {}, { timeoutMs: 5_000 });
    server.dropAll();
    await expect(response).rejects.toMatchObject({ reason: 'disconnected' });
    await expect.poll(() => c.isOpen).toBe(false);
    await expect(c.callService('/robot_1/dock', 'std_srvs/srv/Trigger', {}).response).rejects.toMatchObject({ reason: 'not-connected' });
  });
});

describe('reconnection', () => {
  it('reconnects with capped exponential backoff and sends its subscriptions and advertisements again', async () => {
    server = await startFakeServer(ros2WebBridgeReplies, (socket, n) => {
      // The first three connections are cut at once: the backoff grows.
      if (n <= 3) setTimeout(() => socket.terminate(), 5);
    });
    const events: ConnectionEvent[] = [];
    const c = connect({ events, dialect: 'ros2-web-bridge' });
    c.subscribe('/robot_1/odom', 'nav_msgs/msg/Odometry', () => {});
    c.advertise('/robot_1/emergency_stop', 'std_msgs/msg/Bool', true);
    await expect.poll(() => server?.connections, { timeout: 3_000 }).toBe(4);
    await expect.poll(() => c.isOpen).toBe(true);
    const delays = events.filter((e) => e.type === 'closed').map((e) => (e.type === 'closed' ? e.reconnectInMs : null));
    expect(delays.slice(0, 3)).toEqual([20, 40, 80]);
    for (let n = 1; n <= 4; n++) {
      const on = server.received.filter((r) => r.connection === n).map((r) => r.frame);
      if (n === 4 || on.length > 0) {
        expect(on.some((f) => f['op'] === 'subscribe' && f['topic'] === '/robot_1/odom' && f['type'] === 'nav_msgs/msg/Odometry')).toBe(n === 4 ? true : on.some((f) => f['op'] === 'subscribe'));
      }
    }
    const last = server.received.filter((r) => r.connection === 4).map((r) => r.frame);
    expect(last).toContainEqual(expect.objectContaining({ op: 'advertise', topic: '/robot_1/emergency_stop', type: 'std_msgs/msg/Bool', latch: true }));
  });

  it('drops a connection that went silent (no frame, no probe reply) and makes a new one', async () => {
    let mute = true;
    server = await startFakeServer((f, n) => (n === 1 && mute ? [] : ros2WebBridgeReplies(f)));
    const events: ConnectionEvent[] = [];
    const c = connect({ events, dialect: 'ros2-web-bridge', probeIntervalMs: 30, stallTimeoutMs: 150 });
    await expect.poll(() => events.some((e) => e.type === 'stalled'), { timeout: 3_000 }).toBe(true);
    mute = false;
    await expect.poll(() => server?.connections, { timeout: 3_000 }).toBe(2);
    await expect.poll(() => c.latencyMs !== null, { timeout: 3_000 }).toBe(true);
    expect(c.counters.stalls).toBe(1);
  });
});

describe('priority', () => {
  it('sends an urgent frame ahead of normal frames waiting for a full socket', async () => {
    let held: (() => void) | null = null;
    server = await startFakeServer(ros2WebBridgeReplies, (socket) => {
      // The server stops reading as soon as the client has advertised: the socket fills up.
      const raw = (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
      held = () => raw.resume();
      socket.on('message', (data) => {
        if (String(data).includes('"op":"advertise"') && String(data).includes('emergency_stop')) raw.pause();
      });
    });
    const c = connect({ dialect: 'ros2-web-bridge', maxBufferedBytes: 64 * 1024 });
    await c.whenOpen();
    c.advertise('/robot_1/goal_pose', 'geometry_msgs/msg/PoseStamped');
    c.advertise('/robot_1/emergency_stop', 'std_msgs/msg/Bool');
    await expect.poll(() => ops('advertise').length).toBe(2);
    // 16 MB of goal: more than the kernel's buffers take, so the rest waits in the client's socket.
    const bulk = c.publish('/robot_1/goal_pose', { note: 'x'.repeat(16 * 1024 * 1024) } as never);
    expect(bulk.sentAt).not.toBeNull();
    const goal = c.publish('/robot_1/goal_pose', { n: 2 } as never);
    const stop = c.publish('/robot_1/emergency_stop', { data: true }, { urgent: true });
    expect(stop.sentAt).not.toBeNull();
    expect(goal.sentAt).toBeNull();
    (held as (() => void) | null)?.();
    await expect.poll(() => ops('publish').length, { timeout: 5_000 }).toBe(3);
    expect(ops('publish').map((f) => (f['msg'] as Frame)['data'] ?? (f['msg'] as Frame)['n'] ?? 'bulk')).toEqual(['bulk', true, 2]);
  });
});

it('answers each frame it receives only from a connection it opened (frames are JSON objects)', async () => {
  server = await startFakeServer(ros2WebBridgeReplies);
  const c = connect();
  await expect.poll(() => c.dialect).toBe('ros2-web-bridge');
  for (const r of server.received) expect(typeof (r.frame as Frame)['op']).toBe('string');
});
