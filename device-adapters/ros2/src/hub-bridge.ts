/**
 * The robot bridge as a hub device ('robot-bridge'): robots' states go to the hub as
 * `robot:states` batches (at most forwardHz per robot, one batch in flight, latest wins while
 * the hub holds one), link news as `robot:log`, and the hub's `robot:command` is carried out
 * through the fleet link. An emergency stop is handed to the robots' sockets inside the handler
 * of the command that carries it, ahead of every telemetry frame; telemetry to the hub never
 * holds it up, since the command arrives on the other direction of the connection.
 */
import {
  HubDeviceLink, HubLinkClosedError, HubRefusedError,
  type HubDeviceLinkOptions, type HubLinkEvent, type RobotCommandResults,
} from '@clearway/device-core';
import type { RobotCommandToDevice, RobotLogLine, RobotStateMessage } from '@clearway/protocol';
import { RobotBridgeAdapter } from './adapter.ts';
import { RobotFleetLink, type BridgeEndpoint, type EmergencyStopReport, type RobotFleetLinkOptions } from './fleet-link.ts';
import { GoalTracker } from './robot/goal-tracker.ts';
import type { RobotState } from './robot/robot-state.ts';

export interface RobotHubBridgeOptions {
  hubUrl: string;
  deviceId: string;
  token: string;
  endpoints: readonly BridgeEndpoint[];
  /** States per robot per second to the hub, at most. Default 10. */
  forwardHz?: number;
  /** Metres per second used for the ETA shown to operators. Default 0.8 (the robots' cruising speed). */
  nominalSpeed?: number;
  simulated?: boolean;
  /** Further fleet-link options (stale limit, service timeout, probes). */
  link?: Partial<Omit<RobotFleetLinkOptions, 'endpoints' | 'forwardHz'>>;
  /** Further hub-link options (reconnection delays). */
  hub?: Partial<Pick<HubDeviceLinkOptions, 'reconnectDelayMs' | 'reconnectDelayMaxMs' | 'ackTimeoutMs'>>;
  /** One line per noteworthy event, for the process's output. */
  onLine?: (line: string) => void;
}

const LOG_FLUSH_MS = 250;
const MAX_LOG_QUEUE = 200;
const ACTIVE = new Set(['accepted', 'executing', 'canceling']);

export class RobotHubBridge {
  readonly link: RobotFleetLink;
  readonly adapter: RobotBridgeAdapter;
  readonly hub: HubDeviceLink;
  private readonly goals = new GoalTracker();
  private readonly nominalSpeed: number;
  private readonly onLine: (line: string) => void;
  private logQueue: RobotLogLine[] = [];
  private logTimer: ReturnType<typeof setTimeout> | null = null;
  private readySeen = false;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(options: RobotHubBridgeOptions) {
    this.nominalSpeed = options.nominalSpeed ?? 0.8;
    this.onLine = options.onLine ?? (() => {});
    const forwardHz = options.forwardHz ?? 10;
    // Burst 2: odometry at about forwardHz passes without waiting for the interval; the average holds.
    this.link = new RobotFleetLink({ forwardBurst: 2, ...options.link, endpoints: options.endpoints, forwardHz });
    this.adapter = new RobotBridgeAdapter({ id: options.deviceId, link: this.link, endpoints: options.endpoints.map((e) => e.url), maxStateHz: forwardHz, simulated: options.simulated ?? false });
    this.hub = new HubDeviceLink({
      ...options.hub,
      hubUrl: options.hubUrl,
      deviceId: options.deviceId,
      token: options.token,
      onRobotCommand: (command) => this.execute(command),
      onEvent: (event) => this.onHubEvent(event),
    });
    this.link.on('emergency-stop', (r) => this.log(r.robotId, r.confirmed ? 'info' : 'warn', stopLine(r)));
    this.link.on('warning', (w) => this.log(w.robotId, 'warn', w.message));
    this.link.on('link', (e) => {
      if (e.type === 'open') this.log(null, 'info', `bridge ${e.url} connected`);
      else if (e.type === 'closed') this.log(null, 'warn', `bridge ${e.url} closed${e.reason ? `: ${e.reason}` : ''}`);
      else if (e.type === 'stalled') this.log(null, 'warn', `bridge ${e.url} silent for ${(e.silentForMs / 1000).toFixed(1)} s; reconnecting`);
      else if (e.type === 'dialect') this.log(null, 'info', `bridge ${e.url} speaks ${e.dialect} (${e.how})`);
    });
  }

