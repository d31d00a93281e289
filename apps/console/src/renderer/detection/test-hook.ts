/**
 * A look at the console's detection for the end-to-end tests and the detection benchmark:
 * `globalThis.__clearwayDetection`, installed only when the page was opened with test hooks on
 * (see gpu/probe.ts). It runs images through the very worker and model the console uses.
 */
import { testHooksEnabled } from '../gpu/probe.ts';
import { type DetectionClient, type ImageResult, useDetection } from './detection-client.ts';

export interface DetectionHook {
  /** The model in use and what runs it; null until one has loaded. */
  active(): { sha256: string; name: string; backend: { name: string; threads: number; simd: boolean; crossOriginIsolated: boolean }; loadMs: number } | null;
  failure(): { name: string; reason: string } | null;
  /** One RGBA image (base64) through the worker; `roundTripMs` includes the messages to and from it. */
  detect(width: number, height: number, rgbaBase64: string): Promise<ImageResult & { roundTripMs: number }>;
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function registerDetectionHook(client: DetectionClient): void {
  if (!testHooksEnabled()) return;
  const hook: DetectionHook = {
    active: () => {
      const a = useDetection.getState().active;
      return a ? { sha256: a.model.sha256, name: a.model.name, backend: a.backend, loadMs: a.loadMs } : null;
    },
    failure: () => useDetection.getState().failure,
    detect: async (width, height, rgbaBase64) => {
      const pixels = fromBase64(rgbaBase64);
      const t0 = performance.now();
      const result = await client.detectImage(width, height, pixels);
      return { ...result, roundTripMs: performance.now() - t0 };
    },
  };
  Reflect.set(globalThis, '__clearwayDetection', hook);
}
