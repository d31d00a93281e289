import { ProtobufError, WIRE, fields, utf8String, type Field } from './protobuf.ts';

/** What Clearway needs to know about a detection model before it runs it. */
export interface ModelInfo {
  inputName: string;
  outputName: string;
  /** The model's fixed input size (or `imgsz` from the metadata where the export is dynamic). */
  inputWidth: number;
  inputHeight: number;
  classNames: string[];
  /** As declared: numbers, or the names of dynamic dimensions. */
  outputShape: (number | string)[];
  /** Version of the default ONNX operator set. */
  opset: number;
  /** Tool that wrote the file, e.g. "pytorch 2.5.1". */
  producer: string;
  /** metadata_props as written (Ultralytics: names, imgsz, task, stride, version, ...). */
  metadata: Record<string, string>;
}

export type ModelRefusedCode =
  | 'not-onnx' | 'no-class-names' | 'bad-input' | 'bad-output' | 'too-large'
  | 'external-data' // weights in a separate file: consoles receive one file
  | 'cannot-load'; // ONNX Runtime refused it (an operator it lacks, say)

/** A model Clearway will not load, with a reason a model administrator can act on. */
export class ModelRefused extends Error {
  override readonly name = 'ModelRefused';
  constructor(readonly code: ModelRefusedCode, message: string) {
    super(message);
  }
}

/** Largest model file accepted: fits a YOLO "m" export with room to spare, and a browser tab. */
export const MAX_MODEL_BYTES = 128 * 1024 * 1024;

const FLOAT = 1;
const ELEMENT_TYPES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64', 16: 'bfloat16',
};
const EXTERNAL = 1;

// ModelProto, GraphProto, ValueInfoProto, TypeProto, TensorProto field numbers (onnx/onnx.proto).
const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, graph: 7, opsetImport: 8, metadataProps: 14 } as const;
const GRAPH = { initializer: 5, input: 11, output: 12 } as const;
const TENSOR = { name: 8, dataLocation: 14 } as const;

interface ValueInfo { name: string; elemType: number; shape: (number | string)[] | null }

