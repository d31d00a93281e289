/**
 * Robots: telemetry from the robots to a robot operator's console, and emergency-stop latency,
 * through the whole chain: simulated robots → the real ros2-web-bridge → the ros2 adapter (its own
 * process, `main.ts hub`) → the real hub (its own process) → a console (socket.io-client, signed
 * in as a robot operator). Baseline: a plain `ws` rosbridge client (its own process, like the
 * adapter: rosbridge-client.ts) subscribed to the same odometry topics on the same bridge, in the
 * same run.
 *
 *   pnpm bench robots                       # defaults: 20 robots at 10 Hz, 10 s of telemetry, 100 stops each way, 2 rounds
 *   pnpm bench robots --robots=20 --seconds=10 --stops=100 --rounds=2
 *
 * Telemetry latency: console receipt minus the robot's header stamp (`stampMs`, the newest message
 * in the state), counted once per new stamp; the baseline is receipt minus the odometry stamp.
 * Both clocks are this process's (the simulator runs here at real time).
 * Emergency-stop latency: from the console's `robot:command` emit to the simulated robot taking
 * the stop (its `emergency-stop` event), both in this process. Measured twice: with the robots
 * nearly silent (every topic at 0.5 Hz: no telemetry to speak of), and while all of them publish
 * at full rate and the telemetry flows to the console. Goal: p99 under load within 2× of p99 idle.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NAMESPACE, PROTOCOL_VERSION, type ConsoleToHubEvents, type HubToConsoleEvents, type RobotStatesPush } from '@clearway/protocol';
import { Store, hashPassword } from '@clearway/store';
import { io, type Socket } from 'socket.io-client';
import type * as BridgeModule from '../../device-adapters/ros2-sim/types/bridge.d.cts';
import type { EmergencyStopEvent } from '../../device-adapters/ros2-sim/types/fleet.d.cts';
import { ROOT, figures, intOption, ratio, serve, stop, table, type Figures } from './support.ts';

const ROBOTS = intOption('robots', 20);
const HZ = intOption('hz', 10);
const SECONDS = intOption('seconds', 10);
const STOPS = intOption('stops', 100);
const ROUNDS = intOption('rounds', 2);
const GOAL_ESTOP_RATIO = 2;

// The simulator and the bridge are CommonJS and must be the instances ros2-web-bridge require()s.
const sim = createRequire(import.meta.url)(resolve(ROOT, 'device-adapters/ros2-sim/src/bridge.cjs')) as typeof BridgeModule;
const robotIds = Array.from({ length: ROBOTS }, (_, i) => `robot_${i + 1}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** The ros2 adapter as its own process; resolves once it forwards. */
function startAdapter(hubUrl: string, token: string, bridgeUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'device-adapters/ros2/src/main.ts'), 'hub', '--hub', hubUrl, '--device-id', 'bench-bridge',
    '--token', token, '--bridge', bridgeUrl, '--robots', robotIds.join(','), '--rate', String(HZ), '--stale-after', '60000', '--simulated', '--quiet'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    let out = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('forwarding ')) res(child);
      if (out.length > 1e5) out = out.slice(-1000);
    });
    child.once('exit', (code) => rej(new Error(`the ros2 adapter exited with ${code}:\n${out}`)));
  });
}

type Console = Socket<HubToConsoleEvents, ConsoleToHubEvents>;

interface Phase {
  estop: number[];
  telemetry: number[];
  direct: number[];
  toAdapter: number[];
  toConsole: number[];
  seconds: number;
  consoleStates: number;
  directSeconds: number;
}

/**
 * One phase: a fresh fleet behind a fresh bridge on the same port (the adapter reconnects to it
 * by itself), stops given from the console, and with `loaded` the telemetry and the baseline
 * measured while the stops run.
 */
