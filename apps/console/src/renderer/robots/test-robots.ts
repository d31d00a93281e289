/** Robot states and missions for the console's tests. */
import type { HubRobotState, RobotMission } from '@clearway/protocol';

export function robotState(id: string, over: Partial<HubRobotState> = {}): HubRobotState {
  return {
    id,
    deviceId: 'bridge-1',
    endpoint: 'ws://127.0.0.1:9090',
    pose: { x: 10, y: 5, theta: 0 },
    velocity: { linear: 0, angular: 0 },
    battery: { percentage: 0.8, voltage: 25.1, charging: false },
    diagnostics: { level: 'ok', message: 'ok' },
    nav: { status: 'idle', goalId: null, distanceRemaining: null, goal: null, path: null, etaSeconds: null },
    emergencyStop: 'released',
    link: { state: 'live', lastMessageAgeMs: 40, latencyMs: 3, issues: [] },
    seq: 1,
    atMs: 1_000_000,
    stampMs: 999_990,
    ...over,
  };
}

export function mission(over: Partial<RobotMission> = {}): RobotMission {
  return {
    missionId: '00000000-0000-4000-8000-000000000001',
    bagId: '00000000-0000-4000-8000-0000000000b1',
    bagTag: '0123456789',
    lane: 'lane-2',
    robotId: 'robot_1',
    requestedBy: 'li.wei',
    state: 'assigned',
    reason: null,
    pickup: { x: 15, y: 24.5, theta: 0 },
    dropoff: { x: 48, y: 18, theta: 0 },
    requestedAt: '2025-05-01T10:00:00.000Z',
    updatedAt: '2025-05-01T10:00:01.000Z',
    endedAt: null,
    ...over,
  };
}
