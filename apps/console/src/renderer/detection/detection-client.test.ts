import { beforeEach, describe, expect, it } from 'vitest';
import type { BagAssigned } from '@clearway/protocol';
import { DetectionClient, type WorkerLike, detectionStatus, initialDetection, useDetection } from './detection-client.ts';
import type { FromWorker, ToWorker } from './messages.ts';
import type { BagDetections } from './review.ts';

const SHA = 'ab'.repeat(32);
const OTHER = 'cd'.repeat(32);
const model = (sha256 = SHA, name = 'ref-v1') => ({ sha256, name, classNames: ['gun', 'knife'], inputWidth: 320, inputHeight: 320, url: `http://hub/models/${sha256}.onnx`, sizeBytes: 1000 });
const BACKEND = { name: 'wasm' as const, threads: 2, simd: true, crossOriginIsolated: true };

/** A worker that records what it is sent and answers when told to. */
class FakeWorker implements WorkerLike {
  sent: ToWorker[] = [];
  private listener: ((event: MessageEvent<unknown>) => void) | null = null;
  postMessage(message: ToWorker): void { this.sent.push(message); }
  addEventListener(type: 'message' | 'error', listener: never): void { if (type === 'message') this.listener = listener; }
  terminate(): void {}
  reply(message: FromWorker): void { this.listener?.({ data: message } as MessageEvent<unknown>); }
}

function bag(views: ('top' | 'side')[] = ['top', 'side']): BagAssigned {
  const plane = new Uint8Array(4 * 4 * 2);
  return {
    assignmentId: '11111111-1111-4111-8111-111111111111', assignedAt: new Date().toISOString(),
    bag: { bagId: '22222222-2222-4222-8222-222222222222', bagTag: '0123456789', lane: 'lane-1', flight: 'CA981', scannedAt: new Date().toISOString() },
    views: views.map((view) => ({ view, width: 4, height: 4, encoding: 'dual-energy-u16le' as const, low: plane, high: plane })),
  };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => useDetection.setState(initialDetection));

describe('DetectionClient', () => {
  it('shows model loading progress, then the backend the worker reports', () => {
    const worker = new FakeWorker();
    const client = new DetectionClient(worker, () => undefined);
    client.setModel(model());
    client.setModel(model()); // the same model again: one download
    expect(worker.sent.filter((m) => m.type === 'load')).toHaveLength(1);
    worker.reply({ type: 'model-progress', sha256: SHA, loadedBytes: 630, totalBytes: 1000 });
    expect(detectionStatus(useDetection.getState(), 'any', () => 0).phase).toEqual({ kind: 'loading', loadedBytes: 630, totalBytes: 1000 });
    worker.reply({ type: 'model-ready', model: model(), backend: BACKEND, loadMs: 40 });
    expect(useDetection.getState()).toMatchObject({ active: { backend: BACKEND }, loading: null });
  });

  it('keeps the model in use when a new one fails, and says why', () => {
    const worker = new FakeWorker();
    const client = new DetectionClient(worker, () => undefined);
    worker.reply({ type: 'model-ready', model: model(), backend: BACKEND, loadMs: 40 });
    client.setModel(model(OTHER, 'airport-v2'));
    worker.reply({ type: 'model-failed', sha256: OTHER, name: 'airport-v2', reason: 'output is not [1, 4+nc, N]', inUse: SHA });
    const state = useDetection.getState();
    expect(state.active?.model.sha256).toBe(SHA);
    expect(detectionStatus(state, 'any', () => 0).note).toBe('model airport-v2 refused (output is not [1, 4+nc, N]); ref-v1 stays in use');
  });

  it("runs every view's colour image through the worker once and reports the bag's boxes", async () => {
    const worker = new FakeWorker();
    const results: BagDetections[] = [];
    const client = new DetectionClient(worker, (_a, r) => results.push(r));
    worker.reply({ type: 'model-ready', model: model(), backend: BACKEND, loadMs: 40 });
    const b = bag();
    const running = client.detectBag(b);
    void client.detectBag(b); // a second call for the same bag and model does nothing
    const detects = worker.sent.filter((m): m is Extract<ToWorker, { type: 'detect' }> => m.type === 'detect');
    expect(detects).toHaveLength(2);
    expect(detects[0]?.image.pixels.byteLength).toBe(4 * 4 * 4);
    expect(detectionStatus(useDetection.getState(), b.assignmentId, () => 0).phase.kind).toBe('detecting');
    for (const [i, d] of detects.entries()) {
      worker.reply({ type: 'result', requestId: d.requestId, sha256: SHA, detections: [{ classIndex: 0, label: 'gun', score: 0.9 - i / 10, x: 1, y: 1, width: 2, height: 2 }], timings: { preMs: 1, inferMs: 10, postMs: 1 } });
    }
    await running;
    expect(results).toHaveLength(1);
    expect(results[0]?.detections.map((d) => d.id)).toEqual(['ai-top-1', 'ai-side-1']);
    expect(results[0]?.timings.inferMs).toBe(20);
    expect(detectionStatus(useDetection.getState(), b.assignmentId, (r) => r.detections.length).phase).toMatchObject({ kind: 'done', shown: 2, inferMs: 20 });
  });

  it('drops a result for a bag that has left the screen', async () => {
    const worker = new FakeWorker();
    const results: BagDetections[] = [];
    const client = new DetectionClient(worker, (_a, r) => results.push(r));
    worker.reply({ type: 'model-ready', model: model(), backend: BACKEND, loadMs: 40 });
    const b = bag(['top']);
    const running = client.detectBag(b);
    client.forget(b.assignmentId);
    const [d] = worker.sent.filter((m): m is Extract<ToWorker, { type: 'detect' }> => m.type === 'detect');
    worker.reply({ type: 'result', requestId: d?.requestId ?? '', sha256: SHA, detections: [], timings: { preMs: 0, inferMs: 1, postMs: 0 } });
    await running;
    await flush();
    expect(results).toEqual([]);
    expect(useDetection.getState().run).toBeNull();
  });
});
