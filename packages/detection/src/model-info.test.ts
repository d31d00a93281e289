import { describe, expect, it } from 'vitest';
import { ModelRefused, parseClassNames, readModelInfo } from './model-info.ts';

// A few lines of protobuf writing, enough to build ONNX headers with exactly the fault under test.
// (The committed .onnx fixtures from fixtures/make_fixtures.py are read in apps/cli's tests, where
// files and a real ONNX Runtime are at hand.)
type Part = Uint8Array;
const varint = (n: number): number[] => {
  const out: number[] = [];
  let v = n;
  while (v >= 128) { out.push((v % 128) | 128); v = Math.floor(v / 128); }
  out.push(v);
  return out;
};
const concat = (parts: Part[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};
const utf8 = (s: string): Uint8Array => {
  if (!/^[\x20-\x7e]*$/.test(s)) throw new Error('the test writer handles printable ASCII only');
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
};
const int = (field: number, n: number): Part => new Uint8Array([...varint(field * 8), ...varint(n)]);
const bytes = (field: number, body: Part | string): Part => {
  const b = typeof body === 'string' ? utf8(body) : body;
  return concat([new Uint8Array([...varint(field * 8 + 2), ...varint(b.length)]), b]);
};
const msg = (field: number, ...parts: Part[]): Part => bytes(field, concat(parts));

type Dim = number | string;
const shape = (dims: Dim[]): Part => msg(2, ...dims.map((d) => (typeof d === 'number' ? msg(1, int(1, d)) : msg(1, bytes(2, d)))));
const valueInfo = (field: number, name: string, elemType: number, dims: Dim[] | null): Part =>
  msg(field, bytes(1, name), msg(2, msg(1, int(1, elemType), ...(dims ? [shape(dims)] : []))));
const initializer = (name: string, external = false): Part =>
  msg(5, int(1, 4), int(2, 1), bytes(8, name), bytes(9, new Uint8Array(16)), ...(external ? [int(14, 1)] : []));

interface Spec {
  inputs?: Part[];
  outputs?: Part[];
  initializers?: Part[];
  meta?: Record<string, string>;
  opset?: number | null;
  ir?: number;
}
const NAMES = "{0: 'gun', 1: 'knife'}";
function onnx(spec: Spec = {}): Uint8Array {
  const graph = msg(7,
    bytes(2, 'g'),
    ...(spec.initializers ?? [initializer('w')]),
    ...(spec.inputs ?? [valueInfo(11, 'images', 1, [1, 3, 320, 320])]),
    ...(spec.outputs ?? [valueInfo(12, 'output0', 1, [1, 6, 2100])]),
  );
  const meta = spec.meta ?? { names: NAMES, imgsz: '[320, 320]', task: 'detect' };
  return concat([
    int(1, spec.ir ?? 8),
    bytes(2, 'pytorch'),
    bytes(3, '2.5.1'),
    graph,
    ...(spec.opset === null ? [] : [msg(8, bytes(1, ''), int(2, spec.opset ?? 17))]),
    ...Object.entries(meta).map(([k, v]) => msg(14, bytes(1, k), bytes(2, v))),
  ]);
}

function refusal(b: Uint8Array): ModelRefused {
  try {
    readModelInfo(b);
  } catch (e) {
    if (e instanceof ModelRefused) return e;
    throw new Error(`expected ModelRefused, got ${String(e)}`, { cause: e });
  }
  throw new Error('the model was accepted');
}

describe('readModelInfo', () => {
  it('reads an Ultralytics-style header', () => {
    const info = readModelInfo(onnx());
    expect(info).toEqual({
      inputName: 'images', outputName: 'output0', inputWidth: 320, inputHeight: 320, classNames: ['gun', 'knife'],
      outputShape: [1, 6, 2100], opset: 17, producer: 'pytorch 2.5.1', metadata: { names: NAMES, imgsz: '[320, 320]', task: 'detect' },
    });
  });

  it('ignores initializers listed as graph inputs (older IR versions) and accepts the transposed output', () => {
    const info = readModelInfo(onnx({
      inputs: [valueInfo(11, 'w', 1, [4]), valueInfo(11, 'images', 1, ['batch', 3, 256, 384])],
      outputs: [valueInfo(12, 'out', 1, ['batch', 'anchors', 6])],
    }));
    expect(info).toMatchObject({ inputName: 'images', outputName: 'out', inputWidth: 384, inputHeight: 256, outputShape: ['batch', 'anchors', 6] });
  });

  it('takes a dynamic size from imgsz (height, width)', () => {
    const info = readModelInfo(onnx({ inputs: [valueInfo(11, 'images', 1, [1, 3, 'height', 'width'])], meta: { names: NAMES, imgsz: '[480, 640]' } }));
    expect([info.inputWidth, info.inputHeight]).toEqual([640, 480]);
  });

  it.each([
    ['no class names', { meta: { imgsz: '[320, 320]' } }, 'no-class-names', /no class names.*"names"/],
    ['unreadable class names', { meta: { names: 'gun, knife' } }, 'no-class-names', /cannot be read/],
    ['two image inputs', { inputs: [valueInfo(11, 'a', 1, [1, 3, 320, 320]), valueInfo(11, 'b', 1, [1, 3, 320, 320])] }, 'bad-input', /2 inputs \(a, b\)/],
    ['a grayscale input', { inputs: [valueInfo(11, 'images', 1, [1, 1, 320, 320])] }, 'bad-input', /1 channels.*3-channel colour/],
    ['a rank-3 input', { inputs: [valueInfo(11, 'images', 1, [3, 320, 320])] }, 'bad-input', /\[3, 320, 320\].*\[1, 3, height, width\]/],
    ['a float16 input', { inputs: [valueInfo(11, 'images', 10, [1, 3, 320, 320])] }, 'bad-input', /float16/],
    ['a batch of 8', { inputs: [valueInfo(11, 'images', 1, [8, 3, 320, 320])] }, 'bad-input', /batch of 8/],
    ['a dynamic size without imgsz', { inputs: [valueInfo(11, 'images', 1, [1, 3, 'h', 'w'])], meta: { names: NAMES } }, 'bad-input', /dynamic size.*imgsz/],
    ['a tiny input', { inputs: [valueInfo(11, 'images', 1, [1, 3, 16, 16])] }, 'bad-input', /32 to 4096/],
    ['a segmentation task', { meta: { names: NAMES, task: 'segment' } }, 'bad-output', /"segment" model/],
    ['two outputs', { outputs: [valueInfo(12, 'output0', 1, [1, 38, 2100]), valueInfo(12, 'output1', 1, [1, 32, 80, 80])] }, 'bad-output', /2 outputs/],
    ['an output of rank 4', { outputs: [valueInfo(12, 'output0', 1, [1, 6, 2100, 1])] }, 'bad-output', /\[1, 6, 2100, 1\]/],
    ['rows that do not fit the classes', { outputs: [valueInfo(12, 'output0', 1, [1, 84, 2100])] }, 'bad-output', /does not fit 2 class names.*\[1, 6, N\].*segmentation or pose/],
    ['an end-to-end (NMS inside) output', { outputs: [valueInfo(12, 'output0', 1, [1, 300, 7])] }, 'bad-output', /does not fit/],
    ['an output without a shape', { outputs: [valueInfo(12, 'output0', 1, null)] }, 'bad-output', /shape unknown/],
    ['weights in another file', { initializers: [initializer('w', true)] }, 'external-data', /"w" is stored in a separate file/],
    ['no operator set', { opset: null }, 'not-onnx', /opset_import/],
  ] as const)('refuses a model with %s', (_what, spec, code, message) => {
    const e = refusal(onnx(spec as Spec));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('names files that are not ONNX', () => {
    expect(refusal(new Uint8Array(0)).message).toMatch(/empty/);
    expect(refusal(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0])).message).toMatch(/PyTorch .pt.*format=onnx/);
    expect(refusal(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a])).message).toMatch(/PNG image/);
    expect(refusal(utf8('{"names": ["gun"]}')).code).toBe('not-onnx');
  });

  it('refuses a file over the size limit before reading it', () => {
    try {
      readModelInfo(onnx(), { maxBytes: 100 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ModelRefused);
      expect((err as ModelRefused).code).toBe('too-large');
      expect((err as ModelRefused).message).toMatch(/largest Clearway loads/);
    }
  });

  it('answers every truncation of a valid model and random bytes with ModelRefused, never another error', () => {
    // names last: every shorter prefix lacks it or cuts a field
    const whole = onnx({ meta: { task: 'detect', imgsz: '[320, 320]', names: NAMES } });
    for (let n = 0; n < whole.length; n++) {
      expect(() => readModelInfo(whole.subarray(0, n)), `first ${n} bytes`).toThrow(ModelRefused);
    }
    let seed = 12345;
    const next = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed; };
    for (let trial = 0; trial < 300; trial++) {
      const garbage = Uint8Array.from({ length: 1 + (next() % 600) }, () => next() % 256);
      expect(() => readModelInfo(garbage)).toThrow(ModelRefused);
    }
  });
});

