import type { Backoff } from '@clearway/device-core';
import { TypedEmitter } from './events.ts';
import { RosbridgeConnection, type ConnectionEvent, type Dialect, type SendReceipt } from './rosbridge/connection.ts';
import { CommandError, ServiceCallError } from './rosbridge/errors.ts';
import type { RosMessage } from './rosbridge/frames.ts';
import { Coalescer } from './robot/coalescer.ts';
import { RobotTracker, type RobotNav, type RobotState, type TelemetryTopic } from './robot/robot-state.ts';
import { NAV_STATUS } from './robot/telemetry.ts';
import { DEFAULT_NAMES, TYPES, isRobotId, robotName, type RobotInterfaceNames } from './topics.ts';

export interface BridgeEndpoint {
  /** ws://host:9090 */
  url: string;
  /** The robots behind this bridge, by namespace: robot_1, robot_2, … */
  robots: readonly string[];
  /** Default 'auto'. */
  dialect?: Dialect | 'auto';
}

export interface RobotFleetLinkOptions {
  endpoints: readonly BridgeEndpoint[];
  /** A robot with nothing fresh for this long is 'stale'. Default 2 s. */
  staleAfterMs?: number;
  /** robot-state events per robot per second, at most (latest wins). Default 5. */
  forwardHz?: number;
  /** How many of those may come at once (the bound is then an average): 2 lets a robot publishing at about forwardHz through without waiting. Default 1. */
  forwardBurst?: number;
  /** Limit of every service call (dock, cancel, the emergency-stop service). Default 3 s. */
  serviceTimeoutMs?: number;
  /** Header stamps further than this from this machine's clock count as stale; null: no check. Default 30 s. */
  maxStampSkewMs?: number | null;
  /** Publish an operator heartbeat to every robot this often; null (default): none. */
  heartbeatIntervalMs?: number | null;
  /** Who the heartbeat names (its frame_id). Default 'clearway'. */
  operatorId?: string;
  /** How goals travel: 'topic' (goal_pose), 'action' (NavigateToPose, rosbridge_suite only) or 'auto' (action where the bridge has actions). */
  navigation?: 'auto' | 'topic' | 'action';
  names?: Partial<RobotInterfaceNames>;
  reconnect?: Partial<Backoff>;
  probeIntervalMs?: number;
  stallTimeoutMs?: number;
  detectTimeoutMs?: number;
}

export type LinkEvent = ConnectionEvent;

export interface EmergencyStopReport {
  robotId: string;
  endpoint: string;
  engaged: boolean;
  /** Milliseconds from the call to the frame being handed to the socket (the publish). */
  sentAfterMs: number | null;
  /** … to the socket writing the publish out. */
  writtenAfterMs: number | null;
  /** … to ros2-web-bridge acknowledging the publish (null: no acknowledgement in this dialect). */
  acknowledgedAfterMs: number | null;
  /** … to the robot's SetBool service confirming. */
  confirmedAfterMs: number | null;
  confirmed: boolean;
  /** Why it was not confirmed. The stop stays latched here and is sent again on reconnection. */
  error: string | null;
}

export interface GoalSent {
  robotId: string;
  via: 'topic' | 'action';
  /** ros2-web-bridge acknowledged the publish (topic), or the goal was handed over (action). */
  acknowledged: boolean;
}

export interface CancelResult {
  robotId: string;
  /** action_msgs/srv/CancelGoal: 0 none, 1 rejected, 2 unknown goal, 3 already terminated. */
  returnCode: number;
  goalsCanceling: number;
}

export interface Warning {
  endpoint: string | null;
  robotId: string | null;
  message: string;
}

export type RobotFleetEvents = {
  /** A robot's picture, at most forwardHz per robot (latest wins); significant changes at once. */
  'robot-state': RobotState;
  /** A bridge connection's news: connecting, open, dialect, closed, stalled, … */
  link: LinkEvent;
  /** The outcome of each robot's emergency stop or release, with its timings. */
  'emergency-stop': EmergencyStopReport;
  /** Malformed frames, bridge errors, failing listeners. */
  warning: Warning;
};

interface Robot {
  id: string;
  endpoint: string;
  connection: RosbridgeConnection;
  tracker: RobotTracker;
  /** Latched here too: re-sent on every reconnection until release(). */
  estopLatched: boolean;
  /** The op id of the action goal in flight (rosbridge_suite actions), to cancel it. */
  actionGoal: string | null;
}

