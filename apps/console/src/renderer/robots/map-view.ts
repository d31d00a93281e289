/**
 * World (map metres, x east, y north) ↔ screen (SVG user units, x right, y down). North is up:
 * the y axis flips. Pure, so the click-to-goal arithmetic is tested without a browser.
 */
export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface MapTransform {
  readonly bounds: Bounds;
  /** Screen units per metre. */
  readonly scale: number;
  /** Margin around the map, in screen units. */
  readonly margin: number;
  /** The whole drawing, margins included. */
  readonly width: number;
  readonly height: number;
}

export function mapTransform(bounds: Bounds, scale: number, margin = 0): MapTransform {
  if (!(scale > 0)) throw new RangeError('scale must be positive');
  return {
    bounds,
    scale,
    margin,
    width: (bounds.maxX - bounds.minX) * scale + 2 * margin,
    height: (bounds.maxY - bounds.minY) * scale + 2 * margin,
  };
}

export function worldToScreen(t: MapTransform, p: Point): Point {
  return { x: t.margin + (p.x - t.bounds.minX) * t.scale, y: t.margin + (t.bounds.maxY - p.y) * t.scale };
}

export function screenToWorld(t: MapTransform, p: Point): Point {
  return { x: t.bounds.minX + (p.x - t.margin) / t.scale, y: t.bounds.maxY - (p.y - t.margin) / t.scale };
}

/** True when the point is on the map (a click in the margin sends no goal). */
export function insideBounds(b: Bounds, p: Point): boolean {
  return p.x >= b.minX && p.x <= b.maxX && p.y >= b.minY && p.y <= b.maxY;
}

/**
 * SVG rotation (degrees, clockwise on screen) for a heading in radians counter-clockwise from
 * east: the y flip turns counter-clockwise into clockwise.
 */
export function headingDegrees(theta: number): number {
  return (-theta * 180) / Math.PI;
}

/** A world-space rectangle from two corners as screen x, y, width, height. */
export function screenRect(t: MapTransform, min: readonly [number, number], max: readonly [number, number]): { x: number; y: number; width: number; height: number } {
  const a = worldToScreen(t, { x: Math.min(min[0], max[0]), y: Math.max(min[1], max[1]) });
  return { x: a.x, y: a.y, width: Math.abs(max[0] - min[0]) * t.scale, height: Math.abs(max[1] - min[1]) * t.scale };
}

/** A finite point or null: a pose with NaN (null on the wire) is never drawn. */
export function finitePoint(p: { x: unknown; y: unknown } | null | undefined): Point | null {
  if (!p || typeof p.x !== 'number' || typeof p.y !== 'number' || !Number.isFinite(p.x) || !Number.isFinite(p.y)) return null;
  return { x: p.x, y: p.y };
}
