import { type Affine, type Contour, IDENTITY, affine, arc, compose, ellipse, polygon, rect, transformContour, wobble } from './geometry.ts';
import type { MaterialName } from './materials.ts';
import type { Random } from './prng.ts';
import { zipLine, zipSlider } from './luggage.ts';
import { Parts, type Thing, tex } from './scene.ts';

// What passengers pack: clothes, shoes, toiletries, bottles, electronics, cables, books and the
// small metal things every bag has. Each builder returns a thing in its own frame (x along its
// length, centred, base at z = 0).

// ---- clothes ------------------------------------------------------------------------------

type Garment = 'shirt' | 'tshirt' | 'jeans' | 'sweater' | 'trousers' | 'underwear' | 'socks';

/** A folded garment: a few layers of fabric with wrinkles, rolled fold edges and its hardware. */
export function garment(rng: Random, kind: Garment = rng.pick(['shirt', 'tshirt', 'tshirt', 'jeans', 'sweater', 'trousers', 'underwear', 'socks'] as const)): Thing {
  const p = new Parts();
  if (kind === 'socks') {
    // A few rolled pairs.
    const n = rng.int(2, 4);
    for (let k = 0; k < n; k++) {
      const at = affine((k - (n - 1) / 2) * 7, rng.range(-1, 1), rng.range(-0.3, 0.3));
      p.add('cotton', ellipse(4.2, 5.5), 5, 2.6, at, { profile: [{ kind: 'dome', cu: 0, cv: 0, ru: 4.2, rv: 5.5 }], texture: tex(rng, 0.3, 7) });
    }
    return p.thing('rolled socks', 'content', n * 7 + 2, 12, 5.2);
  }
  const size: Record<Exclude<Garment, 'socks'>, [number, number, number, number, number, number]> = {
    shirt: [24, 28, 30, 36, 2, 4],
    tshirt: [22, 27, 26, 32, 1.5, 3.5],
    jeans: [28, 34, 34, 42, 3.5, 6],
    sweater: [26, 32, 30, 36, 4, 7.5],
    trousers: [26, 32, 32, 40, 2.5, 4.5],
    underwear: [16, 22, 16, 24, 1.5, 3],
  };
  const [w0, w1, l0, l1, h0, h1] = size[kind];
  const w = rng.range(w0, w1);
  const l = rng.range(l0, l1);
  const h = rng.range(h0, h1);
  // Two layers: the garment, textured with its wrinkles, and the folded-over part on top.
  const grain = kind === 'sweater' ? tex(rng, 0.55, 14) : tex(rng, 0.45, rng.range(4, 7));
  const fold = rng.range(0.45, 0.75);
  const random = (): number => rng.next();
  p.add('cotton', wobble(rect(w, l, rng.range(0.8, 3)), 0.8, random), h * (1 - fold * 0.5), h * 0.35, affine(rng.range(-0.6, 0.6), rng.range(-0.6, 0.6), rng.range(-0.04, 0.04)), { texture: grain });
  const fw = w - rng.range(0, 3);
  const fl = l * rng.range(0.5, 1);
  p.add('cotton', wobble(rect(fw, fl, rng.range(0.8, 3)), 0.6, random), h * fold * 0.5, h * 0.8, affine(rng.range(-1, 1), ((l - fl) / 2) * (rng.chance(0.5) ? 1 : -1), rng.range(-0.05, 0.05)));
  // Folded edges are rolled: rounder and a little thicker than the flat layers.
  for (const s of [-1, 1]) {
    p.add('cotton', rect(1.6, l - 2, 0.8), h * 0.7, h / 2, affine((s * w) / 2, 0), { profile: [{ kind: 'rod', axis: 'v', center: 0, radius: 0.8 }], texture: grain });
  }
  if (kind === 'shirt') {
    // Button placket down the middle, collar at one end.
    const n = rng.int(5, 7);
    for (let k = 0; k < n; k++) {
      const at = affine(rng.range(-0.2, 0.2), -l / 2 + 4 + (k * (l - 8)) / (n - 1));
      p.add('polycarbonate', [ellipse(0.55, 0.55), ellipse(0.12, 0.12)], 0.25, h, at);
    }
    p.add('cotton', [ellipse(6, 3.5), ellipse(4.5, 2.3)], 1.2, h - 0.3, affine(0, -l / 2 + 3));
  }
  if (kind === 'jeans') {
    // Shank button, rivets at the pocket corners, the fly's zip.
    p.add('brass', ellipse(0.85, 0.85), 0.4, h - 0.2, affine(-w * 0.2, -l / 2 + 3));
    const rivets = rng.int(4, 6);
    for (let k = 0; k < rivets; k++) p.add('copper', ellipse(0.4, 0.4), 0.3, rng.chance(0.5) ? h - 0.1 : 0.1, affine(rng.range(-w / 2 + 2, w / 2 - 2), rng.range(-l / 2 + 2, l / 2 - 2)));
    const fly = affine(-w * 0.2, -l / 2 + 9, Math.PI / 2);
    p.add('brass', rect(10, 0.5), 0.2, h - 0.5, fly, { profile: [{ kind: 'stripes', axis: 'u', period: 0.42, duty: 0.6, low: 0.2 }] });
    p.add('steel', rect(1.3, 0.9), 0.4, h - 0.4, compose(fly, affine(-4.5, 0)));
  }
  if (kind === 'underwear' && rng.chance(0.4)) {
    // Underwires: two thin steel arcs.
    for (const s of [-1, 1]) p.add('steel', arcBand(5.5, 0.22, Math.PI * 0.05, Math.PI * 0.95), 0.15, h / 2, affine(s * 5.5, 2));
  }
  if (kind === 'trousers' && rng.chance(0.5)) {
    p.add('steel', [rect(1.6, 1.2, 0.2), rect(0.8, 0.4)], 0.25, h, affine(-w * 0.25, -l / 2 + 2));
  }
  return p.thing(`folded ${kind}`, 'content', w + 3, l + 3, h + 0.5);
}

