// ros2-web-bridge's own protocol cases (its test/nodejs/protocol/test-*.js), as one table run
// against the real bridge on the simulated graph. Like the bridge's suite, the server runs with
// status level 'none' (its `-l none`), so every operation is answered with a status: 'none'/'OK'
// on success, 'error' or 'warning' with "<op>: <error>" otherwise. Each row is one fresh
// connection (two where a row has a second client): the operations it sends and the replies it
// expects, in order; `nothing` means no reply within 100 ms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Node } from '@clearway/rclnodejs-sim';
import type { RunningBridge } from '@clearway/rclnodejs-sim/bridge';
import { bridgeModule, bridgeWebSocket, ensureInit, rcl, type RawSocket } from './test-support.ts';

type Frame = Record<string, unknown>;
type Client = 'a' | 'b';
type Step =
  | { client: Client; send: Frame | ((captured: Record<string, Frame>) => Frame) }
  | { client: Client; expect: Frame; capture?: string }
  | { client: Client; nothing: true };

interface Row {
  name: string;
  steps: Step[];
}

// Step builders, so that each row reads as the exchange it is.
const send = (frame: Frame | ((captured: Record<string, Frame>) => Frame), client: Client = 'a'): Step => ({ client, send: frame });
const reply = (frame: Frame, client: Client = 'a', capture?: string): Step => ({ client, expect: frame, ...(capture ? { capture } : {}) });
const ok = (id?: string | number, client: Client = 'a'): Step => reply({ op: 'status', level: 'none', msg: 'OK', ...(id === undefined ? {} : { id }) }, client);
const error = (op: string, msg: RegExp, client: Client = 'a'): Step => reply({ op: 'status', level: 'error', msg: expect.stringMatching(new RegExp(`^${op}: ${msg.source}`)) }, client);
const warning = (op: string, msg: RegExp): Step => reply({ op: 'status', level: 'warning', msg: expect.stringMatching(new RegExp(`^${op}: ${msg.source}`)) });
const nothing = (client: Client = 'a'): Step => ({ client, nothing: true });
const published = (topic: string, msg: unknown): Step => reply({ op: 'publish', topic, msg });

const NOT_EXIST = /Error: The message required does not exist: /;
const INVALID_ARGUMENT = /TypeError: Invalid argument/;
const BAD_NAME = /Error: Invalid (topic|service) name /;
const header = { stamp: { sec: 123456, nanosec: 789 }, frame_id: 'main frame' };
const jointState = { header, name: ['Tom', 'Jerry'], position: [1, 2], velocity: [2, 3], effort: [4, 5, 6] };

/** advertise + publish + the subscription's copy: one row per message type. */
function roundTrip(type: string, msg: unknown, expected: unknown = msg): Row {
  const topic = `subscribe_${type.split('/')[1]?.toLowerCase()}_topic`;
  return {
    name: `subscribe message with type: ${type}`,
    steps: [
      send({ op: 'subscribe', id: 'sub', topic, type }),
      ok('sub'),
      send({ op: 'advertise', id: 'adv', topic, type }),
      ok('adv'),
      send({ op: 'publish', id: 'pub', topic, msg }),
      ok('pub'),
      published(topic, expected),
    ],
  };
}

/** advertise, then two publishes out of the type's range: both refused. */
function outOfRange(type: string, low: number, high: number): Row {
  const topic = `publish_${type.split('/')[1]?.toLowerCase()}_neg_topic`;
  return {
    name: `publish message negatively with type: ${type} (${low}, ${high})`,
    steps: [
      send({ op: 'advertise', id: 'adv', topic, type }),
      ok('adv'),
      send({ op: 'publish', id: 'low', topic, msg: { data: low } }),
      error('publish', /TypeError: Invalid value at /),
      send({ op: 'publish', id: 'high', topic, msg: { data: high } }),
      error('publish', /TypeError: Invalid value at /),
    ],
  };
}

const ADD = 'example_interfaces/AddTwoInts';

