/** Missions (a robot carrying a bag to the search station) as the console lists them. Pure. */
import type { RobotMission } from '@clearway/protocol';

export type Missions = Readonly<Record<string, RobotMission>>;

export function isOpen(m: RobotMission): boolean {
  return m.endedAt === null;
}

/** Adds or updates a mission; an update older than the one held is ignored. */
export function upsertMission(missions: Missions, m: RobotMission): Missions {
  const held = missions[m.missionId];
  if (held && Date.parse(held.updatedAt) > Date.parse(m.updatedAt)) return missions;
  return { ...missions, [m.missionId]: m };
}

/** Missions from a snapshot, merged with what this console already holds (newest of each wins). */
export function mergeMissions(missions: Missions, incoming: readonly RobotMission[]): Missions {
  return incoming.reduce(upsertMission, missions);
}

/** Open missions first, newest request first; then ended ones, most recently ended first. */
export function missionList(missions: Missions, endedLimit = 20): RobotMission[] {
  const all = Object.values(missions);
  const open = all.filter(isOpen).sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
  const ended = all
    .filter((m) => !isOpen(m))
    .sort((a, b) => (b.endedAt ?? '').localeCompare(a.endedAt ?? ''))
    .slice(0, endedLimit);
  return [...open, ...ended];
}

/** The open mission a robot is on, if any. */
export function missionOf(missions: Missions, robotId: string): RobotMission | null {
  return Object.values(missions).find((m) => isOpen(m) && m.robotId === robotId) ?? null;
}

/** The newest mission for a bag (the screening officer's "Send robot" line). */
export function missionForBag(missions: Missions, bagId: string): RobotMission | null {
  let best: RobotMission | null = null;
  for (const m of Object.values(missions)) if (m.bagId === bagId && (!best || m.requestedAt > best.requestedAt)) best = m;
  return best;
}
