// Where a robot's telemetry and commands live, relative to its namespace (/robot_1/odom …), and
// their ROS 2 types. These are the names Nav2 and most service-robot stacks use; a site with other
// names passes its own.

export interface RobotInterfaceNames {
  odom: string;
  battery: string;
  diagnostics: string;
  navStatus: string;
  goal: string;
  emergencyStopTopic: string;
  emergencyStopService: string;
  dock: string;
  cancelGoal: string;
  /** The NavigateToPose action (rosbridge_suite only). */
  navigateAction: string;
  /** Operator heartbeat (only sent when the link's heartbeatIntervalMs is set). */
  heartbeat: string;
}

export const DEFAULT_NAMES: Readonly<RobotInterfaceNames> = Object.freeze({
  odom: 'odom',
  battery: 'battery_state',
  diagnostics: 'diagnostics',
  navStatus: 'navigate_to_pose/_action/status',
  goal: 'goal_pose',
  emergencyStopTopic: 'emergency_stop',
  emergencyStopService: 'emergency_stop',
  dock: 'dock',
  cancelGoal: 'navigate_to_pose/_action/cancel_goal',
  navigateAction: 'navigate_to_pose',
  heartbeat: 'operator_heartbeat',
});

export const TYPES = Object.freeze({
  odom: 'nav_msgs/msg/Odometry',
  battery: 'sensor_msgs/msg/BatteryState',
  diagnostics: 'diagnostic_msgs/msg/DiagnosticArray',
  navStatus: 'action_msgs/msg/GoalStatusArray',
  goal: 'geometry_msgs/msg/PoseStamped',
  emergencyStopTopic: 'std_msgs/msg/Bool',
  emergencyStopService: 'std_srvs/srv/SetBool',
  dock: 'std_srvs/srv/Trigger',
  cancelGoal: 'action_msgs/srv/CancelGoal',
  navigateAction: 'nav2_msgs/action/NavigateToPose',
  heartbeat: 'std_msgs/msg/Header',
});

/** A robot's namespace: ROS name tokens separated by '/', e.g. robot_1 or fleet_a/robot_1. */
const ROBOT_ID = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;

export function isRobotId(id: string): boolean {
  return ROBOT_ID.test(id) && id.length <= 200;
}

/** The full name of a robot's topic or service: /robot_1/odom. */
export function robotName(robotId: string, relative: string): string {
  return `/${robotId}/${relative.replace(/^\/+/, '')}`;
}
