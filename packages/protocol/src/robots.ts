import { z } from 'zod';
import { BagTag, Id, LaneId, Timestamp, Uuid, replyOf } from './common.ts';

// Robots: a 'robot-bridge' device reports the robots it reaches (through a rosbridge server) and
// carries out the commands the hub routes to it. See docs/protocol.md, "Robots".

/** A robot's ROS namespace, e.g. robot_1 or fleet_a/robot_1. */
export const RobotId = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/, 'a ROS namespace such as robot_1');
export type RobotId = z.infer<typeof RobotId>;

// z.number() refuses NaN and ±Infinity: a bridge that lets one through is answered with the field.
const Metres = z.number();
const NonNegative = z.number().min(0);

/** Map frame (metres, x east, y north) and heading in radians counter-clockwise from x. */
export const RobotPose = z.object({ x: Metres, y: Metres, theta: z.number() });
export type RobotPose = z.infer<typeof RobotPose>;
export const RobotPoint = z.object({ x: Metres, y: Metres });
export type RobotPoint = z.infer<typeof RobotPoint>;

export const RobotLinkState = z.enum(['disconnected', 'connecting', 'stale', 'telemetry-invalid', 'live']);
export type RobotLinkState = z.infer<typeof RobotLinkState>;
export const DiagnosticLevel = z.enum(['ok', 'warn', 'error', 'stale']);
export type DiagnosticLevel = z.infer<typeof DiagnosticLevel>;
export const NavStatus = z.enum(['idle', 'unknown', 'accepted', 'executing', 'canceling', 'succeeded', 'canceled', 'aborted']);
export type NavStatus = z.infer<typeof NavStatus>;
export const EmergencyStopState = z.enum(['engaged', 'released', 'unknown']);
export type EmergencyStopState = z.infer<typeof EmergencyStopState>;

/** One robot's picture as the bridge device sees it; every message is the whole picture. */
export const RobotStateSchema = z.object({
  id: RobotId,
  /** The rosbridge server the robot is reached through (ws://host:9090). */
  endpoint: z.string().max(500),
  pose: RobotPose.nullable(),
  velocity: z.object({ linear: z.number(), angular: z.number() }).nullable(),
  battery: z
    .object({
      /** 0..1; null when the robot does not know. */
      percentage: z.number().min(0).max(1).nullable(),
      voltage: z.number().nullable(),
      charging: z.boolean(),
    })
    .nullable(),
  diagnostics: z.object({ level: DiagnosticLevel, message: z.string().max(1000) }).nullable(),
  nav: z
    .object({
      status: NavStatus,
      goalId: z.string().max(100).nullable(),
      /** Metres left: the robot's own feedback, else straight-line from pose to goal; null when unknown. */
      distanceRemaining: NonNegative.nullable(),
      /** The goal this link sent last (map frame), while it is active. */
      goal: RobotPose.nullable(),
      /** The planned path when the robot publishes one; null otherwise. */
      path: z.array(RobotPoint).max(5000).nullable(),
      /** distanceRemaining at the robot's nominal speed; null when unknown. */
      etaSeconds: NonNegative.nullable(),
    })
    .nullable(),
  emergencyStop: EmergencyStopState,
  link: z.object({
    state: RobotLinkState,
    lastMessageAgeMs: NonNegative.nullable(),
    latencyMs: NonNegative.nullable(),
    /** What is wrong, one line each, e.g. "odom: pose.pose.position.x is null, not a number". */
    issues: z.array(z.string().max(500)).max(20),
  }),
  /** Increases with every state the bridge reports for this robot. */
  seq: z.number().int().min(0),
  /** When the bridge assembled this picture, ms since the epoch. */
  atMs: NonNegative,
  /** Header stamp of the newest message in this picture (ms since the epoch); null before one. */
  stampMs: NonNegative.nullable(),
});
export type RobotStateMessage = z.infer<typeof RobotStateSchema>;

