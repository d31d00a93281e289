// Detection from the command line: the committed fixture models through the real onnxruntime-node
// (the same createDetector the console's worker uses with onnxruntime-web), image inputs, and
// `clearway detect` / `clearway models` as processes.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelRefused, createDetector, readModelInfo } from '@clearway/detection';
import { writeDxImage } from '@clearway/dicos';
import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrt, parseSimArgument, readInput, simImage } from './detect.ts';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const ROOT = resolve(dirname(MAIN), '../../..');
const FIXTURES = join(ROOT, 'packages/detection/fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
let dir: string;

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'clearway-cli-detect-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * 128 × 96 RGB, black, with a red square at (32, 16)–(48, 32) and a green one at (80, 48)–(96, 64).
 * In the grid fixture's 64 × 64 input (scale 0.5, 8 rows of padding on top) each square fills
 * exactly one 8-pixel cell, which the fixture scores 'gun' by red and 'knife' by green.
 */
function squares(): Uint8Array {
  const px = new Uint8Array(128 * 96 * 3);
  const fill = (x0: number, y0: number, rgb: [number, number, number]) => {
    for (let y = y0; y < y0 + 16; y++) for (let x = x0; x < x0 + 16; x++) px.set(rgb, (y * 128 + x) * 3);
  };
  fill(32, 16, [255, 0, 0]);
  fill(80, 48, [0, 255, 0]);
  return px;
}
const EXPECTED = [
  { label: 'gun', x: 32, y: 16, width: 16, height: 16 },
  { label: 'knife', x: 80, y: 48, width: 16, height: 16 },
];

describe('the fixture models', () => {
  it.each([
    ['grid-detector.onnx', null],
    ['grid-detector-transposed.onnx', null],
    ['dynamic-input-imgsz.onnx', null],
    ['no-class-names.onnx', 'no-class-names'],
    ['names-mismatch.onnx', 'bad-output'],
    ['output-rank-4.onnx', 'bad-output'],
    ['dynamic-input.onnx', 'bad-input'],
    ['grey-input.onnx', 'bad-input'],
    ['external-data.onnx', 'external-data'],
    ['not-a-model.onnx', 'not-onnx'],
  ])('%s: %s', (file, code) => {
    const read = () => readModelInfo(fixture(file));
    if (code === null) {
      expect(read()).toMatchObject({ inputName: 'images', outputName: 'output0', inputWidth: 64, inputHeight: 64, classNames: ['gun', 'knife'], opset: 13, producer: 'clearway-fixtures 1' });
    } else {
      expect(read).toThrow(ModelRefused);
      try { read(); } catch (e) { expect((e as ModelRefused).code).toBe(code); }
    }
  });

  it.each(['grid-detector.onnx', 'grid-detector-transposed.onnx'])('%s finds the squares where they are, through onnxruntime-node', async (file) => {
    const detector = await createDetector(await loadOrt(), fixture(file), { intraOpNumThreads: 1 });
    try {
      const { detections, timings } = await detector.detect(squares(), 128, 96, 3, { scoreThreshold: 0.5 });
      expect(detections.map(({ label, x, y, width, height }) => ({ label, x, y, width, height }))).toEqual(EXPECTED);
      expect(detections.every((d) => d.score > 0.99)).toBe(true);
      expect(timings.inferMs).toBeGreaterThanOrEqual(0);
      // Uniform grey 0.6: every cell of the picture scores 0.6; the cells of the letterbox's
      // padding rows (top and bottom) lie outside the picture and are dropped: 8 × 6 boxes.
      const grey = await detector.detect(new Uint8Array(128 * 96 * 3).fill(153), 128, 96, 3, { scoreThreshold: 0.5 });
      expect(grey.detections).toHaveLength(48);
      expect(grey.detections.every((d) => d.y >= 0 && d.y + d.height <= 96 && d.height === 16)).toBe(true);
    } finally {
      await detector.release();
    }
  });
});

describe('inputs', () => {
  it('reads RGB, RGBA, grey and 16-bit PNGs and JPEGs into the same picture', async () => {
    const rgb = squares();
    const rgba = new Uint8Array(128 * 96 * 4);
    for (let i = 0; i < 128 * 96; i++) { rgba.set(rgb.subarray(i * 3, i * 3 + 3), i * 4); rgba[i * 4 + 3] = 255; }
    await writeFile(join(dir, 'rgb.png'), encodePng({ width: 128, height: 96, data: rgb, channels: 3, depth: 8 }));
    await writeFile(join(dir, 'rgba.png'), encodePng({ width: 128, height: 96, data: rgba, channels: 4, depth: 8 }));
    await writeFile(join(dir, 'grey16.png'), encodePng({ width: 2, height: 1, data: Uint16Array.from([0x1234, 0xff00]), channels: 1, depth: 16 }));
    await writeFile(join(dir, 'photo.jpg'), jpeg.encode({ width: 128, height: 96, data: rgba }, 95).data);
    const [png3] = await readInput(join(dir, 'rgb.png'));
    expect(png3).toMatchObject({ width: 128, height: 96, channels: 3 });
    expect(Buffer.from(png3?.pixels ?? []).equals(Buffer.from(rgb))).toBe(true);
    expect((await readInput(join(dir, 'rgba.png')))[0]).toMatchObject({ channels: 4, width: 128 });
    const [grey] = await readInput(join(dir, 'grey16.png'));
    expect([...(grey?.pixels ?? [])]).toEqual([0x12, 0x12, 0x12, 0xff, 0xff, 0xff]);
    const [jpg] = await readInput(join(dir, 'photo.jpg'));
    expect(jpg).toMatchObject({ width: 128, height: 96, channels: 4 });
    expect(jpg?.pixels[(20 * 128 + 40) * 4]).toBeGreaterThan(200); // red square survives compression
  });

  it('reads each view of a DICOS image', async () => {
    await writeFile(join(dir, 'dx.dcm'), writeDxImage({ rows: 4, columns: 6, frames: 2, pixels: new Array(48).fill(100), transferSyntax: 'explicit', sopInstanceUid: '1.2.3' }));
    const views = await readInput(join(dir, 'dx.dcm'));
    expect(views.map((v) => [v.view, v.width, v.height, v.channels])).toEqual([['top', 6, 4, 4], ['side', 6, 4, 4]]);
  });

  it('renders simulator scans as the dataset does, with their ground truth', () => {
    expect(parseSimArgument('sim:42')).toEqual({ bagSeed: 42, view: 'top' });
    expect(parseSimArgument('sim:42:side')?.view).toBe('side');
    expect(parseSimArgument('sim:1001/7')?.bagSeed).not.toBe(1001);
    expect(parseSimArgument('photo.png')).toBeNull();
    const a = simImage('sim:42', 42);
    const b = simImage('sim:42', 42);
    expect(a).toMatchObject({ width: 640, height: 480, channels: 4, view: 'top' });
    expect(Buffer.from(a.pixels).equals(Buffer.from(b.pixels))).toBe(true);
    expect(Array.isArray(a.truths)).toBe(true);
  });

  it('names what it cannot read', async () => {
    await writeFile(join(dir, 'notes.txt'), 'hello');
    await expect(readInput(join(dir, 'notes.txt'))).rejects.toThrow(/not a PNG, JPEG or DICOS/);
    await expect(readInput(join(dir, 'absent.png'))).rejects.toThrow(/cannot read/);
    await expect(readInput('sim:x')).rejects.toThrow(/sim:SEED/);
  });
});

describe('clearway detect and clearway models', () => {
  it('prints one JSON object per picture, reports unreadable files on stderr and exits 1', async () => {
    await writeFile(join(dir, 'bag.png'), encodePng({ width: 128, height: 96, data: squares(), channels: 3, depth: 8 }));
    const data = join(dir, 'data-detect');
    const r = await cli('--data', data, 'detect', join(dir, 'bag.png'), join(dir, 'missing.png'), 'sim:5', '--model', join(FIXTURES, 'grid-detector.onnx'), '--threshold', '0.5');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read .*missing\.png/);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      file: join(dir, 'bag.png'), width: 128, height: 96, model: { name: 'grid-detector' },
      detections: [{ label: 'gun', box: { x: 32, y: 16, width: 16, height: 16 } }, { label: 'knife', box: { x: 80, y: 48, width: 16, height: 16 } }],
    });
    expect(Object.keys(lines[0]?.['timings'] as object)).toEqual(['preMs', 'inferMs', 'postMs']);
    expect(lines[1]).toMatchObject({ file: 'sim:5', view: 'top', width: 640, height: 480 });
    expect(Array.isArray(lines[1]?.['truths'])).toBe(true);
  }, 120_000);

  it('adds a model, refuses a malformed one with the reason, switches models, and detect uses the active one', async () => {
    const data = join(dir, 'data-models');
    const refused = await cli('--data', data, 'models', 'add', join(FIXTURES, 'names-mismatch.onnx'), '--activate');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refused \(bad-output\): .*does not fit 3 class names/);
    const added = await cli('--data', data, 'models', 'add', join(FIXTURES, 'grid-detector.onnx'), '--name', 'Grid');
    expect(added.code).toBe(0);
    const grid = JSON.parse(added.stdout) as { sha256: string; active: boolean };
    expect(grid.active).toBe(true); // the first model
    const second = JSON.parse((await cli('--data', data, 'models', 'add', join(FIXTURES, 'grid-detector-transposed.onnx'))).stdout) as { sha256: string; active: boolean };
    expect(second.active).toBe(false);
    const use = await cli('--data', data, 'models', 'use', second.sha256.slice(0, 10));
    expect(use.code).toBe(0);
    const list = (await cli('--data', data, 'models', 'list')).stdout.trim().split('\n').map((l) => JSON.parse(l) as { sha256: string; active: boolean });
    expect(list.map((m) => [m.sha256, m.active])).toEqual([[grid.sha256, false], [second.sha256, true]]);
    const run = await cli('--data', data, 'detect', 'sim:5');
    expect(JSON.parse(run.stdout)).toMatchObject({ model: { sha256: second.sha256, name: 'grid-detector-transposed' } });
  }, 180_000);
});