/**
 * The robot link: one rosbridge v2 connection per bridge endpoint, every robot's telemetry
 * (odometry, battery, diagnostics, navigation status) turned into `robot-state` events at a
 * bounded rate per robot, and the commands an operator gives: goals, cancel, dock, emergency stop
 * and release. The emergency stop goes to the socket at once, ahead of any waiting frame, as both
 * a latched std_msgs/Bool and a std_srvs/SetBool call.
 */
export class RobotFleetLink extends TypedEmitter<RobotFleetEvents> {
  private readonly robotsById = new Map<string, Robot>();
  private readonly connections: RosbridgeConnection[] = [];
  private readonly names: RobotInterfaceNames;
  private readonly coalescer: Coalescer;
  private readonly staleAfterMs: number;
  private readonly serviceTimeoutMs: number;
  private readonly navigation: 'auto' | 'topic' | 'action';
  private readonly heartbeatIntervalMs: number | null;
  private readonly operatorId: string;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private started = false;
  private closed = false;

  constructor(options: RobotFleetLinkOptions) {
    super((event, error) => {
      if (event !== 'warning') this.emit('warning', { endpoint: null, robotId: null, message: `a ${String(event)} listener threw: ${error instanceof Error ? error.message : String(error)}` });
    });
    if (options.endpoints.length === 0) throw new RangeError('at least one bridge endpoint');
    this.names = { ...DEFAULT_NAMES, ...options.names };
    this.staleAfterMs = options.staleAfterMs ?? 2_000;
    this.serviceTimeoutMs = options.serviceTimeoutMs ?? 3_000;
    this.navigation = options.navigation ?? 'auto';
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? null;
    this.operatorId = options.operatorId ?? 'clearway';
    const forwardHz = options.forwardHz ?? 5;
    if (!(forwardHz > 0)) throw new RangeError('forwardHz must be above 0');
    this.coalescer = new Coalescer(1000 / forwardHz, (id) => this.emitState(id), undefined, options.forwardBurst ?? 1);
    const maxStampSkewMs = options.maxStampSkewMs === undefined ? 30_000 : options.maxStampSkewMs;

    for (const endpoint of options.endpoints) {
      const connection = new RosbridgeConnection({
        url: endpoint.url,
        dialect: endpoint.dialect ?? 'auto',
        serviceTimeoutMs: this.serviceTimeoutMs,
        ...(options.reconnect ? { reconnect: options.reconnect } : {}),
        ...(options.probeIntervalMs === undefined ? {} : { probeIntervalMs: options.probeIntervalMs }),
        ...(options.stallTimeoutMs === undefined ? {} : { stallTimeoutMs: options.stallTimeoutMs }),
        ...(options.detectTimeoutMs === undefined ? {} : { detectTimeoutMs: options.detectTimeoutMs }),
        onEvent: (event) => this.onConnectionEvent(connection, event),
      });
      this.connections.push(connection);
      for (const id of endpoint.robots) {
        if (!isRobotId(id)) throw new RangeError(`robot id ${JSON.stringify(id)}: a ROS namespace such as robot_1`);
        if (this.robotsById.has(id)) throw new RangeError(`robot ${id} is listed twice`);
        this.robotsById.set(id, {
          id,
          endpoint: endpoint.url,
          connection,
          tracker: new RobotTracker(id, endpoint.url, { staleAfterMs: this.staleAfterMs, maxStampSkewMs }),
          estopLatched: false,
          actionGoal: null,
        });
      }
    }
  }

  /** Every robot's id, in the order given. */
  get robotIds(): string[] {
    return [...this.robotsById.keys()];
  }

  /** Connects to every bridge; resolves once all are open (they keep reconnecting on their own). */
  async connect(): Promise<void> {
    if (this.closed) throw new CommandError('closed', 'the fleet link is closed');
    if (!this.started) {
      this.started = true;
      for (const robot of this.robotsById.values()) this.wire(robot);
      for (const c of this.connections) c.start();
      const period = Math.max(20, Math.min(250, this.staleAfterMs / 4));
      this.ticker = setInterval(() => this.tick(), period);
      if (this.heartbeatIntervalMs !== null) this.heartbeat = setInterval(() => this.sendHeartbeats(), this.heartbeatIntervalMs);
    }
    await Promise.all(this.connections.map((c) => c.whenOpen()));
  }

