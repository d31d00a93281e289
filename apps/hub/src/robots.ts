/**
 * Robots at the hub: the latest state of every robot the 'robot-bridge' devices report, fanned
 * out to the robot consoles; operators' commands routed to the bridge that holds the robot (an
 * emergency stop first, on its own path: sent to the device inside the request handler, before
 * anything else is awaited); and missions, in which a robot carries a bag flagged for search from
 * its lane to the search station.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  advanceMission, missionEnded, missionPoints, newMission, pickRobot, robotAvailability,
  DEFAULT_MISSION_LIMITS, type Mission, type MissionEvent, type MissionLimits, type MissionMap, type MissionRobot,
} from '@clearway/domain';
import {
  RobotCommandDeviceReply,
  type ConsoleToHubEvents, type DeviceToHubEvents, type ErrorBody, type HubRobotState, type HubToConsoleEvents, type HubToDeviceEvents,
  type Officer, type RobotCommandKind, type RobotCommandResult, type RobotLogLine, type RobotMission, type RobotPose, type Role,
  type RobotStateMessage,
} from '@clearway/protocol';
import type { Store } from '@clearway/store';
import type { Logger } from 'pino';
import type { Namespace, Socket } from 'socket.io';
import { RobotFeed } from './robot-feed.ts';

type ConsoleSocket = Socket<ConsoleToHubEvents, HubToConsoleEvents>;
type DeviceSocket = Socket<DeviceToHubEvents, HubToDeviceEvents>;
type HubLogLine = RobotLogLine & { deviceId: string };

/** Roles that see the fleet (robot:fleet, robot:states, robot:log, every robot:mission). */
export const FLEET_ROLES: readonly Role[] = ['robot-operator', 'shift-lead', 'admin'];
/** Roles that may drive robots; every role may stop them. */
const OPERATOR_ROLES: readonly Role[] = ['robot-operator', 'shift-lead', 'admin'];
const FLEET_ROOM = 'robots';

export const DEFAULT_MAP_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../../assets/maps/terminal.json');

export interface RobotHubOptions {
  /** The terminal map missions take their pickup and drop-off points from; null: no missions. */
  map?: MissionMap | null;
  /** How long the hub waits for a bridge device to answer a command. Default 5 s (a stop's service confirmation takes up to 3 s). */
  commandTimeoutMs?: number;
  /** A robot its (connected) bridge has not reported for this long is shown stale. Default 5 s. */
  reportStaleAfterMs?: number;
  missionLimits?: Partial<MissionLimits>;
  /** Open a mission for every bag decided 'search'. Default false. */
  missionsOnSearch?: boolean;
  /** States per robot per second to each console, on average. Default 10. */
  consoleHz?: number;
  /** Log lines kept per robot. Default 200. */
  logLines?: number;
  /** Housekeeping period (missions' clocks, stale reports). Default 500 ms. */
  tickMs?: number;
}

/** Reads and minimally checks the terminal map (assets/maps/terminal.json). */
export function loadTerminalMap(path = DEFAULT_MAP_PATH): MissionMap {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<MissionMap>;
  if (!Array.isArray(raw.obstacles) || !Array.isArray(raw.zones)) throw new Error(`${path}: not a terminal map (obstacles and zones missing)`);
  return { obstacles: raw.obstacles, zones: raw.zones };
}

interface OpenMission {
  record: RobotMission;
  machine: Mission;
}

function toMissionRobot(s: HubRobotState): MissionRobot {
  return {
    robotId: s.id,
    linkState: s.link.state,
    emergencyStop: s.emergencyStop,
    navStatus: s.nav?.status ?? null,
    goalId: s.nav?.goalId ?? null,
    pose: s.pose,
    battery: s.battery?.percentage ?? null,
  };
}