describe('parseClassNames', () => {
  it('reads the dict Ultralytics writes, in any key order, with quotes and escapes', () => {
    expect(parseClassNames("{0: 'gun', 1: 'knife', 2: 'power bank'}")).toEqual(['gun', 'knife', 'power bank']);
    expect(parseClassNames(`{1: "it's", 0: 'a\\'b\\\\c',}`)).toEqual(["a'b\\c", "it's"]);
    expect(parseClassNames("{0: 'caf\\xe9', 1: '\\u5200'}")).toEqual(['café', '刀']);
  });

  it('reads Python lists and JSON arrays and objects', () => {
    expect(parseClassNames("['gun', 'knife']")).toEqual(['gun', 'knife']);
    expect(parseClassNames('["gun", "knife"]')).toEqual(['gun', 'knife']);
    expect(parseClassNames('{"1": "knife", "0": "gun"}')).toEqual(['gun', 'knife']);
  });

  it.each([
    ['{}', /lists no class names/],
    ["{0: 'gun', 2: 'knife'}", /index 2 is out of order/],
    ["{0: 'gun', 0: 'knife'}", /index 0 appears twice/],
    ["{0: ''}", /empty name/],
    ["{0: 'gun'", /cannot be read/],
    ["{0: 'gun'} extra", /cannot be read/],
    ['[1, 2]', /cannot be read/],
    ['gun knife', /cannot be read/],
  ])('refuses %s', (text, message) => {
    expect(() => parseClassNames(text)).toThrow(message);
  });
});