  /** The robot's current picture (not rate limited). */
  state(robotId: string): RobotState {
    const robot = this.robot(robotId);
    return this.snapshot(robot);
  }

  /** Frame counters of each endpoint's connection: frames in and out, malformed, reconnects, stalls. */
  counters(): Record<string, RosbridgeConnection['counters']> {
    return Object.fromEntries(this.connections.map((c) => [c.url, c.counters]));
  }

  /** The dialect each endpoint speaks, once known. */
  dialects(): Record<string, Dialect | null> {
    return Object.fromEntries(this.connections.map((c) => [c.url, c.dialect]));
  }

  /** Sends a navigation goal in the map frame: x, y in metres, theta in radians. */
  async sendGoal(robotId: string, x: number, y: number, theta: number): Promise<GoalSent> {
    const robot = this.robot(robotId);
    if (![x, y, theta].every(Number.isFinite)) throw new CommandError('invalid', `goal for ${robotId}: x, y and theta must be finite numbers`);
    const pose = poseStamped(x, y, theta);
    const useAction = this.navigation === 'action' || (this.navigation === 'auto' && robot.connection.dialect === 'rosbridge_suite');
    if (useAction) {
      robot.actionGoal = robot.connection.sendActionGoal(robotName(robotId, this.names.navigateAction), TYPES.navigateAction, { pose, behavior_tree: '' }, {
        onFeedback: (values) => {
          const remaining = readNumber(values, 'distance_remaining');
          this.coalescer.mark(robotId, robot.tracker.onNav({ distanceRemaining: remaining }, performance.now()));
        },
        onResult: ({ status, ok }) => {
          robot.actionGoal = null;
          const nav: Partial<RobotNav> = { status: ok && status !== null ? (NAV_STATUS[status] ?? 'unknown') : 'aborted', distanceRemaining: null };
          this.coalescer.mark(robotId, robot.tracker.onNav(nav, performance.now()));
        },
      });
      this.coalescer.mark(robotId, robot.tracker.onNav({ status: 'accepted', distanceRemaining: null }, performance.now()));
      return { robotId, via: 'action', acknowledged: true };
    }
    const receipt = robot.connection.publish(robotName(robotId, this.names.goal), pose);
    const ack = await receipt.acknowledged;
    return { robotId, via: 'topic', acknowledged: ack !== null };
  }

  /** Cancels the robot's goals (all of them: CancelGoal with an all-zero goal id and stamp). */
  async cancel(robotId: string): Promise<CancelResult> {
    const robot = this.robot(robotId);
    if (robot.actionGoal && robot.connection.dialect === 'rosbridge_suite') {
      robot.connection.cancelActionGoal(robotName(robotId, this.names.navigateAction), robot.actionGoal);
    }
    const { response } = robot.connection.callService(robotName(robotId, this.names.cancelGoal), TYPES.cancelGoal, {
      goal_info: { goal_id: { uuid: new Array(16).fill(0) }, stamp: { sec: 0, nanosec: 0 } },
    });
    const values = await response;
    return { robotId, returnCode: readNumber(values, 'return_code') ?? -1, goalsCanceling: readArrayLength(values, 'goals_canceling') };
  }

  /** Sends the robot to charge at a dock (std_srvs/Trigger). */
  async dock(robotId: string): Promise<{ success: boolean; message: string }> {
    const robot = this.robot(robotId);
    const { response } = robot.connection.callService(robotName(robotId, this.names.dock), TYPES.dock, {});
    const values = await response;
    return { success: readBoolean(values, 'success') ?? false, message: readString(values, 'message') ?? '' };
  }

  /**
   * Stops one robot or all at once: a latched std_msgs/Bool true on emergency_stop and the
   * std_srvs/SetBool emergency_stop service, both sent straight to the socket before this method
   * awaits anything. The stop stays latched in this link, and is sent again after a reconnection,
   * until release(). Resolves with one report per robot once the services answered or timed out.
   */
  emergencyStop(target: string | 'all'): Promise<EmergencyStopReport[]> {
    return this.setEmergencyStop(target, true);
  }

