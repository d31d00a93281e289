import type { MaterialName } from './materials.ts';

// The scene model. Every object in a bag is a set of parts; a part is one material with a 2-D
// outline (even-odd polygons, in cm) and a thickness profile over it: the path length a ray
// through that point of the outline travels inside the part. Parts lie flat in the belt plane and
// are symmetric about their mid-plane height z, which is what the side view needs to place them.

/** 2-D affine map [a, b, c, d, e, f]: x' = a·x + c·y + e, y' = b·x + d·y + f. */
export type Affine = readonly [number, number, number, number, number, number];

export const IDENTITY: Affine = [1, 0, 0, 1, 0, 0];

/** Translate to (x, y) after rotating by `angle` (radians) and scaling by (sx, sy). */
export function affine(x: number, y: number, angle = 0, sx = 1, sy = 1): Affine {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [c * sx, s * sx, -s * sy, c * sy, x, y];
}

/** m ∘ n: apply n first, then m. */
export function compose(m: Affine, n: Affine): Affine {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

export function invert(m: Affine): Affine {
  const det = m[0] * m[3] - m[1] * m[2];
  if (Math.abs(det) < 1e-12) throw new RangeError('singular transform');
  const a = m[3] / det;
  const b = -m[1] / det;
  const c = -m[2] / det;
  const d = m[0] / det;
  return [a, b, c, d, -(a * m[4] + c * m[5]), -(b * m[4] + d * m[5])];
}

export function apply(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** A closed polygon as [x0, y0, x1, y1, …] in cm. */
export type Contour = readonly number[];

/** Rectangle w × h centred on the origin, corners rounded with radius r. */
export function rect(w: number, h: number, r = 0): Contour {
  const hw = w / 2;
  const hh = h / 2;
  const rr = Math.max(0, Math.min(r, hw, hh));
  if (rr <= 0) return [-hw, -hh, hw, -hh, hw, hh, -hw, hh];
  const out: number[] = [];
  const steps = rr < 0.6 ? 2 : rr < 2 ? 4 : 7;
  const corners: [number, number, number][] = [
    [hw - rr, -hh + rr, -Math.PI / 2],
    [hw - rr, hh - rr, 0],
    [-hw + rr, hh - rr, Math.PI / 2],
    [-hw + rr, -hh + rr, Math.PI],
  ];
  for (const [cx, cy, a0] of corners) {
    for (let k = 0; k <= steps; k++) {
      const a = a0 + (k / steps) * (Math.PI / 2);
      out.push(cx + rr * Math.cos(a), cy + rr * Math.sin(a));
    }
  }
  return out;
}

/** Ellipse with radii rx, ry centred on the origin. */
export function ellipse(rx: number, ry: number, n = 0): Contour {
  const steps = n > 0 ? n : Math.max(12, Math.min(48, Math.round(Math.max(rx, ry) * 6)));
  const out: number[] = [];
  for (let k = 0; k < steps; k++) {
    const a = (k / steps) * 2 * Math.PI;
    out.push(rx * Math.cos(a), ry * Math.sin(a));
  }
  return out;
}

export function polygon(points: readonly (readonly [number, number])[]): Contour {
  return points.flatMap(([x, y]) => [x, y]);
}

/**
 * Roughens an outline: edges split every `step` cm and each point pushed in or out by up to
 * `amplitude` cm, smoothly (a folded garment is never a clean rectangle). `random` gives [0, 1).
 */
export function wobble(c: Contour, amplitude: number, random: () => number, step = 2): Contour {
  const pts: [number, number][] = [];
  const m = c.length >> 1;
  for (let i = 0; i < m; i++) {
    const x0 = c[2 * i] as number;
    const y0 = c[2 * i + 1] as number;
    const x1 = c[(2 * i + 2) % c.length] as number;
    const y1 = c[(2 * i + 3) % c.length] as number;
    const n = Math.max(1, Math.round(Math.hypot(x1 - x0, y1 - y0) / step));
    for (let k = 0; k < n; k++) pts.push([x0 + ((x1 - x0) * k) / n, y0 + ((y1 - y0) * k) / n]);
  }
  // Centroid-relative push, low-pass filtered so that neighbours move together.
  let cx = 0;
  let cy = 0;
  for (const [x, y] of pts) {
    cx += x;
    cy += y;
  }
  cx /= pts.length;
  cy /= pts.length;
  const raw = pts.map(() => random() * 2 - 1);
  const out: number[] = [];
  pts.forEach(([x, y], i) => {
    const j = (k: number): number => raw[(i + k + pts.length) % pts.length] as number;
    const d = (j(-1) + 2 * j(0) + j(1)) / 4;
    const len = Math.hypot(x - cx, y - cy) || 1;
    out.push(x + ((x - cx) / len) * d * amplitude, y + ((y - cy) / len) * d * amplitude);
  });
  return out;
}

/** Moves and turns a contour (for outlines built from pieces). */
export function transformContour(c: Contour, m: Affine): Contour {
  const out: number[] = new Array<number>(c.length);
  for (let i = 0; i + 1 < c.length; i += 2) {
    const [x, y] = apply(m, c[i] ?? 0, c[i + 1] ?? 0);
    out[i] = x;
    out[i + 1] = y;
  }
  return out;
}

/** Points along a quadratic Bézier curve, for curved outlines. */
export function bezier(p0: readonly [number, number], p1: readonly [number, number], p2: readonly [number, number], n = 8): [number, number][] {
  const out: [number, number][] = [];
  for (let k = 0; k <= n; k++) {
    const t = k / n;
    const u = 1 - t;
    out.push([u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0], u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1]]);
  }
  return out;
}

