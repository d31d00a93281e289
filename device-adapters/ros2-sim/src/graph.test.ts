import { beforeAll, describe, expect, it } from 'vitest';
import { ensureInit, interfaces, rcl, settle } from './test-support.ts';

beforeAll(ensureInit);

describe('validator (rcl and rmw rules and messages)', () => {
  const cases: [name: unknown, full: string | true, relative: string | true][] = [
    ['/robot_1/odom', true, true],
    ['robot_1/odom', "topic name must be absolute, it must lead with a '/'", true],
    ['~/odom', "topic name must be absolute, it must lead with a '/'", true],
    ['', 'topic name must not be empty', 'topic name must not be empty string'],
    ['/odom/', "topic name must not end with a '/'", 'topic name must not end with a forward slash'],
    ['/a//b', "topic name must not contain repeated '/'", true],
    ['/1robot', 'topic name must not have a token that starts with a number', 'topic name token must not start with a number'],
    ["'quoted'", "topic name must be absolute, it must lead with a '/'", "topic name must not contain characters other than alphanumerics, '_', '~', '{', or '}'"],
    ['/话题', "topic name must not contain characters other than alphanumerics, '_', or '/'", "topic name must not contain characters other than alphanumerics, '_', '~', '{', or '}'"],
    ['a~b', "topic name must be absolute, it must lead with a '/'", "topic name must not have tilde '~' unless it is the first character"],
    ['~odom', "topic name must be absolute, it must lead with a '/'", "topic name must not have a tilde '~' that is not followed by a forward slash '/'"],
    ['{node}/odom', "topic name must be absolute, it must lead with a '/'", true],
    ['{node/odom', "topic name must be absolute, it must lead with a '/'", "substitution name must not contain characters other than alphanumerics or '_'"],
  ];
  it.each(cases)('%j', (name, full, relative) => {
    const check = (fn: () => unknown, expected: string | true) => {
      if (expected === true) expect(fn()).toBe(true);
      else expect(fn).toThrow(expected);
    };
    check(() => rcl.validator.validateFullTopicName(name), full);
    check(() => rcl.validator.validateTopicName(name), relative);
  });

  it('throws TypeError("Invalid argument") for a name that is not a string, as rclnodejs does', () => {
    expect(() => rcl.validator.validateFullTopicName(42)).toThrow(new TypeError('Invalid argument'));
    expect(() => rcl.validator.validateTopicName(true)).toThrow(TypeError);
  });

  it('sets invalidIndex on the error', () => {
    try {
      rcl.validator.validateFullTopicName('/a//b');
      expect.unreachable();
    } catch (error) {
      expect((error as { invalidIndex: number }).invalidIndex).toBe(3);
    }
  });
});

