/**
 * A read-only look at what a view renderer drew, for the end-to-end tests that compare the GPU
 * against the CPU reference pixel by pixel. Installed only when the page was opened with
 * `globalThis.__CLEARWAY_TEST_HOOKS__ = true` set before the console's script ran (Playwright's
 * addInitScript); the console itself never sets it. It can only read the images already on screen.
 */
import { type ImageSettings, type ToolImage, renderView, toggleEdge } from '@clearway/imaging';
import type { DeviceTransform, RendererKind, ViewRenderer } from './types.ts';

export interface ViewProbe {
  readonly renderer: RendererKind;
  readonly width: number;
  readonly height: number;
  readonly singleEnergy: boolean;
  settings(): ImageSettings;
  /** The renderer's tool output at image resolution, RGBA, row 0 at the top. */
  readNative(): Uint8Array;
  /** The CPU reference of @clearway/imaging for the same image and settings. */
  reference(): Uint8Array;
  /** The canvas as drawn, RGBA, row 0 at the top, and the transform it was drawn with (device px). */
  readDisplay(): { width: number; height: number; pixels: Uint8Array; transform: DeviceTransform };
  /**
   * For the imaging benchmark: `runs` tool passes alternating the current settings and the same
   * with edge toggled (so each pass really runs), on this renderer (setSettings, then readNative
   * to wait for the GPU) and, separately, on the CPU reference; mean ms per pass of each.
   * Puts the original settings back afterwards.
   */
  timeTools(runs: number): { rendererMs: number; referenceMs: number };
}

const HOOKS_FLAG = '__CLEARWAY_TEST_HOOKS__';
const PROBES = '__clearwayProbes';

export function testHooksEnabled(): boolean {
  return Reflect.get(globalThis, HOOKS_FLAG) === true;
}

/** Registers a view's probe under its view name in the Map `globalThis.__clearwayProbes`; returns the unregister function. No-op unless test hooks are on. */
export function registerProbe(
  view: string,
  renderer: ViewRenderer,
  current: () => { settings: ImageSettings; transform: DeviceTransform },
): () => void {
  if (!testHooksEnabled()) return () => undefined;
  const image: ToolImage = renderer.image;
  const probe: ViewProbe = {
    renderer: renderer.kind,
    width: image.width,
    height: image.height,
    singleEnergy: image.low === undefined,
    settings: () => current().settings,
    readNative: () => renderer.readNative(),
    reference: () => {
      const out = renderView(image, current().settings, new Uint8ClampedArray(image.width * image.height * 4));
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    },
    readDisplay: () => {
      const pixels = renderer.readDisplay();
      return { width: renderer.canvas.width, height: renderer.canvas.height, pixels, transform: current().transform };
    },
    timeTools: (runs) => {
      const n = Math.max(1, Math.min(Math.floor(runs), 1000));
      const original = current().settings;
      const alternate = [original, toggleEdge(original)];
      const setting = (i: number) => alternate[i % 2] ?? original;
      try {
        renderer.setSettings(setting(1)); // warm: shaders compiled, textures uploaded
        renderer.readNative();
        let t0 = performance.now();
        for (let i = 0; i < n; i++) {
          renderer.setSettings(setting(i));
          renderer.readNative();
        }
        const rendererMs = (performance.now() - t0) / n;
        const out = new Uint8ClampedArray(image.width * image.height * 4);
        renderView(image, setting(1), out);
        t0 = performance.now();
        for (let i = 0; i < n; i++) renderView(image, setting(i), out);
        const referenceMs = (performance.now() - t0) / n;
        return { rendererMs, referenceMs };
      } finally {
        renderer.setSettings(original);
      }
    },
  };
  const existing: unknown = Reflect.get(globalThis, PROBES);
  const probes = existing instanceof Map ? (existing as Map<string, ViewProbe>) : new Map<string, ViewProbe>();
  probes.set(view, probe);
  Reflect.set(globalThis, PROBES, probes);
  return () => {
    if (probes.get(view) === probe) probes.delete(view);
  };
}
