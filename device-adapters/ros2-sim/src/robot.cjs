// @ts-check
'use strict';

// One simulated service robot, without any ROS: pose and heading on the terminal map, a path
// planned around walls, a battery that drains with motion and charges at a dock, navigation goals
// with the action_msgs status transitions, and an emergency stop that halts it at once and latches
// until released. Time is whatever the caller passes in (simulated milliseconds), so stepping is
// deterministic.

const { TerminalMap } = require('./map.cjs');

/** action_msgs/msg/GoalStatus values. */
const GoalStatus = Object.freeze({
  UNKNOWN: 0,
  ACCEPTED: 1,
  EXECUTING: 2,
  CANCELING: 3,
  SUCCEEDED: 4,
  CANCELED: 5,
  ABORTED: 6,
});

/** action_msgs/srv/CancelGoal return codes. */
const CancelCode = Object.freeze({ NONE: 0, REJECTED: 1, UNKNOWN_GOAL_ID: 2, GOAL_TERMINATED: 3 });

/** @typedef {import('./map.cjs').Point} Point */

/**
 * @typedef {object} RobotParams
 * @property {number} maxSpeed  m/s
 * @property {number} maxTurnRate  rad/s
 * @property {number} drainPerMetre  battery fraction per metre driven
 * @property {number} idleDrainPerSecond  battery fraction per second, always
 * @property {number} chargePerSecond  battery fraction per second on a dock
 * @property {number} lowBattery  below: diagnostics WARN
 * @property {number} criticalBattery  below: the robot stops and aborts its goal
 * @property {number} capacityAh
 */

/** @type {RobotParams} */
const DEFAULT_PARAMS = Object.freeze({
  maxSpeed: 1.0,
  maxTurnRate: 1.5,
  drainPerMetre: 0.0005,
  idleDrainPerSecond: 0.00002,
  chargePerSecond: 0.005,
  lowBattery: 0.2,
  criticalBattery: 0.03,
  capacityAh: 20,
});

/**
 * @typedef {object} Goal
 * @property {number[]} uuid  16 bytes
 * @property {string} id  the uuid as hex
 * @property {number} acceptedAtMs  simulated time
 * @property {number} status  GoalStatus
 * @property {Point & {theta: number}} target
 * @property {Point[]} path  waypoints still ahead
 * @property {'navigate' | 'dock'} purpose
 * @property {string | null} dockId
 * @property {string} note  why it ended, or what it is doing
 */

/** @param {number} a */
function wrapAngle(a) {
  return Math.atan2(Math.sin(a), Math.cos(a));
}

/** @param {number} v @param {number} limit */
function clamp(v, limit) {
  return Math.max(-limit, Math.min(limit, v));
}

/** @param {number[]} bytes */
function uuidHex(bytes) {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
}

class SimRobot {
  /**
   * @param {object} options
   * @param {string} options.id  e.g. robot_1
   * @param {TerminalMap} options.map
   * @param {Point & {theta: number}} options.pose
   * @param {number} [options.battery]  0..1
   * @param {string | null} [options.dockId]  docked here at the start
   * @param {Partial<RobotParams>} [options.params]
   * @param {() => number} options.random  uniform [0, 1): goal ids
   * @param {(robot: SimRobot) => import('./map.cjs').Dock | null} [options.chooseDock]
   */
  constructor(options) {
    this.id = options.id;
    this.map = options.map;
    this.params = { ...DEFAULT_PARAMS, ...options.params };
    this.random = options.random;
    this.chooseDock = options.chooseDock ?? (() => this.nearestDock());
    this.x = options.pose.x;
    this.y = options.pose.y;
    this.theta = options.pose.theta;
    /** Commanded forward speed (m/s) and turn rate (rad/s) in the last step. */
    this.v = 0;
    this.w = 0;
    this.battery = options.battery ?? 1;
    /** @type {string | null} */
    this.dockedAt = options.dockId ?? null;
    /** Latched until released. */
    this.emergencyStop = false;
    this.heartbeatLost = false;
    this.odometer = 0;
    /** @type {Goal[]} newest last; the status array reports these */
    this.goals = [];
    /** Bumped on every goal status change: the fleet publishes the status array when it moves. */
    this.statusVersion = 0;
  }

  get charging() {
    return this.dockedAt !== null && this.battery < 1;
  }

  /** @returns {Goal | null} */
  get activeGoal() {
    const last = this.goals[this.goals.length - 1];
    return last && (last.status === GoalStatus.ACCEPTED || last.status === GoalStatus.EXECUTING || last.status === GoalStatus.CANCELING) ? last : null;
  }

  get batteryCritical() {
    return this.battery <= this.params.criticalBattery && this.dockedAt === null;
  }

  /** Why the robot may not move right now, or null. */
  get blockedBy() {
    if (this.emergencyStop) return 'emergency stop engaged';
    if (this.heartbeatLost) return 'operator heartbeat lost';
    if (this.batteryCritical) return 'battery critical';
    return null;
  }