describe('message checking against the ROS 2 definitions', () => {
  const header = interfaces.loadMessageType('std_msgs/msg/Header');
  const rows: [type: string, message: unknown, error: RegExp | null][] = [
    ['std_msgs/msg/String', { data: 'hello' }, null],
    ['std_msgs/msg/String', 'bare value for a data-only type', null],
    ['std_msgs/msg/String', { data: 42 }, /std_msgs\/msg\/String\.data: expected string, got number 42/],
    ['std_msgs/msg/String', { data: 'x', extra: 1 }, /has no field 'extra'/],
    ['std_msgs/msg/Header', { stamp: { sec: 1, nanosec: 2 } }, /Header\.frame_id: missing string/],
    ['std_msgs/msg/Header', { stamp: { sec: 1.5, nanosec: 0 }, frame_id: '' }, /stamp\.sec: expected int32/],
    ['std_msgs/msg/Header', { stamp: { sec: 1, nanosec: -1 }, frame_id: '' }, /stamp\.nanosec: expected uint32/],
    ['std_msgs/msg/UInt8', { data: 256 }, /expected uint8/],
    ['std_msgs/msg/Int8', { data: -128 }, null],
    ['std_msgs/msg/Byte', { data: -1 }, /expected uint8/],
    ['std_msgs/msg/Char', { data: 'A' }, null],
    ['std_msgs/msg/Char', { data: 0x80 }, /expected char/],
    ['std_msgs/msg/Int64', { data: Number.MIN_SAFE_INTEGER }, null],
    ['std_msgs/msg/UInt64', { data: -1 }, /expected uint64/],
    ['std_msgs/msg/Float32', { data: null }, /expected float32, got null/],
    ['std_msgs/msg/Bool', { data: 1 }, /expected bool/],
    // Variable-length arrays may be left out (default []); fixed-length arrays must be exact.
    ['sensor_msgs/msg/JointState', { header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' }, name: ['a'], position: [1], velocity: [2] }, null],
    ['geometry_msgs/msg/PoseWithCovariance', { pose: pose(), covariance: [1, 2, 3] }, /covariance: expected exactly 36 elements, got 3/],
    ['unique_identifier_msgs/msg/UUID', { uuid: 'AAAAAAAAAAAAAAAAAAAAAA==' }, /uuid: expected uint8\[16\] as an array/],
    ['unique_identifier_msgs/msg/UUID', { uuid: new Uint8Array(16) }, null],
    ['shape_msgs/msg/SolidPrimitive', { type: 1, dimensions: [1, 2, 3, 4] }, /at most 3 elements/],
  ];
  it.each(rows)('%s %j', (type, message, error) => {
    const t = interfaces.loadMessageType(type);
    if (error) expect(() => interfaces.normalizeMessage(t, message)).toThrow(error);
    else expect(() => interfaces.normalizeMessage(t, message)).not.toThrow();
  });

  it('normalises: char to its code, float32 to single precision, typed arrays to plain arrays', () => {
    expect(interfaces.normalizeMessage(interfaces.loadMessageType('std_msgs/msg/Char'), { data: 'A' })).toEqual({ data: 65 });
    expect(interfaces.normalizeMessage(interfaces.loadMessageType('std_msgs/msg/Float32'), { data: 3.14 })).toEqual({ data: Math.fround(3.14) });
    const uuid = interfaces.normalizeMessage(interfaces.loadMessageType('unique_identifier_msgs/msg/UUID'), { uuid: new Uint8Array(16).fill(7) });
    expect(Array.isArray(uuid['uuid'])).toBe(true);
    expect(interfaces.normalizeMessage(header, { stamp: { sec: 1, nanosec: 2 }, frame_id: 'map' })).toEqual({ stamp: { sec: 1, nanosec: 2 }, frame_id: 'map' });
  });

  it("refuses unknown types with rclnodejs's error", () => {
    expect(() => interfaces.loadInterface('std_msgs/msg/Foo')).toThrow(/^The message required does not exist: std_msgs, msg, Foo at /);
    expect(() => interfaces.loadInterface('std_msgs/Foo')).toThrow(/The message required does not exist: std_msgs, Foo, undefined/);
    expect(() => interfaces.loadServiceType('std_msgs/msg/String')).toThrow(/is a message type, not a service type/);
  });

  it('knows the hand-written services and the common messages', () => {
    const known = interfaces.knownInterfaces();
    for (const name of ['std_srvs/srv/SetBool', 'std_srvs/srv/Trigger', 'action_msgs/srv/CancelGoal', 'nav_msgs/msg/Odometry', 'sensor_msgs/msg/BatteryState', 'diagnostic_msgs/msg/DiagnosticArray', 'action_msgs/msg/GoalStatusArray']) {
      expect(known).toContain(name);
    }
    const cancel = interfaces.loadServiceType('action_msgs/srv/CancelGoal');
    expect(interfaces.defaultMessage(cancel.Request)).toEqual({ goal_info: { goal_id: { uuid: new Array(16).fill(0) }, stamp: { sec: 0, nanosec: 0 } } });
    expect(cancel.Response.constants).toMatchObject({ ERROR_UNKNOWN_GOAL_ID: 2 });
  });
});

function pose() {
  return { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } };
}

describe('the in-memory graph', () => {
  it('delivers a normalised copy after publish() returns, only to spinning nodes of the same type', async () => {
    const talker = rcl.createNode('talker', '/graph_test');
    const listener = rcl.createNode('listener', '/graph_test');
    const other = rcl.createNode('other_type', '/graph_test');
    const got: unknown[] = [];
    const wrongType: unknown[] = [];
    listener.createSubscription('std_msgs/msg/String', 'chatter', {}, (m) => got.push(m));
    other.createSubscription('std_msgs/msg/Bool', 'chatter', (m) => wrongType.push(m));
    const pub = talker.createPublisher('std_msgs/msg/String', 'chatter');
    expect(pub.topic).toBe('/graph_test/chatter');
    rcl.spin(listener);
    rcl.spin(other);
    pub.publish({ data: 'one' });
    expect(got).toEqual([]);
    await settle();
    expect(got).toEqual([{ data: 'one' }]);
    expect(wrongType).toEqual([]);
    expect(() => pub.publish({ data: 1 })).toThrow(TypeError);
    for (const n of [talker, listener, other]) n.destroy();
  });

  it('keeps the last `depth` messages for a node that does not spin, and spinOnce() runs them', async () => {
    const talker = rcl.createNode('talker', '/depth_test');
    const lazy = rcl.createNode('lazy', '/depth_test');
    const got: number[] = [];
    lazy.createSubscription('std_msgs/msg/Int32', 'n', { qos: { depth: 3 } }, (m) => got.push(m['data'] as number));
    const pub = talker.createPublisher('std_msgs/msg/Int32', 'n');
    for (let i = 0; i < 5; i++) pub.publish({ data: i });
    await settle();
    expect(got).toEqual([]);
    rcl.spinOnce(lazy);
    expect(got).toEqual([2, 3, 4]);
    talker.destroy();
    lazy.destroy();
  });

  it('answers a service call through the first server; a call nobody serves is lost without a reply', async () => {
    const server = rcl.createNode('server', '/srv_test');
    const client = rcl.createNode('client', '/srv_test');
    server.createService('example_interfaces/srv/AddTwoInts', 'add', (request, response) => {
      const result = response.template;
      result['sum'] = (request['a'] as number) + (request['b'] as number);
      response.send(result);
    });
    rcl.spin(server);
    rcl.spin(client);
    const c = client.createClient('example_interfaces/srv/AddTwoInts', 'add');
    expect(c.isServiceServerAvailable()).toBe(true);
    const sum = await new Promise((resolve) => c.sendRequest({ a: 2, b: 3 }, resolve));
    expect(sum).toEqual({ sum: 5 });
    expect(() => c.sendRequest({ a: 'x', b: 3 }, () => {})).toThrow(/AddTwoInts_Request\.a: expected int64/);

    const lost = client.createClient('example_interfaces/srv/AddTwoInts', 'nobody_home');
    let answered = false;
    lost.sendRequest({ a: 1, b: 1 }, () => (answered = true));
    await settle(5);
    expect(answered).toBe(false);
    server.destroy();
    client.destroy();
  });

  it('expands names like rcl and refuses invalid ones', () => {
    const node = rcl.createNode('namer', '/ns');
    expect(node.createPublisher('std_msgs/msg/Empty', '~/private').topic).toBe('/ns/namer/private');
    expect(node.createPublisher('std_msgs/msg/Empty', '{node}/sub').topic).toBe('/ns/namer/sub');
    expect(node.createPublisher('std_msgs/msg/Empty', '/absolute').topic).toBe('/absolute');
    expect(() => node.createPublisher('std_msgs/msg/Empty', "'quoted'")).toThrow(/Invalid topic name/);
    expect(() => node.createPublisher('std_msgs/msg/Empty', 42 as unknown as string)).toThrow(new TypeError('Invalid argument'));
    expect(() => node.createClient('std_srvs/srv/Trigger', '')).toThrow(/Invalid service name '': topic name must not be empty string/);
    expect(() => rcl.createNode('1bad')).toThrow(/node name must not start with a number/);
    node.destroy();
  });

  it('refuses a second init() while initialised, and a second spin()', async () => {
    await expect(rcl.init()).rejects.toThrow('The context has already been initialized.');
    const node = rcl.createNode('spinner');
    rcl.spin(node);
    expect(() => rcl.spin(node)).toThrow('The node is already spinning.');
    node.destroy();
  });
});