/** A band of width bw along a circular arc of radius r (centre at the origin). */
function arcBand(r: number, bw: number, a0: number, a1: number): Contour {
  const outer = arc(0, 0, r + bw / 2, a0, a1, 14);
  const inner = arc(0, 0, r - bw / 2, a1, a0, 14);
  return polygon([...outer, ...inner]);
}

/** A belt coiled up: rings of leather on edge, with its steel buckle. */
export function belt(rng: Random): Thing {
  const p = new Parts();
  const coils = rng.int(2, 4);
  const bw = rng.range(3, 4);
  for (let k = 0; k < coils; k++) {
    const rx = 4 + k * 0.55;
    const ry = 3.2 + k * 0.55;
    p.add('nylon', [ellipse(rx + 0.22, ry + 0.22), ellipse(rx - 0.22, ry - 0.22)], bw, bw / 2);
  }
  const buckle = affine(4 + coils * 0.55 + 2, 0, Math.PI / 2);
  p.add('steel', [rect(bw + 1.2, 4.2, 0.8), rect(bw + 0.2, 3.2, 0.4)], 0.45, bw / 2, buckle);
  p.add('steel', rect(0.35, 3.4), 0.35, bw / 2, buckle);
  return p.thing('belt', 'content', 16, 11, bw);
}

/** Shoe sole outline, heel at −x, toe at +x. */
function soleOutline(L: number, W: number): Contour {
  // Half-width along the foot (share of length → share of width), cosine-blended.
  const keys: [number, number][] = [[0, 0.3], [0.06, 0.6], [0.18, 0.66], [0.42, 0.54], [0.7, 0.98], [0.84, 0.93], [0.95, 0.62], [1, 0.2]];
  const top: [number, number][] = [];
  for (let i = 0; i <= 24; i++) {
    const s = i / 24;
    let k = 0;
    while (k + 2 < keys.length && (keys[k + 1]?.[0] ?? 1) < s) k++;
    const [s0, h0] = keys[k] as [number, number];
    const [s1, h1] = keys[k + 1] as [number, number];
    const f = (1 - Math.cos((Math.PI * (s - s0)) / (s1 - s0))) / 2;
    top.push([(s - 0.5) * L, (h0 + (h1 - h0) * f) * (W / 2)]);
  }
  const bottom = top.slice(1, -1).reverse().map(([x, y]): [number, number] => [x, -y * 0.92]);
  return polygon([...top, ...bottom]);
}

function scaleContour(c: Contour, s: number): Contour {
  return c.map((v) => v * s);
}

/** A pair of shoes: rubber soles with tread, fabric uppers, steel eyelets, sometimes a steel shank. */
export function shoes(rng: Random): Thing {
  const p = new Parts();
  const L = rng.range(25, 30);
  const W = rng.range(9, 10.5);
  const sole = rng.range(1.8, 3);
  const upper = rng.range(6, 9);
  const boot = rng.chance(0.15);
  const eyelets = rng.chance(0.7);
  const shank = rng.chance(0.4);
  const outline = soleOutline(L, W);
  const side = (s: number): void => {
    const at = compose(affine(0, s * (W / 2 + 0.6), rng.range(-0.06, 0.06)), s < 0 ? [1, 0, 0, -1, 0, 0] : IDENTITY);
    p.add('rubber', outline, sole, sole / 2, at, { profile: [{ kind: 'stripes', axis: 'u', period: rng.range(0.6, 1.1), duty: 0.55, low: 0.78 }] });
    p.add('rubber', rect(L * 0.26, W * 0.7, 2.5), 1.4, sole + 0.7, compose(at, affine(-L * 0.36, 0)));
    p.add('cotton', outline, 0.6, sole + 0.3, at, { texture: tex(rng, 0.3, 6) });
    // The upper: a band of fabric and leather round the sole, closed over the toes.
    p.add('nylon', [outline, scaleContour(outline, 0.9)], upper + (boot ? 8 : 0), sole + (upper + (boot ? 8 : 0)) / 2, at, { texture: tex(rng, 0.35, 5) });
    p.add('nylon', rect(L * 0.35, W * 0.8, 3), 0.3, sole + upper * 0.6, compose(at, affine(L * 0.3, 0)));
    p.add('polycarbonate', [rect(L * 0.2, W * 0.9, 3), rect(L * 0.2 - 0.4, W * 0.9 - 0.4, 2.8)], 4, sole + 2.5, compose(at, affine(-L * 0.39, 0)));
    if (eyelets) {
      const n = rng.int(4, 7);
      for (let k = 0; k < n; k++) {
        for (const e of [-1, 1]) {
          const x = -L * 0.05 + (k * L * 0.3) / (n - 1);
          p.add('steel', [ellipse(0.32, 0.32), ellipse(0.16, 0.16)], 0.35, sole + upper, compose(at, affine(x, e * (1.3 + k * 0.08))));
        }
      }
    }
    if (shank) p.add('steel', rect(9, 1.3, 0.3), 0.15, sole * 0.8, compose(at, affine(-L * 0.12, 0)));
  };
  side(-1);
  side(1);
  return p.thing(boot ? 'boots' : 'shoes', 'content', L + 1, 2 * W + 3, sole + upper + (boot ? 8 : 0));
}

// ---- toiletries and bottles ------------------------------------------------------------------