async function phase(port: number, operator: Console, loaded: boolean, onStarted: (url: string) => Promise<void>): Promise<Phase> {
  const rate = loaded ? HZ : 0.5;
  const slow = loaded ? 1 : 0.5;
  const running = await sim.startFleetBridge({ robots: ROBOTS, port, odomHz: rate, batteryHz: slow, diagnosticsHz: slow, statusHz: slow });
  let direct: ChildProcess | null = null;
  try {
    const live = new Set<string>();
    const telemetry: number[] = [];
    // Where the time goes: stamp → the adapter's picture (atMs), and the picture → the console.
    const toAdapter: number[] = [];
    const toConsole: number[] = [];
    const lastStamp = new Map<string, number>();
    let consoleStates = 0;
    let measuring = false;
    const onStates = (push: RobotStatesPush) => {
      const now = Date.now();
      for (const s of push.states) {
        if (s.link.state === 'live') live.add(s.id);
        if (!measuring) continue;
        consoleStates++;
        if (s.stampMs === null || s.stampMs <= (lastStamp.get(s.id) ?? 0)) continue;
        lastStamp.set(s.id, s.stampMs);
        telemetry.push(now - s.stampMs);
        toAdapter.push(s.atMs - s.stampMs);
        toConsole.push(now - s.atMs);
      }
    };
    operator.on('robot:states', onStates);
    await onStarted(running.url);
    // Every robot live again through this bridge (at 0.5 Hz that takes a few seconds).
    await waitFor(() => live.size === ROBOTS, 'the fleet live on the console', 30_000);

    // The baseline: a plain rosbridge client on the same odometry, in its own process.
    if (loaded) {
      const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'bench/src/rosbridge-client.ts'), running.url, robotIds.join(',')], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      direct = child;
      await new Promise<void>((r, j) => { child.once('message', () => r()); child.once('exit', (code) => j(new Error(`the rosbridge client exited with ${code}`))); });
      await sleep(1_000); // warm-up
      child.send({ type: 'start' });
    }

    measuring = true;
    const started = performance.now();
    const estop: number[] = [];
    const stops = Math.ceil(STOPS / ROUNDS);
    const windowMs = (SECONDS * 1000) / ROUNDS;
    for (let i = 0; i < stops; i++) {
      const robotId = robotIds[i % ROBOTS] as string;
      let takenAt: number | null = null;
      const onStop = (e: EmergencyStopEvent) => {
        if (e.robotId === robotId && e.engaged && e.changed) takenAt = e.atMs;
      };
      running.fleet.on('emergency-stop', onStop);
      const sentAt = performance.now();
      const reply = operator.emitWithAck('robot:command', { robotId, command: 'emergency-stop' });
      await waitFor(() => takenAt !== null, `the stop of ${robotId}`, 10_000);
      estop.push((takenAt as unknown as number) - sentAt);
      running.fleet.off('emergency-stop', onStop);
      const r = await reply;
      if (!r.ok || r.results[0]?.outcome !== 'accepted') throw new Error(`stop not accepted: ${JSON.stringify(r)}`);
      const released = await operator.emitWithAck('robot:command', { robotId, command: 'release' });
      if (!released.ok || released.results[0]?.outcome !== 'accepted') throw new Error(`release not accepted: ${JSON.stringify(released)}`);
      await waitFor(() => !running.fleet.snapshot(robotId).emergencyStop, `the release of ${robotId}`);
      // Under load, spread the stops over the telemetry window.
      if (loaded) {
        const due = started + ((i + 1) * windowMs) / stops;
        if (due > performance.now()) await sleep(due - performance.now());
      }
    }
    measuring = false;
    const seconds = (performance.now() - started) / 1000;
    operator.off('robot:states', onStates);
    let directSamples: number[] = [];
    let directSeconds = 0;
    if (direct) {
      const child = direct;
      const got = new Promise<{ samples: number[]; seconds: number }>((r) => child.on('message', (m: { type: string; samples: number[]; seconds: number }) => { if (m.type === 'samples') r(m); }));
      child.send({ type: 'stop' });
      ({ samples: directSamples, seconds: directSeconds } = await got);
    }
    return { estop, telemetry, direct: directSamples, toAdapter, toConsole, seconds, consoleStates, directSeconds };
  } finally {
    if (direct) await stop(direct);
    await running.close();
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'clearway-bench-robots-'));
  const closers: (() => void | Promise<void>)[] = [() => rmSync(dataDir, { recursive: true, force: true })];
  try {
    const seed = Store.open(dataDir);
    seed.identity.importOfficer({ id: 'bench.operator', name: 'Bench Operator', role: 'robot-operator', passwordHash: await hashPassword('bench password') });
    const token = seed.identity.createDevice('bench-bridge', 'robot-bridge').token;
    await seed.close();
    const hub = await serve('apps/hub/src/main.ts', ['--data', dataDir, '--port', '0', '--console-dir', join(dataDir, 'no-console')]);
    closers.unshift(() => stop(hub.child));
    const operator: Console = io(hub.url + NAMESPACE.console, {
      auth: { protocolVersion: PROTOCOL_VERSION, officerId: 'bench.operator', password: 'bench password' }, transports: ['websocket'], forceNew: true, reconnection: false,
    });
    closers.unshift(() => { operator.close(); });
    await new Promise((r, j) => { operator.once('session:ready', r); operator.once('connect_error', j); });

    // A free port for the bridge, kept for every phase; one adapter process runs throughout and
    // reconnects to each phase's bridge by itself.
    const probe = await sim.startBridge({ port: 0 });
    const port = probe.port;
    await probe.close();
    let adapter: ChildProcess | null = null;
    const started = async (url: string) => {
      if (adapter) return;
      const child = await startAdapter(hub.url, token, url);
      adapter = child;
      closers.unshift(() => stop(child));
    };
    // Rounds alternate the two conditions, so that the rest of the machine weighs on both alike.
    const idle: Phase[] = [];
    const load: Phase[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      idle.push(await phase(port, operator, false, started));
      load.push(await phase(port, operator, true, started));
    }
    const pool = (phases: Phase[]): Phase => ({
      estop: phases.flatMap((p) => p.estop), telemetry: phases.flatMap((p) => p.telemetry), direct: phases.flatMap((p) => p.direct),
      toAdapter: phases.flatMap((p) => p.toAdapter), toConsole: phases.flatMap((p) => p.toConsole),
      seconds: phases.reduce((t, p) => t + p.seconds, 0), consoleStates: phases.reduce((t, p) => t + p.consoleStates, 0),
      directSeconds: phases.reduce((t, p) => t + p.directSeconds, 0),
    });
    report(pool(idle), pool(load));
  } finally {
    for (const close of closers) await close();
  }
}

