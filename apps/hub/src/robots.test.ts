import { randomUUID } from 'node:crypto';
import {
  NAMESPACE, PROTOCOL_VERSION,
  type HubToConsoleEvents, type ConsoleToHubEvents, type RobotCommandToDevice, type RobotFleetSnapshot, type RobotLogPush, type RobotMission,
  type RobotStateMessage, type RobotStatesPush,
} from '@clearway/protocol';
import { hashPassword } from '@clearway/store';
import { pino } from 'pino';
import { io, type Socket } from 'socket.io-client';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

// Each test waits on several conditions over real sockets; the 2-core CI box is slow.
vi.setConfig({ testTimeout: 20_000 });
import { startHub, type Hub } from './hub.ts';
import { loadTerminalMap } from './robots.ts';
import { connectDevice, connectOfficer, decisionFor, testScan, type DeviceClient } from './testing.ts';

const OFFICERS = [
  { id: 'omar', name: 'Omar Haddad', role: 'robot-operator', password: 'robot operator' },
  { id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' },
  { id: 'anna', name: 'Anna K', role: 'screening-officer', password: 'battery staple' },
] as const;
const hashes = new Map<string, string>();
beforeAll(async () => { for (const o of OFFICERS) hashes.set(o.id, await hashPassword(o.password)); });

let hub: Hub;
const tokens = new Map<string, string>();
const closers: (() => void)[] = [];

beforeEach(async () => {
  hub = await startHub({
    dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }),
    robots: {
      map: loadTerminalMap(), commandTimeoutMs: 400, reportStaleAfterMs: 400, tickMs: 50, missionsOnSearch: true,
      missionLimits: { lostAfterMs: 300, goalTakenWithinMs: 3_000 },
    },
  });
  for (const o of OFFICERS) hub.store.identity.importOfficer({ id: o.id, name: o.name, role: o.role, passwordHash: hashes.get(o.id) ?? '' });
  for (const [id, kind] of [['bridge-a', 'robot-bridge'], ['bridge-b', 'robot-bridge'], ['scanner-1', 'scanner']] as const) {
    tokens.set(id, hub.store.identity.createDevice(id, kind).token);
  }
});
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await hub.close();
});

/** A console with its listeners attached before it connects (robot:fleet comes right after session:ready). */
async function robotConsole(officerId = 'omar') {
  const password = OFFICERS.find((o) => o.id === officerId)?.password ?? '';
  const socket: Socket<HubToConsoleEvents, ConsoleToHubEvents> = io(hub.url + NAMESPACE.console, {
    auth: { protocolVersion: PROTOCOL_VERSION, officerId, password }, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false,
  });
  const seen = { fleet: [] as RobotFleetSnapshot[], states: [] as RobotStatesPush[], log: [] as RobotLogPush[], missions: [] as RobotMission[] };
  socket.on('robot:fleet', (f) => seen.fleet.push(f as RobotFleetSnapshot));
  socket.on('robot:states', (s) => seen.states.push(s as RobotStatesPush));
  socket.on('robot:log', (l) => seen.log.push(l as RobotLogPush));
  socket.on('robot:mission', (m) => seen.missions.push(m as RobotMission));
  const ready = new Promise<void>((resolve, reject) => {
    socket.once('session:ready', () => resolve());
    socket.once('connect_error', reject);
  });
  socket.connect();
  await ready;
  closers.push(() => socket.close());
  /** The newest state of a robot this console was sent (in robot:states, else in the snapshot). */
  const latest = (id: string) => seen.states.flatMap((p) => p.states).filter((s) => s.id === id).at(-1) ?? seen.fleet.at(-1)?.robots.find((r) => r.id === id);
  return { socket, seen, latest };
}

interface Nav { status: 'idle' | 'executing' | 'succeeded' | 'aborted'; goalId: string | null }

/**
 * A bridge device that answers commands like a well-behaved robot bridge: goals are taken
 * (executing, then succeeded when the test says so), stops engage.
 */