/** Shampoo or shower gel: a flattened PE bottle lying down, mostly full, with its cap. */
function shampoo(rng: Random): [Parts, number, number, number] {
  const p = new Parts();
  const l = rng.range(14, 20);
  const w = rng.range(5, 7);
  const d = rng.range(3, 4.2);
  p.box('polyethylene', l, w, d, 0.08, w / 2 - 0.5, 0);
  p.add('water', rect(l * rng.range(0.6, 0.92), w - 0.3, w / 2 - 0.6), d - 0.3, d / 2, affine(-l * 0.03, 0), { profile: [{ kind: 'rod', axis: 'u', center: 0, radius: (w - 0.3) / 2 }] });
  p.add('polyethylene', rect(3, w * 0.7, 0.6), d * 0.9, d / 2, affine(l / 2 + 1.3, 0)).cut('polyethylene', rect(2.2, w * 0.5, 0.4), d * 0.6, d / 2, affine(l / 2 + 1.3, 0));
  return [p, l + 3, w, d];
}

/** An aerosol (deodorant, shaving foam): aluminium can, liquid and butane inside, valve cup, cap. */
function aerosol(rng: Random): [Parts, number, number, number] {
  const p = new Parts();
  const l = rng.range(12, 19);
  const d = rng.range(4.5, 5.5);
  const r = d / 2;
  p.tube('aluminium', l, d, 0.045, r, affine(0, 0), 'water', rng.range(0.3, 0.6));
  p.rod('butane', l - 0.2, d - 0.2, r);
  // Valve cup and bottom dome: discs seen edge-on.
  p.rod('steel', 0.35, d * 0.6, r, affine(l / 2 - 0.2, 0, Math.PI / 2));
  p.rod('aluminium', 0.3, d - 0.1, r, affine(-l / 2 + 0.4, 0, Math.PI / 2));
  p.rod('steel', 1.2, 0.25, r, affine(l / 2 - 0.8, 0));
  p.tube('polyethylene', 5, d + 0.2, 0.12, r, affine(l / 2 + 2.2, 0));
  return [p, l + 5, d + 0.2, d];
}

/** Toothpaste: a laminate tube, round at the cap and flat at the crimp, full of paste. */
function toothpaste(rng: Random): [Parts, number, number, number] {
  const p = new Parts();
  const l = rng.range(13, 18);
  const w0 = 3.4;
  const w1 = 5;
  const outline = polygon([[-l / 2, -w1 / 2], [l / 2, -w0 / 2], [l / 2, w0 / 2], [-l / 2, w1 / 2]]);
  p.add('polyethylene', outline, 0.08, 1.6, IDENTITY, { profile: [{ kind: 'ramp', axis: 'u', from: -l / 2, to: l / 2, t0: 0.4, t1: 1 }] });
  p.add('toothpaste', outline, 3, 1.6, IDENTITY, { profile: [{ kind: 'rod', axis: 'u', center: 0, radius: w1 / 2 }, { kind: 'ramp', axis: 'u', from: -l / 2, to: l / 2, t0: 0.05, t1: 1 }] });
  p.add('polyethylene', rect(1.2, w1 + 0.2), 0.2, 1.6, affine(-l / 2 - 0.5, 0));
  p.rod('polyethylene', 1.8, 2.2, 1.6, affine(l / 2 + 0.9, 0));
  // Some tubes still have an aluminium barrier layer.
  if (rng.chance(0.4)) p.add('aluminium', outline, 0.006, 1.6);
  return [p, l + 2, w1, 3.2];
}

function razor(rng: Random): [Parts, number, number, number] {
  const p = new Parts();
  p.rod('polyethylene', 11, 1.3, 0.7, affine(0, 0), tex(rng, 0.1, 6));
  p.add('polycarbonate', rect(1.4, 4, 0.4), 0.8, 0.7, affine(6, 0));
  for (const dx of [-0.3, 0, 0.3]) p.add('steel', rect(0.08, 3.6), 0.6, 0.7, affine(6 + dx, 0));
  return [p, 14, 4, 1.4];
}

function toothbrush(rng: Random): [Parts, number, number, number] {
  const p = new Parts();
  p.rod('polyethylene', 15, 1.1, 0.6, affine(0, 0), tex(rng, 0.1, 6));
  p.add('nylon', rect(2.6, 1.1), 1.2, 1.4, affine(6, 0), { profile: [{ kind: 'stripes', axis: 'u', period: 0.25, duty: 0.6, low: 0.4 }] });
  return [p, 16, 1.4, 2.2];
}

/** Perfume: a thick glass bottle, liquid, an aluminium and plastic spray head. */
function perfume(rng: Random): [Parts, number, number, number] {
  const p = new Parts();
  const w = rng.range(4.5, 7);
  const l = rng.range(5.5, 9);
  const d = rng.range(2.5, 3.5);
  p.box('glass', l, w, d, 0.45, 0.8, 0);
  p.add('water', rect(l - 1, w - 1, 0.5), (d - 0.9) * rng.range(0.5, 1), d / 2);
  p.tube('aluminium', 2, 1.8, 0.05, d / 2, affine(l / 2 + 1, 0));
  p.rod('polyethylene', 1.6, 1.4, d / 2, affine(l / 2 + 1, 0));
  p.rod('steel', 2.2, 0.15, d / 2, affine(l / 2 - 0.6, 0));
  return [p, l + 2.5, w, d];
}

function creamJar(rng: Random): [Parts, number, number, number] {
  const p = new Parts();
  const r = rng.range(2.5, 3.5);
  const h = rng.range(2.5, 4);
  const glassJar = rng.chance(0.4);
  const m: MaterialName = glassJar ? 'glass' : 'polyethylene';
  const wall = glassJar ? 0.35 : 0.15;
  p.add(m, ellipse(r, r), 2 * wall, h / 2).add(m, [ellipse(r, r), ellipse(r - wall, r - wall)], h, h / 2);
  p.add('water', ellipse(r - wall, r - wall), (h - 2 * wall) * 0.85, h / 2);
  p.add('polyethylene', ellipse(r + 0.15, r + 0.15), 0.3, h + 0.2);
  return [p, 2 * r, 2 * r, h + 0.4];
}

type Small = (rng: Random) => [Parts, number, number, number];

const TOILETRIES: readonly Small[] = [shampoo, shampoo, aerosol, toothpaste, razor, toothbrush, perfume, creamJar];

