/**
 * The fleet as the console knows it, from the hub's `robot:fleet` snapshot and `robot:states`
 * batches. Pure reducers: the same input always gives the same fleet, and a batch that changes
 * nothing returns the fleet unchanged (no re-render).
 */
import type { HubRobotState, RobotLinkState } from '@clearway/protocol';

export interface RobotEntry {
  readonly state: HubRobotState;
  /** This console's clock when the state arrived: how long the hub has been silent about the robot. */
  readonly receivedAtMs: number;
  /** The robot dropped out of the hub's latest snapshot (it vanished); its last picture is kept. */
  readonly missing: boolean;
}

export interface Fleet {
  readonly robots: Readonly<Record<string, RobotEntry>>;
  /** Robot ids in fleet-list order (robot_2 before robot_10). */
  readonly order: readonly string[];
}

export const emptyFleet: Fleet = { robots: {}, order: [] };

const collator = new Intl.Collator('en', { numeric: true });

function ordered(robots: Readonly<Record<string, RobotEntry>>): string[] {
  return Object.keys(robots).sort(collator.compare);
}

/**
 * True when `next` is older than what is shown: same bridge device, lower sequence number and an
 * earlier time. A restarted bridge starts its sequence again but its clock moves on, so it is not
 * older; a re-push of the same state (the hub marking a robot disconnected) is accepted.
 */
export function isOlder(next: HubRobotState, shown: HubRobotState): boolean {
  return next.deviceId === shown.deviceId && next.seq < shown.seq && next.atMs < shown.atMs;
}

/** The fleet from a snapshot. Robots shown before but absent now are kept, marked missing. */
export function applySnapshot(fleet: Fleet, robots: readonly HubRobotState[], nowMs: number): Fleet {
  const next: Record<string, RobotEntry> = {};
  for (const [id, entry] of Object.entries(fleet.robots)) next[id] = entry.missing ? entry : { ...entry, missing: true };
  for (const state of robots) next[state.id] = { state, receivedAtMs: nowMs, missing: false };
  return { robots: next, order: ordered(next) };
}

/** Applies a batch of changed robots; older pictures are dropped. */
export function applyStates(fleet: Fleet, states: readonly HubRobotState[], nowMs: number): Fleet {
  let robots: Record<string, RobotEntry> | null = null;
  let added = false;
  for (const state of states) {
    const shown = (robots ?? fleet.robots)[state.id];
    if (shown && isOlder(state, shown.state)) continue;
    robots ??= { ...fleet.robots };
    if (!shown) added = true;
    robots[state.id] = { state, receivedAtMs: nowMs, missing: false };
  }
  if (!robots) return fleet;
  return { robots, order: added ? ordered(robots) : fleet.order };
}

/**
 * What the console shows for a robot's link, worst first:
 * - 'console-offline': this console has no link to the hub, so nothing shown is current;
 * - 'missing': the hub no longer reports the robot;
 * - 'no-news': the hub says live but has sent nothing about the robot for NO_NEWS_MS;
 * - otherwise the bridge's own link state.
 */
export type ShownLinkState = RobotLinkState | 'console-offline' | 'missing' | 'no-news';

/** Robots report several times a second; silence this long means the relay has stopped. */
export const NO_NEWS_MS = 5000;

export function shownLinkState(entry: RobotEntry, nowMs: number, hubConnected: boolean): ShownLinkState {
  if (!hubConnected) return 'console-offline';
  if (entry.missing) return 'missing';
  const link = entry.state.link.state;
  if (link !== 'disconnected' && nowMs - entry.receivedAtMs > NO_NEWS_MS) return 'no-news';
  return link;
}

/** Age of the robot's newest message as of now: the bridge's figure plus the time since it arrived here. */
export function messageAgeMs(entry: RobotEntry, nowMs: number): number | null {
  const age = entry.state.link.lastMessageAgeMs;
  if (age === null) return null;
  return age + Math.max(0, nowMs - entry.receivedAtMs);
}

/** True when the robot can take a goal, dock or cancel from this console right now. */
export function canCommand(link: ShownLinkState): boolean {
  return link === 'live' || link === 'telemetry-invalid' || link === 'stale' || link === 'no-news';
}
