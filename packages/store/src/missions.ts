import type { MissionState, RobotMission, RobotPose } from '@clearway/protocol';
import type { Db } from './database.ts';

interface MissionRow {
  id: string; bag_id: string; bag_tag: string; lane: string; robot_id: string | null; requested_by: string; state: MissionState;
  reason: string | null; pickup: string; dropoff: string; requested_at: string; updated_at: string; ended_at: string | null;
}

const ENDED = new Set<MissionState>(['delivered', 'failed', 'cancelled']);

const toMission = (r: MissionRow): RobotMission => ({
  missionId: r.id, bagId: r.bag_id, bagTag: r.bag_tag, lane: r.lane, robotId: r.robot_id, requestedBy: r.requested_by, state: r.state,
  reason: r.reason, pickup: JSON.parse(r.pickup) as RobotPose, dropoff: JSON.parse(r.dropoff) as RobotPose,
  requestedAt: r.requested_at, updatedAt: r.updated_at, endedAt: r.ended_at,
});

const SELECT = `SELECT m.id, m.bag_id, b.bag_tag, b.lane, m.robot_id, m.requested_by, m.state, m.reason, m.pickup, m.dropoff,
                       m.requested_at, m.updated_at, m.ended_at
                FROM robot_missions m JOIN bags b ON b.id = m.bag_id`;

/** Robot missions (a robot carries a bag to the search station) and every state each went through. */
export class RobotMissionRepository {
  private readonly stmt;
  private readonly atomically: <T>(work: () => T) => T;

  constructor(db: Db) {
    const run = db.transaction((work: () => unknown) => work());
    this.atomically = <T>(work: () => T): T => run(work) as T;
    this.stmt = {
      insert: db.prepare(`INSERT INTO robot_missions (id, bag_id, robot_id, requested_by, state, reason, pickup, dropoff, requested_at, updated_at, ended_at)
                          VALUES (?, ?, ?, ?, 'requested', NULL, ?, ?, ?, ?, NULL)`),
      update: db.prepare('UPDATE robot_missions SET state = ?, robot_id = ?, reason = ?, updated_at = ?, ended_at = ? WHERE id = ?'),
      event: db.prepare('INSERT INTO robot_mission_events (mission_id, state, robot_id, reason, at) VALUES (?, ?, ?, ?, ?)'),
      get: db.prepare(`${SELECT} WHERE m.id = ?`),
      openForBag: db.prepare(`${SELECT} WHERE m.bag_id = ? AND m.ended_at IS NULL`),
      forBag: db.prepare(`${SELECT} WHERE m.bag_id = ? ORDER BY m.requested_at DESC, m.id`),
      open: db.prepare(`${SELECT} WHERE m.ended_at IS NULL ORDER BY m.requested_at, m.id`),
      recent: db.prepare(`${SELECT} ORDER BY m.requested_at DESC, m.id LIMIT ?`),
      events: db.prepare('SELECT state, robot_id, reason, at FROM robot_mission_events WHERE mission_id = ? ORDER BY seq'),
    };
  }

  /**
   * Opens a mission for a bag, unless the bag has one open already: that one is returned with
   * `duplicate: true` (one robot per bag at a time).
   */
  create(m: { missionId: string; bagId: string; requestedBy: string; pickup: RobotPose; dropoff: RobotPose; at: Date }): { mission: RobotMission; duplicate: boolean } {
    return this.atomically(() => {
      const open = this.stmt.openForBag.get(m.bagId) as MissionRow | undefined;
      if (open) return { mission: toMission(open), duplicate: true };
      const at = m.at.toISOString();
      this.stmt.insert.run(m.missionId, m.bagId, null, m.requestedBy, JSON.stringify(m.pickup), JSON.stringify(m.dropoff), at, at);
      this.stmt.event.run(m.missionId, 'requested', null, null, at);
      return { mission: this.get(m.missionId) as RobotMission, duplicate: false };
    });
  }

  /** Records a new state (and robot, reason); an ended mission is never changed again. */
  update(missionId: string, change: { state: MissionState; robotId: string | null; reason: string | null; at: Date }): RobotMission | null {
    return this.atomically(() => {
      const current = this.get(missionId);
      if (!current || current.endedAt !== null) return current;
      const at = change.at.toISOString();
      this.stmt.update.run(change.state, change.robotId, change.reason, at, ENDED.has(change.state) ? at : null, missionId);
      if (change.state !== current.state) this.stmt.event.run(missionId, change.state, change.robotId, change.reason, at);
      return this.get(missionId);
    });
  }

  get(missionId: string): RobotMission | null {
    const row = this.stmt.get.get(missionId) as MissionRow | undefined;
    return row ? toMission(row) : null;
  }

  /** Every mission for the bag, newest first. */
  forBag(bagId: string): RobotMission[] {
    return (this.stmt.forBag.all(bagId) as MissionRow[]).map(toMission);
  }

  /** Missions not yet delivered, failed or cancelled, oldest first. */
  open(): RobotMission[] {
    return (this.stmt.open.all() as MissionRow[]).map(toMission);
  }

  recent(limit: number): RobotMission[] {
    return (this.stmt.recent.all(limit) as MissionRow[]).map(toMission);
  }

  /** The states the mission went through, in order, with when. */
  history(missionId: string): { state: MissionState; robotId: string | null; reason: string | null; at: string }[] {
    return (this.stmt.events.all(missionId) as { state: MissionState; robot_id: string | null; reason: string | null; at: string }[])
      .map((r) => ({ state: r.state, robotId: r.robot_id, reason: r.reason, at: r.at }));
  }
}
