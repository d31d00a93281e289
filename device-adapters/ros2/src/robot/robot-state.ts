import {
  readBattery,
  readDiagnostics,
  readGoalStatus,
  readOdometry,
  type BatteryReading,
  type DiagnosticLevel,
  type NavStatus,
  type Pose2D,
  type Reading,
  type Velocity,
} from './telemetry.ts';

/**
 * How current a robot's picture is, worst first:
 * - 'disconnected': its bridge is not connected;
 * - 'connecting': connected, nothing from the robot yet (and not yet overdue);
 * - 'stale': nothing fresh for staleAfterMs (messages stopped, or their stamps are too old);
 * - 'telemetry-invalid': messages arrive, but the latest of some topic was unusable (NaN/null
 *   where a number belongs, missing fields); the last good values are kept, marked by `issues`;
 * - 'live'.
 */
export type RobotLinkState = 'disconnected' | 'connecting' | 'stale' | 'telemetry-invalid' | 'live';

export interface RobotLink {
  state: RobotLinkState;
  /** Since the last message of any of the robot's topics; null before the first. */
  lastMessageAgeMs: number | null;
  /** Round trip to the bridge, from its probe; null before the first reply. */
  latencyMs: number | null;
  /** What is wrong, one line per topic, e.g. "odom: pose.pose.position.x is null, not a number". */
  issues: readonly string[];
}

export interface RobotNav {
  status: NavStatus;
  goalId: string | null;
  /** From action feedback (rosbridge_suite actions); null otherwise. */
  distanceRemaining: number | null;
}

/** Everything the console shows for one robot; a fresh frozen object per emission. */
export interface RobotState {
  readonly id: string;
  /** The bridge the robot is reached through. */
  readonly endpoint: string;
  readonly pose: Pose2D | null;
  readonly velocity: Velocity | null;
  readonly battery: BatteryReading | null;
  readonly diagnostics: { readonly level: DiagnosticLevel; readonly message: string } | null;
  readonly nav: RobotNav | null;
  /** As commanded through this link: engaged until released. 'unknown' before any command. */
  readonly emergencyStop: 'engaged' | 'released' | 'unknown';
  readonly link: RobotLink;
  /** Increases with every emission for this robot. */
  readonly seq: number;
  /** Wall-clock time of this picture (ms since the epoch). */
  readonly atMs: number;
  /** Header stamp of the newest message applied to this picture (ms since the epoch); null before one. */
  readonly stampMs: number | null;
}

export type TelemetryTopic = 'odom' | 'battery' | 'diagnostics' | 'nav';

interface TopicTrack {
  /** Monotonic time of the last message, valid or not. */
  lastAt: number | null;
  lastStampMs: number | null;
  issue: { kind: 'invalid' | 'stale'; text: string } | null;
}

export interface RobotTrackerOptions {
  staleAfterMs: number;
  /** Header stamps further than this from the wall clock make a message stale; null: no check. */
  maxStampSkewMs: number | null;
}

/**
 * Assembles one robot's state from its messages. Pure apart from the times passed in: `mono` is a
 * monotonic clock (staleness), `wall` the epoch clock (header stamps).
 */
export class RobotTracker {
  private pose: Pose2D | null = null;
  private velocity: Velocity | null = null;
  private battery: BatteryReading | null = null;
  private diagnostics: { level: DiagnosticLevel; message: string } | null = null;
  private nav: RobotNav | null = null;
  private estop: RobotState['emergencyStop'] = 'unknown';
  private connected = false;
  private connectedAt = 0;
  private latencyMs: number | null = null;
  private lastFreshAt: number | null = null;
  private newestStampMs: number | null = null;
  private seq = 0;
  private readonly topics: Record<TelemetryTopic, TopicTrack> = {
    odom: { lastAt: null, lastStampMs: null, issue: null },
    battery: { lastAt: null, lastStampMs: null, issue: null },
    diagnostics: { lastAt: null, lastStampMs: null, issue: null },
    nav: { lastAt: null, lastStampMs: null, issue: null },
  };
  /** What the last emitted state looked like, to tell significant changes from telemetry. */
  private lastSignature = '';

  constructor(
    readonly id: string,
    readonly endpoint: string,
    private readonly options: RobotTrackerOptions,
  ) {}

  /**
   * Takes one message; returns true when the change is significant (link state, navigation
   * status, diagnostics level) and should reach the console without waiting for the rate limit.
   */
  onMessage(topic: TelemetryTopic, message: unknown, mono: number, wall: number): boolean {
    const track = this.topics[topic];
    track.lastAt = mono;
    const reading = this.read(topic, message);
    if (!reading.ok) {
      track.issue = { kind: 'invalid', text: reading.issue };
      return this.changed(mono);
    }
    if (reading.stampMs !== null) {
      const skew = wall - reading.stampMs;
      if (this.options.maxStampSkewMs !== null && Math.abs(skew) > this.options.maxStampSkewMs) {
        // Old (or future) data: a robot clock that jumped, a replay, a queue that was held up.
        track.issue = { kind: 'stale', text: `${topicName(topic)}: header stamp ${(Math.abs(skew) / 1000).toFixed(1)} s ${skew > 0 ? 'behind' : 'ahead of'} this clock` };
        return this.changed(mono);
      }
      if (track.lastStampMs !== null && reading.stampMs < track.lastStampMs && track.issue === null) {
        // Out of order (a late duplicate): older than what is shown already.
        return false;
      }
      track.lastStampMs = reading.stampMs;
      if (this.newestStampMs === null || reading.stampMs > this.newestStampMs) this.newestStampMs = reading.stampMs;
    }
    track.issue = null;
    this.lastFreshAt = mono;
    this.apply(topic, reading.value);
    return this.changed(mono);
  }