  /** Releases the emergency stop (Bool false and SetBool false). */
  release(target: string | 'all'): Promise<EmergencyStopReport[]> {
    return this.setEmergencyStop(target, false);
  }

  /** Disconnects from every bridge. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ticker) clearInterval(this.ticker);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.coalescer.close();
    for (const c of this.connections) c.close();
  }

  private robot(robotId: string): Robot {
    const robot = this.robotsById.get(robotId);
    if (!robot) throw new CommandError('unknown-robot', `no robot ${JSON.stringify(robotId)} on this link`);
    if (this.closed) throw new CommandError('closed', 'the fleet link is closed');
    return robot;
  }

  private wire(robot: Robot): void {
    const c = robot.connection;
    const on = (topic: TelemetryTopic, name: string, type: string): void => {
      c.subscribe(robotName(robot.id, name), type, (msg, meta) => {
        const significant = robot.tracker.onMessage(topic, msg, meta.receivedAt, Date.now());
        // Odometry sets the pace; the slow topics ride along with it unless they change something
        // that matters (then they go at once), so they never make odometry wait for a slot.
        if (topic === 'odom' || significant) this.coalescer.mark(robot.id, significant);
        else this.coalescer.markLazy(robot.id);
      });
    };
    // Commands are advertised up front, so that an emergency stop never waits for an advertise.
    c.advertise(robotName(robot.id, this.names.emergencyStopTopic), TYPES.emergencyStopTopic, true);
    c.advertise(robotName(robot.id, this.names.goal), TYPES.goal);
    if (this.heartbeatIntervalMs !== null) c.advertise(robotName(robot.id, this.names.heartbeat), TYPES.heartbeat);
    on('odom', this.names.odom, TYPES.odom);
    on('battery', this.names.battery, TYPES.battery);
    on('diagnostics', this.names.diagnostics, TYPES.diagnostics);
    on('nav', this.names.navStatus, TYPES.navStatus);
  }

  private async setEmergencyStop(target: string | 'all', engaged: boolean): Promise<EmergencyStopReport[]> {
    const robots = target === 'all' ? [...this.robotsById.values()] : [this.robot(target)];
    if (this.closed) throw new CommandError('closed', 'the fleet link is closed');
    // Every frame goes out first, synchronously; the waiting comes after.
    const pending = robots.map((robot) => this.sendEmergencyStop(robot, engaged));
    return Promise.all(pending);
  }

  private sendEmergencyStop(robot: Robot, engaged: boolean): Promise<EmergencyStopReport> {
    const requestedAt = performance.now();
    robot.estopLatched = engaged;
    this.coalescer.mark(robot.id, robot.tracker.onEmergencyStop(engaged ? 'engaged' : 'released', requestedAt));
    const base = { robotId: robot.id, endpoint: robot.endpoint, engaged };
    let receipt: SendReceipt;
    let response: Promise<unknown>;
    try {
      receipt = robot.connection.publish(robotName(robot.id, this.names.emergencyStopTopic), { data: engaged }, { urgent: true, latch: true });
      ({ response } = robot.connection.callService(robotName(robot.id, this.names.emergencyStopService), TYPES.emergencyStopService, { data: engaged }, { urgent: true }));
    } catch (error) {
      const report: EmergencyStopReport = {
        ...base,
        sentAfterMs: null,
        writtenAfterMs: null,
        acknowledgedAfterMs: null,
        confirmedAfterMs: null,
        confirmed: false,
        error: `${error instanceof Error ? error.message : String(error)}${engaged ? '; latched, sent again on reconnection' : ''}`,
      };
      this.emit('emergency-stop', report);
      return Promise.resolve(report);
    }
    const since = (t: number | null): number | null => (t === null ? null : Math.round((t - requestedAt) * 100) / 100);
    const sentAfterMs = since(receipt.sentAt);
    return Promise.all([
      receipt.written,
      receipt.acknowledged,
      response.then(
        (values) => ({ at: performance.now(), ok: readBoolean(values, 'success') === true, error: null as string | null }),
        (error: unknown) => ({ at: null, ok: false, error: error instanceof ServiceCallError ? error.message : String(error) }),
      ),
    ]).then(([written, acknowledged, service]) => {
      const report: EmergencyStopReport = {
        ...base,
        sentAfterMs,
        writtenAfterMs: since(written),
        acknowledgedAfterMs: since(acknowledged),
        confirmedAfterMs: service.ok ? since(service.at) : null,
        confirmed: service.ok,
        error: service.ok ? null : (service.error ?? 'the robot answered success: false'),
      };
      this.emit('emergency-stop', report);
      return report;
    });
  }

  private sendHeartbeats(): void {
    const now = Date.now();
    const sec = Math.floor(now / 1000);
    for (const robot of this.robotsById.values()) {
      if (!robot.connection.isOpen) continue;
      try {
        robot.connection.publish(robotName(robot.id, this.names.heartbeat), { stamp: { sec, nanosec: (now - sec * 1000) * 1e6 }, frame_id: this.operatorId });
      } catch {
        // Not connected right now: the robot will notice, which is the point of a heartbeat.
      }
    }
  }

  private onConnectionEvent(connection: RosbridgeConnection, event: ConnectionEvent): void {
    this.emit('link', event);
    const robots = [...this.robotsById.values()].filter((r) => r.connection === connection);
    const mono = performance.now();
    switch (event.type) {
      case 'open':
        for (const robot of robots) {
          this.coalescer.mark(robot.id, robot.tracker.onConnection(true, connection.latencyMs, mono));
          // The stop outlives the connection it was sent on.
          if (robot.estopLatched) void this.sendEmergencyStop(robot, true);
        }
        return;
      case 'closed':
        for (const robot of robots) {
          robot.actionGoal = null;
          this.coalescer.mark(robot.id, robot.tracker.onConnection(false, connection.latencyMs, mono));
        }
        return;
      case 'malformed-frame':
      case 'encode-error':
      case 'handler-error':
        this.emit('warning', { endpoint: connection.url, robotId: null, message: `${event.type}: ${'reason' in event ? event.reason : event.message}` });
        return;
      case 'bridge-error':
        this.emit('warning', { endpoint: connection.url, robotId: robotFromMessage(event.message, robots), message: `bridge ${event.level}: ${event.message}` });
        return;
      default:
        return;
    }
  }

  private tick(): void {
    const mono = performance.now();
    for (const robot of this.robotsById.values()) {
      const c = robot.connection;
      const changed = robot.tracker.onConnection(c.isOpen, c.latencyMs, mono);
      const state = robot.tracker.linkState(mono);
      if (changed) this.coalescer.mark(robot.id, true);
      // Keep the age of a robot that went quiet moving, at the forwarding rate.
      else if (state !== 'live') this.coalescer.mark(robot.id, false);
    }
  }

  private snapshot(robot: Robot): RobotState {
    const mono = performance.now();
    robot.tracker.onConnection(robot.connection.isOpen, robot.connection.latencyMs, mono);
    return robot.tracker.snapshot(mono, Date.now());
  }

  private emitState(robotId: string): void {
    const robot = this.robotsById.get(robotId);
    if (!robot || this.closed) return;
    this.emit('robot-state', this.snapshot(robot));
  }
}

function poseStamped(x: number, y: number, theta: number): RosMessage {
  const now = Date.now();
  const sec = Math.floor(now / 1000);
  return {
    header: { stamp: { sec, nanosec: (now - sec * 1000) * 1e6 }, frame_id: 'map' },
    pose: { position: { x, y, z: 0 }, orientation: { x: 0, y: 0, z: Math.sin(theta / 2), w: Math.cos(theta / 2) } },
  };
}

function field(values: unknown, key: string): unknown {
  return typeof values === 'object' && values !== null ? (values as Record<string, unknown>)[key] : undefined;
}

function readNumber(values: unknown, key: string): number | null {
  const v = field(values, key);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function readBoolean(values: unknown, key: string): boolean | null {
  const v = field(values, key);
  return typeof v === 'boolean' ? v : null;
}

function readString(values: unknown, key: string): string | null {
  const v = field(values, key);
  return typeof v === 'string' ? v : null;
}

function readArrayLength(values: unknown, key: string): number {
  const v = field(values, key);
  return Array.isArray(v) ? v.length : 0;
}

function robotFromMessage(message: string, robots: readonly Robot[]): string | null {
  return robots.find((r) => message.includes(`/${r.id}/`))?.id ?? null;
}
