// Reading a robot's ROS 2 messages (as JSON from either bridge) into the few values the console
// needs, with every field checked: NaN arrives as null, fields go missing, arrays come as base64.
// Pure functions; a bad message yields an issue naming the field, never an exception.

export interface Pose2D {
  x: number;
  y: number;
  /** Heading in radians, counter-clockwise from the map's x axis, in (-π, π]. */
  theta: number;
}

export interface Velocity {
  /** m/s forward */
  linear: number;
  /** rad/s counter-clockwise */
  angular: number;
}

export type PowerSupplyStatus = 'unknown' | 'charging' | 'discharging' | 'not-charging' | 'full';

export interface BatteryReading {
  /** 0..1; null when the robot does not know (BatteryState sends NaN, which arrives as null). */
  percentage: number | null;
  charging: boolean;
  status: PowerSupplyStatus;
  voltage: number | null;
}

export type DiagnosticLevel = 'ok' | 'warn' | 'error' | 'stale';

export interface DiagnosticsReading {
  /** The worst level of all the robot's status entries. */
  level: DiagnosticLevel;
  /** The worst entry's name and message, e.g. "robot_1: drive: emergency stop engaged". */
  message: string;
  entries: readonly { name: string; level: DiagnosticLevel; message: string }[];
}

/** action_msgs/GoalStatus as words; 'idle' when the robot has no goal at all. */
export type NavStatus = 'idle' | 'unknown' | 'accepted' | 'executing' | 'canceling' | 'succeeded' | 'canceled' | 'aborted';

export interface NavReading {
  status: NavStatus;
  /** The newest goal's UUID as 32 hex digits. */
  goalId: string | null;
}

export type Reading<T> = { ok: true; value: T; stampMs: number | null } | { ok: false; issue: string };

export const NAV_STATUS: readonly NavStatus[] = ['unknown', 'accepted', 'executing', 'canceling', 'succeeded', 'canceled', 'aborted'];
const POWER_STATUS: readonly PowerSupplyStatus[] = ['unknown', 'charging', 'discharging', 'not-charging', 'full'];
const DIAGNOSTIC_LEVEL: readonly DiagnosticLevel[] = ['ok', 'warn', 'error', 'stale'];

