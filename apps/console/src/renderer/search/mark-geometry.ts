/**
 * Search marks: regions a screening officer drags on a view, kept in the view's image pixels so
 * that they mean the same thing at any zoom and pan, and on the search officer's screen.
 * Screen coordinates are CSS pixels from the view element's top-left corner (viewer/viewport.ts:
 * screen = image × scale + (tx, ty)).
 */
import type { ViewBox, ViewName } from '@clearway/protocol';
import type { ScreenTransform } from '../viewer/viewport.ts';

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface ScreenRect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** A drag shorter than this on screen (CSS px) either way is a click, not a mark. */
export const MIN_MARK_SCREEN_PX = 6;

export function screenToImage(p: Point, t: ScreenTransform): Point {
  return { x: (p.x - t.tx) / t.scale, y: (p.y - t.ty) / t.scale };
}

export function imageToScreen(p: Point, t: ScreenTransform): Point {
  return { x: p.x * t.scale + t.tx, y: p.y * t.scale + t.ty };
}

/** Where an image-pixel box is on screen now. */
export function boxOnScreen(box: Pick<ViewBox, 'x' | 'y' | 'width' | 'height'>, t: ScreenTransform): ScreenRect {
  const corner = imageToScreen(box, t);
  return { left: corner.x, top: corner.y, width: box.width * t.scale, height: box.height * t.scale };
}

/** The rectangle between two screen points, whichever way the drag went. */
export function dragRect(a: Point, b: Point): ScreenRect {
  return { left: Math.min(a.x, b.x), top: Math.min(a.y, b.y), width: Math.abs(b.x - a.x), height: Math.abs(b.y - a.y) };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
const EDGE = 1e-6;

/**
 * A drag from `a` to `b` on screen as a mark in image pixels: whole pixels covering what was
 * dragged, clipped to the image. Null for a drag too small to be meant, or one wholly off the image.
 */
export function markFromDrag(
  view: ViewName,
  a: Point,
  b: Point,
  t: ScreenTransform,
  image: { readonly width: number; readonly height: number },
  minScreenPx = MIN_MARK_SCREEN_PX,
): ViewBox | null {
  const rect = dragRect(a, b);
  if (rect.width < minScreenPx || rect.height < minScreenPx) return null;
  const p0 = screenToImage({ x: rect.left, y: rect.top }, t);
  const p1 = screenToImage({ x: rect.left + rect.width, y: rect.top + rect.height }, t);
  // A hair of tolerance: a drag that ends exactly on a pixel edge must not take the next pixel by rounding noise.
  const x0 = clamp(Math.floor(p0.x + EDGE), 0, image.width);
  const y0 = clamp(Math.floor(p0.y + EDGE), 0, image.height);
  const x1 = clamp(Math.ceil(p1.x - EDGE), 0, image.width);
  const y1 = clamp(Math.ceil(p1.y - EDGE), 0, image.height);
  if (x1 <= x0 || y1 <= y0) return null;
  return { view, x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
