export { RobotBridgeAdapter, type RobotBridgeAdapterOptions, type RobotBridgeCapabilities, type RobotCommand } from './adapter.ts';
export { TypedEmitter, type EventMap, type Listener } from './events.ts';
export {
  RobotFleetLink,
  type BridgeEndpoint,
  type CancelResult,
  type EmergencyStopReport,
  type GoalSent,
  type LinkEvent,
  type RobotFleetEvents,
  type RobotFleetLinkOptions,
  type Warning,
} from './fleet-link.ts';
export { Coalescer } from './robot/coalescer.ts';
export { RobotTracker, type RobotLink, type RobotLinkState, type RobotNav, type RobotState, type TelemetryTopic } from './robot/robot-state.ts';
export {
  readBattery,
  readDiagnostics,
  readGoalStatus,
  readOdometry,
  type BatteryReading,
  type DiagnosticLevel,
  type DiagnosticsReading,
  type NavReading,
  type NavStatus,
  type Pose2D,
  type PowerSupplyStatus,
  type Reading,
  type Velocity,
} from './robot/telemetry.ts';
export { RosbridgeConnection, type ConnectionEvent, type Dialect, type RosbridgeConnectionOptions, type SendReceipt } from './rosbridge/connection.ts';
export { CommandError, ServiceCallError, type ServiceFailure } from './rosbridge/errors.ts';
export { FrameEncodeError, decodeFrame, encodeFrame, type IncomingOp, type OutgoingOp, type RosMessage, type RosValue } from './rosbridge/frames.ts';
export { DEFAULT_NAMES, TYPES, isRobotId, robotName, type RobotInterfaceNames } from './topics.ts';
export { RobotHubBridge, type RobotHubBridgeOptions } from './hub-bridge.ts';
export { GoalTracker } from './robot/goal-tracker.ts';
