// The robot link against scripted servers: rosbridge_suite's dialect (base64 byte arrays,
// result: false, actions, bare NaN), and a server that sends garbage.
import { afterEach, expect, it } from 'vitest';
import { RobotFleetLink, type Warning } from './fleet-link.ts';
import type { RobotState } from './robot/robot-state.ts';
import { ros2WebBridgeReplies, startFakeServer, type FakeServer, type Frame } from './test-support.ts';

let server: FakeServer | null = null;
let link: RobotFleetLink | null = null;

afterEach(async () => {
  await link?.close();
  link = null;
  await server?.close();
  server = null;
});

const nowStamp = () => {
  const ms = Date.now();
  return { sec: Math.floor(ms / 1000), nanosec: (ms % 1000) * 1e6 };
};

function odomText(x: string): string {
  const stamp = nowStamp();
  // Written by hand so that a bare NaN can be in it, as Python's json module writes it.
  return `{"op":"publish","topic":"/robot_1/odom","msg":{"header":{"stamp":{"sec":${stamp.sec},"nanosec":${stamp.nanosec}},"frame_id":"odom"},"child_frame_id":"base_link","pose":{"pose":{"position":{"x":${x},"y":2,"z":0},"orientation":{"x":0,"y":0,"z":0,"w":1}},"covariance":[]},"twist":{"twist":{"linear":{"x":0,"y":0,"z":0},"angular":{"x":0,"y":0,"z":0}},"covariance":[]}}}`;
}

/** A rosbridge_suite-like server for robot_1: actions, base64 uuids, result: false. */
function suiteReplies(frame: Frame): (Frame | string)[] {
  const id = frame['id'];
  switch (frame['op']) {
    case 'call_service': {
      const service = frame['service'];
      if (service === '/robot_1/dock') return [{ op: 'service_response', service, values: { success: true, message: 'docking at dock-1' }, result: true, id }];
      if (service === '/robot_1/emergency_stop') return [{ op: 'service_response', service, values: { success: true, message: 'ok' }, result: true, id }];
      if (service === '/robot_1/navigate_to_pose/_action/cancel_goal') return [{ op: 'service_response', service, values: { return_code: 0, goals_canceling: [] }, result: true, id }];
      return [{ op: 'service_response', service, values: `Service ${String(service)} does not exist`, result: false, id }];
    }
    case 'send_action_goal':
      return [
        { op: 'action_feedback', action: frame['action'], id, values: { distance_remaining: 4.5 } },
        {
          op: 'publish',
          topic: '/robot_1/navigate_to_pose/_action/status',
          msg: { status_list: [{ goal_info: { goal_id: { uuid: Buffer.alloc(16, 0xab).toString('base64') }, stamp: nowStamp() }, status: 2 }] },
        },
      ];
    default:
      return [];
  }
}