async function bridge(id = 'bridge-a', robots = ['robot_1'], options: { periodic?: boolean } = {}) {
  const device: DeviceClient = await connectDevice(hub.url, id, tokens.get(id) ?? '');
  closers.push(() => device.close());
  const commands: RobotCommandToDevice[] = [];
  const nav = new Map<string, Nav>(robots.map((r) => [r, { status: 'idle', goalId: null }]));
  const estop = new Map<string, boolean>();
  let answer = true;
  let seq = 0;
  const pose = new Map(robots.map((r, i) => [r, { x: 5 + i, y: 18, theta: 0 }]));
  const stateOf = (r: string, over: Partial<RobotStateMessage> = {}): RobotStateMessage => ({
    id: r, endpoint: 'ws://bridge:9090', pose: pose.get(r) ?? null, velocity: { linear: 0, angular: 0 },
    battery: { percentage: 0.8, voltage: 25, charging: false }, diagnostics: { level: 'ok', message: 'ok' },
    nav: { ...(nav.get(r) ?? { status: 'idle', goalId: null }), distanceRemaining: null, goal: null, path: null, etaSeconds: null },
    emergencyStop: estop.get(r) ? 'engaged' : 'released',
    link: { state: 'live', lastMessageAgeMs: 10, latencyMs: 2, issues: [] }, seq: ++seq, atMs: Date.now(), stampMs: Date.now(), ...over,
  });
  // What a test set stays set in every later report, periodic ones included.
  let kept: Partial<RobotStateMessage> = {};
  const report = async (over: Partial<RobotStateMessage> = {}) => {
    kept = { ...kept, ...over };
    const reply = await device.emitWithAck('robot:states', { states: robots.map((r) => stateOf(r, kept)) });
    expect(reply).toMatchObject({ ok: true, accepted: robots.length });
  };
  device.on('robot:command', (cmd, ack) => {
    commands.push(cmd as RobotCommandToDevice);
    if (!answer) return;
    const targets = cmd.robotId === '*' ? robots : [cmd.robotId];
    for (const r of targets) {
      if (cmd.command === 'goal') nav.set(r, { status: 'executing', goalId: randomUUID().replaceAll('-', '') });
      if (cmd.command === 'emergency-stop') { estop.set(r, true); nav.set(r, { status: 'aborted', goalId: nav.get(r)?.goalId ?? null }); }
    }
    ack({ ok: true, results: targets.map((r) => ({ robotId: r, outcome: robots.includes(r) ? 'accepted' : 'rejected', reason: robots.includes(r) ? null : 'unknown robot' })) });
    void report();
  });
  await report();
  // Like a real bridge, it reports every robot several times a second, moving or not.
  const timer = options.periodic === false ? null : setInterval(() => { if (device.connected) report().catch(() => {}); }, 100);
  closers.push(() => { if (timer) clearInterval(timer); });
  return {
    device, commands, nav, report, stateOf,
    silence() { answer = false; },
    mute() { if (timer) clearInterval(timer); },
    arrive(r = robots[0] ?? '') { const n = nav.get(r); if (n) n.status = 'succeeded'; return report(); },
  };
}

/** Conditions on a shared 2-core machine: wait generously, never sleep. */
const poll = <T>(fn: () => T) => expect.poll(fn, { timeout: 5_000 });

async function searchBag(lane = 'lane-2') {
  const scanner = await connectDevice(hub.url, 'scanner-1', tokens.get('scanner-1') ?? '');
  closers.push(() => scanner.close());
  const stored = await scanner.emitWithAck('scan:submit', testScan({ lane }));
  if (!stored.ok) throw new Error('scan refused');
  return stored.bagId;
}

