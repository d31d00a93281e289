/**
 * Zoom and pan of one X-ray view, as pure functions. Zoom 1 fits the whole image into its
 * element; zoom z shows it z times larger. The viewport keeps the image point shown at the
 * element's centre; when the image is larger than the element the view never leaves it, when
 * it is smaller it stays centred.
 */

export const ZOOM_MIN = 1;
export const ZOOM_MAX = 16;
/** Key presses step in powers of √2: 1, 1.41, 2, 2.83, 4, 5.66, 8, 11.3, 16. */
export const ZOOM_STEPS_PER_DOUBLING = 2;
/** From this many device pixels per image pixel up, pixels are drawn as crisp squares. */
export const NEAREST_FROM_SCALE = 2;

/** Sizes in CSS pixels. */
export interface ViewFrame {
  readonly imageWidth: number;
  readonly imageHeight: number;
  readonly elementWidth: number;
  readonly elementHeight: number;
}

/** Zoom and the image point (in image pixels) at the element's centre. */
export interface Viewport {
  readonly zoom: number;
  readonly cx: number;
  readonly cy: number;
}

/** screen = image × scale + (tx, ty), in the element's CSS pixels from its top-left corner. */
export interface ScreenTransform {
  readonly scale: number;
  readonly tx: number;
  readonly ty: number;
}

export function fitScale(frame: ViewFrame): number {
  if (frame.imageWidth <= 0 || frame.imageHeight <= 0 || frame.elementWidth <= 0 || frame.elementHeight <= 0) return 1;
  return Math.min(frame.elementWidth / frame.imageWidth, frame.elementHeight / frame.imageHeight);
}

export function initialViewport(frame: Pick<ViewFrame, 'imageWidth' | 'imageHeight'>): Viewport {
  return { zoom: 1, cx: frame.imageWidth / 2, cy: frame.imageHeight / 2 };
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi);

export function clampZoom(zoom: number): number {
  return Number.isFinite(zoom) ? clamp(zoom, ZOOM_MIN, ZOOM_MAX) : ZOOM_MIN;
}

function clampCentre(c: number, imageSize: number, visible: number): number {
  if (visible >= imageSize) return imageSize / 2;
  return clamp(c, visible / 2, imageSize - visible / 2);
}

export function clampViewport(vp: Viewport, frame: ViewFrame): Viewport {
  const zoom = clampZoom(vp.zoom);
  const scale = fitScale(frame) * zoom;
  return {
    zoom,
    cx: clampCentre(vp.cx, frame.imageWidth, frame.elementWidth / scale),
    cy: clampCentre(vp.cy, frame.imageHeight, frame.elementHeight / scale),
  };
}

export function screenTransform(vp: Viewport, frame: ViewFrame): ScreenTransform {
  const v = clampViewport(vp, frame);
  const scale = fitScale(frame) * v.zoom;
  return { scale, tx: frame.elementWidth / 2 - v.cx * scale, ty: frame.elementHeight / 2 - v.cy * scale };
}

/** Zooms by `factor`, keeping the image point under `anchor` (element CSS px; default the centre) where it is. */
export function zoomBy(vp: Viewport, frame: ViewFrame, factor: number, anchor?: { x: number; y: number }): Viewport {
  return zoomTo(vp, frame, vp.zoom * factor, anchor);
}

export function zoomTo(vp: Viewport, frame: ViewFrame, zoom: number, anchor?: { x: number; y: number }): Viewport {
  const from = clampViewport(vp, frame);
  const to = clampZoom(zoom);
  const ax = (anchor?.x ?? frame.elementWidth / 2) - frame.elementWidth / 2;
  const ay = (anchor?.y ?? frame.elementHeight / 2) - frame.elementHeight / 2;
  const fit = fitScale(frame);
  const s0 = fit * from.zoom;
  const s1 = fit * to;
  // The image point under the anchor stays under it.
  const px = from.cx + ax / s0;
  const py = from.cy + ay / s0;
  return clampViewport({ zoom: to, cx: px - ax / s1, cy: py - ay / s1 }, frame);
}

/** The next zoom step in or out (direction +1 / −1), on the √2 ladder. */
export function steppedZoom(zoom: number, direction: 1 | -1): number {
  const index = Math.round(Math.log2(clampZoom(zoom)) * ZOOM_STEPS_PER_DOUBLING);
  const current = 2 ** (index / ZOOM_STEPS_PER_DOUBLING);
  // Off the ladder (after a wheel zoom): the first step lands on the ladder in that direction.
  let next = index + direction;
  if (direction > 0 && current > zoom * 1.0001) next = index;
  if (direction < 0 && current < zoom / 1.0001) next = index;
  return clampZoom(2 ** (next / ZOOM_STEPS_PER_DOUBLING));
}

/** Moves the picture by (dx, dy) CSS pixels on screen, as a mouse drag does. */
export function panBy(vp: Viewport, frame: ViewFrame, dx: number, dy: number): Viewport {
  const from = clampViewport(vp, frame);
  const scale = fitScale(frame) * from.zoom;
  return clampViewport({ zoom: from.zoom, cx: from.cx - dx / scale, cy: from.cy - dy / scale }, frame);
}

/** Wheel delta to a zoom factor: one notch (100 px) ≈ ×1.22. */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  const pixels = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(-clamp(pixels, -600, 600) * 0.002);
}
