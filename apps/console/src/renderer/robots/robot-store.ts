/**
 * The robot fleet on this console: robots, missions, log, the operator's commands. Pushes from
 * the hub arrive here already parsed (robot-controller.ts). Chart and trail histories are ring
 * buffers outside the state (mutated in place, no copies at 10 Hz); `historyRevision` tells the
 * components when they changed.
 */
import { create } from 'zustand';
import type { HubRobotState, RobotFleetSnapshot, RobotLogPush, RobotMission, RobotPose } from '@clearway/protocol';
import type { CommandStatus, CommandStatuses } from './commands.ts';
import { type Fleet, applySnapshot, applyStates, emptyFleet } from './fleet.ts';
import { type RobotHistory, newHistory, record } from './history.ts';
import { type Missions, mergeMissions, upsertMission } from './missions.ts';

export type LogLine = RobotLogPush['lines'][number];

/** Log lines kept on this console, all robots together. */
export const LOG_LINES = 500;

export interface AllStop {
  readonly phase: 'sending' | 'done' | 'failed';
  readonly atMs: number;
  /** How many robots confirmed, of how many the hub reached. */
  readonly confirmed: number;
  readonly reached: number;
  readonly error: string | null;
}

export interface Dispatch {
  readonly bagId: string;
  readonly bagTag: string;
  readonly phase: 'offered' | 'sending' | 'sent' | 'failed';
  readonly missionId: string | null;
  readonly error: string | null;
}

export interface RobotsState {
  fleet: Fleet;
  /** When the hub's last fleet snapshot was taken; null before the first. */
  snapshotAt: string | null;
  missions: Missions;
  log: readonly LogLine[];
  historyRevision: number;
  selectedId: string | null;
  /** The last command this console sent to each robot and what became of it. */
  commands: CommandStatuses;
  allStop: AllStop | null;
  /** Asking the operator to confirm a release: a robot id, or '*' for all. */
  releasePrompt: string | null;
  /** The goal this console last sent each robot, drawn until the hub reports the robot's own. */
  sentGoals: Readonly<Record<string, RobotPose>>;
  helpOpen: boolean;
  /** The workspace the officer chose (shift leads and admins switch); null: their role's own. */
  view: 'screening' | 'robots' | null;
  /** A bag this officer flagged for search, which a robot can carry to the search station. */
  dispatch: Dispatch | null;
  notice: string | null;
}

export const emptyRobots: RobotsState = {
  fleet: emptyFleet,
  snapshotAt: null,
  missions: {},
  log: [],
  historyRevision: 0,
  selectedId: null,
  commands: {},
  allStop: null,
  releasePrompt: null,
  sentGoals: {},
  helpOpen: false,
  view: null,
  dispatch: null,
  notice: null,
};

export const useRobots = create<RobotsState>()(() => emptyRobots);

const histories = new Map<string, RobotHistory>();

/** The robot's chart samples and trail (mutated in place; read again when historyRevision moves). */
export function historyOf(robotId: string): RobotHistory {
  let h = histories.get(robotId);
  if (!h) histories.set(robotId, (h = newHistory()));
  return h;
}

function recordAll(states: readonly HubRobotState[]): boolean {
  let changed = false;
  for (const s of states) if (record(historyOf(s.id), s)) changed = true;
  return changed;
}

export function appendLog(log: readonly LogLine[], lines: readonly LogLine[], limit = LOG_LINES): readonly LogLine[] {
  const all = [...log, ...lines];
  return all.length > limit ? all.slice(all.length - limit) : all;
}

export function receiveFleet(snapshot: RobotFleetSnapshot, nowMs: number): void {
  const changed = recordAll(snapshot.robots);
  useRobots.setState((s) => {
    const fleet = applySnapshot(s.fleet, snapshot.robots, nowMs);
    return {
      fleet,
      snapshotAt: snapshot.at,
      missions: mergeMissions(s.missions, snapshot.missions),
      // The snapshot carries the recent log: it replaces what this console held.
      log: appendLog([], snapshot.log),
      historyRevision: changed ? s.historyRevision + 1 : s.historyRevision,
      selectedId: s.selectedId ?? fleet.order[0] ?? null,
    };
  });
}

export function receiveStates(states: readonly HubRobotState[], nowMs: number): void {
  useRobots.setState((s) => {
    const fleet = applyStates(s.fleet, states, nowMs);
    if (fleet === s.fleet) return s;
    // Only the pictures the fleet took go into the histories (an older one was dropped).
    const taken = states.filter((st) => fleet.robots[st.id]?.state === st);
    const changed = recordAll(taken);
    return { fleet, historyRevision: changed ? s.historyRevision + 1 : s.historyRevision, selectedId: s.selectedId ?? fleet.order[0] ?? null };
  });
}

export function receiveLog(lines: readonly LogLine[]): void {
  useRobots.setState((s) => ({ log: appendLog(s.log, lines) }));
}

export function receiveMission(mission: RobotMission): void {
  useRobots.setState((s) => {
    const missions = upsertMission(s.missions, mission);
    const d = s.dispatch;
    const dispatch = d && d.bagId === mission.bagId && d.phase !== 'failed' ? { ...d, phase: 'sent' as const, missionId: mission.missionId } : d;
    return missions === s.missions && dispatch === d ? s : { missions, dispatch };
  });
}

export function setCommands(statuses: Readonly<Record<string, CommandStatus>>): void {
  useRobots.setState((s) => ({ commands: { ...s.commands, ...statuses } }));
}

export function selectRobot(robotId: string | null): void {
  useRobots.setState({ selectedId: robotId });
}

/** Sign-out or another officer: nothing of the last session stays on screen. */
export function resetRobots(): void {
  histories.clear();
  useRobots.setState(emptyRobots);
}
