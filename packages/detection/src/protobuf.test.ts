import { describe, expect, it } from 'vitest';
import { ProtobufError, WIRE, fields, readVarint } from './protobuf.ts';

describe('protobuf reader', () => {
  it('reads varints of one to ten bytes', () => {
    expect(readVarint(new Uint8Array([0x01]), 0)).toEqual([1, 1]);
    expect(readVarint(new Uint8Array([0xac, 0x02]), 0)).toEqual([300, 2]);
    // 2^40 + 5
    expect(readVarint(new Uint8Array([0x85, 0x80, 0x80, 0x80, 0x80, 0x20]), 0)[0]).toBe(2 ** 40 + 5);
    expect(readVarint(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]), 0)).toEqual([2 ** 53 - 1, 8]);
    // -1 as int64 (a dimension written as -1): ten bytes
    const minusOne = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect(readVarint(minusOne, 0)).toEqual([-1, 10]);
  });

  it('walks fields and returns length-delimited ones as views into the same bytes', () => {
    // field 1 varint 150; field 2 bytes "hi"; field 3 fixed32 1; field 4 fixed64 2
    const buf = new Uint8Array([0x08, 0x96, 0x01, 0x12, 0x02, 0x68, 0x69, 0x1d, 1, 0, 0, 0, 0x21, 2, 0, 0, 0, 0, 0, 0, 0]);
    const got = [...fields(buf)];
    expect(got.map((f) => [f.number, f.wireType, f.value])).toEqual([[1, WIRE.varint, 150], [2, WIRE.bytes, 2], [3, WIRE.fixed32, 1], [4, WIRE.fixed64, 2]]);
    const text = got[1]?.bytes;
    expect(text?.buffer).toBe(buf.buffer); // no copy
    expect(text?.byteOffset).toBe(5);
  });

  it('refuses truncated and malformed input with ProtobufError', () => {
    expect(() => [...fields(new Uint8Array([0x12, 0x05, 0x68]))]).toThrow(/runs past the end/);
    expect(() => [...fields(new Uint8Array([0x08, 0x96]))]).toThrow(/ends inside a number/);
    expect(() => [...fields(new Uint8Array([0x0b]))]).toThrow(/wire type 3/);
    expect(() => [...fields(new Uint8Array([0x00, 0x01]))]).toThrow(/field number 0/);
    expect(() => readVarint(new Uint8Array(11).fill(0xff), 0)).toThrow(ProtobufError);
  });
});