const mb = (n: number): string => `${(n / (1024 * 1024)).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
const shapeText = (shape: readonly (number | string)[]): string => `[${shape.join(', ')}]`;

/**
 * Reads an ONNX model's header (opset, producer, metadata, graph inputs and outputs) without
 * copying its weights, and checks that it is an Ultralytics-style detection model Clearway can
 * run: one float32 image input [1, 3, H, W], one output [1, 4+nc, N] (or [1, N, 4+nc]) and class
 * names in the metadata. Throws ModelRefused with the reason otherwise.
 */
export function readModelInfo(bytes: Uint8Array, options: { maxBytes?: number } = {}): ModelInfo {
  const maxBytes = options.maxBytes ?? MAX_MODEL_BYTES;
  if (bytes.length > maxBytes) throw new ModelRefused('too-large', `the model file is ${mb(bytes.length)}; the largest Clearway loads is ${mb(maxBytes)}`);
  if (bytes.length === 0) throw new ModelRefused('not-onnx', 'the file is empty');
  const other = otherFormat(bytes);
  if (other) throw new ModelRefused('not-onnx', other);
  try {
    return checkModel(bytes);
  } catch (e) {
    if (e instanceof ProtobufError) throw new ModelRefused('not-onnx', `not an ONNX model (${e.message})`);
    throw e;
  }
}

/** Names the formats administrators most often upload by mistake. */
function otherFormat(b: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((v, i) => b[i] === v);
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'this is a ZIP archive (a PyTorch .pt checkpoint?), not ONNX: export it with `yolo export model=FILE.pt format=onnx`';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'this is a PNG image, not an ONNX model';
  if (starts(0xff, 0xd8, 0xff)) return 'this is a JPEG image, not an ONNX model';
  if (b[4] === 0x54 && b[5] === 0x46 && b[6] === 0x4c && b[7] === 0x33) return 'this is a TensorFlow Lite model, not ONNX: export the model with format=onnx';
  return null;
}

function expectWire(f: Field, wireType: number, what: string): void {
  if (f.wireType !== wireType) throw new ProtobufError(`${what} has the wrong wire type`);
}

function checkModel(bytes: Uint8Array): ModelInfo {
  let irVersion = 0;
  let producerName = '';
  let producerVersion = '';
  let graph: Uint8Array | null = null;
  let opset = 0;
  let sawOpset = false;
  const metadata: Record<string, string> = {};
  for (const f of fields(bytes)) {
    switch (f.number) {
      case MODEL.irVersion: expectWire(f, WIRE.varint, 'ir_version'); irVersion = f.value; break;
      case MODEL.producerName: expectWire(f, WIRE.bytes, 'producer_name'); producerName = utf8String(f.bytes); break;
      case MODEL.producerVersion: expectWire(f, WIRE.bytes, 'producer_version'); producerVersion = utf8String(f.bytes); break;
      case MODEL.graph: expectWire(f, WIRE.bytes, 'graph'); graph = f.bytes; break;
      case MODEL.opsetImport: {
        expectWire(f, WIRE.bytes, 'opset_import');
        const { domain, version } = readOpset(f.bytes);
        sawOpset = true;
        if (domain === '' || domain === 'ai.onnx') opset = version;
        break;
      }
      case MODEL.metadataProps: {
        expectWire(f, WIRE.bytes, 'metadata_props');
        const { key, value } = readStringPair(f.bytes);
        metadata[key] = value;
        break;
      }
      default: break; // doc strings, functions, training info: not needed
    }
  }
  // Random bytes sometimes parse as protobuf; a real model always has these two.
  if (irVersion < 1 || irVersion > 100 || !graph) throw new ModelRefused('not-onnx', 'not an ONNX model (no IR version or no graph)');
  if (!sawOpset) throw new ModelRefused('not-onnx', 'the model declares no operator set (opset_import)');

  const { inputs, outputs, initializers, external } = readGraph(graph);
  if (external) {
    throw new ModelRefused('external-data', `the weight "${external}" is stored in a separate file; export the model with all weights inside the .onnx file`);
  }

  const task = metadata['task'];
  if (task !== undefined && task !== 'detect') {
    throw new ModelRefused('bad-output', `this is an Ultralytics "${task}" model; Clearway runs detection models (task "detect")`);
  }

  const namesText = metadata['names'];
  if (namesText === undefined) {
    throw new ModelRefused('no-class-names', 'the model has no class names: Ultralytics exports keep them in the metadata field "names" (e.g. {0: \'gun\', 1: \'knife\'})');
  }
  const classNames = parseClassNames(namesText);

  const imageInputs = inputs.filter((i) => !initializers.has(i.name));
  const { inputName, inputWidth, inputHeight } = checkInput(imageInputs, metadata['imgsz']);
  const { outputName, outputShape } = checkOutput(outputs, classNames.length);

  return {
    inputName, outputName, inputWidth, inputHeight, classNames, outputShape, opset,
    producer: [producerName, producerVersion].filter(Boolean).join(' '),
    metadata,
  };
}

function readOpset(buf: Uint8Array): { domain: string; version: number } {
  let domain = '';
  let version = 0;
  for (const f of fields(buf)) {
    if (f.number === 1 && f.wireType === WIRE.bytes) domain = utf8String(f.bytes);
    else if (f.number === 2 && f.wireType === WIRE.varint) version = f.value;
  }
  return { domain, version };
}

function readStringPair(buf: Uint8Array): { key: string; value: string } {
  let key = '';
  let value = '';
  for (const f of fields(buf)) {
    if (f.number === 1 && f.wireType === WIRE.bytes) key = utf8String(f.bytes);
    else if (f.number === 2 && f.wireType === WIRE.bytes) value = utf8String(f.bytes);
  }
  return { key, value };
}

function readGraph(buf: Uint8Array): { inputs: ValueInfo[]; outputs: ValueInfo[]; initializers: Set<string>; external: string | null } {
  const inputs: ValueInfo[] = [];
  const outputs: ValueInfo[] = [];
  const initializers = new Set<string>();
  let external: string | null = null;
  for (const f of fields(buf)) {
    if (f.wireType !== WIRE.bytes) continue;
    if (f.number === GRAPH.input) inputs.push(readValueInfo(f.bytes));
    else if (f.number === GRAPH.output) outputs.push(readValueInfo(f.bytes));
    else if (f.number === GRAPH.initializer) {
      // Only the name and where the data lives; the weights themselves are stepped over.
      let name = '';
      let location = 0;
      for (const t of fields(f.bytes)) {
        if (t.number === TENSOR.name && t.wireType === WIRE.bytes) name = utf8String(t.bytes);
        else if (t.number === TENSOR.dataLocation && t.wireType === WIRE.varint) location = t.value;
      }
      initializers.add(name);
      if (location === EXTERNAL && external === null) external = name;
    }
  }
  return { inputs, outputs, initializers, external };
}

function readValueInfo(buf: Uint8Array): ValueInfo {
  let name = '';
  let elemType = 0;
  let shape: (number | string)[] | null = null;
  for (const f of fields(buf)) {
    if (f.number === 1 && f.wireType === WIRE.bytes) name = utf8String(f.bytes);
    else if (f.number === 2 && f.wireType === WIRE.bytes) {
      for (const t of fields(f.bytes)) {
        if (t.number !== 1 || t.wireType !== WIRE.bytes) continue; // only tensor types (not sequences or maps)
        for (const tt of fields(t.bytes)) {
          if (tt.number === 1 && tt.wireType === WIRE.varint) elemType = tt.value;
          else if (tt.number === 2 && tt.wireType === WIRE.bytes) shape = readShape(tt.bytes);
        }
      }
    }
  }
  return { name, elemType, shape };
}

function readShape(buf: Uint8Array): (number | string)[] {
  const dims: (number | string)[] = [];
  for (const f of fields(buf)) {
    if (f.number !== 1 || f.wireType !== WIRE.bytes) continue;
    let dim: number | string = '?';
    for (const d of fields(f.bytes)) {
      if (d.number === 1 && d.wireType === WIRE.varint) dim = d.value;
      else if (d.number === 2 && d.wireType === WIRE.bytes) dim = utf8String(d.bytes) || '?';
    }
    dims.push(dim);
  }
  return dims;
}

const typeName = (t: number): string => ELEMENT_TYPES[t] ?? `type ${t}`;
const fixed = (d: number | string | undefined): d is number => typeof d === 'number' && d > 0;

function checkInput(inputs: ValueInfo[], imgsz: string | undefined): { inputName: string; inputWidth: number; inputHeight: number } {
  if (inputs.length !== 1) {
    throw new ModelRefused('bad-input', inputs.length === 0
      ? 'the model has no input'
      : `the model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); a YOLO detection export has one image input`);
  }
  const input = inputs[0] as ValueInfo;
  const label = `the input "${input.name}"`;
  if (input.elemType !== FLOAT) {
    throw new ModelRefused('bad-input', `${label} takes ${typeName(input.elemType)}; Clearway feeds float32 (export without half precision or int8 quantisation of the input)`);
  }
  const shape = input.shape;
  if (!shape || shape.length !== 4) {
    throw new ModelRefused('bad-input', `${label} has shape ${shape ? shapeText(shape) : 'unknown'}; a YOLO detection model takes [1, 3, height, width]`);
  }
  const [batch, channels, h, w] = shape;
  if (typeof batch === 'number' && batch !== 1) throw new ModelRefused('bad-input', `${label} has a fixed batch of ${batch}; export the model with batch 1`);
  if (channels !== 3) {
    throw new ModelRefused('bad-input', `${label} has shape ${shapeText(shape)}: ${String(channels)} channels, but Clearway feeds the 3-channel colour image the officer sees`);
  }
  let height = h;
  let width = w;
  if (!fixed(height) || !fixed(width)) {
    const size = imgsz === undefined ? null : parseImgsz(imgsz);
    if (!size) {
      throw new ModelRefused('bad-input', `${label} has a dynamic size ${shapeText(shape)} and no "imgsz" in the metadata; export with a fixed image size (imgsz=640, dynamic=False)`);
    }
    [height, width] = size;
  }
  if (height < 32 || width < 32 || height > 4096 || width > 4096) {
    throw new ModelRefused('bad-input', `${label} is ${width}×${height} pixels; Clearway accepts 32 to 4096 pixels a side`);
  }
  return { inputName: input.name, inputWidth: width, inputHeight: height };
}

/** Ultralytics writes imgsz as "[640, 640]" (height, width) or a single number. */
function parseImgsz(text: string): [number, number] | null {
  const nums = text.match(/\d+/g)?.map(Number) ?? [];
  if (nums.length === 1 && fixed(nums[0])) return [nums[0], nums[0]];
  if (nums.length === 2 && fixed(nums[0]) && fixed(nums[1])) return [nums[0], nums[1]];
  return null;
}

function checkOutput(outputs: ValueInfo[], classes: number): { outputName: string; outputShape: (number | string)[] } {
  if (outputs.length !== 1) {
    throw new ModelRefused('bad-output', outputs.length === 0
      ? 'the model has no output'
      : `the model has ${outputs.length} outputs (${outputs.map((o) => o.name).join(', ')}); a YOLO detection export has one (segmentation and pose models have more)`);
  }
  const output = outputs[0] as ValueInfo;
  const label = `the output "${output.name}"`;
  if (output.elemType !== FLOAT) throw new ModelRefused('bad-output', `${label} is ${typeName(output.elemType)}; Clearway reads float32`);
  const shape = output.shape;
  const rows = 4 + classes;
  if (!shape || shape.length !== 3) {
    throw new ModelRefused('bad-output', `${label} has shape ${shape ? shapeText(shape) : 'unknown'}; a YOLO detection model gives [1, 4 + classes, boxes] = [1, ${rows}, N]`);
  }
  const [batch, a, b] = shape;
  if (typeof batch === 'number' && batch !== 1) throw new ModelRefused('bad-output', `${label} has a batch of ${batch}; export the model with batch 1`);
  // Either dimension may hold the 4 box values plus one score per class; dynamic ones are checked at run time.
  const fits = (d: number | string | undefined) => typeof d !== 'number' || d === rows;
  if (!fits(a) && !fits(b)) {
    const extra = typeof a === 'number' && a > rows ? ' (a segmentation or pose model has extra rows)' : '';
    throw new ModelRefused('bad-output', `${label} has shape ${shapeText(shape)}, which does not fit ${classes} class names: expected [1, ${rows}, N] (4 box values + ${classes} class scores)${extra}`);
  }
  return { outputName: output.name, outputShape: shape };
}

// ---- class names ---------------------------------------------------------------------------

/**
 * Class names from a model's `names` metadata: the Python dict Ultralytics writes
 * ("{0: 'gun', 1: 'knife'}"), a Python list, or JSON (an array, or an object keyed by index).
 * Indices must run 0..n-1. Throws ModelRefused('no-class-names') with the reason otherwise.
 */
export function parseClassNames(metadataNames: string): string[] {
  const text = metadataNames.trim();
  let entries: [number, string][];
  try {
    entries = parseJsonNames(text) ?? new PyLiteral(text).names();
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ModelRefused('no-class-names', `the class names in the metadata cannot be read (${why}): expected e.g. {0: 'gun', 1: 'knife'}`);
  }
  if (entries.length === 0) throw new ModelRefused('no-class-names', 'the model lists no class names');
  const names: string[] = new Array<string>(entries.length);
  for (const [index, name] of entries) {
    if (!Number.isInteger(index) || index < 0 || index >= entries.length) {
      throw new ModelRefused('no-class-names', `class index ${index} is out of order: indices must run from 0 to ${entries.length - 1}`);
    }
    if (names[index] !== undefined) throw new ModelRefused('no-class-names', `class index ${index} appears twice`);
    if (name.trim() === '') throw new ModelRefused('no-class-names', `class ${index} has an empty name`);
    names[index] = name;
  }
  return names;
}

function parseJsonNames(text: string): [number, string][] | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null; // not JSON: try the Python literal
  }
  if (Array.isArray(value)) {
    return value.map((v, i): [number, string] => {
      if (typeof v !== 'string') throw new Error(`entry ${i} is not a string`);
      return [i, v];
    });
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).map(([k, v]): [number, string] => {
      if (!/^\d+$/.test(k)) throw new Error(`key "${k}" is not a class index`);
      if (typeof v !== 'string') throw new Error(`class ${k} is not a string`);
      return [Number(k), v];
    });
  }
  throw new Error('expected a list or a dict');
}

/** A reader for the two Python literals Ultralytics and friends write: {int: str, ...} and [str, ...]. */
class PyLiteral {
  private pos = 0;
  constructor(private readonly s: string) {}

  names(): [number, string][] {
    this.space();
    const open = this.s[this.pos];
    if (open !== '{' && open !== '[') throw new Error('expected { or [');
    this.pos++;
    const close = open === '{' ? '}' : ']';
    const out: [number, string][] = [];
    for (;;) {
      this.space();
      if (this.s[this.pos] === close) { this.pos++; break; }
      if (open === '{') {
        const key = this.integer();
        this.space();
        this.expect(':');
        this.space();
        out.push([key, this.string()]);
      } else {
        out.push([out.length, this.string()]);
      }
      this.space();
      if (this.s[this.pos] === ',') { this.pos++; continue; }
      this.space();
      if (this.s[this.pos] === close) { this.pos++; break; }
      throw new Error(`unexpected "${this.s[this.pos] ?? 'end of text'}" at ${this.pos}`);
    }
    this.space();
    if (this.pos !== this.s.length) throw new Error(`unexpected text after the closing ${close}`);
    return out;
  }

  private space(): void {
    while (this.pos < this.s.length && /\s/.test(this.s[this.pos] as string)) this.pos++;
  }

  private expect(c: string): void {
    if (this.s[this.pos] !== c) throw new Error(`expected "${c}" at ${this.pos}`);
    this.pos++;
  }

  private integer(): number {
    const m = /^\d+/.exec(this.s.slice(this.pos));
    if (!m) throw new Error(`expected a class index at ${this.pos}`);
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private string(): string {
    const quote = this.s[this.pos];
    if (quote !== "'" && quote !== '"') throw new Error(`expected a quoted name at ${this.pos}`);
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.s[this.pos++];
      if (c === undefined) throw new Error('a name has no closing quote');
      if (c === quote) return out;
      if (c !== '\\') { out += c; continue; }
      const e = this.s[this.pos++];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
      if (e !== undefined && simple[e] !== undefined) out += simple[e];
      else if (e === 'x' || e === 'u' || e === 'U') {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = this.s.slice(this.pos, this.pos + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new Error(`bad \\${e} escape at ${this.pos}`);
        out += String.fromCodePoint(parseInt(hex, 16));
        this.pos += len;
      } else throw new Error(`unknown escape \\${e ?? ''} at ${this.pos}`);
    }
  }
}
