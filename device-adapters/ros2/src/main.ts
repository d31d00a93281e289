// Watches robots through one or more rosbridge endpoints and prints their state:
//   tsx device-adapters/ros2/src/main.ts --bridge ws://localhost:9090 --robots robot_1,robot_2
// (Start a simulated fleet first: node device-adapters/ros2-sim/bin/fleet-bridge.cjs --robots 2.)
// Ctrl-C engages nothing: this is a viewer. The hub connection comes with the robot protocol events.
import { Command, InvalidArgumentError, Option } from 'commander';
import { RobotFleetLink } from './fleet-link.ts';
import type { RobotState } from './robot/robot-state.ts';
import { isRobotId } from './topics.ts';

function robotList(value: string): string[] {
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of ids) if (!isRobotId(id)) throw new InvalidArgumentError(`${JSON.stringify(id)} is not a ROS namespace such as robot_1`);
  if (ids.length === 0) throw new InvalidArgumentError('at least one robot');
  return ids;
}

const program = new Command()
  .name('ros2-robots')
  .description('Shows the robots behind a rosbridge server (ros2-web-bridge or rosbridge_suite).')
  .option('--bridge <url>', 'rosbridge WebSocket URL', 'ws://localhost:9090')
  .requiredOption('--robots <ids>', 'comma-separated robot namespaces, e.g. robot_1,robot_2', robotList)
  .addOption(new Option('--dialect <dialect>', 'the server').choices(['auto', 'ros2-web-bridge', 'rosbridge_suite']).default('auto'))
  .option('--stale-after <ms>', 'a robot with nothing fresh for this long is stale', (v) => Number(v), 2_000)
  .option('--every <ms>', 'print each robot at most this often', (v) => Number(v), 1_000)
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

interface CliOptions {
  bridge: string;
  robots: string[];
  dialect: 'auto' | 'ros2-web-bridge' | 'rosbridge_suite';
  staleAfter: number;
  every: number;
}

function line(s: RobotState): string {
  const pose = s.pose ? `(${s.pose.x.toFixed(2)}, ${s.pose.y.toFixed(2)}) ${((s.pose.theta * 180) / Math.PI).toFixed(0)}°` : 'pose ?';
  const battery = s.battery ? `${s.battery.percentage === null ? '?' : Math.round(s.battery.percentage * 100)}%${s.battery.charging ? ' charging' : ''}` : 'battery ?';
  const nav = s.nav ? s.nav.status : 'nav ?';
  const age = s.link.lastMessageAgeMs === null ? '' : ` ${s.link.lastMessageAgeMs} ms ago`;
  const rtt = s.link.latencyMs === null ? '' : ` rtt ${s.link.latencyMs} ms`;
  const issues = s.link.issues.length > 0 ? ` [${s.link.issues.join('; ')}]` : '';
  return `${s.id.padEnd(10)} ${s.link.state.padEnd(17)} ${pose.padEnd(24)} ${battery.padEnd(14)} ${nav.padEnd(10)} ${s.diagnostics?.level ?? '?'}${age}${rtt}${issues}`;
}

async function main(): Promise<void> {
  const argv = process.argv[2] === '--' ? [...process.argv.slice(0, 2), ...process.argv.slice(3)] : process.argv;
  const opts = program.parse(argv).opts<CliOptions>();
  const link = new RobotFleetLink({ endpoints: [{ url: opts.bridge, robots: opts.robots, dialect: opts.dialect }], staleAfterMs: opts.staleAfter, forwardHz: 1000 / Math.max(50, opts.every) });
  link.on('robot-state', (s) => console.log(line(s)));
  link.on('link', (e) => {
    if (e.type === 'open' || e.type === 'closed' || e.type === 'stalled' || e.type === 'dialect') console.log(`link: ${JSON.stringify(e)}`);
  });
  link.on('warning', (w) => console.warn(`warning: ${w.message}`));
  process.once('SIGINT', () => {
    void link.close().then(() => process.exit(0));
  });
  await link.connect();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
