import { describe, expect, it } from 'vitest';
import { FrameEncodeError, decodeFrame, encodeFrame, type OutgoingOp, type RosMessage } from './frames.ts';

const publish = (msg: unknown): OutgoingOp => ({ op: 'publish', id: 'p', topic: '/t', msg: msg as RosMessage });

describe('encodeFrame never sends a frame the bridge could misread', () => {
  it('writes a JSON object that parses back to the op', () => {
    const op: OutgoingOp = { op: 'call_service', id: 'c1', service: '/robot_1/dock', type: 'std_srvs/srv/Trigger', args: {} };
    expect(JSON.parse(encodeFrame(op))).toEqual(op);
  });

  const refused: [string, unknown, RegExp][] = [
    ['NaN', { x: NaN }, /publish\.msg\.x: NaN is not a finite number/],
    ['Infinity in an array', { covariance: [0, Infinity] }, /msg\.covariance\[1\]: Infinity/],
    ['undefined field', { data: undefined }, /msg\.data: undefined/],
    ['bigint', { data: 1n }, /a bigint cannot travel as JSON/],
    ['function', { data: () => 1 }, /a function cannot travel/],
    ['Date', { stamp: new Date(0) }, /only plain objects, not Date/],
    ['Map', { m: new Map() }, /only plain objects, not Map/],
  ];
  it.each(refused)('refuses %s', (_name, msg, error) => {
    expect(() => encodeFrame(publish(msg))).toThrow(FrameEncodeError);
    expect(() => encodeFrame(publish(msg))).toThrow(error);
  });

  it('refuses a cycle', () => {
    const msg: Record<string, unknown> = {};
    msg['self'] = msg;
    expect(() => encodeFrame(publish(msg))).toThrow(/refers to itself/);
  });

  it('allows the same object twice (not a cycle) and escapes lone surrogates', () => {
    const point = { x: 1, y: 2, z: 3 };
    const text = encodeFrame(publish({ a: point, b: point, s: '\ud800' }));
    expect(JSON.parse(text).msg.b).toEqual(point);
    expect(text).toContain('\\ud800');
  });
});

describe('decodeFrame takes anything and never throws', () => {
  it('reads the operations this client uses', () => {
    expect(decodeFrame('{"op":"publish","topic":"/robot_1/odom","msg":{"a":1}}')).toEqual({ ok: true, repaired: false, op: { op: 'publish', topic: '/robot_1/odom', msg: { a: 1 } } });
    expect(decodeFrame('{"op":"status","level":"error","msg":"publish: oops","id":"x"}')).toMatchObject({ ok: true, op: { op: 'status', level: 'error', id: 'x' } });
    expect(decodeFrame('{"op":"service_response","service":"/s","values":"Service /s does not exist","result":false,"id":"c"}')).toMatchObject({
      ok: true,
      op: { op: 'service_response', result: false, values: 'Service /s does not exist', id: 'c' },
    });
    expect(decodeFrame(Buffer.from('{"op":"status","level":"none","msg":"OK","id":7}'))).toMatchObject({ ok: true, op: { id: '7' } });
  });

  it("repairs Python's bare NaN and Infinity (outside strings) into null", () => {
    const result = decodeFrame('{"op":"publish","topic":"/b","msg":{"percentage":NaN,"v":-Infinity,"note":"NaN stays"}}');
    expect(result).toEqual({ ok: true, repaired: true, op: { op: 'publish', topic: '/b', msg: { percentage: null, v: null, note: 'NaN stays' } } });
  });

  const malformed: [string, unknown, RegExp][] = [
    ['truncated JSON', '{"op":"publish","topic":"/a","msg":{', /not JSON/],
    ['garbage', 'hello', /not JSON/],
    ['an array', '[1,2]', /not a JSON object/],
    ['null', 'null', /not a JSON object/],
    ['no op', '{"topic":"/a"}', /no op/],
    ['publish without msg', '{"op":"publish","topic":"/a"}', /publish without topic or msg object/],
    ['publish with a string msg', '{"op":"publish","topic":"/a","msg":"x"}', /publish without topic or msg object/],
    ['a number', 42, /neither text nor bytes/],
  ];
  it.each(malformed)('reports %s', (_name, frame, reason) => {
    const result = decodeFrame(frame);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toMatch(reason);
      expect(result.ignorable).toBe(false);
    }
  });

  it('ignores operations that are not for this client, without calling them malformed', () => {
    expect(decodeFrame('{"op":"fragment","id":"x","data":"...","num":0,"total":2}')).toMatchObject({ ok: false, ignorable: true });
  });

  it('refuses a frame over the size limit before parsing it', () => {
    expect(decodeFrame(`{"op":"publish","topic":"/a","msg":{"s":"${'x'.repeat(100)}"}}`, 50)).toMatchObject({ ok: false, reason: expect.stringMatching(/over the 50-byte limit/) });
  });
});