/** A robot's state at the hub: the bridge's picture plus which device reports it. */
export const HubRobotState = RobotStateSchema.extend({ deviceId: Id });
export type HubRobotState = z.infer<typeof HubRobotState>;

// ---- device → hub -------------------------------------------------------------------------------

/**
 * A batch of states, oldest first: normally one per robot; a robot appears twice when its link
 * state changed while the previous batch was in flight. Acknowledged: the next batch follows the ack.
 */
export const RobotStatesReport = z.object({ states: z.array(RobotStateSchema).min(1).max(500) });
export type RobotStatesReport = z.infer<typeof RobotStatesReport>;
export const RobotStatesReply = replyOf({ accepted: z.number().int().min(0) });
export type RobotStatesReply = z.infer<typeof RobotStatesReply>;

export const RobotLogLevel = z.enum(['debug', 'info', 'warn', 'error']);
export type RobotLogLevel = z.infer<typeof RobotLogLevel>;
export const RobotLogLine = z.object({
  /** null: about the bridge, not one robot. */
  robotId: RobotId.nullable(),
  level: RobotLogLevel,
  message: z.string().min(1).max(2000),
  atMs: NonNegative,
});
export type RobotLogLine = z.infer<typeof RobotLogLine>;
export const RobotLogReport = z.object({ lines: z.array(RobotLogLine).min(1).max(200) });
export type RobotLogReport = z.infer<typeof RobotLogReport>;
export const RobotLogReply = replyOf({});

// ---- commands ---------------------------------------------------------------------------------

export const RobotCommandKind = z.enum(['goal', 'cancel', 'dock', 'emergency-stop', 'release']);
export type RobotCommandKind = z.infer<typeof RobotCommandKind>;

/** A robot id, or '*' (every robot of every bridge) for emergency-stop and release. */
export const RobotTarget = z.union([RobotId, z.literal('*')]);

const commandFields = {
  robotId: RobotTarget,
  command: RobotCommandKind,
  /** Required for 'goal': map frame, metres and radians. */
  goal: RobotPose.optional(),
};
function commandRules(c: { robotId: string; command: RobotCommandKind; goal?: unknown }, ctx: z.RefinementCtx): void {
  if (c.command === 'goal' && c.goal === undefined) ctx.addIssue({ code: 'custom', path: ['goal'], message: "a 'goal' command needs goal {x, y, theta}" });
  if (c.command !== 'goal' && c.goal !== undefined) ctx.addIssue({ code: 'custom', path: ['goal'], message: `goal is only for 'goal' commands, not '${c.command}'` });
  if (c.robotId === '*' && c.command !== 'emergency-stop' && c.command !== 'release') {
    ctx.addIssue({ code: 'custom', path: ['robotId'], message: "'*' (every robot) is only for emergency-stop and release" });
  }
}

/** Console → hub. The hub assigns the commandId and replies once the bridge answered or timed out. */
export const RobotCommandRequest = z.object(commandFields).superRefine(commandRules);
export type RobotCommandRequest = z.infer<typeof RobotCommandRequest>;

export const RobotCommandOutcome = z.enum(['accepted', 'rejected', 'timeout']);
export type RobotCommandOutcome = z.infer<typeof RobotCommandOutcome>;

/** One robot's answer to a command: what the bridge did, and why not when it did not. */
export const RobotCommandResult = z.object({
  commandId: Uuid,
  robotId: RobotId,
  command: RobotCommandKind,
  outcome: RobotCommandOutcome,
  /** Why it was rejected or timed out, in words for the operator. */
  reason: z.string().max(1000).nullable(),
  /** Milliseconds from the hub sending the command to the bridge's answer. */
  elapsedMs: NonNegative,
});
export type RobotCommandResult = z.infer<typeof RobotCommandResult>;

export const RobotCommandReply = replyOf({
  commandId: Uuid,
  /** One per robot the command reached (all of them for '*'); empty when no bridge holds the robot. */
  results: z.array(RobotCommandResult),
});
export type RobotCommandReply = z.infer<typeof RobotCommandReply>;

