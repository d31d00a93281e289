import { type Affine, type Contour, type Item, type ItemRole, type Part, type Profile, type Texture, IDENTITY, affine, compose, hollowBox, part, rect, rod, tube } from './geometry.ts';
import type { MaterialName } from './materials.ts';
import type { Random } from './prng.ts';

/**
 * An object before it is packed: parts in its own frame, centred on the origin in x and y, its
 * base at z = 0, with its extent (w across x, l along y, h up) for packing.
 */
export interface Thing {
  name: string;
  role: ItemRole;
  label?: string;
  parts: Part[];
  w: number;
  l: number;
  h: number;
}

/** Collects parts in an object's frame; `at` places sub-assemblies. */
export class Parts {
  readonly list: Part[] = [];

  add(material: MaterialName, contours: Contour | readonly Contour[], thickness: number, z: number, at: Affine = IDENTITY, extra: { profile?: readonly Profile[]; texture?: Texture; sign?: 1 | -1 } = {}): this {
    this.list.push(part(material, contours, thickness, z, { ...extra, at }));
    return this;
  }

  /** Subtracts: a hollow inside something added before. */
  cut(material: MaterialName, contours: Contour | readonly Contour[], thickness: number, z: number, at: Affine = IDENTITY, profile?: readonly Profile[]): this {
    return this.add(material, contours, thickness, z, at, profile ? { profile, sign: -1 } : { sign: -1 });
  }

  rod(material: MaterialName, len: number, d: number, z: number, at: Affine = IDENTITY, texture?: Texture): this {
    this.list.push(rod(material, len, d, z, at, texture ? { texture } : {}));
    return this;
  }

  tube(material: MaterialName, len: number, d: number, wall: number, z: number, at: Affine = IDENTITY, fill?: MaterialName, fillShare = 1): this {
    this.list.push(...tube(material, len, d, wall, z, at, fill, fillShare));
    return this;
  }

  box(material: MaterialName, w: number, l: number, h: number, wall: number, r: number, z0: number, at: Affine = IDENTITY): this {
    this.list.push(...hollowBox(material, w, l, h, wall, r, z0, at));
    return this;
  }

  /** A flat plate (w × l, rounded r) of thickness t whose mid-plane is at z. */
  plate(material: MaterialName, w: number, l: number, t: number, z: number, at: Affine = IDENTITY, r = 0, texture?: Texture): this {
    return this.add(material, rect(w, l, r), t, z, at, texture ? { texture } : {});
  }

  /** Adds another collection's parts, moved by `at` and raised by dz. */
  merge(other: Parts | readonly Part[], at: Affine = IDENTITY, dz = 0): this {
    const parts = other instanceof Parts ? other.list : other;
    for (const p of parts) this.list.push({ ...p, at: compose(at, p.at), z: p.z + dz });
    return this;
  }

  /**
   * The finished thing. Its extent is measured from its parts (twice the farthest reach from the
   * origin each way, so that packing can treat it as centred); w, l and h are lower bounds.
   */
  thing(name: string, role: ItemRole, w: number, l: number, h: number, label?: string): Thing {
    let rx = w / 2;
    let ry = l / 2;
    let top = h;
    for (const p of this.list) {
      if (p.sign === -1) continue;
      const [a, b, c, d, e, f] = p.at;
      for (const contour of p.contours) {
        for (let i = 0; i + 1 < contour.length; i += 2) {
          const u = contour[i] as number;
          const v = contour[i + 1] as number;
          rx = Math.max(rx, Math.abs(a * u + c * v + e));
          ry = Math.max(ry, Math.abs(b * u + d * v + f));
        }
      }
      top = Math.max(top, p.z + p.thickness / 2);
    }
    const t: Thing = { name, role, parts: this.list, w: 2 * rx, l: 2 * ry, h: top };
    if (label !== undefined) t.label = label;
    return t;
  }
}

/** A texture with a random offset. */
export function tex(rng: Random, amplitude: number, scale: number): Texture {
  return { amplitude, scale, offset: rng.range(0, 4096) };
}

/** The space inside a bag, in the bag's frame: x, y centred, z from floor to ceiling. */
export interface Room {
  hw: number;
  hl: number;
  floor: number;
  ceiling: number;
}

export interface Placement {
  x: number;
  y: number;
  angle: number;
  flip: boolean;
  z: number;
}

/** Rotated half-extents of a w × l footprint. */
function halfExtents(w: number, l: number, angle: number): [number, number] {
  const c = Math.abs(Math.cos(angle));
  const s = Math.abs(Math.sin(angle));
  return [(w * c + l * s) / 2, (w * s + l * c) / 2];
}

/**
 * A random spot for a thing inside the room: turned by `angle` (random when absent), kept inside
 * where it fits, at a random height between floor and ceiling.
 */
export function placeIn(rng: Random, room: Room, t: Thing, options: { angle?: number; near?: { x: number; y: number; spread: number }; zBand?: [number, number] } = {}): Placement {
  const overflow = (a: number): number => {
    const [ex, ey] = halfExtents(t.w, t.l, a);
    return Math.max(ex - room.hw, ey - room.hl);
  };
  let angle = options.angle ?? rng.range(0, 2 * Math.PI);
  if (overflow(angle) > 0) {
    // Too long this way round: a quarter turn (a laptop across a narrow holdall), or for a freely
    // placed thing the best of a few other angles (a hammer across the diagonal).
    const tries = options.angle === undefined ? Array.from({ length: 11 }, () => rng.range(0, 2 * Math.PI)) : [angle + Math.PI / 2];
    for (const a of tries) if (overflow(a) < overflow(angle)) angle = a;
  }
  const [ex, ey] = halfExtents(t.w, t.l, angle);
  const fit = (half: number, e: number, want: number): number => (e >= half ? 0 : Math.max(-half + e, Math.min(half - e, want)));
  const wantX = options.near ? options.near.x + rng.range(-1, 1) * options.near.spread : rng.range(-room.hw, room.hw);
  const wantY = options.near ? options.near.y + rng.range(-1, 1) * options.near.spread : rng.range(-room.hl, room.hl);
  const [z0, z1] = options.zBand ?? [room.floor, room.ceiling];
  const top = Math.max(z0, Math.min(z1, room.ceiling) - t.h);
  return { x: fit(room.hw, ex, wantX), y: fit(room.hl, ey, wantY), angle, flip: rng.chance(0.5), z: z0 + rng.next() * Math.max(0, top - z0) };
}

/** Shrinks a soft thing (clothes, a cable) in the belt plane so that it fits the room one way or the other. */
export function squeeze(t: Thing, room: Room): Thing {
  const s = Math.min(1, Math.max(Math.min((2 * room.hw) / t.w, (2 * room.hl) / t.l), Math.min((2 * room.hw) / t.l, (2 * room.hl) / t.w)));
  if (s >= 1) return t;
  const m: Affine = [s, 0, 0, s, 0, 0];
  return { ...t, parts: t.parts.map((p) => ({ ...p, at: compose(m, p.at) })), w: t.w * s, l: t.l * s };
}

/** The item a placed thing becomes, given the bag's own frame and height. */
export function toItem(t: Thing, p: Placement, bagAt: Affine, bagZ: number): Item {
  const local = compose(affine(p.x, p.y, p.angle), p.flip ? [1, 0, 0, -1, 0, 0] : IDENTITY);
  const item: Item = { name: t.name, role: t.role, parts: t.parts, at: compose(bagAt, local), z: bagZ + p.z };
  if (t.label !== undefined) item.label = t.label;
  return item;
}