  /**
   * Connects to the hub (rejects with HubRefusedError when it refuses the device), then starts
   * forwarding; `done` settles when forwarding ends (close(), or a refusal later on).
   */
  async start(): Promise<{ done: Promise<void> }> {
    await this.hub.connect();
    this.running = this.adapter.startBatches((states) => this.forward(states));
    return { done: this.running };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.logTimer) clearTimeout(this.logTimer);
    this.logTimer = null;
    await this.adapter.close();
    await this.hub.close();
    await this.running?.catch(() => {});
  }

  /** Carries out one of the hub's commands; resolves with a result per robot. */
  async execute(cmd: RobotCommandToDevice): Promise<RobotCommandResults> {
    const known = new Set(this.link.robotIds);
    const ids = cmd.robotId === '*' ? this.link.robotIds : [cmd.robotId];
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length > 0) return ids.map((robotId) => ({ robotId, outcome: 'rejected' as const, reason: `no robot ${robotId} on this bridge` }));
    if (cmd.command === 'emergency-stop' || cmd.command === 'release') {
      const target = cmd.robotId === '*' ? 'all' : cmd.robotId;
      // The frames are on the robots' sockets when this call returns; the awaiting comes after.
      const pending = cmd.command === 'emergency-stop' ? this.link.emergencyStop(target) : this.link.release(target);
      if (cmd.command === 'emergency-stop') for (const id of ids) this.goals.cleared(id);
      const reports = await pending;
      return reports.map((r) => {
        if (r.confirmed) return { robotId: r.robotId, outcome: 'accepted' as const, reason: null };
        if (r.acknowledgedAfterMs !== null) return { robotId: r.robotId, outcome: 'accepted' as const, reason: `published; the robot's service did not confirm: ${r.error ?? 'no answer'}` };
        return { robotId: r.robotId, outcome: 'rejected' as const, reason: r.error ?? 'not sent' };
      });
    }
    return Promise.all(ids.map(async (robotId) => {
      try {
        switch (cmd.command) {
          case 'goal': {
            const goal = cmd.goal;
            if (!goal) return { robotId, outcome: 'rejected' as const, reason: 'a goal command without a goal' };
            const before = this.link.state(robotId).nav?.goalId ?? null;
            const sending = this.link.sendGoal(robotId, goal.x, goal.y, goal.theta);
            this.goals.sent(robotId, goal, before, performance.now());
            const sent = await sending;
            const dialect = this.link.dialects()[this.link.state(robotId).endpoint];
            // rosbridge_suite acknowledges nothing: a goal handed to the socket is as far as it goes.
            if (sent.acknowledged || dialect === 'rosbridge_suite') return { robotId, outcome: 'accepted' as const, reason: null };
            this.goals.cleared(robotId);
            return { robotId, outcome: 'rejected' as const, reason: 'the bridge did not acknowledge the goal' };
          }
          case 'cancel': {
            const r = await this.link.cancel(robotId);
            this.goals.cleared(robotId);
            if (r.returnCode === 0 || r.returnCode === 3) return { robotId, outcome: 'accepted' as const, reason: null };
            return { robotId, outcome: 'rejected' as const, reason: r.returnCode === 2 ? 'the robot knows no such goal' : `the robot refused to cancel (code ${r.returnCode})` };
          }
          case 'dock': {
            const r = await this.link.dock(robotId);
            return r.success ? { robotId, outcome: 'accepted' as const, reason: r.message || null } : { robotId, outcome: 'rejected' as const, reason: r.message || 'the robot refused to dock' };
          }
          default:
            return { robotId, outcome: 'rejected' as const, reason: `unknown command ${String(cmd.command)}` };
        }
      } catch (error) {
        return { robotId, outcome: 'rejected' as const, reason: error instanceof Error ? error.message : String(error) };
      }
    }));
  }

  /** The hub's picture of a robot: the link's state plus the goal it is driving to and an ETA. */
  toWire(s: RobotState): RobotStateMessage {
    const now = performance.now();
    // Non-null while the goal this link sent is on its way (the tracker forgets ended goals).
    const goal = this.goals.observe(s.id, s.nav && { status: s.nav.status, goalId: s.nav.goalId }, now);
    const active = goal !== null || (s.nav !== null && ACTIVE.has(s.nav.status));
    // The robot's own feedback where it gives one (rosbridge_suite actions), else straight-line.
    const distance = s.nav?.distanceRemaining ?? (goal && s.pose ? Math.hypot(goal.x - s.pose.x, goal.y - s.pose.y) : null);
    return {
      id: s.id,
      endpoint: s.endpoint.slice(0, 500),
      pose: s.pose && { x: s.pose.x, y: s.pose.y, theta: s.pose.theta },
      velocity: s.velocity && { linear: s.velocity.linear, angular: s.velocity.angular },
      battery: s.battery && { percentage: s.battery.percentage, voltage: s.battery.voltage, charging: s.battery.charging },
      diagnostics: s.diagnostics && { level: s.diagnostics.level, message: s.diagnostics.message.slice(0, 1000) },
      nav: s.nav || goal
        ? {
            status: s.nav?.status ?? 'unknown',
            goalId: s.nav?.goalId ?? null,
            distanceRemaining: distance === null ? null : Math.round(distance * 100) / 100,
            goal,
            path: null,
            etaSeconds: distance === null || !active ? null : Math.round(distance / this.nominalSpeed),
          }
        : null,
      emergencyStop: s.emergencyStop,
      link: { state: s.link.state, lastMessageAgeMs: s.link.lastMessageAgeMs, latencyMs: s.link.latencyMs, issues: s.link.issues.slice(0, 20).map((i) => i.slice(0, 500)) },
      seq: s.seq,
      atMs: s.atMs,
      stampMs: s.stampMs,
    };
  }

  private async forward(states: RobotState[]): Promise<void> {
    try {
      const reply = await this.hub.report('robot:states', { states: states.map((s) => this.toWire(s)) });
      if (!reply.ok) this.onLine(`hub refused robot:states: ${reply.error.message}`);
    } catch (error) {
      // Refused or closed: forwarding ends. Otherwise (no answer, connection dropped) wait for the
      // hub and send every robot afresh rather than this batch again.
      if (error instanceof HubRefusedError || error instanceof HubLinkClosedError) throw error;
      await this.hub.whenAccepted();
      this.adapter.offerAll();
    }
  }

  private onHubEvent(event: HubLinkEvent): void {
    switch (event.type) {
      case 'ready':
        this.onLine(`hub accepted ${event.ready.deviceId}`);
        // After a drop, the hub shows the robots disconnected until it hears from them again.
        if (this.readySeen) this.adapter.offerAll();
        this.readySeen = true;
        return;
      case 'disconnected':
        this.onLine(`hub connection lost (${event.reason}); reconnecting`);
        return;
      case 'unreachable':
        this.onLine(`hub unreachable: ${event.message}`);
        return;
      case 'refused':
        this.onLine(`hub refused the device: ${event.error.message}`);
        return;
      case 'protocol-error':
        this.onLine(`hub protocol error on ${event.error.event}: ${event.error.error.message}`);
        return;
      default:
        return;
    }
  }

  private log(robotId: string | null, level: RobotLogLine['level'], message: string): void {
    this.onLine(`${robotId ?? 'bridge'}: ${message}`);
    this.logQueue.push({ robotId, level, message: message.slice(0, 2000) || '(empty)', atMs: Date.now() });
    if (this.logQueue.length > MAX_LOG_QUEUE) this.logQueue.splice(0, this.logQueue.length - MAX_LOG_QUEUE);
    this.scheduleLogFlush();
  }

  private scheduleLogFlush(): void {
    if (this.logTimer || this.closed) return;
    this.logTimer = setTimeout(() => {
      this.logTimer = null;
      if (this.logQueue.length === 0) return;
      // Kept (the newest MAX_LOG_QUEUE) until the hub can take them.
      if (!this.hub.ready) return this.scheduleLogFlush();
      const lines = this.logQueue.splice(0, MAX_LOG_QUEUE);
      this.hub.report('robot:log', { lines }).catch(() => {});
    }, LOG_FLUSH_MS);
  }
}

function stopLine(r: EmergencyStopReport): string {
  const what = r.engaged ? 'emergency stop' : 'release';
  if (r.confirmed) return `${what} confirmed after ${r.confirmedAfterMs ?? '?'} ms (sent after ${r.sentAfterMs ?? '?'} ms)`;
  return `${what} not confirmed: ${r.error ?? 'no answer'}`;
}