/** A wash bag: fabric pouch with a zip, holding a few toiletries. */
export function washBag(rng: Random): Thing {
  const p = new Parts();
  const L = rng.range(20, 26);
  const W = rng.range(12, 16);
  const H = rng.range(7, 10);
  const weave = tex(rng, 0.25, 9);
  p.add('nylon', rect(L, W, 3), 0.1, 0.05, IDENTITY, { texture: weave }).add('nylon', rect(L, W, 3), 0.1, H - 0.05, IDENTITY, { texture: weave });
  p.add('nylon', [rect(L, W, 3), rect(L - 0.6, W - 0.6, 2.7)], H - 0.2, H / 2);
  zipLine(p, L - 5, H, affine(0, 0), rng.chance(0.4), rng);
  zipSlider(p, rng.range(-5, 5), 0.5, 0, H + 0.2, IDENTITY);
  const n = rng.int(2, 4);
  for (let k = 0; k < n; k++) {
    const [inner, l, w] = rng.pick(TOILETRIES)(rng);
    const angle = rng.chance(0.7) ? rng.range(-0.25, 0.25) : Math.PI / 2 + rng.range(-0.2, 0.2);
    const reach = Math.max(0, (L - Math.max(l, w)) / 2 - 1);
    p.merge(inner, affine(rng.range(-reach, reach), rng.range(-W / 4, W / 4), angle), 0.3 + rng.range(0, 2));
  }
  return p.thing('wash bag', 'content', L, W, H + 0.5);
}

/** One toiletry loose in the bag. */
export function toiletry(rng: Random): Thing {
  const maker = rng.pick(TOILETRIES);
  const [p, l, w, h] = maker(rng);
  return p.thing(maker.name, 'content', l, w, h);
}

/** A drinks bottle lying down: glass (wine, spirits) or PET (water), mostly full. */
export function bottle(rng: Random): Thing {
  const p = new Parts();
  if (rng.chance(0.55)) {
    const l = rng.range(16, 22);
    const d = rng.range(6.5, 8.5);
    const wall = rng.range(0.3, 0.5);
    const r = d / 2;
    p.tube('glass', l, d, wall, r, affine(0, 0), 'water', rng.range(0.7, 0.95));
    // Shoulder in three steps, then the neck with its cork or screw cap.
    for (let k = 0; k < 3; k++) {
      const dk = d - ((k + 1) * (d - 3)) / 4;
      p.tube('glass', 1.4, dk, wall, r, affine(l / 2 + 0.7 + k * 1.4, 0), 'water', 0.6);
    }
    p.tube('glass', 7, 3, 0.45, r, affine(l / 2 + 4.2 + 3.5, 0));
    if (rng.chance(0.5)) p.rod('wood', 3.5, 2, r, affine(l / 2 + 4.2 + 5.8, 0));
    else p.tube('aluminium', 4, 3.2, 0.03, r, affine(l / 2 + 4.2 + 5.5, 0));
    return p.thing('glass bottle', 'content', l + 12, d, d);
  }
  const l = rng.range(16, 22);
  const d = rng.range(6, 7.5);
  p.tube('polycarbonate', l, d, 0.03, d / 2, affine(0, 0), 'water', rng.range(0.6, 1));
  // Ribs moulded into the bottle.
  p.add('polycarbonate', rect(l * 0.8, d), 0.06, d / 2, IDENTITY, { profile: [{ kind: 'stripes', axis: 'u', period: 1.4, duty: 0.3, low: 0 }] });
  p.tube('polycarbonate', 3, 3.2, 0.05, d / 2, affine(l / 2 + 1.5, 0), 'water', 0.5);
  p.tube('polyethylene', 1.6, 3.4, 0.15, d / 2, affine(l / 2 + 3.5, 0));
  return p.thing('water bottle', 'content', l + 4.5, d, d);
}

/** A vacuum flask: two stainless steel walls, a drink inside, plastic lid. */
export function flask(rng: Random): Thing {
  const p = new Parts();
  const l = rng.range(18, 26);
  const d = rng.range(6.5, 8);
  p.tube('steel', l, d, 0.05, d / 2, affine(0, 0));
  p.tube('steel', l - 1, d - 0.8, 0.04, d / 2, affine(0, 0), 'water', rng.range(0, 0.9));
  p.tube('polyethylene', 4, d + 0.2, 0.3, d / 2, affine(l / 2 + 2, 0));
  return p.thing('vacuum flask', 'content', l + 4, d + 0.2, d);
}

export function mug(rng: Random): Thing {
  const p = new Parts();
  const r = rng.range(4, 4.6);
  const h = rng.range(8.5, 10);
  // Standing: seen from above, the wall is a ring of its full height, the base a disc.
  p.add('ceramic', [ellipse(r, r), ellipse(r - 0.5, r - 0.5)], h, h / 2).add('ceramic', ellipse(r - 0.5, r - 0.5), 0.6, 0.3);
  p.add('ceramic', [rect(3.2, 1.4, 0.7), rect(2.2, 0.6, 0.3)], 0.8, h / 2, affine(r + 1.4, 0), {});
  return p.thing('mug', 'content', 2 * r + 3.5, 2 * r, h);
}

// ---- electronics -----------------------------------------------------------------------------