  private read(topic: TelemetryTopic, message: unknown): Reading<unknown> {
    switch (topic) {
      case 'odom':
        return readOdometry(message);
      case 'battery':
        return readBattery(message);
      case 'diagnostics':
        return readDiagnostics(message);
      case 'nav':
        return readGoalStatus(message);
    }
  }

  private apply(topic: TelemetryTopic, value: unknown): void {
    switch (topic) {
      case 'odom': {
        const v = value as { pose: Pose2D; velocity: Velocity };
        this.pose = v.pose;
        this.velocity = v.velocity;
        return;
      }
      case 'battery':
        this.battery = value as BatteryReading;
        return;
      case 'diagnostics': {
        const v = value as { level: DiagnosticLevel; message: string };
        this.diagnostics = { level: v.level, message: v.message };
        return;
      }
      case 'nav': {
        const v = value as { status: NavStatus; goalId: string | null };
        // Action feedback (distance remaining) comes without the goal's id: keep it for the goal the
        // status names, unless that goal is another one or has ended.
        const sameGoal = this.nav !== null && (this.nav.goalId === v.goalId || this.nav.goalId === null);
        const active = v.status === 'accepted' || v.status === 'executing' || v.status === 'canceling';
        this.nav = { status: v.status, goalId: v.goalId, distanceRemaining: sameGoal && active && this.nav ? this.nav.distanceRemaining : null };
        return;
      }
    }
  }

  /** Navigation news from action feedback or results (rosbridge_suite). */
  onNav(update: Partial<RobotNav>, mono: number): boolean {
    this.nav = { status: 'unknown', goalId: null, distanceRemaining: null, ...this.nav, ...update };
    return this.changed(mono);
  }

  onEmergencyStop(state: RobotState['emergencyStop'], mono: number): boolean {
    this.estop = state;
    return this.changed(mono);
  }

  onConnection(connected: boolean, latencyMs: number | null, mono: number): boolean {
    if (connected && !this.connected) this.connectedAt = mono;
    this.connected = connected;
    this.latencyMs = latencyMs;
    return this.changed(mono);
  }

  linkState(mono: number): RobotLinkState {
    if (!this.connected) return 'disconnected';
    const lastAt = this.lastMessageAt();
    if (lastAt === null) return mono - this.connectedAt > this.options.staleAfterMs ? 'stale' : 'connecting';
    // Messages stopped.
    if (mono - lastAt > this.options.staleAfterMs) return 'stale';
    const issues = Object.values(this.topics).map((t) => t.issue);
    // Messages come, but carry old stamps.
    if (issues.some((i) => i?.kind === 'stale')) return 'stale';
    // Messages come, but some topic's latest was unusable.
    if (issues.some((i) => i?.kind === 'invalid')) return 'telemetry-invalid';
    if (this.lastFreshAt === null || mono - this.lastFreshAt > this.options.staleAfterMs) return 'stale';
    return 'live';
  }

  private lastMessageAt(): number | null {
    let last: number | null = null;
    for (const t of Object.values(this.topics)) if (t.lastAt !== null && (last === null || t.lastAt > last)) last = t.lastAt;
    return last;
  }

  /** True when time alone changed something significant (a robot went stale). */
  tick(mono: number): boolean {
    return this.changed(mono);
  }

  private signature(mono: number): string {
    return [this.linkState(mono), this.nav?.status, this.nav?.goalId, this.diagnostics?.level, this.estop, this.battery?.charging].join('|');
  }

  private changed(mono: number): boolean {
    return this.signature(mono) !== this.lastSignature;
  }

  /** The picture to emit now; marks it as the last emitted. */
  snapshot(mono: number, wall: number): RobotState {
    this.lastSignature = this.signature(mono);
    const lastAt = this.lastMessageAt();
    const issues: string[] = [];
    for (const [topic, track] of Object.entries(this.topics) as [TelemetryTopic, TopicTrack][]) {
      if (track.issue) issues.push(track.issue.text);
      else if (this.connected && track.lastAt !== null && mono - track.lastAt > Math.max(this.options.staleAfterMs, 3_000)) {
        issues.push(`${topicName(topic)}: nothing for ${((mono - track.lastAt) / 1000).toFixed(1)} s`);
      }
    }
    const linkState = this.linkState(mono);
    if (linkState === 'stale' && !Object.values(this.topics).some((t) => t.issue?.kind === 'stale')) {
      const since = lastAt ?? this.connectedAt;
      issues.unshift(`no message for ${((mono - since) / 1000).toFixed(1)} s`);
    }
    const state: RobotState = {
      id: this.id,
      endpoint: this.endpoint,
      pose: this.pose && { ...this.pose },
      velocity: this.velocity && { ...this.velocity },
      battery: this.battery && { ...this.battery },
      diagnostics: this.diagnostics && { ...this.diagnostics },
      nav: this.nav && { ...this.nav },
      emergencyStop: this.estop,
      link: {
        state: linkState,
        lastMessageAgeMs: lastAt === null ? null : Math.max(0, Math.round(mono - lastAt)),
        latencyMs: this.latencyMs === null ? null : Math.round(this.latencyMs * 10) / 10,
        issues,
      },
      seq: ++this.seq,
      atMs: wall,
      stampMs: this.newestStampMs,
    };
    return deepFreeze(state);
  }
}

function topicName(topic: TelemetryTopic): string {
  return topic === 'battery' ? 'battery_state' : topic === 'nav' ? 'navigate_to_pose/_action/status' : topic;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
