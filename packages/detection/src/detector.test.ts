import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { describe, expect, it } from 'vitest';
import { createDetector, verifyModel, type OrtRuntime } from './detector.ts';
import { ModelRefused } from './model-info.ts';

// The real runtime runs in apps/cli's tests (onnxruntime-node on the committed fixtures); here a
// stand-in checks what the detector sends it and how it handles what comes back.

// Minimal ONNX header: input images [1,3,64,64], output output0 [1,6,4], names gun/knife.
function header(): Uint8Array {
  const v = (n: number): number[] => { const o: number[] = []; while (n >= 128) { o.push((n % 128) | 128); n = Math.floor(n / 128); } o.push(n); return o; };
  const s = (t: string) => Array.from(t, (c) => c.charCodeAt(0));
  const b = (f: number, body: number[]) => [...v(f * 8 + 2), ...v(body.length), ...body];
  const i = (f: number, n: number) => [...v(f * 8), ...v(n)];
  const shape = (dims: number[]) => b(2, dims.flatMap((d) => b(1, i(1, d))));
  const value = (f: number, name: string, dims: number[]) => b(f, [...b(1, s(name)), ...b(2, b(1, [...i(1, 1), ...shape(dims)]))]);
  const meta = (k: string, val: string) => b(14, [...b(1, s(k)), ...b(2, s(val))]);
  return new Uint8Array([
    ...i(1, 8), ...b(7, [...value(11, 'images', [1, 3, 64, 64]), ...value(12, 'output0', [1, 6, 4])]),
    ...b(8, [...b(1, []), ...i(2, 13)]), ...meta('names', "{0: 'gun', 1: 'knife'}"),
  ]);
}

class FakeTensor {
  constructor(readonly type: string, readonly data: Float32Array, readonly dims: readonly number[]) {}
  dispose(): void { /* CPU data: nothing to free */ }
}

function fakeRuntime(output: (feeds: Record<string, FakeTensor>) => FakeTensor | Promise<FakeTensor>, opts: { failCreate?: boolean } = {}) {
  const log: string[] = [];
  const ort = {
    Tensor: FakeTensor,
    InferenceSession: {
      async create(_model: Uint8Array) {
        if (opts.failCreate) throw new Error('Could not find an implementation for NonMaxSuppression(10)');
        return {
          async run(feeds: Record<string, FakeTensor>) {
            log.push(`run ${Object.keys(feeds).join()} [${feeds['images']?.dims.join(',')}]`);
            return { output0: await output(feeds) };
          },
          async release() { log.push('release'); },
        };
      },
    },
  } as unknown as OrtRuntime & { InferenceSession: { create(m: Uint8Array): Promise<InferenceSession> }; Tensor: new (...a: never[]) => Tensor };
  return { ort, log };
}

// One gun candidate at the centre of the 64×64 input, 16×16, score 0.9; three empty columns.
const gunOutput = () => new FakeTensor('float32', Float32Array.from([32, 0, 0, 0, 32, 0, 0, 0, 16, 0, 0, 0, 16, 0, 0, 0, 0.9, 0, 0, 0, 0.1, 0, 0, 0]), [1, 6, 4]);

describe('createDetector', () => {
  it('letterboxes into the model input, runs it and gives boxes in image pixels with timings', async () => {
    const { ort, log } = fakeRuntime((feeds) => {
      // 128×128 white RGBA image: the whole input is white
      expect(feeds['images']?.data.every((x) => x === 1)).toBe(true);
      return gunOutput();
    });
    const detector = await createDetector(ort, header());
    expect(detector.info).toMatchObject({ inputName: 'images', outputName: 'output0', inputWidth: 64, inputHeight: 64, classNames: ['gun', 'knife'] });
    const white = new Uint8Array(128 * 128 * 4).fill(255);
    const { detections, timings } = await detector.detect(white, 128, 128, 4);
    expect(detections).toEqual([{ classIndex: 0, label: 'gun', score: Math.fround(0.9), x: 48, y: 48, width: 32, height: 32 }]);
    expect(Object.keys(timings)).toEqual(['preMs', 'inferMs', 'postMs']);
    expect(Object.values(timings).every((t) => t >= 0)).toBe(true);
    expect((await detector.detect(white, 128, 128, 4, { scoreThreshold: 0.95 })).detections).toEqual([]);
    await detector.release();
    expect(log).toEqual(['run images [1,3,64,64]', 'run images [1,3,64,64]', 'release']);
    await expect(detector.detect(new Uint8Array(64 * 64 * 3), 64, 64, 3)).rejects.toThrow(/released/);
  });

  it('runs one inference at a time, in call order, even when one fails', async () => {
    let active = 0;
    let most = 0;
    let calls = 0;
    const { ort } = fakeRuntime(async () => {
      active++;
      most = Math.max(most, active);
      for (let i = 0; i < 5; i++) await Promise.resolve(); // let the other calls try to start
      active--;
      if (++calls === 2) throw new Error('device lost');
      return gunOutput();
    });
    const detector = await createDetector(ort, header());
    const image = new Uint8Array(64 * 64 * 3);
    const results = await Promise.allSettled([1, 2, 3].map(() => detector.detect(image, 64, 64, 3)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(most).toBe(1);
  });

  it('refuses a model the runtime cannot load, and one whose output does not decode', async () => {
    await expect(createDetector(fakeRuntime(gunOutput, { failCreate: true }).ort, header())).rejects.toMatchObject({ code: 'cannot-load', message: /NonMaxSuppression/ });
    const wrong = fakeRuntime(() => new FakeTensor('float32', new Float32Array(7 * 4), [1, 7, 4]));
    const refused = await verifyModel(wrong.ort, header()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ModelRefused);
    expect(refused).toMatchObject({ code: 'bad-output', message: /does not fit 2 classes/ });
    expect(wrong.log.at(-1)).toBe('release');
    expect((await verifyModel(fakeRuntime(gunOutput).ort, header())).classNames).toEqual(['gun', 'knife']);
  });
});