it('speaks rosbridge_suite: detects it, reads base64 uuids and bare NaN, sends goals as actions, reports result: false', async () => {
  server = await startFakeServer(suiteReplies);
  link = new RobotFleetLink({ endpoints: [{ url: server.url, robots: ['robot_1', 'robot_2'] }], staleAfterMs: 1_000 });
  const states: RobotState[] = [];
  link.on('robot-state', (s) => s.id === 'robot_1' && states.push(s));
  await link.connect();
  await expect.poll(() => link?.dialects()[server?.url as string]).toBe('rosbridge_suite');
  // rosbridge_suite has no set_level: none was sent after detection.
  const setLevels = server.received.filter((r) => r.frame['op'] === 'set_level');
  expect(setLevels.length).toBeLessThanOrEqual(1);

  server.broadcast(odomText('1'));
  await expect.poll(() => states.at(-1)?.pose?.x).toBe(1);

  const sent = await link.sendGoal('robot_1', 5, 2, 0);
  expect(sent).toEqual({ robotId: 'robot_1', via: 'action', acknowledged: true });
  await expect.poll(() => server?.received.some((r) => r.frame['op'] === 'send_action_goal')).toBe(true);
  const goal = server.received.find((r) => r.frame['op'] === 'send_action_goal')?.frame as Frame;
  expect(goal).toMatchObject({ action: '/robot_1/navigate_to_pose', action_type: 'nav2_msgs/action/NavigateToPose', feedback: true, args: { behavior_tree: '', pose: { header: { frame_id: 'map' } } } });
  await expect.poll(() => states.at(-1)?.nav).toMatchObject({ status: 'executing', goalId: 'ab'.repeat(16), distanceRemaining: 4.5 });
  server.broadcast(JSON.stringify({ op: 'action_result', action: '/robot_1/navigate_to_pose', id: goal['id'], values: {}, status: 4, result: true }));
  await expect.poll(() => states.at(-1)?.nav?.status).toBe('succeeded');

  await link.sendGoal('robot_1', 6, 2, 0);
  expect(await link.cancel('robot_1')).toEqual({ robotId: 'robot_1', returnCode: 0, goalsCanceling: 0 });
  const cancel = server.received.find((r) => r.frame['op'] === 'cancel_action_goal')?.frame;
  expect(cancel).toMatchObject({ action: '/robot_1/navigate_to_pose' });

  // A bare NaN (Python's json) is read as null: odometry without a position is invalid.
  server.broadcast(odomText('NaN'));
  await expect.poll(() => states.at(-1)?.link.state).toBe('telemetry-invalid');
  expect(states.at(-1)?.pose?.x).toBe(1);

  expect(await link.dock('robot_1')).toEqual({ success: true, message: 'docking at dock-1' });
  await expect(link.dock('robot_2')).rejects.toMatchObject({ reason: 'failed', message: '/robot_2/dock: Service /robot_2/dock does not exist' });
  const [stop] = await link.emergencyStop('robot_1');
  expect(stop).toMatchObject({ confirmed: true, acknowledgedAfterMs: null });
  await expect.poll(() => server?.received.some((r) => r.frame['topic'] === '/robot_1/emergency_stop')).toBe(true);
  const latched = server.received.find((r) => r.frame['op'] === 'publish' && r.frame['topic'] === '/robot_1/emergency_stop')?.frame;
  expect(latched).toMatchObject({ msg: { data: true }, latch: true });
});

it('survives a server that sends garbage, and says so', async () => {
  server = await startFakeServer(ros2WebBridgeReplies, (socket) => {
    for (const junk of ['{"op":"publish","topic":"/robot_1/odom","msg":', 'not json', '[]', '{"op":7}', '{"op":"publish","topic":"/robot_1/odom","msg":null}']) socket.send(junk);
    socket.send(odomText('null'));
  });
  link = new RobotFleetLink({ endpoints: [{ url: server.url, robots: ['robot_1'], dialect: 'ros2-web-bridge' }] });
  const warnings: Warning[] = [];
  link.on('warning', (w) => warnings.push(w));
  const states: RobotState[] = [];
  link.on('robot-state', (s) => states.push(s));
  // A listener that throws does not break the link.
  link.on('robot-state', () => {
    throw new Error('listener bug');
  });
  await link.connect();
  await expect.poll(() => states.at(-1)?.link.state).toBe('telemetry-invalid');
  expect(states.at(-1)?.link.issues).toEqual(['odom: pose.pose.position.x is null, not a number']);
  expect(warnings.filter((w) => w.message.startsWith('malformed-frame'))).toHaveLength(5);
  expect(warnings.some((w) => w.message.includes('listener bug'))).toBe(true);
  server.broadcast(odomText('3'));
  await expect.poll(() => states.at(-1)?.link.state).toBe('live');
  // Everything this client sent parsed as JSON (the fake throws otherwise).
  expect(server.received.length).toBeGreaterThan(0);
});
