import { describe, expect, it } from 'vitest';
import { AI_KEYS, COMMAND_KEYS, TOOL_KEYS, aiCommandForKey } from '../keys.ts';
import { backendLabel, executionProviders, gpuAdapterRefusal, wasmThreads } from './backend.ts';
import { type AiDetection, cycleMark, defaultVerdict, detectionVerdicts, nextSelection, shownDetections, statusText, toProtocolDetections, viewDetections } from './review.ts';

const found = (label: string, score: number, x = 0) => ({ classIndex: 0, label, score, x, y: 0, width: 10, height: 5 });
const BACKEND = { name: 'wasm' as const, threads: 4, simd: true, crossOriginIsolated: true };

describe('the model boxes on a bag', () => {
  it('numbers boxes per view, highest score first, and leaves out boxes clipped to nothing', () => {
    const top = viewDetections('top', [found('knife', 0.4), found('gun', 0.9), { ...found('gun', 0.95), width: 0 }]);
    expect(top.map((d) => [d.id, d.label])).toEqual([['ai-top-1', 'gun'], ['ai-top-2', 'knife']]);
    expect(viewDetections('side', [found('gun', 0.5)])[0]?.id).toBe('ai-side-1');
  });

  it('shows only boxes at or above their class threshold', () => {
    const boxes = viewDetections('top', [found('knife', 0.45), found('lighter', 0.6), found('gun', 0.5)]);
    expect(shownDetections(boxes, { lighter: 0.7 }).map((d) => d.label)).toEqual(['gun']);
    expect(shownDetections(boxes, { knife: 0.4 }).map((d) => d.label)).toEqual(['lighter', 'gun', 'knife']);
  });
});

describe('confirmed and dismissed', () => {
  const shown: AiDetection[] = viewDetections('top', [found('gun', 0.9), found('knife', 0.8), found('pliers', 0.7)]);

  it('counts an untouched box as dismissed on clear and confirmed on search', () => {
    expect(defaultVerdict('clear')).toBe('dismissed');
    expect(defaultVerdict('search')).toBe('confirmed');
    expect(detectionVerdicts(shown, {}, 'clear').map((v) => v.verdict)).toEqual(['dismissed', 'dismissed', 'dismissed']);
    expect(detectionVerdicts(shown, {}, 'search').map((v) => v.verdict)).toEqual(['confirmed', 'confirmed', 'confirmed']);
  });

  it("keeps the officer's own marks whatever the decision", () => {
    const marks = { 'ai-top-1': 'confirmed', 'ai-top-3': 'dismissed' } as const;
    expect(detectionVerdicts(shown, marks, 'clear')).toEqual([
      { detectionId: 'ai-top-1', verdict: 'confirmed' },
      { detectionId: 'ai-top-2', verdict: 'dismissed' },
      { detectionId: 'ai-top-3', verdict: 'dismissed' },
    ]);
    expect(detectionVerdicts(shown, marks, 'search').map((v) => v.verdict)).toEqual(['confirmed', 'confirmed', 'dismissed']);
  });

  it('cycles a mark: untouched, threat, not a threat, untouched', () => {
    const once = cycleMark({}, 'a');
    const twice = cycleMark(once, 'a');
    expect(once).toEqual({ a: 'confirmed' });
    expect(twice).toEqual({ a: 'dismissed' });
    expect(cycleMark(twice, 'a')).toEqual({});
    expect(cycleMark({ b: 'dismissed' }, 'a')).toEqual({ b: 'dismissed', a: 'confirmed' });
  });

  it('selects the boxes in turn and wraps round', () => {
    expect(nextSelection(shown, null)).toBe('ai-top-1');
    expect(nextSelection(shown, 'ai-top-1')).toBe('ai-top-2');
    expect(nextSelection(shown, 'ai-top-3')).toBe('ai-top-1');
    expect(nextSelection(shown, 'gone')).toBe('ai-top-1');
    expect(nextSelection([], 'ai-top-1')).toBeNull();
  });

  it('reports boxes as protocol detections on their view', () => {
    const [d] = toProtocolDetections(viewDetections('side', [found('knife', 0.8, 12)]));
    expect(d).toEqual({ id: 'ai-side-1', label: 'knife', category: 'PROHIBITED_ITEM', score: 0.8, box: { view: 'side', x: 12, y: 0, width: 10, height: 5 } });
  });
});

describe('status line and backend', () => {
  it('reads as the officer needs it', () => {
    expect(statusText({ kind: 'loading', loadedBytes: 63, totalBytes: 100 })).toBe('Model loading 63%');
    expect(statusText({ kind: 'detecting' })).toBe('Detecting…');
    expect(statusText({ kind: 'done', shown: 3, inferMs: 41.6, backend: BACKEND })).toBe('3 threats (42 ms, wasm SIMD 4 threads)');
    expect(statusText({ kind: 'done', shown: 1, inferMs: 9, backend: { ...BACKEND, name: 'webgpu' } })).toBe('1 threat (9 ms, webgpu)');
    expect(statusText({ kind: 'done', shown: 0, inferMs: 9, backend: { ...BACKEND, threads: 1 } })).toBe('No threats (9 ms, wasm SIMD 1 thread)');
  });

  it('uses threads only when cross-origin isolated, at most four', () => {
    expect(wasmThreads(true, 16)).toBe(4);
    expect(wasmThreads(true, 2)).toBe(2);
    expect(wasmThreads(false, 16)).toBe(1);
    expect(wasmThreads(true, undefined)).toBe(1);
    expect(backendLabel(BACKEND)).toBe('wasm SIMD 4 threads');
  });

  it('asks for WebGPU first only with an adapter', () => {
    expect(executionProviders(true)).toEqual(['webgpu', 'wasm']);
    expect(executionProviders(false)).toEqual(['wasm']);
  });
});

describe('AI keys', () => {
  const press = (key: string, over: Partial<{ repeat: boolean; ctrlKey: boolean }> = {}) =>
    aiCommandForKey({ key, repeat: false, ctrlKey: false, altKey: false, metaKey: false, target: null, ...over });

  it('A, N and T, in either case, not held down or with Ctrl', () => {
    expect(press('a')).toBe('ai-boxes');
    expect(press('N')).toBe('ai-next');
    expect(press('t')).toBe('ai-mark');
    expect(press('t', { repeat: true })).toBeNull();
    expect(press('a', { ctrlKey: true })).toBeNull();
  });

  it('shares no key with a decision, the break key or an image tool', () => {
    const taken = new Set<string>([...Object.values(COMMAND_KEYS), ...TOOL_KEYS.flatMap((k) => k.keys)]);
    for (const k of AI_KEYS) expect(taken.has(k.key)).toBe(false);
  });
});

describe('WebGPU adapters', () => {
  it('refuses software-emulated and fallback adapters, takes a real GPU', () => {
    expect(gpuAdapterRefusal({ vendor: 'google', architecture: 'swiftshader', description: '' })).toMatch(/software-emulated.*swiftshader/);
    expect(gpuAdapterRefusal({ vendor: 'mesa', device: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toMatch(/llvmpipe/);
    expect(gpuAdapterRefusal({ isFallbackAdapter: true, vendor: 'nvidia' })).toMatch(/fallback/);
    expect(gpuAdapterRefusal({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' })).toBeNull();
    expect(gpuAdapterRefusal({})).toBeNull();
  });
});
