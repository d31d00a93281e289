/**
 * The UI side of the detection worker: hands it the hub's current model, runs the model on the
 * colour image of each view of the bag on screen, and keeps what the officer needs to see in
 * the `useDetection` store (model loading, backend, the bag's boxes).
 */
import { create } from 'zustand';
import { DEFAULT_IMAGE_SETTINGS, renderPseudoColour, renderView, u16View } from '@clearway/imaging';
import type { BagAssigned, ScanView } from '@clearway/protocol';
import { type BackendInfo, FromWorker, type ModelDescriptor, type Timings, type ToWorker, type WorkerDetection, parseMessage } from './messages.ts';
import { type BagDetections, type DetectionPhase, statusText, sumTimings, viewDetections } from './review.ts';
import { MIN_THRESHOLD } from './thresholds.ts';

export type BagRun =
  | { assignmentId: string; sha256: string; phase: 'detecting' }
  | { assignmentId: string; sha256: string; phase: 'done'; result: BagDetections }
  | { assignmentId: string; sha256: string; phase: 'failed'; reason: string };

export interface DetectionState {
  /** The model in use, and what runs it. */
  active: { model: ModelDescriptor; backend: BackendInfo; loadMs: number } | null;
  /** A model on its way from the hub. */
  loading: { sha256: string; name: string; loadedBytes: number; totalBytes: number } | null;
  /** The last model that could not be loaded, and why (the active one, if any, stays in use). */
  failure: { sha256: string; name: string; reason: string } | null;
  /** The model's run on the bag on screen. */
  run: BagRun | null;
}

export const initialDetection: DetectionState = { active: null, loading: null, failure: null, run: null };
export const useDetection = create<DetectionState>()(() => initialDetection);

