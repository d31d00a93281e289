/**
 * Draws one X-ray view with the officer's tools: on the GPU (WebGL2, `webgl2-renderer.ts`)
 * where the browser offers it, otherwise with the CPU reference of @clearway/imaging on a 2D
 * canvas (`cpu-renderer.ts`). Both run the tools once per settings change into an image of the
 * view's own size, then draw that image zoomed and panned, crisp (nearest neighbour) from
 * NEAREST_FROM_SCALE device pixels per image pixel up and smoothed below.
 */
import type { ToolImage } from '@clearway/imaging';
import { CpuViewRenderer } from './cpu-renderer.ts';
import type { RendererKind, ViewRenderer } from './types.ts';
import { WebGl2ViewRenderer } from './webgl2-renderer.ts';

export type { DeviceTransform, RendererKind, ViewRenderer } from './types.ts';
export { BACKGROUND_RGB } from './types.ts';

/** What the console asks for: `auto` is WebGL2 on a real GPU and the CPU otherwise. */
export type RendererChoice = RendererKind | 'auto';

export interface CreatedRenderer {
  renderer: ViewRenderer;
  /** Why the CPU draws although the GPU was asked for; null when it was not asked for or drawing on the GPU. */
  fallback: string | null;
}

/** The renderer for one view; `onLost` is called if the GPU context goes away later. */
export function createViewRenderer(image: ToolImage, want: RendererChoice, onLost: () => void): CreatedRenderer {
  if (want === 'cpu') return { renderer: new CpuViewRenderer(image), fallback: null };
  const gpu = WebGl2ViewRenderer.create(image, onLost, want === 'webgl2');
  if ('renderer' in gpu) return { renderer: gpu.renderer, fallback: null };
  return { renderer: new CpuViewRenderer(image), fallback: gpu.refused };
}

/**
 * The renderer the console asks for: `auto` unless the page address says `?renderer=cpu`
 * (support's switch for a workstation whose GPU driver draws wrongly) or `?renderer=webgl2`
 * (WebGL2 even when it is software-emulated, as in headless test browsers).
 */
export function preferredRenderer(search: string): RendererChoice {
  const asked = new URLSearchParams(search).get('renderer');
  return asked === 'cpu' || asked === 'webgl2' ? asked : 'auto';
}
