/**
 * The smallest protobuf wire-format reader that reads an ONNX model's header: fields are walked
 * in place and length-delimited ones returned as subarrays (views, never copies), so a model's
 * megabytes of weights are stepped over, not read.
 */

export const WIRE = { varint: 0, fixed64: 1, bytes: 2, startGroup: 3, endGroup: 4, fixed32: 5 } as const;

export class ProtobufError extends Error {}

export interface Field {
  number: number;
  wireType: number;
  /** Varint (as int64) and fixed values, as a number: exact up to 2^53, which header fields never exceed. */
  value: number;
  /** Length-delimited payload, a view into the original bytes. */
  bytes: Uint8Array;
}

const EMPTY = new Uint8Array(0);

/**
 * Reads a base-128 varint at `pos` as a signed 64-bit integer (ONNX's int64 and enum fields; a
 * negative number takes ten bytes); returns the value and the position after it. Exact up to
 * 2^53, which header fields never exceed.
 */
export function readVarint(buf: Uint8Array, pos: number): [value: number, next: number] {
  let value = 0;
  let factor = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new ProtobufError('the file ends inside a number');
    const byte = buf[pos++] as number;
    if (i === 7) return readLongVarint(buf, pos - 8); // past 49 bits: finish exactly with BigInt
    value += (byte & 0x7f) * factor;
    if ((byte & 0x80) === 0) return [value, pos];
    factor *= 128;
  }
  throw new ProtobufError('a number is longer than 10 bytes');
}

function readLongVarint(buf: Uint8Array, start: number): [value: number, next: number] {
  let value = 0n;
  let pos = start;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new ProtobufError('the file ends inside a number');
    const byte = buf[pos++] as number;
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) return [Number(BigInt.asIntN(64, value)), pos];
  }
  throw new ProtobufError('a number is longer than 10 bytes');
}

/** Every field of one message, in file order. Throws ProtobufError on anything malformed. */
export function* fields(buf: Uint8Array): Generator<Field> {
  let pos = 0;
  while (pos < buf.length) {
    const [key, afterKey] = readVarint(buf, pos);
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    if (number === 0) throw new ProtobufError('field number 0');
    pos = afterKey;
    switch (wireType) {
      case WIRE.varint: {
        const [value, next] = readVarint(buf, pos);
        pos = next;
        yield { number, wireType, value, bytes: EMPTY };
        break;
      }
      case WIRE.fixed64: {
        if (pos + 8 > buf.length) throw new ProtobufError('the file ends inside a field');
        const lo = readU32(buf, pos);
        const hi = readU32(buf, pos + 4);
        pos += 8;
        yield { number, wireType, value: hi * 2 ** 32 + lo, bytes: EMPTY };
        break;
      }
      case WIRE.fixed32: {
        if (pos + 4 > buf.length) throw new ProtobufError('the file ends inside a field');
        const value = readU32(buf, pos);
        pos += 4;
        yield { number, wireType, value, bytes: EMPTY };
        break;
      }
      case WIRE.bytes: {
        const [length, start] = readVarint(buf, pos);
        const end = start + length;
        if (end > buf.length) throw new ProtobufError(`a field of ${length} bytes runs past the end of the file`);
        pos = end;
        yield { number, wireType, value: length, bytes: buf.subarray(start, end) };
        break;
      }
      default:
        // Groups (3, 4) are long deprecated and never written by ONNX; 6 and 7 do not exist.
        throw new ProtobufError(`unsupported wire type ${wireType}`);
    }
  }
}

function readU32(buf: Uint8Array, pos: number): number {
  return ((buf[pos] as number) | ((buf[pos + 1] as number) << 8) | ((buf[pos + 2] as number) << 16)) + (buf[pos + 3] as number) * 2 ** 24;
}

// Module-local declaration: present in browsers, workers and Node, but not in the ES library.
declare const TextDecoder: new (label: string, options: { fatal: boolean }) => { decode(bytes: Uint8Array): string };
let utf8: { decode(bytes: Uint8Array): string } | null = null;

export function utf8String(bytes: Uint8Array): string {
  utf8 ??= new TextDecoder('utf-8', { fatal: true });
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ProtobufError('a text field is not valid UTF-8');
  }
}