const TABLE: Record<string, Row[]> = {
  advertise: [
    { name: 'positive case 1', steps: [send({ op: 'advertise', id: 'advertise_id1', topic: 'advertise_topic1', type: 'std_msgs/String' }), ok('advertise_id1')] },
    { name: 'positive case 2: no id', steps: [send({ op: 'advertise', topic: 'advertise_topic2', type: 'std_msgs/String' }), ok()] },
    {
      name: 'positive case 3: the same topic twice',
      steps: [
        send({ op: 'advertise', id: 'advertise_id3', topic: 'advertise_topic3', type: 'std_msgs/String' }),
        ok('advertise_id3'),
        send({ op: 'advertise', id: 'advertise_id4', topic: 'advertise_topic3', type: 'std_msgs/String' }),
        ok('advertise_id4'),
      ],
    },
    { name: 'positive case 4: ROS 2 type format', steps: [send({ op: 'advertise', id: 'ros2', topic: 'advertise_ros2_msg_topic', type: 'std_msgs/msg/Byte' }), ok('ros2')] },
    ...['Bool', 'Byte', 'Char', 'String', 'Int8', 'UInt8', 'Int16', 'UInt16', 'Int32', 'UInt32', 'Int64', 'UInt64', 'Float32', 'Float64', 'ColorRGBA', 'Header'].map((t) => ({
      name: `message type std_msgs/${t}`,
      steps: [send({ op: 'advertise', id: t, topic: `advertise_${t.toLowerCase()}_topic`, type: `std_msgs/${t}` }), ok(t)],
    })),
    { name: 'message type sensor_msgs/JointState', steps: [send({ op: 'advertise', id: 'js', topic: 'advertise_jointstate_topic', type: 'sensor_msgs/JointState' }), ok('js')] },
    {
      name: 'negative case 1: the same topic with another type',
      steps: [
        send({ op: 'advertise', id: 'advertise_id5', topic: 'advertise_topic5', type: 'std_msgs/String' }),
        ok('advertise_id5'),
        send({ op: 'advertise', id: 'advertise_id6', topic: 'advertise_topic5', type: 'std_msgs/Char' }),
        error('advertise', /Error: The topic advertise_topic5 already exists with a different type std_msgs\/String\./),
      ],
    },
    { name: 'negative case 2: unknown type', steps: [send({ op: 'advertise', id: 'advertise_id7', topic: 'advertise_topic7', type: 'std_msgs/Foo' }), error('advertise', NOT_EXIST)] },
    { name: 'field checking 1: topic is a number', steps: [send({ op: 'advertise', id: 'advertise_id8', topic: 42, type: 'std_msgs/String' }), error('advertise', INVALID_ARGUMENT)] },
    { name: 'field checking 2: type is a boolean', steps: [send({ op: 'advertise', id: 'advertise_id9', topic: 'advertise_topic9', type: true }), error('advertise', /TypeError: type.indexOf is not a function/)] },
    { name: 'field checking 3: empty topic', steps: [send({ op: 'advertise', id: 'advertise_id10', topic: '', type: 'std_msgs/String' }), error('advertise', BAD_NAME)] },
    { name: 'field checking 4: single quotes', steps: [send({ op: 'advertise', id: 'advertise_id11', topic: "'single_advertise_topic11'", type: 'std_msgs/String' }), error('advertise', BAD_NAME)] },
    { name: 'field checking 5: double quotes', steps: [send({ op: 'advertise', id: 'advertise_id12', topic: '"double_advertise_topic12"', type: 'std_msgs/String' }), error('advertise', BAD_NAME)] },
    { name: 'field checking 6: unicode', steps: [send({ op: 'advertise', id: 'advertise_id12', topic: '\u8bdd\u9898', type: 'std_msgs/String' }), error('advertise', BAD_NAME)] },
  ],
  unadvertise: [
    {
      name: 'positive case',
      steps: [
        send({ op: 'advertise', id: 'advertise_setup1', topic: 'unadvertise_topic1', type: 'std_msgs/String' }),
        ok('advertise_setup1'),
        send({ op: 'unadvertise', id: 'unadvertise_id1', topic: 'unadvertise_topic1' }),
        ok('unadvertise_id1'),
      ],
    },
    { name: 'negative case: never advertised', steps: [send({ op: 'unadvertise', id: 'unadvertise_id3', topic: 'unadvertise_topic3' }), warning('unadvertise', /Error: The topic unadvertise_topic3 does not exist/)] },
    ...[
      // The bridge itself calls name.startsWith() before validating.
      ['topic is a boolean', true, /TypeError: name.startsWith is not a function/],
      ['empty topic', '', /Error: topic name must not be empty string/],
      ['single quotes', "'single_advertise_topic'", /Error: topic name must not contain characters other than alphanumerics/],
      ['double quotes', '"double_advertise_topic"', /Error: topic name must not contain characters other than alphanumerics/],
      ['unicode', '\u8bdd\u9898', /Error: topic name must not contain characters other than alphanumerics/],
    ].map(([what, topic, msg], i) => ({
      name: `field checking: ${what as string}`,
      steps: [
        send({ op: 'advertise', id: 'setup', topic: `unadvertise_topic${i + 4}`, type: 'std_msgs/String' }),
        ok('setup'),
        send({ op: 'unadvertise', id: 'bad', topic }),
        error('unadvertise', msg as RegExp),
      ],
    })),
  ],
  publish: [
    {
      name: 'positive case 1',
      steps: [
        send({ op: 'advertise', id: 'publish_advertise_setup1', topic: 'publish_topic1', type: 'std_msgs/String' }),
        ok('publish_advertise_setup1'),
        send({ op: 'publish', id: 'publish_id1', topic: 'publish_topic1', msg: { data: 'hello world!' } }),
        ok('publish_id1'),
      ],
    },
    {
      name: 'positive case 2: ROS 2 type format, no ids',
      steps: [
        send({ op: 'advertise', topic: 'publish_ros2_msg_topic', type: 'std_msgs/msg/String' }),
        ok(),
        send({ op: 'publish', topic: 'publish_ros2_msg_topic', msg: { data: 'hello world!' } }),
        ok(),
      ],
    },
    { name: 'negative case 1: not advertised', steps: [send({ op: 'publish', id: 'publish_id3', topic: 'publish_topic3', msg: { data: 'Hello World!' } }), error('publish', /TypeError: Cannot read properties of undefined/)] },
    {
      name: 'negative case 2: a number for a string',
      steps: [
        send({ op: 'advertise', id: 'setup4', topic: 'publish_topic4', type: 'std_msgs/String' }),
        ok('setup4'),
        send({ op: 'publish', id: 'publish_id4', topic: 'publish_topic4', msg: { data: 42 } }),
        error('publish', /TypeError: Invalid value at std_msgs\/msg\/String\.data: expected string, got number 42/),
      ],
    },
    {
      name: 'negative case 3: msg is a subset of the type',
      steps: [
        send({ op: 'advertise', id: 'setup5', topic: 'publish_topic5', type: 'std_msgs/Header' }),
        ok('setup5'),
        send({ op: 'publish', id: 'publish_id5', topic: 'publish_topic5', msg: { stamp: { sec: 123456, nanosec: 789 } } }),
        error('publish', /TypeError: Invalid value at std_msgs\/msg\/Header\.frame_id: missing string/),
      ],
    },
    {
      name: 'field checking 1: id is a number',
      steps: [
        send({ op: 'advertise', id: 'setup6', topic: 'publish_topic6', type: 'std_msgs/String' }),
        ok('setup6'),
        send({ op: 'publish', id: 42, topic: 'publish_topic6', msg: { data: 'Hello World!' } }),
        ok(42),
      ],
    },
    {
      name: 'field checking 2: topic is a number',
      steps: [
        send({ op: 'advertise', id: 'setup7', topic: 'publish_topic7', type: 'std_msgs/String' }),
        ok('setup7'),
        send({ op: 'publish', id: 'publish_id7', topic: 42, msg: { data: 'Hello World!' } }),
        error('publish', /TypeError/),
      ],
    },
    {
      name: 'field checking 3: msg is not an object',
      steps: [
        send({ op: 'advertise', id: 'setup8', topic: 'publish_topic8', type: 'std_msgs/String' }),
        ok('setup8'),
        send({ op: 'publish', id: 'publish_id8', topic: 'publish_topic8', msg: 42 }),
        error('publish', /TypeError: Invalid value at std_msgs\/msg\/String\.data: expected string, got number 42/),
      ],
    },
    {
      name: 'workflow: publish on /example_topic without advertising',
      steps: [send({ op: 'publish', id: 'publish:/example_topic:1', topic: '/example_topic', msg: { data: 'hello from ros2bridge 0' }, latch: false }), error('publish', /TypeError/)],
    },
    outOfRange('std_msgs/Byte', -1, 0x100),
    outOfRange('std_msgs/Char', -0x81, 0x80),
    outOfRange('std_msgs/Int8', -0x81, 0x80),
    outOfRange('std_msgs/UInt8', -1, 0x100),
    outOfRange('std_msgs/Int16', -0x8001, 0x8000),
    outOfRange('std_msgs/UInt16', -1, 0x10000),
    outOfRange('std_msgs/Int32', -0x80000001, 0x80000000),
    outOfRange('std_msgs/UInt32', -1, 0x100000000),
  ],
  subscribe: [
    ...[
      ['full fields', { id: 'subscribe_id1', throttle_rate: 0, queue_length: 0, fragment_size: 1, compression: 'none' }],
      ['no field id', { throttle_rate: 0, queue_length: 0, fragment_size: 1, compression: 'none' }],
      ['no field throttle_rate', { id: 'subscribe_id3', queue_length: 0, fragment_size: 1, compression: 'none' }],
      ['no field queue_length', { id: 'subscribe_id4', throttle_rate: 0, fragment_size: 1, compression: 'none' }],
      ['no field fragment_size', { id: 'subscribe_id5', throttle_rate: 0, queue_length: 0, compression: 'none' }],
      ['no field compression', { id: 'subscribe_id6', throttle_rate: 0, queue_length: 0, fragment_size: 1 }],
    ].map(([what, fields], i) => {
      const topic = `subscribe_topic${i + 1}`;
      const f = fields as Frame;
      return {
        name: `positive case ${i + 1}: ${what as string}`,
        steps: [
          send({ op: 'subscribe', topic, type: 'std_msgs/String', ...f }),
          ok(f['id'] as string | undefined),
          send({ op: 'advertise', id: 'adv', topic, type: 'std_msgs/String' }),
          ok('adv'),
          send({ op: 'publish', id: 'pub', topic, msg: { data: 'subscribe operation' } }),
          ok('pub'),
          published(topic, { data: 'subscribe operation' }),
        ],
      };
    }),
    { name: 'negative case 1: unknown type', steps: [send({ op: 'subscribe', id: 'subscribe_neg_id1', topic: 'subscribe_neg_topic1', type: 'std_msgs/Foo' }), error('subscribe', NOT_EXIST)] },
    { name: 'negative case 2: no type (this bridge does not infer it)', steps: [send({ op: 'subscribe', id: 'subscribe_neg_id2', topic: 'subscribe_neg_topic2' }), error('subscribe', /TypeError: Cannot read properties of undefined/)] },
    { name: 'field checking 1: topic is a number', steps: [send({ op: 'subscribe', id: 'subscribe_neg_id3', topic: 42, type: 'std_msgs/String' }), error('subscribe', INVALID_ARGUMENT)] },
    { name: 'field checking 2: type is a boolean', steps: [send({ op: 'subscribe', id: 'subscribe_neg_id3', topic: 'subscribe_neg_topic4', type: true }), error('subscribe', /TypeError/)] },
    roundTrip('std_msgs/Bool', { data: true }),
    roundTrip('std_msgs/Byte', { data: 0xff }),
    roundTrip('std_msgs/Char', { data: 'A' }, { data: 65 }),
    roundTrip('std_msgs/String', { data: 'hello world!' }),
    roundTrip('std_msgs/Int8', { data: -0x80 }),
    roundTrip('std_msgs/UInt8', { data: 0xff }),
    roundTrip('std_msgs/Int16', { data: -0x8000 }),
    roundTrip('std_msgs/UInt16', { data: 0xffff }),
    roundTrip('std_msgs/Int32', { data: -0x80000000 }),
    roundTrip('std_msgs/UInt32', { data: 0xffffffff }),
    roundTrip('std_msgs/Int64', { data: Number.MIN_SAFE_INTEGER }),
    roundTrip('std_msgs/UInt64', { data: Number.MAX_SAFE_INTEGER }),
    roundTrip('std_msgs/Float32', { data: 3.14 }, { data: expect.closeTo(3.14, 5) }),
    roundTrip('std_msgs/Float64', { data: 3.1415926 }),
    roundTrip('std_msgs/ColorRGBA', { a: 0.5, r: 255, g: 255, b: 255 }),
    roundTrip('std_msgs/Header', header),
    roundTrip('sensor_msgs/JointState', jointState),
  ],
  unsubscribe: [
    {
      name: 'positive case 1',
      steps: [
        send({ op: 'subscribe', id: 'subscribe_setup_id1', topic: 'unsubscribe_topic1', type: 'std_msgs/String' }),
        ok('subscribe_setup_id1'),
        send({ op: 'unsubscribe', id: 'subscribe_setup_id1', topic: 'unsubscribe_topic1' }),
        ok('subscribe_setup_id1'),
      ],
    },
    {
      name: 'positive case 2: subscribed twice, no id',
      steps: [
        send({ op: 'subscribe', id: 'subscribe_setup_id2', topic: 'unsubscribe_topic2', type: 'std_msgs/Bool' }),
        ok('subscribe_setup_id2'),
        send({ op: 'subscribe', id: 'subscribe_setup_id3', topic: 'unsubscribe_topic2', type: 'std_msgs/Bool' }),
        ok('subscribe_setup_id3'),
        send({ op: 'unsubscribe', topic: 'unsubscribe_topic2' }),
        ok(),
      ],
    },
    {
      name: 'negative case 1: unknown topic',
      steps: [
        send({ op: 'subscribe', id: 'subscribe_setup_id4', topic: 'unsubscribe_topic4', type: 'std_msgs/Byte' }),
        ok('subscribe_setup_id4'),
        send({ op: 'unsubscribe', id: 'subscribe_setup_id4', topic: 'unsubscribe_topic4x' }),
        warning('unsubscribe', /Error: The topic unsubscribe_topic4x does not exist\./),
      ],
    },
    {
      name: 'negative case 2: unknown id',
      steps: [
        send({ op: 'subscribe', id: 'subscribe_setup_id5', topic: 'unsubscribe_topic5', type: 'std_msgs/Char' }),
        ok('subscribe_setup_id5'),
        send({ op: 'unsubscribe', id: 'subscribe_setup_id5x', topic: 'unsubscribe_topic5' }),
        ok('subscribe_setup_id5x'),
      ],
    },
    {
      name: 'field checking 1: id is a number',
      steps: [
        send({ op: 'subscribe', id: 'subscribe_setup_id6', topic: 'subscribe_topic6', type: 'std_msgs/Header' }),
        ok('subscribe_setup_id6'),
        send({ op: 'unsubscribe', id: 42, topic: 'subscribe_topic6' }),
        ok(42),
      ],
    },
    {
      name: 'field checking 2: topic is a number',
      steps: [
        send({ op: 'subscribe', id: 'subscribe_setup_id7', topic: 'subscribe_topic7', type: 'std_msgs/ColorRGBA' }),
        ok('subscribe_setup_id7'),
        send({ op: 'unsubscribe', id: 'subscribe_setup_id7', topic: 42 }),
        error('unsubscribe', /TypeError/),
      ],
    },
  ],
  call_service: [
    ...[
      ['positive case 1: full fields', { id: 'call_service_id1', service: 'add_two_ints', args: { a: 1, b: 2 }, fragment_size: 1, compression: 'none' }, 3],
      ['positive case 2: full service name', { id: 'call_service_id2', service: '/add_two_ints', args: { a: 1, b: 2 }, fragment_size: 1, compression: 'none' }, 3],
      ['positive case 3: no id', { service: 'add_two_ints', args: { a: 3, b: 4 }, fragment_size: 1, compression: 'none' }, 7],
      ['positive case 4: no fragment_size', { id: 'call_service_id4', service: 'add_two_ints', args: { a: 5, b: 6 }, compression: 'none' }, 11],
      ['positive case 5: no compression', { id: 'call_service_id5', service: 'add_two_ints', args: { a: 7, b: 8 }, fragment_size: 1 }, 15],
    ].map(([name, fields, sum]) => {
      const f = fields as Frame;
      return {
        name: name as string,
        steps: [
          send({ op: 'call_service', type: ADD, ...f }),
          ok(f['id'] as string | undefined),
          reply({ op: 'service_response', service: f['service'], values: { sum }, result: true, ...(f['id'] ? { id: f['id'] } : {}) }),
        ],
      };
    }),
    {
      name: 'negative case 1: no type',
      steps: [send({ op: 'call_service', id: 'call_service_id6', service: 'add_two_ints', args: { a: 9, b: 10 }, fragment_size: 1, compression: 'none' }), error('call_service', /TypeError: Cannot read properties of undefined/)],
    },
    {
      name: 'negative case 2: unknown service: accepted, never answered',
      steps: [send({ op: 'call_service', id: 'call_service_id7', service: 'add_two_float', args: { a: 11, b: 12 }, type: ADD }), ok('call_service_id7'), nothing()],
    },
    { name: 'field checking: service is a number', steps: [send({ op: 'call_service', id: 'call_service_id8', service: 42, args: { a: 13, b: 14 }, type: ADD }), error('call_service', INVALID_ARGUMENT)] },
    { name: 'field checking: args is a string (and no type)', steps: [send({ op: 'call_service', id: 'call_service_id9', service: 'add_two_ints', args: 'invalid arguments' }), error('call_service', /TypeError/)] },
    {
      name: 'field checking: args of the wrong type',
      steps: [send({ op: 'call_service', id: 'call_service_id10', service: 'add_two_ints', args: { a: 'one', b: 2 }, type: ADD }), error('call_service', /TypeError: Invalid value at example_interfaces\/srv\/AddTwoInts_Request\.a: expected int64/)],
    },
  ],
  advertise_service: [
    { name: 'positive case 1', steps: [send({ op: 'advertise_service', type: ADD, service: 'adv_add_two_ints' }), ok()] },
    { name: 'positive case 2: full name', steps: [send({ op: 'advertise_service', type: ADD, service: '/adv_add_two_ints' }), ok()] },
    { name: 'positive case 3: ROS 2 type format', steps: [send({ op: 'advertise_service', type: 'example_interfaces/srv/AddTwoInts', service: 'adv_add_two_ints' }), ok()] },
    { name: 'negative case 1: unknown type', steps: [send({ op: 'advertise_service', type: 'example_interfaces/Foo', service: 'adv_add_two_ints' }), error('advertise_service', NOT_EXIST)] },
    { name: 'field checking: type is a number', steps: [send({ op: 'advertise_service', type: 42, service: 'adv_add_two_ints' }), error('advertise_service', /TypeError: type.indexOf is not a function/)] },
    { name: 'field checking: service is a boolean', steps: [send({ op: 'advertise_service', type: ADD, service: true }), error('advertise_service', INVALID_ARGUMENT)] },
    { name: 'field checking: empty service', steps: [send({ op: 'advertise_service', type: ADD, service: '' }), error('advertise_service', BAD_NAME)] },
    { name: 'field checking: single quotes', steps: [send({ op: 'advertise_service', type: ADD, service: "'add_two_ints'" }), error('advertise_service', BAD_NAME)] },
    { name: 'field checking: double quotes', steps: [send({ op: 'advertise_service', type: ADD, service: '"add_two_ints"' }), error('advertise_service', BAD_NAME)] },
    { name: 'field checking: unicode', steps: [send({ op: 'advertise_service', type: ADD, service: '\u8bdd\u9898' }), error('advertise_service', BAD_NAME)] },
    {
      name: 'round trip: client b calls the service client a advertised; a answers with service_response',
      steps: [
        send({ op: 'advertise_service', id: 'adv', type: ADD, service: 'web_add_two_ints' }),
        ok('adv'),
        send({ op: 'call_service', id: 'b-call', service: '/web_add_two_ints', type: ADD, args: { a: 20, b: 22 } }, 'b'),
        ok('b-call', 'b'),
        reply({ op: 'call_service', service: 'web_add_two_ints', args: { a: 20, b: 22 }, id: expect.any(String) }, 'a', 'request'),
        send((c) => ({ op: 'service_response', id: c['request']?.['id'], service: 'web_add_two_ints', values: { sum: 42 }, result: true })),
        reply({ op: 'status', level: 'none', msg: 'OK', id: expect.any(String) }),
        reply({ op: 'service_response', id: 'b-call', service: '/web_add_two_ints', values: { sum: 42 }, result: true }, 'b'),
      ],
    },
  ],
  unadvertise_service: [
    ...[
      ['positive case 1', 'unadv_add_two_ints', 'unadv_add_two_ints', null],
      ['positive case 2: full name', '/unadv_add_two_ints2', '/unadv_add_two_ints2', null],
      ['negative case: service is a number', 'unadv_add_two_ints3', 42, /TypeError: name.startsWith is not a function/],
      ['field checking: empty service', 'unadv_add_two_ints4', '', /Error: topic name must not be empty string/],
      ['field checking: single quotes', 'unadv_add_two_ints5', "'add_two_ints'", /Error: topic name must not contain characters/],
      ['field checking: double quotes', 'unadv_add_two_ints6', '"add_two_ints"', /Error: topic name must not contain characters/],
      ['field checking: unicode', 'unadv_add_two_ints7', '\u8bdd\u9898', /Error: topic name must not contain characters/],
    ].map(([name, service, target, fails]) => ({
      name: name as string,
      steps: [
        send({ op: 'advertise_service', id: 'adv', type: ADD, service }),
        ok('adv'),
        send({ op: 'unadvertise_service', id: 'unadv', service: target }),
        fails ? error('unadvertise_service', fails as RegExp) : ok('unadv'),
      ],
    })),
    { name: 'negative case: never advertised', steps: [send({ op: 'unadvertise_service', id: 'u', service: 'never_advertised' }), warning('unadvertise_service', /Error: The service never_advertised does not exist\./)] },
  ],
  service_response: [
    ...[
      ['positive case 1', { id: 'service_response_id1', service: '/add_two_ints', values: { sum: 1 }, result: true }],
      ['positive case 2', { id: 'service_response_id2', service: 'add_two_ints', values: { sum: 2 }, result: true }],
      ['positive case 3: no id', { service: 'add_two_ints', values: { sum: 3 }, result: true }],
      ['positive case 4: no values', { id: 'service_response_id4', service: 'add_two_ints', result: true }],
      ['positive case 5: no id, no values', { service: 'add_two_ints', result: true }],
      ['positive case 6: full name, no id, no values', { service: '/add_two_ints', result: true }],
      ['negative case 1: no service, result false', { values: { sum: 6 }, result: false }],
      ['negative case 2: no result', { service: 'add_two_ints', values: { sum: 7 } }],
    ].map(([name, fields]) => {
      const f = fields as Frame;
      // A response to no pending request is accepted and goes nowhere.
      return { name: name as string, steps: [send({ op: 'service_response', ...f }), ok(f['id'] as string | undefined), nothing()] };
    }),
    {
      name: 'a response of the wrong type is refused',
      steps: [
        send({ op: 'advertise_service', id: 'adv', type: ADD, service: 'strict_add' }),
        ok('adv'),
        send({ op: 'call_service', id: 'b-call', service: 'strict_add', type: ADD, args: { a: 1, b: 1 } }, 'b'),
        ok('b-call', 'b'),
        reply({ op: 'call_service', service: 'strict_add', id: expect.any(String) }, 'a', 'request'),
        send((c) => ({ op: 'service_response', id: c['request']?.['id'], service: 'strict_add', values: { sum: 'two' }, result: true })),
        error('service_response', /TypeError: Invalid value at example_interfaces\/srv\/AddTwoInts_Response\.sum: expected int64/),
        nothing('b'),
      ],
    },
  ],
  set_level: [
    { name: 'to error: the OK is suppressed', steps: [send({ op: 'set_level', id: 'id1', level: 'error' }), nothing()] },
    { name: 'to warning: the OK is suppressed', steps: [send({ op: 'set_level', id: 'id1', level: 'warning' }), nothing()] },
    { name: 'to info: the OK is suppressed', steps: [send({ op: 'set_level', id: 'id1', level: 'info' }), nothing()] },
    { name: 'to none', steps: [send({ op: 'set_level', id: 'id1', level: 'none' }), ok('id1')] },
    { name: 'to invalid', steps: [send({ op: 'set_level', id: 'id1', level: 'invalid' }), error('set_level', /Error: Invalid status level invalid; must be one of error,warning,info,none/)] },
    {
      name: 'at error, errors still come back and successes do not',
      steps: [
        send({ op: 'set_level', id: 'l', level: 'error' }),
        send({ op: 'advertise', id: 'good', topic: 'level_topic', type: 'std_msgs/String' }),
        send({ op: 'advertise', id: 'bad', topic: 'level_topic2', type: 'std_msgs/Foo' }),
        reply({ op: 'status', level: 'error', id: 'bad' }),
        nothing(),
      ],
    },
  ],
  'unknown operations': [
    { name: 'unknown op', steps: [send({ op: 'foo' }), error('foo', /Error: Operation foo is not supported/)] },
    { name: 'advertise without its fields', steps: [send({ op: 'advertise', bar: 'bar' }), error('advertise', /TypeError/)] },
    { name: 'no op field', steps: [send({ baz: 'baz' }), error('undefined', /Error: Operation undefined is not supported/)] },
    { name: 'actions are not supported', steps: [send({ op: 'send_action_goal', id: 'g', action: '/fibonacci', action_type: 'example_interfaces/action/Fibonacci', args: {} }), error('send_action_goal', /Error: Operation send_action_goal is not supported/)] },
  ],
};