/** Points along a circular arc around (cx, cy), from angle a0 to a1 (radians). */
export function arc(cx: number, cy: number, r: number, a0: number, a1: number, n = 8): [number, number][] {
  const out: [number, number][] = [];
  for (let k = 0; k <= n; k++) {
    const a = a0 + ((a1 - a0) * k) / n;
    out.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]);
  }
  return out;
}

/**
 * Thickness factors over a part's outline, in its local coordinates (u, v), multiplied together:
 * - rod: a cylinder lying along `axis`: √(1 − ((w − center)/radius)²) across it (w the other coordinate);
 * - dome: an ellipsoid cap √(1 − nu² − nv²);
 * - ramp: linear from t0 at coordinate `from` to t1 at `to` along `axis`, clamped (a blade's edge);
 * - stripes: 1 on the first `duty` share of each `period` along `axis`, `low` elsewhere (zip teeth, treads).
 */
export type Profile =
  | { kind: 'rod'; axis: 'u' | 'v'; center: number; radius: number }
  | { kind: 'dome'; cu: number; cv: number; ru: number; rv: number }
  | { kind: 'ramp'; axis: 'u' | 'v'; from: number; to: number; t0: number; t1: number }
  | { kind: 'stripes'; axis: 'u' | 'v'; period: number; duty: number; low: number; phase?: number };

/** Multiplicative value-noise texture: thickness × (1 + amplitude × noise(u·scale, v·scale)). */
export interface Texture {
  amplitude: number;
  /** Texture cells per cm. */
  scale: number;
  /** Offset into the texture, so that parts do not all look alike. */
  offset: number;
}

export interface Part {
  material: MaterialName;
  /** Outline in the part's own frame; several contours fill even-odd (holes). */
  contours: readonly Contour[];
  /** Path length through the thickest point, cm. */
  thickness: number;
  /** Mid-plane height above the item's base, cm. */
  z: number;
  /** Part frame → item frame. */
  at: Affine;
  profile?: readonly Profile[];
  texture?: Texture;
  /** −1 takes material away (a hollow): the part's path length is subtracted. */
  sign?: 1 | -1;
}

export type ItemRole = 'shell' | 'fitting' | 'content' | 'threat';

export interface Item {
  name: string;
  role: ItemRole;
  /** Class name for threats (ground truth), absent otherwise. */
  label?: string;
  parts: Part[];
  /** Item frame → belt (cm; x across the tunnel, y along the belt). */
  at: Affine;
  /** Height of the item's base above the belt, cm. */
  z: number;
}

interface PartOptions {
  at?: Affine;
  profile?: readonly Profile[];
  texture?: Texture;
  sign?: 1 | -1;
}

export function part(material: MaterialName, contours: Contour | readonly Contour[], thickness: number, z: number, options: PartOptions = {}): Part {
  const list = (Array.isArray(contours[0]) ? contours : [contours]) as readonly Contour[];
  const p: Part = { material, contours: list, thickness, z, at: options.at ?? IDENTITY };
  if (options.profile) p.profile = options.profile;
  if (options.texture) p.texture = options.texture;
  if (options.sign === -1) p.sign = -1;
  return p;
}

/** A solid cylinder of diameter d and length len lying along the part's u axis. */
export function rod(material: MaterialName, len: number, d: number, z: number, at: Affine = IDENTITY, extra: Omit<PartOptions, 'at' | 'profile'> = {}): Part {
  return part(material, rect(len, d), d, z, { ...extra, at, profile: [{ kind: 'rod', axis: 'u', center: 0, radius: d / 2 }] });
}

/** A tube (pipe, can, bottle body) lying along u: wall of `wall` cm, optionally filled. */
export function tube(material: MaterialName, len: number, d: number, wall: number, z: number, at: Affine = IDENTITY, fill?: MaterialName, fillShare = 1): Part[] {
  const inner = Math.max(0.01, d - 2 * wall);
  const parts = [rod(material, len, d, z, at), rod(material, len - 2 * wall, inner, z, at, { sign: -1 })];
  if (fill) {
    // A liquid lying in a tube fills it from the bottom up; seen from above its depth is roughly a share of the chord.
    const p = rod(fill, len - 2 * wall, inner, z - (inner * (1 - fillShare)) / 2, at);
    p.thickness = inner * fillShare;
    parts.push(p);
  }
  return parts;
}

/** A hollow box (case, housing): outline w × l, height h, walls `wall` thick, as top, bottom and side walls. */
export function hollowBox(material: MaterialName, w: number, l: number, h: number, wall: number, r: number, z0: number, at: Affine = IDENTITY): Part[] {
  const outer = rect(w, l, r);
  const inner = rect(w - 2 * wall, l - 2 * wall, Math.max(0, r - wall));
  return [
    part(material, outer, wall, z0 + wall / 2, { at }),
    part(material, outer, wall, z0 + h - wall / 2, { at }),
    part(material, [outer, inner], h - 2 * wall, z0 + h / 2, { at }),
  ];
}