/** The part of a Worker the client uses (a fake in tests). */
export interface WorkerLike {
  postMessage(message: ToWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

/** The module worker, bundled by vite with its own chunk (and onnxruntime-web's JavaScript). */
export function createDetectionWorker(): WorkerLike {
  return new Worker(new URL('./detection.worker.ts', import.meta.url), { type: 'module', name: 'clearway-detection' }) as WorkerLike;
}

export interface ImageResult {
  sha256: string;
  detections: WorkerDetection[];
  timings: Timings;
}

interface Colour {
  width: number;
  height: number;
  pixels: Uint8ClampedArray;
}

/**
 * A view's image as the officer sees it at first: the standard material pseudo-colour (the CPU
 * reference, the image the reference model was trained on), or grayscale for a single-energy view.
 */
export function colourImage(view: ScanView): Colour {
  const out = new Uint8ClampedArray(view.width * view.height * 4);
  const high = u16View(view.high);
  if (view.low) renderPseudoColour(u16View(view.low), high, out);
  else renderView({ width: view.width, height: view.height, high }, DEFAULT_IMAGE_SETTINGS, out);
  return { width: view.width, height: view.height, pixels: out };
}

export class DetectionClient {
  private readonly pending = new Map<string, { resolve(r: ImageResult): void; reject(e: Error): void }>();
  /** Each view coloured once: a rerun (new model) reuses it. */
  private readonly colours = new WeakMap<ScanView, Colour>();
  private nextId = 0;

  constructor(
    private readonly worker: WorkerLike,
    private readonly onBagResult: (assignment: BagAssigned, result: BagDetections) => void,
  ) {
    worker.addEventListener('message', (event) => this.received(event.data));
    worker.addEventListener('error', (event) => {
      const reason = `the detection worker stopped: ${event.message || 'unknown error'}`;
      useDetection.setState({ loading: null, failure: { sha256: '', name: 'worker', reason } });
      for (const p of this.pending.values()) p.reject(new Error(reason));
      this.pending.clear();
    });
  }

  configure(wasmBase: string, allowWebGpu: boolean): void {
    this.worker.postMessage({ type: 'configure', wasmBase, allowWebGpu });
  }

  /** The hub named its current model: load it unless it is the one in use already. */
  setModel(model: ModelDescriptor): void {
    const { active, loading } = useDetection.getState();
    if (active?.model.sha256 === model.sha256 || loading?.sha256 === model.sha256) return;
    useDetection.setState({ loading: { sha256: model.sha256, name: model.name, loadedBytes: 0, totalBytes: model.sizeBytes } });
    this.worker.postMessage({ type: 'load', model });
  }

  /** One colour image through the model (the benchmark uses this path too). */
  detectImage(width: number, height: number, pixels: Uint8ClampedArray | Uint8Array, minScore = MIN_THRESHOLD): Promise<ImageResult> {
    const requestId = `d${++this.nextId}`;
    return new Promise<ImageResult>((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      this.worker.postMessage({ type: 'detect', requestId, image: { width, height, pixels }, minScore }, [pixels.buffer]);
    });
  }

  /** Runs the active model on every view of the bag, once per bag and model. */
  async detectBag(assignment: BagAssigned): Promise<void> {
    const { active, run } = useDetection.getState();
    if (!active) return;
    const sha256 = active.model.sha256;
    const { assignmentId } = assignment;
    if (run && run.assignmentId === assignmentId && run.sha256 === sha256 && run.phase !== 'failed') return;
    useDetection.setState({ run: { assignmentId, sha256, phase: 'detecting' } });
    const stillWanted = () => {
      const now = useDetection.getState().run;
      return now?.assignmentId === assignmentId && now.sha256 === sha256;
    };
    try {
      const results = await Promise.all(assignment.views.map(async (view) => {
        let colour = this.colours.get(view);
        if (!colour) {
          colour = colourImage(view);
          this.colours.set(view, colour);
        }
        // A copy goes to the worker (transferred); the colour image stays here for a rerun.
        const found = await this.detectImage(colour.width, colour.height, colour.pixels.slice());
        if (found.sha256 !== sha256) throw new Error('the model changed during detection');
        return { view: view.view, found };
      }));
      if (!stillWanted()) return;
      const result: BagDetections = {
        assignmentId,
        model: { sha256, name: active.model.name },
        backend: active.backend,
        detections: results.flatMap((r) => viewDetections(r.view, r.found.detections)),
        timings: sumTimings(results.map((r) => r.found.timings)),
      };
      useDetection.setState({ run: { assignmentId, sha256, phase: 'done', result } });
      this.onBagResult(assignment, result);
    } catch (error) {
      if (!stillWanted()) return;
      useDetection.setState({ run: { assignmentId, sha256, phase: 'failed', reason: error instanceof Error ? error.message : String(error) } });
    }
  }

  /** The bag left the screen. */
  forget(assignmentId: string): void {
    useDetection.setState((s) => (s.run?.assignmentId === assignmentId ? { run: null } : s));
  }

  dispose(): void {
    this.worker.terminate();
  }

  private received(raw: unknown): void {
    const parsed = parseMessage(FromWorker, raw);
    if (!parsed.ok) {
      console.error(`detection worker sent an unreadable message: ${parsed.error}`);
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'model-progress':
        useDetection.setState((s) =>
          s.loading?.sha256 === message.sha256 ? { loading: { ...s.loading, loadedBytes: message.loadedBytes, totalBytes: message.totalBytes } } : s,
        );
        return;
      case 'model-ready':
        useDetection.setState((s) => ({
          active: { model: message.model, backend: message.backend, loadMs: message.loadMs },
          loading: s.loading?.sha256 === message.model.sha256 ? null : s.loading,
          failure: null,
        }));
        return;
      case 'model-failed':
        useDetection.setState((s) => ({
          loading: s.loading?.sha256 === message.sha256 ? null : s.loading,
          failure: { sha256: message.sha256, name: message.name, reason: message.reason },
        }));
        return;
      case 'result': {
        const p = this.pending.get(message.requestId);
        this.pending.delete(message.requestId);
        p?.resolve({ sha256: message.sha256, detections: message.detections, timings: message.timings });
        return;
      }
      case 'detect-failed': {
        const p = this.pending.get(message.requestId);
        this.pending.delete(message.requestId);
        p?.reject(new Error(message.reason));
        return;
      }
    }
  }
}

/** What the status line says about the bag on screen, and a note on a model change beside it. */
export function detectionStatus(state: DetectionState, assignmentId: string, shownCount: (result: BagDetections) => number): { phase: DetectionPhase; note: string | null } {
  const { run, loading, failure, active } = state;
  const mine = run?.assignmentId === assignmentId ? run : null;
  let phase: DetectionPhase;
  if (mine?.phase === 'done') phase = { kind: 'done', shown: shownCount(mine.result), inferMs: mine.result.timings.inferMs, backend: mine.result.backend };
  else if (mine?.phase === 'failed') phase = { kind: 'failed', reason: mine.reason };
  else if (mine?.phase === 'detecting' || active) phase = { kind: 'detecting' };
  else if (loading) phase = { kind: 'loading', loadedBytes: loading.loadedBytes, totalBytes: loading.totalBytes };
  else if (failure) phase = { kind: 'failed', reason: `model ${failure.name} could not be loaded: ${failure.reason}` };
  else phase = { kind: 'off' };

  let note: string | null = null;
  if (failure && active) note = `model ${failure.name} refused (${failure.reason}); ${active.model.name} stays in use`;
  else if (loading && phase.kind !== 'loading') note = statusText({ kind: 'loading', loadedBytes: loading.loadedBytes, totalBytes: loading.totalBytes }).replace('Model', `New model ${loading.name}`);
  return { phase, note };
}
