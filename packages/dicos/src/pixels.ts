/**
 * Pixel data of uncompressed little-endian images: 8, 16, 32 or 64 bits, signed or unsigned
 * (Pixel Representation), Bits Stored below Bits Allocated, float (Float Pixel Data, 7FE0,0008) and
 * double (Double Float Pixel Data, 7FE0,0009); any number of frames.
 */
import { DicosError } from './errors.ts';

export type StoredPixels =
  | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array
  | Float32Array | Float64Array | BigUint64Array | BigInt64Array;

export type PixelFormat =
  | { kind: 'int'; bitsAllocated: 8 | 16 | 32 | 64; bitsStored: number; highBit: number; signed: boolean }
  | { kind: 'float'; bitsAllocated: 32 | 64 };

export interface PixelSource {
  /** Which element held the pixels. */
  element: 'PixelData' | 'FloatPixelData' | 'DoubleFloatPixelData';
  bytes: Uint8Array;
  /** True when the data set ends with this element: a short value then means the file was cut inside it. */
  last: boolean;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type TypedCtor = { new (buffer: ArrayBuffer, byteOffset: number, length: number): StoredPixels; BYTES_PER_ELEMENT: number };

function ctorOf(format: PixelFormat): TypedCtor {
  if (format.kind === 'float') return (format.bitsAllocated === 32 ? Float32Array : Float64Array) as unknown as TypedCtor;
  const s = format.signed;
  switch (format.bitsAllocated) {
    case 8: return (s ? Int8Array : Uint8Array) as unknown as TypedCtor;
    case 16: return (s ? Int16Array : Uint16Array) as unknown as TypedCtor;
    case 32: return (s ? Int32Array : Uint32Array) as unknown as TypedCtor;
    case 64: return (s ? BigInt64Array : BigUint64Array) as unknown as TypedCtor;
  }
}

/** Views `count` stored values of `format` in `source` (copying only when unaligned); checks the length. */
export function storedPixels(source: PixelSource, format: PixelFormat, count: number): StoredPixels {
  if (!LITTLE_ENDIAN_HOST) throw new DicosError('unsupported-pixel-format', 'this reader needs a little-endian host');
  const Ctor = ctorOf(format);
  const expected = count * Ctor.BYTES_PER_ELEMENT;
  const have = source.bytes.byteLength;
  if (have < expected) {
    if (source.last) throw new DicosError('truncated', `the file ends inside its pixel data: ${source.element} holds ${have} of ${expected} bytes`);
    throw new DicosError('bad-pixel-data', `${source.element} holds ${have} bytes, but Rows × Columns × frames × ${format.bitsAllocated / 8} bytes is ${expected}`);
  }
  // One padding byte makes an odd length even; anything more means the geometry is wrong.
  if (have > expected + (expected % 2)) {
    throw new DicosError('bad-pixel-data', `${source.element} holds ${have} bytes, more than Rows × Columns × frames × ${format.bitsAllocated / 8} = ${expected} bytes`);
  }
  const b = source.bytes;
  if (b.byteOffset % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(b.buffer as ArrayBuffer, b.byteOffset, count);
  return new Ctor(b.slice(0, expected).buffer, 0, count);
}

/** The range of stored values Bits Stored and Pixel Representation allow; null for floats. */
export function storedRange(format: PixelFormat): [number, number] | null {
  if (format.kind === 'float') return null;
  const bits = format.bitsStored;
  return format.signed ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
}

/**
 * Writes the modality values (stored value → masked to Bits Stored → × slope + intercept) of
 * elements [start, start + out.length) into `out`.
 */
export function decodeRange(stored: StoredPixels, format: PixelFormat, slope: number, intercept: number, start: number, out: Float64Array): Float64Array {
  const n = out.length;
  const identity = slope === 1 && intercept === 0;
  if (format.kind === 'float' || (format.bitsAllocated !== 64 && format.bitsStored === format.bitsAllocated && format.highBit === format.bitsStored - 1)) {
    if (stored instanceof BigInt64Array || stored instanceof BigUint64Array) throw new Error('unreachable');
    for (let i = 0; i < n; i++) {
      const v = stored[start + i] as number;
      out[i] = identity ? v : v * slope + intercept;
    }
    return out;
  }
  if (stored instanceof BigInt64Array || stored instanceof BigUint64Array) {
    // 64-bit integers: no masking; precision beyond 2^53 is lost in the conversion to number.
    for (let i = 0; i < n; i++) {
      const v = Number(stored[start + i] as bigint);
      out[i] = identity ? v : v * slope + intercept;
    }
    return out;
  }
  const bits = format.bitsStored;
  const shift = format.highBit + 1 - bits;
  const mask = bits >= 32 ? 0xffffffff : 2 ** bits - 1;
  const sign = 2 ** (bits - 1);
  const full = 2 ** bits;
  const width = format.bitsAllocated;
  const unsignedOf = width === 32 ? (x: number) => x >>> 0 : width === 16 ? (x: number) => x & 0xffff : (x: number) => x & 0xff;
  for (let i = 0; i < n; i++) {
    const u = unsignedOf(stored[start + i] as number);
    let v = bits >= 32 ? u : Math.floor(u / 2 ** shift) % (mask + 1);
    if (format.signed && v >= sign) v -= full;
    out[i] = identity ? v : v * slope + intercept;
  }
  return out;
}
