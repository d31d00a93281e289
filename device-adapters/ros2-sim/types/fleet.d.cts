import type { EventEmitter } from 'node:events';

export interface RobotParams {
  maxSpeed: number;
  maxTurnRate: number;
  drainPerMetre: number;
  idleDrainPerSecond: number;
  chargePerSecond: number;
  lowBattery: number;
  criticalBattery: number;
  capacityAh: number;
}

export interface FleetOptions {
  /** robot_1 … robot_N. Default 4. */
  robots?: number;
  /** Default: assets/maps/terminal.json. */
  mapPath?: string;
  /** Simulated seconds per real second. Default 1. */
  clockFactor?: number;
  /** Time moves only with step(). Default false. */
  manualClock?: boolean;
  seed?: number;
  /** Physics step, simulated ms. Default 20. */
  stepMs?: number;
  /** Real-time timer period, real ms. Default 20. */
  tickMs?: number;
  odomHz?: number;
  batteryHz?: number;
  diagnosticsHz?: number;
  statusHz?: number;
  /** Stop a robot when no operator heartbeat came for this long. Default null (off). */
  heartbeatTimeoutMs?: number | null;
  /** Simulated time at the start, ms since the epoch. Default now. */
  startTimeMs?: number;
  robotParams?: Partial<RobotParams>;
}

export type Fault = 'odom-nan' | 'battery-unknown' | 'stamp-behind' | 'silent';

export interface RobotSnapshot {
  id: string;
  x: number;
  y: number;
  theta: number;
  v: number;
  w: number;
  battery: number;
  charging: boolean;
  dockedAt: string | null;
  emergencyStop: boolean;
  heartbeatLost: boolean;
  goal: { id: string; status: number; note: string; purpose: string } | null;
  distanceRemaining: number;
  faults: string[];
}

export interface EmergencyStopEvent {
  robotId: string;
  engaged: boolean;
  changed: boolean;
  source: 'topic' | 'service';
  /** performance.now() when the robot took it. */
  atMs: number;
  simMs: number;
}

export interface GoalEvent {
  robotId: string;
  goalId: string;
  status: number;
  note: string;
  atMs: number;
}

export interface Dock {
  id: string;
  x: number;
  y: number;
  theta: number;
}

export interface TerminalMap {
  readonly name: string;
  readonly docks: Dock[];
  isFree(x: number, y: number): boolean;
  zoneAt(x: number, y: number): { id: string; kind: string; name?: string } | undefined;
  plan(start: { x: number; y: number }, goal: { x: number; y: number }): Array<{ x: number; y: number }> | null;
}

export declare class SimFleet extends EventEmitter {
  constructor(options?: FleetOptions);
  readonly map: TerminalMap;
  readonly robotIds: string[];
  readonly nowMs: number;
  readonly clockFactor: number;
  start(): Promise<void>;
  /** Advances simulated time (manualClock only). */
  step(ms: number): void;
  snapshot(id: string): RobotSnapshot;
  setFault(id: string, fault: Fault, on?: boolean): void;
  close(): void;
  on(event: 'emergency-stop', listener: (e: EmergencyStopEvent) => void): this;
  on(event: 'goal', listener: (e: GoalEvent) => void): this;
  on(event: 'step', listener: (e: { nowMs: number }) => void): this;
}

/** action_msgs/msg/GoalStatus values. */
export declare const GoalStatus: Readonly<{
  UNKNOWN: 0;
  ACCEPTED: 1;
  EXECUTING: 2;
  CANCELING: 3;
  SUCCEEDED: 4;
  CANCELED: 5;
  ABORTED: 6;
}>;
export declare const FAULTS: readonly Fault[];