/** A circuit board with copper, chips, solder and the odd inductor. */
function board(p: Parts, rng: Random, w: number, l: number, z: number, at: Affine, chips: number): void {
  p.add('fr4', rect(w, l, 0.3), 0.12, z, at);
  p.add('copper', rect(w - 0.4, l - 0.4), 0.006, z, at, { texture: tex(rng, 0.8, 10) });
  for (let k = 0; k < chips; k++) {
    const cw = rng.range(0.6, Math.min(3, w * 0.4));
    const cl = rng.range(0.6, Math.min(3, l * 0.4));
    const m = compose(at, affine(rng.range(-w / 2 + cw, w / 2 - cw), rng.range(-l / 2 + cl, l / 2 - cl)));
    p.add('glass', rect(cw, cl, 0.1), 0.15, z + 0.12, m);
    p.add('solder', rect(cw + 0.3, cl + 0.3), 0.01, z + 0.07, m, { profile: [{ kind: 'stripes', axis: 'u', period: 0.13, duty: 0.4, low: 0 }] });
  }
  const coils = rng.int(0, 3);
  for (let k = 0; k < coils; k++) p.add('ferrite', rect(0.8, 0.8, 0.1), 0.4, z + 0.25, compose(at, affine(rng.range(-w / 3, w / 3), rng.range(-l / 3, l / 3))));
}

export function laptop(rng: Random): Thing {
  const p = new Parts();
  const W = rng.range(30, 36);
  const D = rng.range(21, 25);
  const H = rng.range(1.5, 2.1);
  const metalCase = rng.chance(0.6);
  const skin: MaterialName = metalCase ? 'aluminium' : 'polycarbonate';
  // Base and lid, each a thin shell: their two skins each as one plate, their rims as one wall.
  const wall = metalCase ? 0.08 : 0.15;
  p.add(skin, rect(W, D, 1), 2 * wall, H * 0.3).add(skin, rect(W, D, 1), 2 * wall, H * 0.8);
  p.add(skin, [rect(W, D, 1), rect(W - 2 * wall, D - 2 * wall, 1 - wall)], H, H / 2);
  p.add('glass', rect(W - 1.5, D - 1.5, 0.5), 0.07, H * 0.85).add('polycarbonate', rect(W - 1.6, D - 1.6, 0.5), 0.25, H * 0.75);
  // Battery: pouch cells in a row along the front edge.
  const cells = rng.int(3, 4);
  const cw = (W * 0.6) / cells;
  for (let k = 0; k < cells; k++) {
    p.add('liIonPouch', rect(cw - 0.3, D * 0.33, 0.3), 0.55, 0.45, affine(-W * 0.3 + cw * (k + 0.5), D * 0.28));
  }
  // Mainboard, heat pipe and fan towards the hinge.
  board(p, rng, W * 0.55, D * 0.32, 0.4, affine(W * 0.12, -D * 0.22), rng.int(6, 12));
  p.add('copper', rect(2.4, 2.4, 0.2), 0.12, 0.6, affine(W * 0.05, -D * 0.2));
  const fan = affine(W * 0.33, -D * 0.26);
  const hp = affine((W * 0.05 + W * 0.33) / 2, -D * 0.23, rng.range(-0.05, 0.05));
  p.add('copper', rect(W * 0.28, 0.8, 0.35), 0.3, 0.7, hp).cut('copper', rect(W * 0.28 - 0.2, 0.6, 0.3), 0.2, 0.7, hp);
  p.add('polycarbonate', [ellipse(3.2, 3.2), ellipse(3, 3)], 0.7, 0.6, fan).add('polycarbonate', ellipse(2.9, 2.9), 0.1, 0.6, fan);
  p.add('steel', ellipse(0.8, 0.8), 0.4, 0.6, fan).add('copper', rect(0.8, 5), 0.6, 0.6, compose(fan, affine(3.8, 0)), { profile: [{ kind: 'stripes', axis: 'v', period: 0.15, duty: 0.35, low: 0 }] });
  // Keyboard: key caps in a grid over a thin steel plate.
  const kb = affine(0, -D * 0.02);
  p.add('steel', rect(W * 0.85, D * 0.38), 0.03, H * 0.55, kb);
  p.add('polycarbonate', rect(W * 0.85, D * 0.38), 0.3, H * 0.58, kb, {
    profile: [
      { kind: 'stripes', axis: 'u', period: 1.9, duty: 0.85, low: 0.1 },
      { kind: 'stripes', axis: 'v', period: 1.9, duty: 0.85, low: 0.1 },
    ],
  });
  p.add('polycarbonate', rect(W * 0.3, D * 0.2, 0.5), 0.08, H * 0.58, affine(0, D * 0.3));
  // Speakers with magnets, hinges, screws, ports.
  for (const s of [-1, 1]) {
    p.add('ferrite', rect(1.2, 2.2, 0.2), 0.4, 0.5, affine(s * W * 0.42, D * 0.05));
    p.add('steel', rect(3.5, 1.2, 0.3), 0.7, H * 0.6, affine(s * W * 0.32, -D / 2 + 0.7));
  }
  for (let k = 0; k < 10; k++) {
    const sx = (k % 5) / 4 - 0.5;
    const sy = k < 5 ? -1 : 1;
    p.add('steel', ellipse(0.2, 0.2), 0.5, 0.3, affine(sx * (W - 3), sy * (D / 2 - 1.2)));
  }
  for (let k = 0; k < rng.int(2, 4); k++) {
    p.add('steel', [rect(1.3, 0.9), rect(1.1, 0.7)], 0.45, H * 0.3, affine(-W / 2 + 0.6, -D * 0.25 + k * 1.8, Math.PI / 2));
  }
  return p.thing('laptop', 'content', W, D, H);
}

export function tablet(rng: Random): Thing {
  const p = new Parts();
  const W = rng.range(17, 25);
  const D = rng.range(12, 17);
  p.box('aluminium', W, D, 0.7, 0.06, 0.8, 0);
  p.add('glass', rect(W - 0.3, D - 0.3, 0.8), 0.06, 0.68);
  const cells = rng.int(1, 2);
  for (let k = 0; k < cells; k++) p.add('liIonPouch', rect(W * 0.36, D * 0.8, 0.3), 0.35, 0.3, affine((k - (cells - 1) / 2) * W * 0.4, 0));
  board(p, rng, W * 0.12, D * 0.7, 0.3, affine(-W * 0.4, 0), 5);
  p.add('ferrite', rect(0.6, 2.5), 0.3, 0.3, affine(W * 0.44, 0));
  return p.thing('tablet', 'content', W, D, 0.75);
}

