// Emergency-stop latency through the real ros2-web-bridge to a simulated robot, with one robot's
// telemetry on the link and with 20 robots × 10 Hz:
//   npx tsx device-adapters/ros2/bench/estop-latency.ts [stops per case, default 40]
// Measures from the emergencyStop() call to the robot taking the stop (both in this process, one
// clock). Bridge, fleet and link share this process's event loop, as on a one-box deployment.
import { createRequire } from 'node:module';
import type * as BridgeModule from '@clearway/rclnodejs-sim/bridge';
import type { EmergencyStopEvent } from '@clearway/rclnodejs-sim/fleet';
import { RobotFleetLink } from '../src/fleet-link.ts';

const sim = createRequire(import.meta.url)('@clearway/rclnodejs-sim/bridge') as typeof BridgeModule;
const stops = Number(process.argv[2] ?? 40);

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function run(subscribed: number): Promise<{ framesPerSecond: number; halts: number[] }> {
  const running = await sim.startFleetBridge({ robots: 20 });
  const robots = running.fleet.robotIds.slice(0, subscribed);
  const link = new RobotFleetLink({ endpoints: [{ url: running.url, robots }] });
  await link.connect();
  await waitFor(() => link.state('robot_1').link.state === 'live');
  const halts: number[] = [];
  const started = performance.now();
  const framesBefore = link.counters()[running.url]?.framesIn ?? 0;
  for (let i = 0; i < stops; i++) {
    await link.sendGoal('robot_1', 30 + (i % 2) * 5, 9, 0);
    await waitFor(() => running.fleet.snapshot('robot_1').v > 0);
    let haltedAt: number | null = null;
    const onStop = (e: EmergencyStopEvent) => {
      if (e.robotId === 'robot_1' && e.engaged && e.changed) haltedAt = e.atMs;
    };
    running.fleet.on('emergency-stop', onStop);
    const calledAt = performance.now();
    const report = link.emergencyStop('robot_1');
    await waitFor(() => haltedAt !== null);
    halts.push((haltedAt as unknown as number) - calledAt);
    running.fleet.off('emergency-stop', onStop);
    await report;
    await link.release('robot_1');
    await waitFor(() => !running.fleet.snapshot('robot_1').emergencyStop);
  }
  const seconds = (performance.now() - started) / 1000;
  const frames = (link.counters()[running.url]?.framesIn ?? 0) - framesBefore;
  await link.close();
  await running.close();
  return { framesPerSecond: Math.round(frames / seconds), halts: halts.sort((a, b) => a - b) };
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] as number;
for (const subscribed of [1, 20]) {
  const { halts, framesPerSecond } = await run(subscribed);
  process.stdout.write(
    `${String(subscribed).padStart(2)} robot(s) subscribed, ${framesPerSecond} frames/s in: call → robot halted  median ${pct(halts, 0.5).toFixed(2)} ms  p95 ${pct(halts, 0.95).toFixed(2)} ms  max ${(halts.at(-1) as number).toFixed(2)} ms  (${halts.length} stops)\n`,
  );
}
process.exit(0);