/** Hub → device (acknowledged). `robotId` '*' means every robot of this bridge. */
export const RobotCommandToDevice = z
  .object({ commandId: Uuid, ...commandFields, missionId: Uuid.optional() })
  .superRefine(commandRules);
export type RobotCommandToDevice = z.infer<typeof RobotCommandToDevice>;
export const RobotCommandDeviceReply = replyOf({
  results: z.array(
    z.object({ robotId: RobotId, outcome: z.enum(['accepted', 'rejected']), reason: z.string().max(1000).nullable() }),
  ),
});
export type RobotCommandDeviceReply = z.infer<typeof RobotCommandDeviceReply>;

// ---- missions: a robot carries a bag from its lane to the search station -----------------------

export const MissionState = z.enum(['requested', 'assigned', 'to-lane', 'carrying', 'delivered', 'failed', 'cancelled']);
export type MissionState = z.infer<typeof MissionState>;

export const RobotMission = z.object({
  missionId: Uuid,
  bagId: Uuid,
  bagTag: BagTag,
  lane: LaneId,
  robotId: RobotId.nullable(),
  /** Officer ID of who asked, or 'hub' for a mission the hub opened on a search decision. */
  requestedBy: z.string().max(64),
  state: MissionState,
  /** For failed and cancelled missions: why, in words. */
  reason: z.string().max(1000).nullable(),
  /** Where the robot picks the bag up (beside the lane's belt exit) and drops it (search station). */
  pickup: RobotPose,
  dropoff: RobotPose,
  requestedAt: Timestamp,
  updatedAt: Timestamp,
  /** When it reached delivered, failed or cancelled. */
  endedAt: Timestamp.nullable(),
});
export type RobotMission = z.infer<typeof RobotMission>;

/** Console → hub: send a robot for a bag flagged for search. Without robotId the hub picks one. */
export const RobotDispatchRequest = z.object({ bagId: Uuid, robotId: RobotId.optional() });
export type RobotDispatchRequest = z.infer<typeof RobotDispatchRequest>;
export const RobotDispatchReply = replyOf({ mission: RobotMission, duplicate: z.boolean() });
export type RobotDispatchReply = z.infer<typeof RobotDispatchReply>;

/** Console → hub: missions, newest first; for one bag with bagId. */
export const RobotMissionsQuery = z.object({ bagId: Uuid.optional(), limit: z.number().int().min(1).max(500).default(50) });
export const RobotMissionsReply = replyOf({ missions: z.array(RobotMission) });
export type RobotMissionsReply = z.infer<typeof RobotMissionsReply>;

/** Console → hub: cancel a mission that has not ended (the robot's goal is cancelled too). */
export const RobotMissionCancel = z.object({ missionId: Uuid });
export const RobotMissionCancelReply = replyOf({ mission: RobotMission });

// ---- hub → console ------------------------------------------------------------------------------

/** Sent on joining (robot-operator, shift-lead, admin): every robot the hub knows, open missions, recent log. */
export const RobotFleetSnapshot = z.object({
  robots: z.array(HubRobotState),
  missions: z.array(RobotMission),
  log: z.array(RobotLogLine.extend({ deviceId: Id })),
  at: Timestamp,
});
export type RobotFleetSnapshot = z.infer<typeof RobotFleetSnapshot>;

/** Changed robots since the last push to this console, at most 10 per robot per second. */
export const RobotStatesPush = z.object({ states: z.array(HubRobotState).min(1) });
export type RobotStatesPush = z.infer<typeof RobotStatesPush>;

export const RobotLogPush = z.object({ lines: z.array(RobotLogLine.extend({ deviceId: Id })).min(1) });
export type RobotLogPush = z.infer<typeof RobotLogPush>;

/** A mission changed state (sent to robot consoles and to the officer who asked). */
export const RobotMissionPush = RobotMission;
