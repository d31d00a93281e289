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

/** WebGL2 when wanted and possible, the CPU otherwise. `onLost` is called if the GPU context goes away later. */
export function createViewRenderer(image: ToolImage, want: RendererKind, onLost: () => void): ViewRenderer {
  if (want === 'webgl2') {
    const gpu = WebGl2ViewRenderer.create(image, onLost);
    if (gpu) return gpu;
  }
  return new CpuViewRenderer(image);
}

/**
 * The renderer the console asks for: WebGL2, unless the page address says `?renderer=cpu`
 * (support's switch for a workstation whose GPU driver draws wrongly).
 */
export function preferredRenderer(search: string): RendererKind {
  return new URLSearchParams(search).get('renderer') === 'cpu' ? 'cpu' : 'webgl2';
}