export function phone(rng: Random): Thing {
  const p = new Parts();
  const W = rng.range(14, 16.5);
  const D = rng.range(6.8, 7.8);
  const H = rng.range(0.75, 0.9);
  p.add('glass', rect(W, D, 1), 0.06, 0.03).add('glass', rect(W, D, 1), 0.06, H - 0.03);
  p.add('aluminium', [rect(W, D, 1), rect(W - 0.5, D - 0.5, 0.8)], H - 0.12, H / 2);
  p.add('liIonPouch', rect(W * 0.5, D * 0.82, 0.3), 0.45, H / 2, affine(W * 0.08, 0));
  board(p, rng, W * 0.3, D * 0.8, H * 0.4, affine(-W * 0.3, 0), 6);
  p.add('steel', rect(W * 0.25, D * 0.6), 0.03, H * 0.55, affine(-W * 0.3, 0));
  p.add('steel', [ellipse(0.8, 0.8), ellipse(0.5, 0.5)], 0.4, H * 0.7, affine(-W * 0.38, D * 0.25)).add('glass', ellipse(0.5, 0.5), 0.2, H * 0.7, affine(-W * 0.38, D * 0.25));
  p.add('ferrite', rect(0.8, 1.4), 0.3, H / 2, affine(W * 0.44, D * 0.2));
  p.add('steel', [rect(0.8, 1), rect(0.7, 0.85)], 0.3, H / 2, affine(W / 2 - 0.4, 0));
  return p.thing('phone', 'content', W, D, H);
}

/** A cable: copper conductors in PVC, loosely coiled, with a plug at each end. */
export function cable(rng: Random): Thing {
  const p = new Parts();
  const d = rng.range(0.3, 0.55);
  const cores = rng.int(1, 2);
  const loops = rng.range(1.5, 4);
  const rx = rng.range(5, 9);
  const ry = rx * rng.range(0.5, 1);
  const pts: [number, number][] = [];
  const perLoop = 20;
  const steps = Math.round(loops * perLoop);
  let wobble = 0;
  for (let k = 0; k <= steps; k++) {
    const a = (k / perLoop) * 2 * Math.PI;
    wobble += rng.range(-0.25, 0.25);
    wobble *= 0.9;
    const s = 1 + 0.18 * Math.sin(a * 0.5 + loops) + 0.1 * wobble;
    pts.push([rx * s * Math.cos(a) + k * 0.04, ry * s * Math.sin(a)]);
  }
  // Loose ends trail off.
  const tail = (from: [number, number], dir: number): [number, number][] => {
    const out: [number, number][] = [from];
    let [x, y] = from;
    let a = dir;
    for (let k = 0; k < 10; k++) {
      a += rng.range(-0.35, 0.35);
      x += Math.cos(a) * 0.9;
      y += Math.sin(a) * 0.9;
      out.push([x, y]);
    }
    return out;
  };
  const first = pts[0] as [number, number];
  const last = pts[pts.length - 1] as [number, number];
  const path = [...tail(first, rng.range(0, 2 * Math.PI)).reverse(), ...pts, ...tail(last, rng.range(0, 2 * Math.PI)).slice(1)];
  for (let k = 0; k + 1 < path.length; k++) {
    const [x0, y0] = path[k] as [number, number];
    const [x1, y1] = path[k + 1] as [number, number];
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len < 1e-3) continue;
    const at = affine((x0 + x1) / 2, (y0 + y1) / 2, Math.atan2(y1 - y0, x1 - x0));
    // Loops stacked on each other: each turn a little higher.
    const z = d / 2 + (k / path.length) * loops * d * 0.6;
    p.rod('pvc', len, d, z, at);
    // The conductors, as one copper rod of their combined cross-section.
    p.rod('copper', len, 0.08 * Math.sqrt(cores), z, at);
  }
  const plug = (end: [number, number], prev: [number, number], kind: number): void => {
    const a = Math.atan2(end[1] - prev[1], end[0] - prev[0]);
    const at = affine(end[0], end[1], a);
    p.add('pvc', rect(3, 1.5, 0.5), 0.9, 0.5, compose(at, affine(1.5, 0)));
    if (kind === 0) p.add('steel', rect(1.6, 1.25), 0.5, 0.5, compose(at, affine(3.8, 0))).cut('steel', rect(1.4, 1.1), 0.3, 0.5, compose(at, affine(3.9, 0)));
    else if (kind === 1) p.add('steel', rect(0.9, 0.85, 0.3), 0.3, 0.5, compose(at, affine(3.4, 0)));
    else p.rod('brass', 1.6, 0.35, 0.5, compose(at, affine(3.8, 0)));
  };
  plug(path[path.length - 1] as [number, number], path[path.length - 2] as [number, number], rng.int(0, 2));
  plug(path[0] as [number, number], path[1] as [number, number], rng.int(0, 2));
  const extent = 2 * (Math.max(rx, ry) * 1.3 + 11);
  return p.thing('cable', 'content', extent, extent, loops * d * 0.6 + d + 1);
}

