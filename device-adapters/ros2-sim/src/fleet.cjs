// @ts-check
'use strict';

// A fleet of simulated service robots on the ROS 2 graph of this package, each a ROS node in its
// own namespace (/robot_1, /robot_2, …) written against the same rclnodejs API the bridge uses:
//
//   publishes   odom                                  nav_msgs/msg/Odometry            10 Hz
//               battery_state                         sensor_msgs/msg/BatteryState      1 Hz
//               diagnostics                           diagnostic_msgs/msg/DiagnosticArray 1 Hz
//               navigate_to_pose/_action/status       action_msgs/msg/GoalStatusArray   on change and 1 Hz
//   subscribes  goal_pose                             geometry_msgs/msg/PoseStamped
//               emergency_stop                        std_msgs/msg/Bool (true engages, false releases)
//               operator_heartbeat                    std_msgs/msg/Header (only with heartbeatTimeoutMs)
//   services    emergency_stop                        std_srvs/srv/SetBool
//               dock                                  std_srvs/srv/Trigger
//               navigate_to_pose/_action/cancel_goal  action_msgs/srv/CancelGoal
//
// Rates are in simulated time. The clock runs in real time times `clockFactor`, or only when the
// caller steps it (`manualClock: true`), which makes runs deterministic. The status array is
// republished every second because ros2-web-bridge cannot offer the transient-local (latched)
// durability a real action server uses, so a late subscriber would otherwise never see it.

const { EventEmitter } = require('node:events');
const rclnodejs = require('./index.cjs');
const { loadMap } = require('./map.cjs');
const { SimRobot, GoalStatus } = require('./robot.cjs');

/**
 * @typedef {object} FleetOptions
 * @property {number} [robots]  how many: robot_1 … robot_N. Default 4.
 * @property {string} [mapPath]  default: assets/maps/terminal.json
 * @property {number} [clockFactor]  simulated seconds per real second. Default 1.
 * @property {boolean} [manualClock]  time moves only with step(). Default false.
 * @property {number} [seed]  goal ids and starting charge. Default 1.
 * @property {number} [stepMs]  physics step in simulated ms. Default 20.
 * @property {number} [tickMs]  real-time timer period in real ms. Default 20.
 * @property {number} [odomHz]  default 10
 * @property {number} [batteryHz]  default 1
 * @property {number} [diagnosticsHz]  default 1
 * @property {number} [statusHz]  keep-alive of the status array. Default 1.
 * @property {number | null} [heartbeatTimeoutMs]  stop a robot when no operator heartbeat came for this long. Default off.
 * @property {number} [startTimeMs]  simulated time at the start (header stamps). Default: now.
 * @property {Partial<import('./robot.cjs').RobotParams>} [robotParams]
 */

/** mulberry32: small seeded generator, the same sequence everywhere. @param {number} seed */
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** @param {number} ms */
function stampOf(ms) {
  const sec = Math.floor(ms / 1000);
  return { sec, nanosec: Math.round((ms - sec * 1000) * 1e6) % 1e9 };
}

/** @param {number} theta */
function quaternion(theta) {
  return { x: 0, y: 0, z: Math.sin(theta / 2), w: Math.cos(theta / 2) };
}

/** @param {{x: number, y: number, z: number, w: number}} q */
function yawOf(q) {
  return Math.atan2(2 * (q.w * q.z + q.x * q.y), 1 - 2 * (q.y * q.y + q.z * q.z));
}

/** @param {number[]} diagonal */
function covariance(diagonal) {
  const c = new Array(36).fill(0);
  diagonal.forEach((v, i) => (c[i * 7] = v));
  return c;
}

const POSE_COVARIANCE = covariance([0.0025, 0.0025, 1e6, 1e6, 1e6, 0.0012]);
const TWIST_COVARIANCE = covariance([0.0004, 0.0004, 1e6, 1e6, 1e6, 0.0009]);

/** Faults a test can switch on to see how a client copes. */
const FAULTS = /** @type {const} */ (['odom-nan', 'battery-unknown', 'stamp-behind', 'silent']);

/**
 * @typedef {object} RobotSnapshot
 * @property {string} id
 * @property {number} x
 * @property {number} y
 * @property {number} theta
 * @property {number} v
 * @property {number} w
 * @property {number} battery
 * @property {boolean} charging
 * @property {string | null} dockedAt
 * @property {boolean} emergencyStop
 * @property {boolean} heartbeatLost
 * @property {{ id: string, status: number, note: string, purpose: string } | null} goal  the newest goal
 * @property {number} distanceRemaining
 * @property {string[]} faults
 */

