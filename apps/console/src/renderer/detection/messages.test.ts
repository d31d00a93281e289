import { describe, expect, it } from 'vitest';
import { FromWorker, ToWorker, parseMessage } from './messages.ts';

const SHA = 'ab'.repeat(32);
const MODEL = {
  sha256: SHA, name: 'clearway-xray-ref-v1', classNames: ['gun', 'knife'], inputWidth: 320, inputHeight: 320,
  url: `http://127.0.0.1:4300/models/${SHA}.onnx`, sizeBytes: 3_000_000,
};

describe('UI → worker messages', () => {
  it('takes a detect request whose pixels fit its size, and says which field is wrong otherwise', () => {
    const ok = parseMessage(ToWorker, { type: 'detect', requestId: 'd1', image: { width: 2, height: 3, pixels: new Uint8ClampedArray(24) }, minScore: 0.25 });
    expect(ok.ok).toBe(true);
    const short = parseMessage(ToWorker, { type: 'detect', requestId: 'd1', image: { width: 2, height: 3, pixels: new Uint8ClampedArray(18) }, minScore: 0.25 });
    expect(short).toEqual({ ok: false, error: 'image.pixels: expected width × height × 4 bytes (RGBA)' });
    const numbers = parseMessage(ToWorker, { type: 'detect', requestId: 'd1', image: { width: 1, height: 1, pixels: [1, 2, 3, 4] }, minScore: 0.25 });
    expect(numbers).toMatchObject({ ok: false, error: expect.stringContaining('image.pixels') });
  });

  it('takes a model only with a SHA-256, an absolute URL and its size', () => {
    expect(parseMessage(ToWorker, { type: 'load', model: MODEL }).ok).toBe(true);
    expect(parseMessage(ToWorker, { type: 'load', model: { ...MODEL, sha256: 'ABC' } })).toMatchObject({ ok: false, error: expect.stringMatching(/^model\.sha256/) });
    expect(parseMessage(ToWorker, { type: 'load', model: { ...MODEL, url: '/models/x.onnx' } })).toMatchObject({ ok: false, error: expect.stringMatching(/^model\.url/) });
    expect(parseMessage(ToWorker, { type: 'load', model: { ...MODEL, sizeBytes: 0 } })).toMatchObject({ ok: false, error: expect.stringMatching(/^model\.sizeBytes/) });
  });

  it('refuses an unknown message type', () => {
    expect(parseMessage(ToWorker, { type: 'eval', code: '1' }).ok).toBe(false);
    expect(parseMessage(ToWorker, { type: 'configure', wasmBase: 'not a url', allowWebGpu: true }).ok).toBe(false);
  });
});

describe('worker → UI messages', () => {
  it('reads a result and a refused model', () => {
    const result = parseMessage(FromWorker, {
      type: 'result', requestId: 'd1', sha256: SHA,
      detections: [{ classIndex: 1, label: 'knife', score: 0.8, x: 1, y: 2, width: 3, height: 4 }],
      timings: { preMs: 1, inferMs: 20, postMs: 0.5 },
    });
    expect(result.ok).toBe(true);
    const failed = parseMessage(FromWorker, { type: 'model-failed', sha256: SHA, name: 'x', reason: 'bad output', inUse: null });
    expect(failed.ok).toBe(true);
  });

  it('refuses a score above 1 and a backend it does not know', () => {
    const high = parseMessage(FromWorker, { type: 'result', requestId: 'd1', sha256: SHA, detections: [{ classIndex: 0, label: 'gun', score: 1.2, x: 0, y: 0, width: 1, height: 1 }], timings: { preMs: 0, inferMs: 0, postMs: 0 } });
    expect(high).toMatchObject({ ok: false, error: expect.stringMatching(/^detections\.0\.score/) });
    const backend = parseMessage(FromWorker, { type: 'model-ready', model: MODEL, backend: { name: 'webnn', threads: 1, simd: true, crossOriginIsolated: true }, loadMs: 5 });
    expect(backend).toMatchObject({ ok: false, error: expect.stringMatching(/^backend\.name/) });
  });
});