describe('fleet telemetry', () => {
  it("shows the bridge's robots to robot consoles (snapshot on joining, then states), not to screening officers", async () => {
    const b = await bridge('bridge-a', ['robot_1', 'robot_2']);
    const operator = await robotConsole('omar');
    expect(operator.seen.fleet).toHaveLength(1);
    expect(operator.seen.fleet[0]?.robots.map((r) => [r.id, r.deviceId, r.link.state])).toEqual([['robot_1', 'bridge-a', 'live'], ['robot_2', 'bridge-a', 'live']]);
    const screener = await robotConsole('li.wei');
    await b.report({ battery: { percentage: 0.42, voltage: 24, charging: true } });
    await poll(() => operator.latest('robot_2')?.battery?.percentage).toBe(0.42);
    expect(screener.seen.fleet).toEqual([]);
    expect(screener.seen.states).toEqual([]);
  });

  it('sends each console at most 10 states per robot per second, the newest, never one twice', async () => {
    const b = await bridge('bridge-a', ['robot_1'], { periodic: false });
    const operator = await robotConsole('omar');
    const started = performance.now();
    for (let i = 0; i < 40; i++) await b.report({ seq: 1000 + i });
    const sent = performance.now() - started;
    await poll(() => operator.latest('robot_1')?.seq).toBe(1039);
    const got = operator.seen.states.flatMap((p) => p.states).map((s) => s.seq);
    expect(new Set(got).size).toBe(got.length);
    // Two at once, then ten a second: whatever the 40 reports took, no more than that reached the console.
    expect(got.length).toBeLessThanOrEqual(2 + 1 + Math.ceil(((performance.now() - started) / 1000) * 10));
    expect(got.length).toBeLessThan(40);
    expect(sent).toBeGreaterThan(0);
  });

  it('refuses a batch with NaN/null or a bad field, names the field, and keeps serving the bridge', async () => {
    const b = await bridge('bridge-a', ['robot_1']);
    const bad = b.stateOf('robot_1', { pose: { x: Number.NaN, y: 1, theta: 0 } });
    // JSON turns NaN into null on the wire: the hub names the field.
    expect(await b.device.emitWithAck('robot:states', { states: [bad] })).toMatchObject({ ok: false, error: { code: 'invalid', field: 'states.0.pose.x' } });
    const wrong = { ...b.stateOf('robot_1'), battery: { percentage: 7, voltage: 1, charging: false } };
    expect(await b.device.emitWithAck('robot:states', { states: [wrong] })).toMatchObject({ ok: false, error: { field: 'states.0.battery.percentage' } });
    expect(await b.device.emitWithAck('robot:states', { states: [] })).toMatchObject({ ok: false, error: { field: 'states' } });
    // A scanner may not report robots.
    const scanner = await connectDevice(hub.url, 'scanner-1', tokens.get('scanner-1') ?? '');
    closers.push(() => scanner.close());
    expect(await scanner.emitWithAck('robot:states', { states: [b.stateOf('robot_1')] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await b.report({ seq: 77 });
    expect(hub.robots.robot('robot_1')?.seq).toBe(77);
  });

  it("shows a bridge device's robots disconnected on every console at once when it goes, and stale when it goes quiet", async () => {
    const a = await bridge('bridge-a', ['robot_1']);
    const b = await bridge('bridge-b', ['robot_2']);
    b.mute();
    const one = await robotConsole('omar');
    const two = await robotConsole('omar');
    // bridge-b stops reporting but stays connected: stale, with the reason.
    await poll(() => one.latest('robot_2')?.link.state).toBe('stale');
    expect(one.latest('robot_2')?.link.issues[0]).toMatch(/^no report from bridge device bridge-b for \d/);
    a.device.close();
    for (const c of [one, two]) {
      await poll(() => c.latest('robot_1')?.link.state).toBe('disconnected');
      expect(c.latest('robot_1')?.link.issues[0]).toBe('bridge device bridge-a disconnected');
    }
    await poll(() => one.seen.log.flatMap((l) => l.lines).some((l) => l.level === 'error' && l.message === 'bridge device bridge-a disconnected')).toBe(true);
  });
});

describe('commands', () => {
  it("routes an operator's goal to the bridge that holds the robot and replies with the robot's outcome", async () => {
    const a = await bridge('bridge-a', ['robot_1']);
    const b = await bridge('bridge-b', ['robot_2']);
    const operator = await robotConsole('omar');
    const reply = await operator.socket.emitWithAck('robot:command', { robotId: 'robot_2', command: 'goal', goal: { x: 30, y: 9, theta: 0 } });
    expect(reply).toMatchObject({ ok: true, results: [{ robotId: 'robot_2', command: 'goal', outcome: 'accepted', reason: null }] });
    expect(a.commands).toEqual([]);
    expect(b.commands).toEqual([{ commandId: reply.ok ? reply.commandId : '', robotId: 'robot_2', command: 'goal', goal: { x: 30, y: 9, theta: 0 } }]);
    expect(await operator.socket.emitWithAck('robot:command', { robotId: 'robot_9', command: 'dock' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await operator.socket.emitWithAck('robot:command', { robotId: 'robot_1', command: 'goal' })).toMatchObject({ ok: false, error: { code: 'invalid', field: 'goal' } });
    expect(await operator.socket.emitWithAck('robot:command', { robotId: '*', command: 'dock' })).toMatchObject({ ok: false, error: { field: 'robotId' } });
  });

  it('lets any officer stop every robot on every bridge, and only operators drive them', async () => {
    const a = await bridge('bridge-a', ['robot_1']);
    const b = await bridge('bridge-b', ['robot_2', 'robot_3']);
    const screener = await robotConsole('li.wei');
    expect(await screener.socket.emitWithAck('robot:command', { robotId: 'robot_1', command: 'release' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const reply = await screener.socket.emitWithAck('robot:command', { robotId: '*', command: 'emergency-stop' });
    expect(reply.ok && reply.results.map((r) => [r.robotId, r.outcome]).sort()).toEqual([['robot_1', 'accepted'], ['robot_2', 'accepted'], ['robot_3', 'accepted']]);
    expect(a.commands.map((c) => [c.robotId, c.command])).toEqual([['*', 'emergency-stop']]);
    expect(b.commands.map((c) => [c.robotId, c.command])).toEqual([['*', 'emergency-stop']]);
    await poll(() => hub.robots.robot('robot_3')?.emergencyStop).toBe('engaged');
  });

  it('answers timeout when the bridge device does not answer, and rejected when it is gone', async () => {
    const a = await bridge('bridge-a', ['robot_1']);
    const operator = await robotConsole('omar');
    a.silence();
    const reply = await operator.socket.emitWithAck('robot:command', { robotId: 'robot_1', command: 'dock' });
    expect(reply).toMatchObject({ ok: true, results: [{ robotId: 'robot_1', outcome: 'timeout', reason: 'bridge device bridge-a did not answer within 0.4 s' }] });
    a.device.close();
    await poll(() => hub.robots.robot('robot_1')?.link.state).toBe('disconnected');
    const gone = await operator.socket.emitWithAck('robot:command', { robotId: 'robot_1', command: 'emergency-stop' });
    expect(gone).toMatchObject({ ok: true, results: [{ outcome: 'rejected', reason: 'bridge device bridge-a is not connected' }] });
  });
});

describe('missions', () => {
  it('carries a search bag from its lane to the search station: goals in turn, every state stored and pushed', async () => {
    const b = await bridge('bridge-a', ['robot_1']);
    const operator = await robotConsole('omar');
    const bagId = await searchBag('lane-2');
    const reply = await operator.socket.emitWithAck('robot:dispatch', { bagId });
    if (!reply.ok) throw new Error(reply.error.message);
    expect(reply.mission).toMatchObject({ bagId, lane: 'lane-2', robotId: 'robot_1', state: 'to-lane', requestedBy: 'omar', pickup: { x: 13.7, y: 23.5 } });
    await poll(() => b.commands.length).toBe(1);
    expect(b.commands.at(-1)).toMatchObject({ command: 'goal', robotId: 'robot_1', goal: { x: 13.7, y: 23.5, theta: 0 }, missionId: reply.mission.missionId });
    // Asked again for the same bag: the open mission comes back.
    expect(await operator.socket.emitWithAck('robot:dispatch', { bagId })).toMatchObject({ ok: true, duplicate: true, mission: { missionId: reply.mission.missionId } });

    await poll(() => hub.robots.robot('robot_1')?.nav?.status).toBe('executing');
    await b.arrive();
    await poll(() => b.commands.filter((c) => c.command === 'goal').length).toBe(2);
    expect(b.commands.at(-1)).toMatchObject({ goal: { x: 49.2, y: 16.5 } });
    await poll(() => hub.robots.robot('robot_1')?.nav?.status).toBe('executing');
    await b.arrive();
    await poll(() => operator.seen.missions.at(-1)?.state).toBe('delivered');
    expect(operator.seen.missions.map((m) => m.state)).toEqual(['requested', 'assigned', 'to-lane', 'carrying', 'delivered']);
    expect(hub.store.missions.history(reply.mission.missionId).map((h) => h.state)).toEqual(['requested', 'assigned', 'to-lane', 'carrying', 'delivered']);
    const listed = await operator.socket.emitWithAck('robot:missions', { bagId });
    expect(listed).toMatchObject({ ok: true, missions: [{ state: 'delivered', endedAt: expect.any(String) }] });
  });

  it('fails the mission with a reason when the robot vanishes mid-mission (its bridge drops)', async () => {
    const b = await bridge('bridge-a', ['robot_1']);
    const operator = await robotConsole('omar');
    const reply = await operator.socket.emitWithAck('robot:dispatch', { bagId: await searchBag('lane-1'), robotId: 'robot_1' });
    if (!reply.ok) throw new Error(reply.error.message);
    await poll(() => hub.robots.robot('robot_1')?.nav?.status).toBe('executing');
    b.device.close();
    await poll(() => operator.seen.missions.at(-1)?.state).toBe('failed');
    expect(operator.seen.missions.at(-1)?.reason).toMatch(/^robot_1 vanished mid-mission: no live link for 0\.\d s$/);
  });

  it('fails the mission on an emergency stop', async () => {
    await bridge('bridge-a', ['robot_1']);
    const operator = await robotConsole('omar');
    const reply = await operator.socket.emitWithAck('robot:dispatch', { bagId: await searchBag('lane-3') });
    if (!reply.ok) throw new Error(reply.error.message);
    await operator.socket.emitWithAck('robot:command', { robotId: 'robot_1', command: 'emergency-stop' });
    await poll(() => hub.store.missions.get(reply.mission.missionId)?.state).toBe('failed');
    expect(hub.store.missions.get(reply.mission.missionId)?.reason).toBe('emergency stop engaged on robot_1');
    // A stopped robot is not given the next mission: it waits, requested.
    const next = await operator.socket.emitWithAck('robot:dispatch', { bagId: await searchBag('lane-3') });
    expect(next).toMatchObject({ ok: true, mission: { state: 'requested', robotId: null } });
    expect(await operator.socket.emitWithAck('robot:dispatch', { bagId: await searchBag('lane-4'), robotId: 'robot_1' }))
      .toMatchObject({ ok: false, error: { code: 'conflict', message: 'robot_1 is emergency-stopped' } });
    if (!next.ok) return;
    expect(await operator.socket.emitWithAck('robot:mission-cancel', { missionId: next.mission.missionId })).toMatchObject({ ok: true, mission: { state: 'cancelled', reason: 'cancelled by omar' } });
  });

  it("opens a mission on a search decision, tells the officer, and lets a screening officer dispatch only for their own bag", async () => {
    await bridge('bridge-a', ['robot_1']);
    const li = await connectOfficer(hub.url, { officerId: 'li.wei', password: 'correct horse' });
    closers.push(() => li.socket.close());
    const missions: RobotMission[] = [];
    li.socket.on('robot:mission', (m) => missions.push(m as RobotMission));
    const bagId = await searchBag('lane-2');
    const bag = await li.nextBag();
    const anna = await robotConsole('anna');
    expect(await anna.socket.emitWithAck('robot:dispatch', { bagId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await li.socket.emitWithAck('decision:submit', decisionFor(bag, 'search'))).toMatchObject({ ok: true });
    await poll(() => hub.store.missions.forBag(bagId)[0]?.state).toBe('to-lane');
    expect(hub.store.missions.forBag(bagId)[0]?.requestedBy).toBe('hub');
    const own = await li.socket.emitWithAck('robot:dispatch', { bagId });
    expect(own).toMatchObject({ ok: true, duplicate: true });
    expect(await li.socket.emitWithAck('robot:missions', { bagId })).toMatchObject({ ok: true, missions: [{ bagId, state: 'to-lane' }] });
    expect(missions).toEqual([]); // the hub asked, not li.wei: the fleet consoles hear of it
  });
});