class FleetRobot {
  /**
   * @param {SimFleet} fleet
   * @param {SimRobot} model
   * @param {number} index  0-based, staggers the publishing phases
   */
  constructor(fleet, model, index) {
    this.fleet = fleet;
    this.model = model;
    /** @type {Set<string>} */
    this.faults = new Set();
    const n = Math.max(1, fleet.robotCount);
    const phase = (/** @type {number} */ hz) => (1000 / hz) * (index / n);
    this.next = {
      odom: fleet.nowMs + phase(fleet.rates.odomHz),
      battery: fleet.nowMs + phase(fleet.rates.batteryHz),
      diagnostics: fleet.nowMs + phase(fleet.rates.diagnosticsHz),
      status: fleet.nowMs + phase(fleet.rates.statusHz),
    };
    this.publishedStatusVersion = -1;
    this.lastHeartbeatMs = fleet.nowMs;

    const node = rclnodejs.createNode('robot', `/${model.id}`);
    this.node = node;
    this.odomPub = node.createPublisher('nav_msgs/msg/Odometry', 'odom');
    this.batteryPub = node.createPublisher('sensor_msgs/msg/BatteryState', 'battery_state');
    this.diagnosticsPub = node.createPublisher('diagnostic_msgs/msg/DiagnosticArray', 'diagnostics');
    this.statusPub = node.createPublisher('action_msgs/msg/GoalStatusArray', 'navigate_to_pose/_action/status');

    node.createSubscription('geometry_msgs/msg/PoseStamped', 'goal_pose', (/** @type {any} */ msg) => this.onGoalPose(msg));
    node.createSubscription('std_msgs/msg/Bool', 'emergency_stop', (/** @type {any} */ msg) => this.onEmergencyStop(msg.data, 'topic'));
    if (fleet.heartbeatTimeoutMs !== null) {
      node.createSubscription('std_msgs/msg/Header', 'operator_heartbeat', () => {
        this.lastHeartbeatMs = this.fleet.nowMs;
        this.model.setHeartbeatLost(false);
      });
    }
    node.createService('std_srvs/srv/SetBool', 'emergency_stop', (/** @type {any} */ request, /** @type {any} */ response) => {
      this.onEmergencyStop(request.data, 'service');
      response.send({ success: true, message: request.data ? 'emergency stop engaged' : 'emergency stop released' });
    });
    node.createService('std_srvs/srv/Trigger', 'dock', (/** @type {any} */ _request, /** @type {any} */ response) => {
      response.send(this.model.dock(this.fleet.nowMs));
      this.publishStatusIfChanged();
    });
    node.createService('action_msgs/srv/CancelGoal', 'navigate_to_pose/_action/cancel_goal', (/** @type {any} */ request, /** @type {any} */ response) => {
      const { returnCode, goals } = this.model.cancel(request.goal_info.goal_id.uuid, request.goal_info.stamp);
      response.send({
        return_code: returnCode,
        goals_canceling: goals.map((g) => ({ goal_id: { uuid: g.uuid }, stamp: stampOf(g.acceptedAtMs) })),
      });
      this.publishStatusIfChanged();
    });
    rclnodejs.spin(node);
  }

  /** @param {any} msg geometry_msgs/msg/PoseStamped */
  onGoalPose(msg) {
    const frame = msg.header.frame_id;
    const { position, orientation } = msg.pose;
    const goal = this.model.setGoal(position.x, position.y, yawOf(orientation), this.fleet.nowMs);
    if (frame !== '' && frame !== 'map' && goal.status !== GoalStatus.ABORTED) {
      this.model.setStatus(goal, GoalStatus.ABORTED, `goal frame '${frame}' is not 'map'`);
    }
    this.fleet.emit('goal', { robotId: this.model.id, goalId: goal.id, status: goal.status, note: goal.note, atMs: performance.now() });
    this.publishStatusIfChanged();
  }

  /**
   * @param {boolean} engaged
   * @param {'topic' | 'service'} source
   */
  onEmergencyStop(engaged, source) {
    const changed = this.model.setEmergencyStop(engaged);
    this.fleet.emit('emergency-stop', { robotId: this.model.id, engaged, changed, source, atMs: performance.now(), simMs: this.fleet.nowMs });
    if (changed) {
      this.publishStatusIfChanged();
      // A robot reports its stop at once rather than at the next 1 Hz diagnostics.
      this.publishDiagnostics();
    }
  }