  nearestDock() {
    let best = null;
    let bestDistance = Infinity;
    for (const dock of this.map.docks) {
      const d = Math.hypot(dock.x - this.x, dock.y - this.y);
      if (d < bestDistance) {
        best = dock;
        bestDistance = d;
      }
    }
    return best;
  }

  /**
   * @param {Goal} goal
   * @param {number} status
   * @param {string} note
   */
  setStatus(goal, status, note) {
    if (goal.status === status && goal.note === note) return;
    goal.status = status;
    goal.note = note;
    this.statusVersion++;
  }

  /**
   * Accepts a navigation goal in the map frame; it starts executing on the next step. A goal off
   * the map, inside an obstacle or cut off is accepted and aborted at once, as Nav2 does. A new
   * goal preempts the one running (that one is aborted).
   * @param {number} x
   * @param {number} y
   * @param {number} theta
   * @param {number} nowMs
   * @param {{ purpose?: 'navigate' | 'dock', dockId?: string | null }} [how]
   * @returns {Goal}
   */
  setGoal(x, y, theta, nowMs, how = {}) {
    const uuid = Array.from({ length: 16 }, () => Math.floor(this.random() * 256));
    // RFC 4122 version 4, variant 1.
    uuid[6] = ((uuid[6] ?? 0) & 0x0f) | 0x40;
    uuid[8] = ((uuid[8] ?? 0) & 0x3f) | 0x80;
    const previous = this.activeGoal;
    if (previous) this.setStatus(previous, GoalStatus.ABORTED, 'preempted by a new goal');
    /** @type {Goal} */
    const goal = {
      uuid,
      id: uuidHex(uuid),
      acceptedAtMs: nowMs,
      status: GoalStatus.UNKNOWN,
      target: { x, y, theta: Number.isFinite(theta) ? theta : this.theta },
      path: [],
      purpose: how.purpose ?? 'navigate',
      dockId: how.dockId ?? null,
      note: '',
    };
    this.goals.push(goal);
    if (this.goals.length > 8) this.goals.splice(0, this.goals.length - 8);
    this.setStatus(goal, GoalStatus.ACCEPTED, 'accepted');
    const blocked = this.blockedBy;
    if (blocked) {
      this.setStatus(goal, GoalStatus.ABORTED, blocked);
      return goal;
    }
    if (![x, y].every(Number.isFinite)) {
      this.setStatus(goal, GoalStatus.ABORTED, 'goal is not a finite position');
      return goal;
    }
    const path = this.map.plan({ x: this.x, y: this.y }, { x, y });
    if (!path) {
      this.setStatus(goal, GoalStatus.ABORTED, this.map.isFree(x, y) ? 'no path to the goal' : 'goal is off the map or inside an obstacle');
      return goal;
    }
    goal.path = path;
    return goal;
  }

  /**
   * Sends the robot to a free dock; it charges once there.
   * @param {number} nowMs
   * @returns {{ success: boolean, message: string }}
   */
  dock(nowMs) {
    if (this.dockedAt !== null && !this.activeGoal) return { success: true, message: `already docked at ${this.dockedAt}` };
    const blocked = this.emergencyStop || this.heartbeatLost ? this.blockedBy : null;
    if (blocked) return { success: false, message: blocked };
    const dock = this.chooseDock(this);
    if (!dock) return { success: false, message: 'no free dock' };
    const goal = this.setGoal(dock.x, dock.y, dock.theta, nowMs, { purpose: 'dock', dockId: dock.id });
    if (goal.status === GoalStatus.ABORTED) return { success: false, message: `cannot reach ${dock.id}: ${goal.note}` };
    const distance = TerminalMap.pathLength({ x: this.x, y: this.y }, goal.path);
    return { success: true, message: `docking at ${dock.id}, ${distance.toFixed(1)} m away` };
  }

  /**
   * action_msgs/srv/CancelGoal: an all-zero uuid with a zero stamp cancels every goal; otherwise
   * the goal with that uuid. Canceled goals go through CANCELING to CANCELED on the next step.
   * @param {number[]} uuid
   * @param {{ sec: number, nanosec: number }} stamp
   * @returns {{ returnCode: number, goals: Goal[] }}
   */
  cancel(uuid, stamp) {
    const all = uuid.every((b) => b === 0);
    const stampMs = stamp.sec * 1000 + stamp.nanosec / 1e6;
    const matching = this.goals.filter((g) => (all ? stampMs === 0 || g.acceptedAtMs <= stampMs : uuidHex(uuid) === g.id));
    if (matching.length === 0) return { returnCode: all ? CancelCode.NONE : CancelCode.UNKNOWN_GOAL_ID, goals: [] };
    const canceling = matching.filter((g) => g.status === GoalStatus.ACCEPTED || g.status === GoalStatus.EXECUTING);
    if (canceling.length === 0) return { returnCode: all ? CancelCode.NONE : CancelCode.GOAL_TERMINATED, goals: [] };
    for (const g of canceling) this.setStatus(g, GoalStatus.CANCELING, 'cancel requested');
    this.v = 0;
    this.w = 0;
    return { returnCode: CancelCode.NONE, goals: canceling };
  }