class Conversation {
  private readonly frames: Frame[] = [];
  private waiter: (() => void) | null = null;

  private constructor(readonly socket: RawSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      this.waiter?.();
    });
  }

  static open(url: string): Promise<Conversation> {
    const WebSocket = bridgeWebSocket();
    const socket = new WebSocket(url);
    return new Promise((resolve, reject) => {
      socket.on('open', () => resolve(new Conversation(socket)));
      socket.on('error', reject);
    });
  }

  send(frame: Frame): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** The next frame, or null when none comes within `ms`. */
  async next(ms: number): Promise<Frame | null> {
    const deadline = Date.now() + ms;
    while (this.frames.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
    return this.frames.shift() ?? null;
  }

  close(): void {
    this.socket.close();
  }
}

let bridge: RunningBridge;
let service: Node;

beforeAll(async () => {
  await ensureInit();
  bridge = await bridgeModule.startBridge({ statusLevel: 'none' });
  // The service the bridge's own call_service tests talk to.
  service = rcl.createNode('service');
  service.createService('example_interfaces/srv/AddTwoInts', 'add_two_ints', (request, response) => {
    const result = response.template;
    result['sum'] = (request['a'] as number) + (request['b'] as number);
    response.send(result);
  });
  rcl.spin(service);
});

afterAll(async () => {
  service.destroy();
  await bridge.close();
});

describe.each(Object.entries(TABLE))('ros2-web-bridge protocol on the simulated graph: %s', (_op, rows) => {
  it.each(rows.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const clients: Partial<Record<Client, Conversation>> = {};
    const client = async (c: Client) => (clients[c] ??= await Conversation.open(bridge.url));
    const captured: Record<string, Frame> = {};
    try {
      for (const step of row.steps) {
        const conversation = await client(step.client);
        if ('send' in step) {
          conversation.send(typeof step.send === 'function' ? step.send(captured) : step.send);
        } else if ('expect' in step) {
          const frame = await conversation.next(2_000);
          expect(frame, `client ${step.client} expected ${JSON.stringify(step.expect)}`).not.toBeNull();
          expect(frame).toMatchObject(step.expect);
          // An op sent without an id is answered without one.
          if (step.expect['level'] === 'none' && !('id' in step.expect)) expect(frame).not.toHaveProperty('id');
          if (step.capture && frame) captured[step.capture] = frame;
        } else {
          expect(await conversation.next(100)).toBeNull();
        }
      }
    } finally {
      for (const c of Object.values(clients)) c.close();
    }
  });
});