  /** @param {number} nowMs */
  checkHeartbeat(nowMs) {
    const timeout = this.fleet.heartbeatTimeoutMs;
    if (timeout === null) return;
    if (nowMs - this.lastHeartbeatMs > timeout) this.model.setHeartbeatLost(true);
  }

  /** Publishes whatever is due at `nowMs`. @param {number} nowMs */
  publishDue(nowMs) {
    const rates = this.fleet.rates;
    if (nowMs >= this.next.odom) {
      this.next.odom += 1000 / rates.odomHz;
      if (this.next.odom <= nowMs) this.next.odom = nowMs + 1000 / rates.odomHz;
      this.publishOdom();
    }
    if (nowMs >= this.next.battery) {
      this.next.battery = Math.max(this.next.battery + 1000 / rates.batteryHz, nowMs);
      this.publishBattery();
    }
    if (nowMs >= this.next.diagnostics) {
      this.next.diagnostics = Math.max(this.next.diagnostics + 1000 / rates.diagnosticsHz, nowMs);
      this.publishDiagnostics();
    }
    if (nowMs >= this.next.status) {
      this.next.status = Math.max(this.next.status + 1000 / rates.statusHz, nowMs);
      this.publishStatus();
    } else {
      this.publishStatusIfChanged();
    }
  }

  stamp() {
    return stampOf(this.faults.has('stamp-behind') ? this.fleet.nowMs - 60_000 : this.fleet.nowMs);
  }

  publishOdom() {
    if (this.faults.has('silent')) return;
    const m = this.model;
    const nan = this.faults.has('odom-nan');
    this.odomPub.publish({
      header: { stamp: this.stamp(), frame_id: 'odom' },
      child_frame_id: 'base_link',
      pose: {
        pose: { position: { x: nan ? NaN : m.x, y: nan ? NaN : m.y, z: 0 }, orientation: quaternion(m.theta) },
        covariance: POSE_COVARIANCE,
      },
      twist: {
        twist: { linear: { x: m.v, y: 0, z: 0 }, angular: { x: 0, y: 0, z: m.w } },
        covariance: TWIST_COVARIANCE,
      },
    });
  }

  publishBattery() {
    if (this.faults.has('silent')) return;
    const m = this.model;
    const pct = m.battery;
    const moving = m.v !== 0 || m.w !== 0;
    const full = m.dockedAt !== null && pct >= 0.995;
    this.batteryPub.publish({
      header: { stamp: this.stamp(), frame_id: 'base_link' },
      voltage: 22 + 3.2 * pct,
      temperature: 28 + (moving ? 4 : 0),
      current: m.dockedAt !== null ? (full ? 0 : 5) : moving ? -3.5 : -0.6,
      charge: m.params.capacityAh * pct,
      capacity: m.params.capacityAh,
      design_capacity: m.params.capacityAh,
      percentage: this.faults.has('battery-unknown') ? NaN : pct,
      power_supply_status: full ? 4 : m.dockedAt !== null ? 1 : 2,
      power_supply_health: 1,
      power_supply_technology: 2,
      present: true,
      cell_voltage: [],
      cell_temperature: [],
      location: 'base',
      serial_number: `SIM-${m.id}`,
    });
  }