class Invalid extends Error {}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `string ${JSON.stringify(value.slice(0, 20))}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

function at(root: unknown, path: string): unknown {
  let v: unknown = root;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Invalid(`${path}: ${describe(v)} where an object should be`);
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function finite(root: unknown, path: string): number {
  const v = at(root, path);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Invalid(`${path} is ${describe(v)}, not a number`);
  return v;
}

/** A float the message may leave unknown (NaN, sent as null): null then. */
function finiteOrUnknown(root: unknown, path: string): number | null {
  const v = at(root, path);
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Invalid(`${path} is ${describe(v)}, not a number`);
  return v;
}

function wholeIn(root: unknown, path: string, min: number, max: number): number {
  const v = at(root, path);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new Invalid(`${path} is ${describe(v)}, not a whole number from ${min} to ${max}`);
  return v;
}

function text(root: unknown, path: string): string {
  const v = at(root, path);
  if (typeof v !== 'string') throw new Invalid(`${path} is ${describe(v)}, not a string`);
  return v;
}

function list(root: unknown, path: string): unknown[] {
  const v = at(root, path);
  if (!Array.isArray(v)) throw new Invalid(`${path} is ${describe(v)}, not an array`);
  return v;
}

/** builtin_interfaces/Time in milliseconds. */
export function stampMs(root: unknown, path: string): number {
  const sec = wholeIn(root, `${path}.sec`, -2147483648, 2147483647);
  const nanosec = wholeIn(root, `${path}.nanosec`, 0, 4294967295);
  return sec * 1000 + nanosec / 1e6;
}

/**
 * uint8[] in either dialect: an array of numbers (ros2-web-bridge) or a base64 string
 * (rosbridge_suite).
 */
export function bytesOf(root: unknown, path: string): Uint8Array {
  const v = at(root, path);
  if (typeof v === 'string') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) throw new Invalid(`${path} is not base64`);
    return new Uint8Array(Buffer.from(v, 'base64'));
  }
  if (!Array.isArray(v) || !v.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)) {
    throw new Invalid(`${path} is ${describe(v)}, not bytes`);
  }
  return Uint8Array.from(v as number[]);
}

function read<T>(topic: string, message: unknown, parse: () => { value: T; stampMs: number | null }): Reading<T> {
  try {
    const { value, stampMs: stamp } = parse();
    return { ok: true, value, stampMs: stamp };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, issue: `${topic}: ${error.message}` };
    return { ok: false, issue: `${topic}: unreadable message (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** nav_msgs/Odometry → pose and velocity. */
export function readOdometry(message: unknown): Reading<{ pose: Pose2D; velocity: Velocity }> {
  return read('odom', message, () => {
    const stamp = stampMs(message, 'header.stamp');
    const x = finite(message, 'pose.pose.position.x');
    const y = finite(message, 'pose.pose.position.y');
    const qx = finite(message, 'pose.pose.orientation.x');
    const qy = finite(message, 'pose.pose.orientation.y');
    const qz = finite(message, 'pose.pose.orientation.z');
    const qw = finite(message, 'pose.pose.orientation.w');
    const norm = Math.hypot(qx, qy, qz, qw);
    if (norm < 1e-6) throw new Invalid('pose.pose.orientation is a zero quaternion');
    // Yaw of a quaternion that need not be normalised.
    const theta = Math.atan2(2 * (qw * qz + qx * qy), qw * qw + qx * qx - qy * qy - qz * qz);
    const linear = finite(message, 'twist.twist.linear.x');
    const angular = finite(message, 'twist.twist.angular.z');
    return { value: { pose: { x, y, theta: normalizeAngle(theta) }, velocity: { linear, angular } }, stampMs: stamp };
  });
}

function normalizeAngle(a: number): number {
  return Math.atan2(Math.sin(a), Math.cos(a));
}

/** sensor_msgs/BatteryState → charge and charging. */
export function readBattery(message: unknown): Reading<BatteryReading> {
  return read('battery_state', message, () => {
    const stamp = stampMs(message, 'header.stamp');
    const percentage = finiteOrUnknown(message, 'percentage');
    if (percentage !== null && (percentage < 0 || percentage > 1.0001)) throw new Invalid(`percentage is ${percentage}, outside 0..1`);
    const status = POWER_STATUS[wholeIn(message, 'power_supply_status', 0, 255)] ?? 'unknown';
    const voltage = finiteOrUnknown(message, 'voltage');
    return { value: { percentage: percentage === null ? null : Math.min(1, percentage), charging: status === 'charging', status, voltage }, stampMs: stamp };
  });
}

/** diagnostic_msgs/DiagnosticArray → the worst level and its message. */
export function readDiagnostics(message: unknown): Reading<DiagnosticsReading> {
  return read('diagnostics', message, () => {
    const stamp = stampMs(message, 'header.stamp');
    const entries = list(message, 'status').map((entry, i) => {
      const level = wholeIn(entry, 'level', 0, 255);
      return {
        name: text(entry, 'name'),
        level: DIAGNOSTIC_LEVEL[level] ?? 'error',
        message: text(entry, 'message'),
        rank: level > 3 ? 2 : level,
        index: i,
      };
    });
    // STALE (3) ranks above ERROR for the console: the robot cannot vouch for that part.
    const worst = entries.reduce<(typeof entries)[number] | null>((w, e) => (w === null || e.rank > w.rank ? e : w), null);
    return {
      value: {
        level: worst?.level ?? 'ok',
        message: worst && worst.rank > 0 ? `${worst.name}: ${worst.message}` : (worst?.message ?? ''),
        entries: entries.map(({ name, level, message: m }) => ({ name, level, message: m })),
      },
      stampMs: stamp === 0 ? null : stamp,
    };
  });
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** action_msgs/GoalStatusArray → the newest goal's status. */
export function readGoalStatus(message: unknown): Reading<NavReading> {
  return read('navigate_to_pose/_action/status', message, () => {
    const goals = list(message, 'status_list').map((entry) => ({
      id: hex(bytesOf(entry, 'goal_info.goal_id.uuid')),
      stamp: stampMs(entry, 'goal_info.stamp'),
      status: NAV_STATUS[wholeIn(entry, 'status', -128, 127)] ?? 'unknown',
    }));
    // The newest goal decides; the list order is the server's (Nav2: oldest first).
    let newest: (typeof goals)[number] | null = null;
    for (const g of goals) if (!newest || g.stamp >= newest.stamp) newest = g;
    return { value: newest ? { status: newest.status, goalId: newest.id } : { status: 'idle', goalId: null }, stampMs: null };
  });
}