export class RobotHub {
  private readonly robots = new Map<string, HubRobotState>();
  /** Which bridge device reports each robot (the last one that did). */
  private readonly owners = new Map<string, string>();
  private readonly devices = new Map<string, DeviceSocket>();
  /** performance.now() of each robot's last report. */
  private readonly reportedAt = new Map<string, number>();
  /** Robots the hub itself marked stale (their bridge went quiet). */
  private readonly quiet = new Set<string>();
  private readonly logs = new Map<string, HubLogLine[]>();
  private readonly feeds = new Map<string, RobotFeed<HubRobotState>>();
  private readonly open = new Map<string, OpenMission>();
  private readonly ticker: ReturnType<typeof setInterval>;
  private readonly map: MissionMap | null;
  private readonly limits: MissionLimits;
  private readonly commandTimeoutMs: number;
  private readonly reportStaleAfterMs: number;
  private readonly logLines: number;
  private readonly consoleHz: number;
  readonly missionsOnSearch: boolean;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly consoles: Namespace<ConsoleToHubEvents, HubToConsoleEvents>,
    private readonly log: Logger,
    options: RobotHubOptions = {},
  ) {
    this.map = options.map === undefined ? loadTerminalMap() : options.map;
    this.limits = { ...DEFAULT_MISSION_LIMITS, ...options.missionLimits };
    this.commandTimeoutMs = options.commandTimeoutMs ?? 5_000;
    this.reportStaleAfterMs = options.reportStaleAfterMs ?? 5_000;
    this.logLines = options.logLines ?? 200;
    this.consoleHz = options.consoleHz ?? 10;
    this.missionsOnSearch = options.missionsOnSearch ?? false;
    // Missions that were under way when the hub stopped cannot be followed: the hub no longer knows
    // which of the robot's goals was theirs. Waiting ones carry on.
    const now = new Date();
    for (const record of store.missions.open()) {
      if (record.state === 'requested') {
        this.open.set(record.missionId, { record, machine: { ...newMission(record.pickup, record.dropoff) } });
      } else {
        store.missions.update(record.missionId, { state: 'failed', robotId: record.robotId, reason: 'the hub restarted during the mission', at: now });
      }
    }
    this.ticker = setInterval(() => this.tick(), options.tickMs ?? 500);
    this.ticker.unref();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.ticker);
    for (const feed of this.feeds.values()) feed.close();
    this.feeds.clear();
  }

  // ---- consoles -----------------------------------------------------------------------------------

  consoleJoined(socket: ConsoleSocket, officer: Officer): void {
    if (!FLEET_ROLES.includes(officer.role)) return;
    void socket.join(FLEET_ROOM);
    socket.emit('robot:fleet', {
      robots: [...this.robots.values()],
      missions: [...this.open.values()].map((m) => m.record).concat(this.store.missions.recent(20).filter((m) => m.endedAt !== null)),
      log: [...this.logs.values()].flat().sort((a, b) => a.atMs - b.atMs).slice(-this.logLines),
      at: new Date().toISOString(),
    });
    const feed = new RobotFeed<HubRobotState>((states) => socket.emit('robot:states', { states }), {
      hz: this.consoleHz,
      burst: 2,
      // What the console's connection has not written out yet: a slow console gets the newest
      // state per robot when it catches up, not a backlog.
      busy: () => ((socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0) > 16,
      // Link and stop changes are never skipped, only telemetry in between.
      keep: (older, newer) => older.link.state !== newer.link.state || older.emergencyStop !== newer.emergencyStop,
    });
    this.feeds.set(socket.id, feed);
    socket.on('disconnect', () => {
      feed.close();
      this.feeds.delete(socket.id);
    });
  }

  consoleHandlers(officer: Officer) {
    const mayDrive = OPERATOR_ROLES.includes(officer.role);
    return {
      'robot:command': async (c: { robotId: string; command: RobotCommandKind; goal?: RobotPose | undefined }): Promise<{ commandId: string; results: RobotCommandResult[] } | ErrorBody> => {
        if (c.command !== 'emergency-stop' && !mayDrive) {
          return { code: 'forbidden', message: `your role may send an emergency stop, not ${c.command}` };
        }
        if (c.robotId !== '*' && !this.owners.has(c.robotId)) return { code: 'not-found', message: `no bridge reports a robot ${c.robotId}` };
        const commandId = randomUUID();
        // Nothing is awaited before the command is on its way to the bridge.
        const results = await this.command(commandId, c.robotId, c.command, c.goal, null);
        this.log.info({ officerId: officer.id, commandId, robotId: c.robotId, command: c.command, outcomes: results.map((r) => `${r.robotId}:${r.outcome}`) }, 'robot command');
        this.appendLog(results.map((r) => ({
          deviceId: this.owners.get(r.robotId) ?? 'hub', robotId: r.robotId, atMs: Date.now(),
          level: r.outcome === 'accepted' ? 'info' : 'warn',
          message: `${officer.id}: ${c.command}${c.goal ? ` to (${c.goal.x.toFixed(1)}, ${c.goal.y.toFixed(1)})` : ''} ${r.outcome}${r.reason ? `: ${r.reason}` : ''} (${Math.round(r.elapsedMs)} ms)`,
        })));
        return { commandId, results };
      },
      'robot:dispatch': (d: { bagId: string; robotId?: string | undefined }) => this.dispatch(d.bagId, d.robotId ?? null, officer),
      'robot:missions': (q: { bagId?: string | undefined; limit: number }) => ({
        missions: q.bagId ? this.store.missions.forBag(q.bagId).slice(0, q.limit) : this.store.missions.recent(q.limit),
      }),
      'robot:mission-cancel': ({ missionId }: { missionId: string }) => {
        const entry = this.open.get(missionId);
        if (!entry) {
          const record = this.store.missions.get(missionId);
          if (!record) return { code: 'not-found' as const, message: `no mission ${missionId}` };
          return { code: 'conflict' as const, message: `mission ${missionId} has already ended (${record.state})` };
        }
        this.advance(entry, { type: 'cancel', reason: `cancelled by ${officer.id}`, atMs: performance.now() });
        return { mission: entry.record };
      },
    };
  }

  // ---- bridge devices -------------------------------------------------------------------------------

  deviceJoined(socket: DeviceSocket, deviceId: string): void {
    this.devices.set(deviceId, socket);
    socket.on('disconnect', () => {
      if (this.devices.get(deviceId) !== socket) return;
      this.devices.delete(deviceId);
      this.bridgeGone(deviceId, `bridge device ${deviceId} disconnected`);
    });
  }

  deviceHandlers(deviceId: string) {
    return {
      'robot:states': ({ states }: { states: RobotStateMessage[] }) => {
        this.statesArrived(deviceId, states);
        return { accepted: states.length };
      },
      'robot:log': ({ lines }: { lines: RobotLogLine[] }) => {
        this.appendLog(lines.map((l) => ({ ...l, deviceId })));
        return {};
      },
    };
  }

  /** A decision was stored: a 'search' bag gets a mission when the hub is set up for it. */
  bagDecided(bagId: string, verdict: string): void {
    if (!this.missionsOnSearch || verdict !== 'search' || this.map === null) return;
    const result = this.dispatch(bagId, null, null);
    if ('code' in result) this.log.warn({ bagId, error: result }, 'no robot mission for the search bag');
  }

  /** The robot's latest state at the hub (tests, diagnostics). */
  robot(id: string): HubRobotState | undefined {
    return this.robots.get(id);
  }

  private statesArrived(deviceId: string, states: readonly RobotStateMessage[]): void {
    const now = performance.now();
    const changed: HubRobotState[] = [];
    for (const s of states) {
      const previousOwner = this.owners.get(s.id);
      if (previousOwner !== undefined && previousOwner !== deviceId && this.devices.has(previousOwner)) {
        this.log.warn({ robotId: s.id, deviceId, previousOwner }, 'two bridge devices report the same robot; the newest one holds it');
      }
      const state: HubRobotState = { ...s, deviceId };
      this.owners.set(s.id, deviceId);
      this.robots.set(s.id, state);
      this.reportedAt.set(s.id, now);
      this.quiet.delete(s.id);
      changed.push(state);
    }
    this.fanOut(changed, false);
    for (const state of changed) this.robotChanged(state);
    this.assignWaiting();
  }

  /** Every robot of a bridge that left shows 'disconnected' on every console at once. */
  private bridgeGone(deviceId: string, why: string): void {
    const gone: HubRobotState[] = [];
    for (const [id, owner] of this.owners) {
      if (owner !== deviceId) continue;
      const s = this.robots.get(id);
      if (!s) continue;
      gone.push(this.relabel(s, 'disconnected', why));
    }
    if (gone.length === 0) return;
    this.log.warn({ deviceId, robots: gone.map((s) => s.id) }, 'robot bridge gone');
    this.fanOut(gone, true);
    this.appendLog([{ deviceId, robotId: null, level: 'error', message: why, atMs: Date.now() }]);
    for (const s of gone) this.robotChanged(s);
  }

  private relabel(s: HubRobotState, state: 'disconnected' | 'stale', issue: string): HubRobotState {
    const next: HubRobotState = {
      ...s,
      link: { ...s.link, state, latencyMs: state === 'disconnected' ? null : s.link.latencyMs, issues: [issue, ...s.link.issues.filter((i) => i !== issue)].slice(0, 20) },
      atMs: Date.now(),
    };
    this.robots.set(s.id, next);
    return next;
  }

  private fanOut(states: HubRobotState[], force: boolean): void {
    if (states.length === 0) return;
    for (const feed of this.feeds.values()) feed.offer(states, force);
  }

  private appendLog(lines: HubLogLine[]): void {
    if (lines.length === 0) return;
    for (const line of lines) {
      const key = line.robotId ?? `bridge:${line.deviceId}`;
      const ring = this.logs.get(key) ?? [];
      ring.push(line);
      if (ring.length > this.logLines) ring.splice(0, ring.length - this.logLines);
      this.logs.set(key, ring);
    }
    this.consoles.to(FLEET_ROOM).emit('robot:log', { lines });
  }

  private tick(): void {
    const now = performance.now();
    // A bridge that is connected but has stopped reporting: its robots go stale here.
    const stale: HubRobotState[] = [];
    for (const [id, at] of this.reportedAt) {
      const s = this.robots.get(id);
      if (!s || this.quiet.has(id) || s.link.state === 'disconnected' || now - at < this.reportStaleAfterMs) continue;
      this.quiet.add(id);
      stale.push(this.relabel(s, 'stale', `no report from bridge device ${s.deviceId} for ${((now - at) / 1000).toFixed(1)} s`));
    }
    this.fanOut(stale, true);
    for (const s of stale) this.robotChanged(s);
    for (const entry of [...this.open.values()]) this.advance(entry, { type: 'tick', atMs: now });
    this.assignWaiting();
  }

  // ---- commands -----------------------------------------------------------------------------------

  /**
   * Sends a command to the bridge device(s) holding the robot ('*': every bridge) and resolves
   * with one result per robot once each device answered or the timeout passed. The emit happens
   * synchronously, before this returns its promise.
   */
  private command(commandId: string, robotId: string, command: RobotCommandKind, goal: RobotPose | undefined, missionId: string | null): Promise<RobotCommandResult[]> {
    const targets: { deviceId: string; robots: string[] }[] = robotId === '*'
      ? [...new Set(this.owners.values())].map((d) => ({ deviceId: d, robots: [...this.owners].filter(([, o]) => o === d).map(([r]) => r) }))
      : [{ deviceId: this.owners.get(robotId) ?? '', robots: [robotId] }];
    const sentAt = performance.now();
    const elapsed = () => Math.round((performance.now() - sentAt) * 100) / 100;
    const pending = targets.map(({ deviceId, robots }) => {
      const socket = this.devices.get(deviceId);
      const fail = (outcome: 'rejected' | 'timeout', reason: string): RobotCommandResult[] =>
        robots.map((r) => ({ commandId, robotId: r, command, outcome, reason, elapsedMs: elapsed() }));
      if (!socket || !socket.connected) return Promise.resolve(fail('rejected', `bridge device ${deviceId || '?'} is not connected`));
      const payload = { commandId, robotId, command, ...(goal ? { goal } : {}), ...(missionId ? { missionId } : {}) };
      return new Promise<RobotCommandResult[]>((resolveResults) => {
        socket.timeout(this.commandTimeoutMs).emit('robot:command', payload, (err: Error | null, raw: unknown) => {
          if (err) return resolveResults(fail('timeout', `bridge device ${deviceId} did not answer within ${this.commandTimeoutMs / 1000} s`));
          const reply = RobotCommandDeviceReply.safeParse(raw);
          if (!reply.success) return resolveResults(fail('rejected', `bridge device ${deviceId} answered malformed: ${reply.error.issues[0]?.message ?? 'invalid'}`));
          if (!reply.data.ok) return resolveResults(fail('rejected', reply.data.error.message));
          resolveResults(reply.data.results.map((r) => ({ commandId, robotId: r.robotId, command, outcome: r.outcome, reason: r.reason, elapsedMs: elapsed() })));
        });
      });
    });
    return Promise.all(pending).then((all) => all.flat());
  }

  // ---- missions -----------------------------------------------------------------------------------

  private dispatch(bagId: string, robotId: string | null, officer: Officer | null): { mission: RobotMission; duplicate: boolean } | ErrorBody {
    const bag = this.store.screening.bag(bagId);
    if (!bag) return { code: 'not-found', message: `no bag ${bagId}` };
    if (officer?.role === 'screening-officer') {
      const theirs = this.store.screening.openAssignments().some((a) => a.bagId === bagId && a.officerId === officer.id)
        || this.store.screening.decisionsForBag(bagId).some((d) => d.officerId === officer.id && d.verdict === 'search');
      if (!theirs) return { code: 'forbidden', message: 'a screening officer sends a robot only for a bag they are screening or sent to search' };
    }
    if (this.map === null) return { code: 'conflict', message: 'the hub has no terminal map: robot missions are off' };
    const points = missionPoints(this.map, bag.lane);
    if (!points) return { code: 'not-found', message: `the terminal map has no pickup point for ${bag.lane} or no search table` };
    if (robotId !== null) {
      const s = this.robots.get(robotId);
      if (!s) return { code: 'not-found', message: `no bridge reports a robot ${robotId}` };
      const available = robotAvailability(toMissionRobot(s), this.busyRobots());
      if (!available.ok) return { code: 'conflict', message: available.reason };
    }
    const created = this.store.missions.create({ missionId: randomUUID(), bagId, requestedBy: officer?.id ?? 'hub', pickup: points.pickup, dropoff: points.dropoff, at: new Date() });
    if (created.duplicate) return created;
    const entry: OpenMission = { record: created.mission, machine: newMission(points.pickup, points.dropoff) };
    this.open.set(created.mission.missionId, entry);
    this.log.info({ missionId: entry.record.missionId, bagId, bagTag: bag.bagTag, lane: bag.lane, requestedBy: entry.record.requestedBy }, 'robot mission requested');
    this.pushMission(entry.record);
    const chosen = robotId ?? pickRobot([...this.robots.values()].map(toMissionRobot), points.pickup, this.busyRobots());
    if (chosen) this.advance(entry, { type: 'assign', robotId: chosen, atMs: performance.now() });
    return { mission: entry.record, duplicate: false };
  }

  private busyRobots(): Set<string> {
    const busy = new Set<string>();
    for (const m of this.open.values()) if (m.machine.robotId) busy.add(m.machine.robotId);
    return busy;
  }

  private assignWaiting(): void {
    for (const entry of this.open.values()) {
      if (entry.machine.state !== 'requested') continue;
      const chosen = pickRobot([...this.robots.values()].map(toMissionRobot), entry.machine.pickup, this.busyRobots());
      if (!chosen) return;
      this.advance(entry, { type: 'assign', robotId: chosen, atMs: performance.now() });
    }
  }

  private robotChanged(state: HubRobotState): void {
    const robot = toMissionRobot(state);
    for (const entry of [...this.open.values()]) {
      if (entry.machine.robotId === state.id) this.advance(entry, { type: 'robot', robot, atMs: performance.now() });
    }
  }

  /** Applies one event to a mission: stores and pushes the change, carries out the effects. */
  private advance(entry: OpenMission, event: MissionEvent): void {
    // A bridge's late answer after the hub closed (the database with it) changes nothing.
    if (this.closed) return;
    const step = advanceMission(entry.machine, event, this.limits);
    entry.machine = step.mission;
    if (step.changed) this.persist(entry);
    for (const effect of step.effects) {
      if (effect.type === 'cancel-goal') {
        void this.command(randomUUID(), effect.robotId, 'cancel', undefined, entry.record.missionId);
        continue;
      }
      const goalIdBefore = this.robots.get(effect.robotId)?.nav?.goalId ?? null;
      const sent = this.command(randomUUID(), effect.robotId, 'goal', effect.pose, entry.record.missionId);
      this.advance(entry, { type: 'goal-sent', target: effect.target, goalIdBefore, atMs: performance.now() });
      void sent.then((results) => {
        const refused = results.find((r) => r.outcome !== 'accepted');
        if (refused && entry.machine.leg?.target === effect.target) {
          this.advance(entry, { type: 'goal-refused', reason: refused.reason ?? refused.outcome, atMs: performance.now() });
        }
      });
    }
  }

  private persist(entry: OpenMission): void {
    const m = entry.machine;
    const record = this.store.missions.update(entry.record.missionId, { state: m.state, robotId: m.robotId, reason: m.reason, at: new Date() });
    if (!record) return;
    entry.record = record;
    if (missionEnded(m.state)) this.open.delete(record.missionId);
    this.log.info({ missionId: record.missionId, bagTag: record.bagTag, robotId: record.robotId, state: record.state, reason: record.reason }, 'robot mission');
    this.appendLog([{
      deviceId: (record.robotId && this.owners.get(record.robotId)) || 'hub', robotId: record.robotId, atMs: Date.now(),
      level: record.state === 'failed' ? 'error' : 'info',
      message: `mission for bag ${record.bagTag} (${record.lane}): ${record.state}${record.reason ? `: ${record.reason}` : ''}`,
    }]);
    this.pushMission(record);
  }

  private pushMission(record: RobotMission): void {
    const to = this.consoles.to(FLEET_ROOM);
    (record.requestedBy === 'hub' ? to : to.to(`officer:${record.requestedBy}`)).emit('robot:mission', record);
  }
}