  publishDiagnostics() {
    if (this.faults.has('silent')) return;
    const m = this.model;
    const hw = m.id;
    const pct = Math.round(m.battery * 100);
    const batteryLevel = m.battery <= m.params.criticalBattery ? 2 : m.battery < m.params.lowBattery ? 1 : 0;
    const goal = m.goals[m.goals.length - 1];
    const active = m.activeGoal;
    /** @type {Array<{level: number, name: string, message: string, hardware_id: string, values: Array<{key: string, value: string}>}>} */
    const status = [
      {
        level: batteryLevel,
        name: `${m.id}: battery`,
        message: `${m.charging ? 'charging' : m.dockedAt ? 'full' : batteryLevel === 2 ? 'critical' : batteryLevel === 1 ? 'low' : 'ok'} ${pct}%`,
        hardware_id: hw,
        values: [{ key: 'percentage', value: m.battery.toFixed(3) }, { key: 'docked_at', value: m.dockedAt ?? '' }],
      },
      {
        level: m.emergencyStop ? 1 : 0,
        name: `${m.id}: drive`,
        message: m.emergencyStop ? 'emergency stop engaged' : m.heartbeatLost ? 'stopped: operator heartbeat lost' : 'ok',
        hardware_id: hw,
        values: [{ key: 'odometer_m', value: m.odometer.toFixed(1) }],
      },
      {
        level: goal && goal.status === GoalStatus.ABORTED && goal === m.goals[m.goals.length - 1] ? 1 : 0,
        name: `${m.id}: navigation`,
        message: active ? `navigating to (${active.target.x.toFixed(1)}, ${active.target.y.toFixed(1)}), ${m.distanceRemaining().toFixed(1)} m left` : goal ? goal.note : 'idle',
        hardware_id: hw,
        values: [{ key: 'zone', value: m.map.zoneAt(m.x, m.y)?.id ?? '' }],
      },
    ];
    if (this.fleet.heartbeatTimeoutMs !== null) {
      status.push({
        level: m.heartbeatLost ? 1 : 0,
        name: `${m.id}: operator heartbeat`,
        message: m.heartbeatLost ? 'lost' : 'ok',
        hardware_id: hw,
        values: [],
      });
    }
    this.diagnosticsPub.publish({ header: { stamp: this.stamp(), frame_id: '' }, status });
  }

  publishStatusIfChanged() {
    if (this.model.statusVersion !== this.publishedStatusVersion) this.publishStatus();
  }

  publishStatus() {
    this.publishedStatusVersion = this.model.statusVersion;
    if (this.faults.has('silent')) return;
    this.statusPub.publish({
      status_list: this.model.goals.map((g) => ({ goal_info: { goal_id: { uuid: g.uuid }, stamp: stampOf(g.acceptedAtMs) }, status: g.status })),
    });
  }

  /** @returns {RobotSnapshot} */
  snapshot() {
    const m = this.model;
    const goal = m.goals[m.goals.length - 1];
    return {
      id: m.id,
      x: m.x,
      y: m.y,
      theta: m.theta,
      v: m.v,
      w: m.w,
      battery: m.battery,
      charging: m.charging,
      dockedAt: m.dockedAt,
      emergencyStop: m.emergencyStop,
      heartbeatLost: m.heartbeatLost,
      goal: goal ? { id: goal.id, status: goal.status, note: goal.note, purpose: goal.purpose } : null,
      distanceRemaining: m.distanceRemaining(),
      faults: [...this.faults],
    };
  }
}

/**
 * Simulated robots on the default rclnodejs-sim context. Events: 'goal', 'emergency-stop'
 * ({ robotId, engaged, changed, source, atMs: performance.now() }), 'step' ({ nowMs }).
 */
class SimFleet extends EventEmitter {
  /** @param {FleetOptions} [options] */
  constructor(options = {}) {
    super();
    this.robotCount = options.robots ?? 4;
    if (!Number.isInteger(this.robotCount) || this.robotCount < 0) throw new RangeError('robots: a whole number');
    this.map = loadMap(options.mapPath);
    this.clockFactor = options.clockFactor ?? 1;
    if (!(this.clockFactor > 0)) throw new RangeError('clockFactor must be above 0');
    this.manualClock = options.manualClock ?? false;
    this.stepMs = options.stepMs ?? 20;
    this.tickMs = options.tickMs ?? 20;
    this.rates = {
      odomHz: options.odomHz ?? 10,
      batteryHz: options.batteryHz ?? 1,
      diagnosticsHz: options.diagnosticsHz ?? 1,
      statusHz: options.statusHz ?? 1,
    };
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? null;
    this.nowMs = options.startTimeMs ?? Date.now();
    this.seed = options.seed ?? 1;
    this.robotParams = options.robotParams ?? {};
    /** @type {FleetRobot[]} */
    this.robots = [];
    /** @type {ReturnType<typeof setInterval> | null} */
    this.timer = null;
    this.lastWallMs = 0;
    /** Simulated time not yet stepped (less than one physics step). */
    this.carry = 0;
    this.closed = false;
  }

  /** Robot ids: robot_1 … robot_N. */
  get robotIds() {
    return this.robots.map((r) => r.model.id);
  }

