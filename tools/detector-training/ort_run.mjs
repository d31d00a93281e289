// Runs an ONNX detector with onnxruntime-node (the runtime the CLI and hub use) over letterboxed
// images, so that the Python evaluation scores the exported file itself rather than PyTorch.
//   node ort_run.mjs MODEL IMAGES.u8 COUNT OUT.f32
// IMAGES.u8: COUNT images of 320x320x3 uint8 (HWC, RGB, already letterboxed).
// OUT.f32: COUNT outputs of output0, float32, each [4 + nc, N] row-major.
import { openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../apps/cli/package.json', import.meta.url));
const ort = require('onnxruntime-node');

const [model, imagesPath, countArg, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error('usage: node ort_run.mjs MODEL IMAGES.u8 COUNT OUT.f32');
  process.exit(2);
}
const count = Number(countArg);
const size = 320;
const plane = size * size;
const pixels = readFileSync(imagesPath);
if (pixels.length !== count * plane * 3) throw new Error(`${imagesPath}: ${pixels.length} bytes, expected ${count * plane * 3}`);

const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
const [inputName] = session.inputNames;
const [outputName] = session.outputNames;
process.stdout.write(`inputs ${session.inputNames} outputs ${session.outputNames}\n`);
const out = openSync(outPath, 'w');
const t0 = performance.now();
let dims;
for (let n = 0; n < count; n++) {
  // HWC uint8 -> CHW float32 / 255, as the console and CLI pre-processing does
  const chw = new Float32Array(3 * plane);
  const base = n * plane * 3;
  for (let i = 0; i < plane; i++) {
    chw[i] = pixels[base + 3 * i] / 255;
    chw[plane + i] = pixels[base + 3 * i + 1] / 255;
    chw[2 * plane + i] = pixels[base + 3 * i + 2] / 255;
  }
  const result = await session.run({ [inputName]: new ort.Tensor('float32', chw, [1, 3, size, size]) });
  const y = result[outputName];
  dims = y.dims;
  writeSync(out, Buffer.from(y.data.buffer, y.data.byteOffset, y.data.byteLength));
}
closeSync(out);
process.stdout.write(`ran ${count} images, output ${JSON.stringify(dims)}, ${((performance.now() - t0) / Math.max(count, 1)).toFixed(1)} ms per image\n`);