/** A charger: plastic housing, ferrite transformer with copper windings, capacitors, prongs. */
export function charger(rng: Random): Thing {
  const p = new Parts();
  const brick = rng.chance(0.45);
  const W = brick ? rng.range(9, 12) : rng.range(4, 5.5);
  const D = brick ? rng.range(5, 6.5) : rng.range(4, 5.5);
  const H = brick ? rng.range(2.5, 3.2) : rng.range(2.4, 3);
  p.box('polycarbonate', W, D, H, 0.2, 0.6, 0);
  board(p, rng, W - 0.8, D - 0.8, 0.4, IDENTITY, brick ? 6 : 3);
  const transformer = (at: Affine, s: number): void => {
    // E-core seen from the side: a block with two winding windows.
    const window = rect(0.5 * s, 1.2 * s);
    p.add('ferrite', [rect(2.2 * s, 1.8 * s, 0.1), transformContour(window, affine(-0.55 * s, 0)), transformContour(window, affine(0.55 * s, 0))], 1.3 * s, H / 2, at);
    p.add('copper', [rect(2.0 * s, 1.3 * s, 0.3), rect(0.6 * s, 1.4 * s)], 0.9 * s, H / 2, at, { profile: [{ kind: 'stripes', axis: 'v', period: 0.08, duty: 0.7, low: 0.4 }] });
  };
  transformer(affine(brick ? -W * 0.15 : 0, 0), brick ? 1.4 : 1);
  if (brick) transformer(affine(W * 0.2, D * 0.1), 0.8);
  const caps = brick ? rng.int(2, 3) : 1;
  for (let k = 0; k < caps; k++) {
    const at = affine(-W / 2 + 1.3 + k * 1.6, -D / 2 + 1.3);
    p.add('aluminium', [ellipse(0.6, 0.6), ellipse(0.55, 0.55)], H * 0.6, H * 0.4, at).add('water', ellipse(0.55, 0.55), H * 0.5, H * 0.4, at);
  }
  if (brick) p.add('aluminium', rect(W * 0.8, D * 0.5), 0.15, H * 0.75, affine(0, D * 0.15));
  else for (const s of [-1, 1]) p.add('brass', rect(1.8, 0.25), 0.7, H / 2, affine(W / 2 + 0.9, s * 0.9));
  return p.thing(brick ? 'laptop charger' : 'phone charger', 'content', W + (brick ? 0 : 2), D, H);
}

export function headphones(rng: Random): Thing {
  const p = new Parts();
  const r = rng.range(7, 9);
  // Over-ear: a headband arc with two ear cups, each a driver with its magnet.
  p.add('polycarbonate', arcBand(r, 2.2, Math.PI * 1.05, Math.PI * 1.95), 1.2, 1.2);
  p.add('steel', arcBand(r, 0.5, Math.PI * 1.05, Math.PI * 1.95), 0.15, 1.2);
  for (const s of [-1, 1]) {
    const at = affine(s * r, 1.5);
    p.add('foam', ellipse(4.5, 5), 3, 1.6, at).add('polycarbonate', [ellipse(4, 4.5), ellipse(3.7, 4.2)], 3, 1.6, at);
    p.add('ferrite', ellipse(1.2, 1.2), 0.6, 1.6, at).add('steel', [ellipse(1.8, 1.8), ellipse(1.3, 1.3)], 0.3, 1.6, at).add('copper', [ellipse(1.3, 1.3), ellipse(1.2, 1.2)], 0.4, 1.6, at);
  }
  return p.thing('headphones', 'content', 2 * r + 10, r + 7, 3.2);
}

// ---- paper ---------------------------------------------------------------------------------

export function book(rng: Random): Thing {
  const p = new Parts();
  const w = rng.range(12, 17);
  const l = rng.range(18, 24);
  const h = rng.range(1.2, 4);
  const hard = rng.chance(0.4);
  // The text block, pages slightly uneven, inside its cover.
  p.add('paper', rect(w - 0.4, l - 0.6, 0.1), h - (hard ? 0.5 : 0.1), h / 2, IDENTITY, { texture: tex(rng, 0.05, 6) });
  const cover = hard ? 0.25 : 0.05;
  p.add('paper', rect(w, l, 0.15), cover, cover / 2).add('paper', rect(w, l, 0.15), cover, h - cover / 2);
  p.add('paper', rect(0.5, l), h, h / 2, affine(-w / 2 + 0.25, 0), { profile: [{ kind: 'rod', axis: 'v', center: -0.25, radius: 0.5 }] });
  if (!hard && rng.chance(0.3)) {
    // A spiral notebook: a steel wire coil along the spine.
    p.add('steel', rect(0.9, l - 1), h + 0.4, h / 2, affine(-w / 2 - 0.3, 0), { profile: [{ kind: 'stripes', axis: 'v', period: 0.85, duty: 0.18, low: 0 }, { kind: 'rod', axis: 'v', center: 0, radius: 0.45 }] });
    p.add('steel', rect(0.9, l - 1), 0.05, h / 2, affine(-w / 2 - 0.3, 0), { profile: [{ kind: 'stripes', axis: 'v', period: 0.85, duty: 0.18, low: 0 }] });
  } else if (!hard && h < 1.6 && rng.chance(0.5)) {
    for (const s of [-1, 1]) p.add('steel', rect(0.15, 1.3), 0.05, h / 2, affine(-w / 2 + 0.2, s * l * 0.25));
  }
  return p.thing(hard ? 'hardback book' : 'book', 'content', w + 1, l, h);
}

// ---- odds and ends -------------------------------------------------------------------------

export function keys(rng: Random): Thing {
  const p = new Parts();
  p.add('steel', [ellipse(1.5, 1.5), ellipse(1.3, 1.3)], 0.3, 0.3);
  const n = rng.int(2, 5);
  for (let k = 0; k < n; k++) {
    const a = rng.range(0, 2 * Math.PI);
    const at = affine(Math.cos(a) * 4.2, Math.sin(a) * 4.2, a);
    // Bow with its hole, a blade with cuts.
    const bow = compose(at, affine(-2.2, 0));
    p.add('brass', [ellipse(1.3, 1.2), ellipse(0.3, 0.3)], 0.25, 0.2 + k * 0.25, bow);
    p.add(rng.chance(0.5) ? 'brass' : 'steel', polygon([[-1, -0.45], [3.4, -0.45], [3.8, 0], [3.4, 0.35], [2.6, 0.1], [2.2, 0.4], [1.6, 0.05], [1.1, 0.4], [-1, 0.45]]), 0.22, 0.2 + k * 0.25, at);
  }
  if (rng.chance(0.5)) p.add('polycarbonate', rect(4, 2.5, 0.8), 1, 0.6, affine(0, -4)).add('liIonPouch', ellipse(0.6, 0.6), 0.3, 0.6, affine(0, -4));
  return p.thing('keys', 'content', 14, 14, 1.5);
}

