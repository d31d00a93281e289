// Watches robots through one or more rosbridge endpoints and prints their state:
//   tsx device-adapters/ros2/src/main.ts --bridge ws://localhost:9090 --robots robot_1,robot_2
// or connects them to the hub as a 'robot-bridge' device:
//   tsx device-adapters/ros2/src/main.ts hub --hub http://localhost:4300 --device-id robot-bridge-1 \
//     --token TOKEN --bridge ws://localhost:9090 --robots robot_1,robot_2
// (Start a simulated fleet first: node device-adapters/ros2-sim/bin/fleet-bridge.cjs --robots 2.)
// Ctrl-C engages nothing in either mode; stops are the operator's.
import { HubRefusedError } from '@clearway/device-core';
import { Command, InvalidArgumentError, Option } from 'commander';
import { RobotFleetLink } from './fleet-link.ts';
import { RobotHubBridge } from './hub-bridge.ts';
import type { RobotState } from './robot/robot-state.ts';
import { isRobotId } from './topics.ts';

function robotList(value: string): string[] {
  const ids = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of ids) if (!isRobotId(id)) throw new InvalidArgumentError(`${JSON.stringify(id)} is not a ROS namespace such as robot_1`);
  if (ids.length === 0) throw new InvalidArgumentError('at least one robot');
  return ids;
}

const program = new Command().name('ros2-robots').exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

program.command('watch', { isDefault: true })
  .description('Shows the robots behind a rosbridge server (ros2-web-bridge or rosbridge_suite).')
  .option('--bridge <url>', 'rosbridge WebSocket URL', 'ws://localhost:9090')
  .requiredOption('--robots <ids>', 'comma-separated robot namespaces, e.g. robot_1,robot_2', robotList)
  .addOption(new Option('--dialect <dialect>', 'the server').choices(['auto', 'ros2-web-bridge', 'rosbridge_suite']).default('auto'))
  .option('--stale-after <ms>', 'a robot with nothing fresh for this long is stale', (v) => Number(v), 2_000)
  .option('--every <ms>', 'print each robot at most this often', (v) => Number(v), 1_000)
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
  .action((opts: CliOptions) => watch(opts));

function positive(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError('a number above 0');
  return n;
}

program.command('hub')
  .description("Connects the robots behind one rosbridge server to the hub as a 'robot-bridge' device: states out, commands in.")
  .option('--hub <url>', 'hub base URL', 'http://localhost:4300')
  .option('--device-id <id>', 'device ID registered at the hub', 'robot-bridge-1')
  .option('--token <token>', 'device token (or env CLEARWAY_DEVICE_TOKEN)')
  .option('--bridge <url>', 'rosbridge WebSocket URL', 'ws://localhost:9090')
  .requiredOption('--robots <ids>', 'comma-separated robot namespaces, e.g. robot_1,robot_2', robotList)
  .addOption(new Option('--dialect <dialect>', 'the server').choices(['auto', 'ros2-web-bridge', 'rosbridge_suite']).default('auto'))
  .option('--rate <hz>', 'states per robot per second to the hub, at most', positive, 10)
  .option('--stale-after <ms>', 'a robot with nothing fresh for this long is stale', positive, 2_000)
  .option('--simulated', 'the robots are simulated (stated in the capabilities)', false)
  .option('--quiet', 'print only trouble', false)
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2))
  .action((opts: HubOptions) => hub(opts));

interface HubOptions {
  hub: string;
  deviceId: string;
  token?: string;
  bridge: string;
  robots: string[];
  dialect: 'auto' | 'ros2-web-bridge' | 'rosbridge_suite';
  rate: number;
  staleAfter: number;
  simulated: boolean;
  quiet: boolean;
}

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

async function watch(opts: CliOptions): Promise<void> {
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

/** Exit codes: 1 failure, 2 bad command line (a missing token too), 3 refused by the hub. */
async function hub(opts: HubOptions): Promise<void> {
  const token = opts.token ?? process.env['CLEARWAY_DEVICE_TOKEN'];
  if (!token) {
    console.error('--token (or CLEARWAY_DEVICE_TOKEN) is required: register the device with pnpm clearway devices add --id ID --kind robot-bridge');
    process.exit(2);
  }
  const bridge = new RobotHubBridge({
    hubUrl: opts.hub, deviceId: opts.deviceId, token, forwardHz: opts.rate, simulated: opts.simulated,
    endpoints: [{ url: opts.bridge, robots: opts.robots, dialect: opts.dialect }],
    link: { staleAfterMs: opts.staleAfter },
    onLine: (line) => {
      if (!opts.quiet || /refused|lost|unreachable|error|not confirmed|closed|silent/.test(line)) console.log(line);
    },
  });
  process.once('SIGINT', () => void bridge.close().then(() => process.exit(0)));
  process.once('SIGTERM', () => void bridge.close().then(() => process.exit(0)));
  try {
    const { done } = await bridge.start();
    console.log(`forwarding ${opts.robots.join(', ')} from ${opts.bridge} to ${opts.hub} as ${opts.deviceId}`);
    await done;
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(error instanceof HubRefusedError ? 3 : 1);
  }
}

const argv = process.argv[2] === '--' ? [...process.argv.slice(0, 2), ...process.argv.slice(3)] : process.argv;
program.parseAsync(argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