  /**
   * Engages (true) or releases (false) the emergency stop. Engaging halts at once and aborts the
   * goal; the stop stays engaged, whatever else arrives, until released.
   * @param {boolean} engaged
   * @returns {boolean} whether anything changed
   */
  setEmergencyStop(engaged) {
    if (engaged === this.emergencyStop) return false;
    this.emergencyStop = engaged;
    if (engaged) {
      this.v = 0;
      this.w = 0;
      const goal = this.activeGoal;
      if (goal) this.setStatus(goal, GoalStatus.ABORTED, 'emergency stop engaged');
    }
    return true;
  }

  /** @param {boolean} lost */
  setHeartbeatLost(lost) {
    if (lost === this.heartbeatLost) return;
    this.heartbeatLost = lost;
    if (lost) {
      this.v = 0;
      this.w = 0;
      const goal = this.activeGoal;
      if (goal) this.setStatus(goal, GoalStatus.ABORTED, 'operator heartbeat lost');
    }
  }

  /**
   * Advances the robot by dtMs of simulated time.
   * @param {number} dtMs
   */
  step(dtMs) {
    const dt = dtMs / 1000;
    const goal = this.activeGoal;
    this.v = 0;
    this.w = 0;
    if (goal && goal.status === GoalStatus.CANCELING) {
      this.setStatus(goal, GoalStatus.CANCELED, 'canceled');
    } else if (goal && this.blockedBy) {
      this.setStatus(goal, GoalStatus.ABORTED, /** @type {string} */ (this.blockedBy));
    } else if (goal && goal.status === GoalStatus.ACCEPTED) {
      this.setStatus(goal, GoalStatus.EXECUTING, 'executing');
      if (this.dockedAt !== null) this.dockedAt = null;
    } else if (goal && goal.status === GoalStatus.EXECUTING) {
      this.drive(goal, dt);
    }
    const moved = Math.abs(this.v) * dt;
    this.odometer += moved;
    if (this.dockedAt !== null) {
      this.battery = Math.min(1, this.battery + this.params.chargePerSecond * dt);
    } else {
      this.battery = Math.max(0, this.battery - this.params.idleDrainPerSecond * dt - this.params.drainPerMetre * moved);
    }
  }

  /**
   * Turns towards the next waypoint and drives; on the last one, turns to the goal heading.
   * @param {Goal} goal
   * @param {number} dt seconds
   */
  drive(goal, dt) {
    const { maxSpeed, maxTurnRate } = this.params;
    while (goal.path.length > 0) {
      const next = /** @type {Point} */ (goal.path[0]);
      if (Math.hypot(next.x - this.x, next.y - this.y) > 0.03) break;
      goal.path.shift();
    }
    const next = goal.path[0];
    if (!next) {
      const error = wrapAngle(goal.target.theta - this.theta);
      if (Math.abs(error) < 0.02) {
        this.arrive(goal);
        return;
      }
      this.w = clamp(3 * error, maxTurnRate);
      this.theta = wrapAngle(this.theta + clamp(this.w * dt, Math.abs(error)));
      return;
    }
    const dx = next.x - this.x;
    const dy = next.y - this.y;
    const distance = Math.hypot(dx, dy);
    const error = wrapAngle(Math.atan2(dy, dx) - this.theta);
    this.w = clamp(3 * error, maxTurnRate);
    this.theta = wrapAngle(this.theta + clamp(this.w * dt, Math.abs(error)));
    const last = goal.path.length === 1;
    // Turn on the spot when well off course; slow down for the final waypoint only.
    const cruise = last ? Math.min(maxSpeed, 0.15 + distance) : maxSpeed;
    this.v = Math.abs(error) > 0.5 ? 0 : cruise * Math.cos(error);
    const travel = Math.min(this.v * dt, distance);
    this.x += travel * Math.cos(this.theta);
    this.y += travel * Math.sin(this.theta);
    if (travel >= distance) {
      this.x = next.x;
      this.y = next.y;
      goal.path.shift();
    }
  }

  /** @param {Goal} goal */
  arrive(goal) {
    this.v = 0;
    this.w = 0;
    const dock = goal.purpose === 'dock' ? this.map.docks.find((d) => d.id === goal.dockId) : this.map.docks.find((d) => Math.hypot(d.x - this.x, d.y - this.y) < 0.25);
    if (dock) this.dockedAt = dock.id;
    this.setStatus(goal, GoalStatus.SUCCEEDED, dock ? `docked at ${dock.id}` : 'arrived');
  }

  /** Metres still to drive on the active goal, or 0. */
  distanceRemaining() {
    const goal = this.activeGoal;
    return goal ? TerminalMap.pathLength({ x: this.x, y: this.y }, goal.path) : 0;
  }
}

module.exports = { SimRobot, GoalStatus, CancelCode, DEFAULT_PARAMS, uuidHex, wrapAngle };