export function coins(rng: Random): Thing {
  const p = new Parts();
  const purse = rng.chance(0.6);
  if (purse) p.box('nylon', 10, 8, 2, 0.1, 1.5, 0);
  const n = rng.int(3, 8);
  for (let k = 0; k < n; k++) {
    const r = rng.range(0.8, 1.3);
    p.add(rng.chance(0.6) ? 'copper' : 'steel', ellipse(r, r), rng.range(0.15, 0.25), 0.3 + rng.range(0, 1), affine(rng.range(-3.5, 3.5), rng.range(-2.5, 2.5)));
  }
  if (purse) p.add('steel', rect(8, 0.4), 0.4, 1.8, affine(0, 3.6));
  return p.thing('coins', 'content', 10, 8, 2);
}

/** A folded umbrella: aluminium shaft, steel ribs and runner, nylon canopy, plastic handle. */
export function umbrella(rng: Random): Thing {
  const p = new Parts();
  const l = rng.range(22, 30);
  p.add('nylon', rect(l * 0.85, 4.5, 2), 3.5, 2.2, affine(0.05 * l, 0), { profile: [{ kind: 'rod', axis: 'u', center: 0, radius: 2.25 }], texture: tex(rng, 0.5, 5) });
  p.tube('aluminium', l, 1.1, 0.08, 2.2, affine(0, 0));
  for (let k = 0; k < 6; k++) p.rod('steel', l * 0.8, 0.14, 2.2, affine(0.05 * l, (k - 2.5) * 0.55));
  p.tube('steel', 3, 1.4, 0.1, 2.2, affine(-l * 0.3, 0));
  p.add('steel', rect(5, 0.6), 0.6, 2.2, affine(l * 0.25, 0), { profile: [{ kind: 'stripes', axis: 'u', period: 0.35, duty: 0.5, low: 0.2 }] });
  p.add('polycarbonate', rect(6, 3, 1.4), 2.6, 2.2, affine(-l / 2 - 2.5, 0), { profile: [{ kind: 'rod', axis: 'u', center: 0, radius: 1.5 }] });
  return p.thing('umbrella', 'content', l + 6, 5, 4.4);
}

export function sunglasses(rng: Random): Thing {
  const p = new Parts();
  for (const s of [-1, 1]) {
    const at = affine(s * 3.4, 0);
    p.add('polycarbonate', ellipse(2.8, 2.2), 0.2, 0.6, at).add('polycarbonate', [ellipse(3.1, 2.5), ellipse(2.8, 2.2)], 0.5, 0.6, at);
    p.add('steel', rect(0.6, 0.5), 0.4, 0.6, affine(s * 6.6, -1.2));
    p.add('polycarbonate', rect(12, 0.5), 0.4, 0.5, affine(s * 5.5 - s * 0.6, 2.2 + rng.range(0, 1), s * 0.05));
  }
  p.add('steel', rect(1.6, 0.25), 0.2, 0.7, affine(0, -0.8));
  return p.thing('sunglasses', 'content', 15, 8, 1.2);
}

/** Food: fruit, a sandwich, a chocolate bar in foil, a bag of nuts. */
export function food(rng: Random): Thing {
  const p = new Parts();
  switch (rng.int(0, 3)) {
    case 0: {
      const r = rng.range(3.5, 4.3);
      p.add('water', ellipse(r, r * 0.95), 2 * r * 0.9, r, IDENTITY, { profile: [{ kind: 'dome', cu: 0, cv: 0, ru: r, rv: r * 0.95 }] });
      p.add('wood', rect(0.2, 1.4), 0.3, 2 * r - 0.2, affine(0, -r * 0.6));
      return p.thing('apple', 'content', 2 * r, 2 * r, 2 * r);
    }
    case 1:
      p.add('water', rect(12, 12, 1.5), 3, 1.5, IDENTITY, { texture: tex(rng, 0.35, 5) });
      p.add('polyethylene', rect(12.4, 12.4, 1.6), 0.05, 1.5);
      return p.thing('sandwich', 'content', 12.4, 12.4, 3);
    case 2:
      p.add('paper', rect(8, 16, 0.3), 1.3, 0.65, IDENTITY, { profile: [{ kind: 'stripes', axis: 'v', period: 2, duty: 0.85, low: 0.6 }] });
      p.add('aluminium', rect(8, 16, 0.3), 0.004, 0.65);
      return p.thing('chocolate bar', 'content', 8, 16, 1.3);
    default:
      p.add('paper', ellipse(7, 9), 3, 1.5, IDENTITY, { profile: [{ kind: 'dome', cu: 0, cv: 0, ru: 7, rv: 9 }], texture: tex(rng, 0.6, 9) });
      p.add('polyethylene', rect(14, 18, 3), 0.05, 1.5);
      return p.thing('snack bag', 'content', 14, 18, 3);
  }
}

export function pens(rng: Random): Thing {
  const p = new Parts();
  const n = rng.int(1, 3);
  for (let k = 0; k < n; k++) {
    const at = affine(0, (k - (n - 1) / 2) * 1.4, rng.range(-0.1, 0.1));
    p.rod('polycarbonate', 13.5, 1, 0.5, at);
    p.rod('steel', 3, 0.25, 0.5, compose(at, affine(2, 0)), tex(rng, 0.5, 20));
    p.rod('brass', 1.2, 0.25, 0.5, compose(at, affine(6.8, 0)));
    p.add('steel', rect(4, 0.3), 0.2, 1.0, compose(at, affine(-4.5, 0.4)));
  }
  return p.thing('pens', 'content', 15, n * 1.4 + 1, 1.2);
}