function report(idle: Phase, load: Phase) {
  // Latencies only: a rate per second means nothing for these samples.
  const f = (samples: number[]): Omit<Figures, 'per_s'> => {
    const { per_s: _, ...latency } = figures({ samples, wallMs: 1 });
    return latency;
  };
  const fig = { telemetry: f(load.telemetry), direct: f(load.direct), estopIdle: f(idle.estop), estopLoad: f(load.estop) };
  const x = (r: number) => `${r.toFixed(2)}×`;
  const ms = (v: number) => v.toFixed(1);
  const ratios = {
    telemetry_p50_ratio: ratio(fig.telemetry.p50_ms, fig.direct.p50_ms),
    telemetry_p99_ratio: ratio(fig.telemetry.p99_ms, fig.direct.p99_ms),
    estop_p50_load_ratio: ratio(fig.estopLoad.p50_ms, fig.estopIdle.p50_ms),
    estop_p99_load_ratio: ratio(fig.estopLoad.p99_ms, fig.estopIdle.p99_ms),
  };
  console.log(`robots: ${ROBOTS} simulated robots at ${HZ} Hz → real ros2-web-bridge → ros2 adapter (process) → hub (process) → robot operator's console`);
  const consoleStatesPerS = Math.round(load.consoleStates / load.seconds);
  const directMsgsPerS = Math.round(load.direct.length / Math.max(load.directSeconds, 0.001));
  console.log(`\ntelemetry over ${load.seconds.toFixed(1)} s in ${ROUNDS} rounds (while the stops ran): console ${consoleStatesPerS} states/s (${load.telemetry.length} new stamps); direct rosbridge client ${directMsgsPerS} odometry messages/s`);
  console.log(table([
    ['stamp → receipt', 'p50 ms', 'p99 ms', 'mean ms', 'samples'],
    ['console via hub', ms(fig.telemetry.p50_ms), ms(fig.telemetry.p99_ms), ms(fig.telemetry.mean_ms), String(load.telemetry.length)],
    ['direct rosbridge', ms(fig.direct.p50_ms), ms(fig.direct.p99_ms), ms(fig.direct.mean_ms), String(load.direct.length)],
    ['console/direct', x(ratios.telemetry_p50_ratio), x(ratios.telemetry_p99_ratio), x(ratio(fig.telemetry.mean_ms, fig.direct.mean_ms)), ''],
    ['  of which stamp → adapter', ms(f(load.toAdapter).p50_ms), ms(f(load.toAdapter).p99_ms), ms(f(load.toAdapter).mean_ms), ''],
    ['  adapter → hub → console', ms(f(load.toConsole).p50_ms), ms(f(load.toConsole).p99_ms), ms(f(load.toConsole).mean_ms), ''],
  ]));
  console.log(`\nemergency stop, console emit → robot halted (${idle.estop.length} and ${load.estop.length} stops)`);
  console.log(table([
    ['', 'p50 ms', 'p99 ms', 'mean ms'],
    ['no telemetry', ms(fig.estopIdle.p50_ms), ms(fig.estopIdle.p99_ms), ms(fig.estopIdle.mean_ms)],
    [`${ROBOTS} × ${HZ} Hz`, ms(fig.estopLoad.p50_ms), ms(fig.estopLoad.p99_ms), ms(fig.estopLoad.mean_ms)],
    ['load/none', x(ratios.estop_p50_load_ratio), x(ratios.estop_p99_load_ratio), x(ratio(fig.estopLoad.mean_ms, fig.estopIdle.mean_ms))],
  ]));
  const met = ratios.estop_p99_load_ratio <= GOAL_ESTOP_RATIO;
  console.log(`\ngoal: emergency-stop p99 under load within ${GOAL_ESTOP_RATIO}× of p99 with no telemetry — ${x(ratios.estop_p99_load_ratio)} (${met ? 'met' : 'NOT met'})`);
  console.log(JSON.stringify({
    name: 'robots', robots: ROBOTS, hz: HZ, seconds: SECONDS, stops: STOPS, rounds: ROUNDS,
    telemetry: fig.telemetry, direct: fig.direct, console_states_per_s: consoleStatesPerS, direct_msgs_per_s: directMsgsPerS,
    estop_idle: fig.estopIdle, estop_load: fig.estopLoad,
    ...ratios,
    goal_estop_p99_load_ratio: GOAL_ESTOP_RATIO,
    meets_goal: met,
  }));
}

await main();