  /**
   * Puts the robots on the graph (initialising the context if nobody has) and starts the clock.
   * Robot i starts on dock i while there are docks, then in a row along the south wall.
   */
  async start() {
    if (this.robots.length > 0 || this.closed) throw new Error('a fleet starts once');
    if (rclnodejs.isShutdown()) await rclnodejs.init();
    const random = mulberry32(this.seed);
    const docks = this.map.docks;
    const spawns = [];
    for (let x = 4; x < this.map.definition.bounds.maxX - 1 && spawns.length < this.robotCount; x += 2) {
      if (this.map.isFree(x, 1.3)) spawns.push({ x, y: 1.3, theta: Math.PI / 2 });
    }
    for (let i = 0; i < this.robotCount; i++) {
      const dock = docks[i];
      const pose = dock ? { x: dock.x, y: dock.y, theta: dock.theta } : spawns[i - docks.length] ?? { x: 30, y: 10, theta: 0 };
      const model = new SimRobot({
        id: `robot_${i + 1}`,
        map: this.map,
        pose,
        battery: 0.6 + 0.4 * random(),
        dockId: dock ? dock.id : null,
        params: this.robotParams,
        random,
        chooseDock: (robot) => this.chooseDock(robot),
      });
      this.robots.push(new FleetRobot(this, model, i));
    }
    if (!this.manualClock) {
      this.lastWallMs = performance.now();
      this.timer = setInterval(() => this.tick(), this.tickMs);
    }
  }

  /**
   * The nearest dock that no other robot holds or is heading for.
   * @param {SimRobot} robot
   */
  chooseDock(robot) {
    const taken = new Set();
    for (const r of this.robots) {
      if (r.model === robot) continue;
      if (r.model.dockedAt) taken.add(r.model.dockedAt);
      const g = r.model.activeGoal;
      if (g && g.dockId) taken.add(g.dockId);
    }
    let best = null;
    let bestDistance = Infinity;
    for (const dock of this.map.docks) {
      if (taken.has(dock.id)) continue;
      const d = Math.hypot(dock.x - robot.x, dock.y - robot.y);
      if (d < bestDistance) {
        best = dock;
        bestDistance = d;
      }
    }
    return best;
  }

  tick() {
    const wall = performance.now();
    // Time lost to a blocked event loop is dropped beyond 2 s rather than caught up in one burst.
    const elapsed = Math.min(2000, (wall - this.lastWallMs) * this.clockFactor);
    this.lastWallMs = wall;
    this.advance(elapsed);
  }

  /**
   * Advances simulated time by `ms` in fixed physics steps, publishing what falls due. With
   * `manualClock` this is the only way time moves, which makes tests deterministic.
   * @param {number} ms
   */
  step(ms) {
    if (!this.manualClock) throw new Error('step() is for a fleet with manualClock: true');
    this.advance(ms);
  }

  /** @param {number} ms */
  advance(ms) {
    if (this.closed) return;
    this.carry += ms;
    while (this.carry >= this.stepMs) {
      this.carry -= this.stepMs;
      this.nowMs += this.stepMs;
      for (const r of this.robots) {
        r.checkHeartbeat(this.nowMs);
        r.model.step(this.stepMs);
        r.publishDue(this.nowMs);
      }
    }
    this.emit('step', { nowMs: this.nowMs });
  }

  /** @param {string} id */
  robot(id) {
    const r = this.robots.find((x) => x.model.id === id);
    if (!r) throw new RangeError(`no robot ${id}`);
    return r;
  }

  /** @param {string} id @returns {RobotSnapshot} */
  snapshot(id) {
    return this.robot(id).snapshot();
  }

  /**
   * Switches a fault on or off for one robot: 'odom-nan' (NaN position, which the bridge sends as
   * null), 'battery-unknown' (NaN percentage, allowed by BatteryState), 'stamp-behind' (header
   * stamps a minute old), 'silent' (publishes nothing).
   * @param {string} id
   * @param {typeof FAULTS[number]} fault
   * @param {boolean} [on]
   */
  setFault(id, fault, on = true) {
    if (!FAULTS.includes(fault)) throw new RangeError(`unknown fault ${fault}; one of ${FAULTS.join(', ')}`);
    const r = this.robot(id);
    if (on) r.faults.add(fault);
    else r.faults.delete(fault);
  }

  /** Stops the clock and takes the robots off the graph. */
  close() {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const r of this.robots) r.node.destroy();
  }
}

module.exports = { SimFleet, GoalStatus, FAULTS, yawOf, quaternion, stampOf };
