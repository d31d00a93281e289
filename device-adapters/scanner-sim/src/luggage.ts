import { type Affine, affine, compose, ellipse, rect } from './geometry.ts';
import type { MaterialName } from './materials.ts';
import type { Random } from './prng.ts';
import { Parts, type Room, type Thing, tex } from './scene.ts';

// The bags themselves. Each lies on the belt on its back: x along its length, y across, z up, the
// bag's frame centred on its footprint. The shell and fittings come back as things placed at the
// bag's origin, with the room left inside for the contents.

export type BagStyle = 'suitcase' | 'soft-case' | 'holdall' | 'backpack';

export interface Bag {
  style: BagStyle;
  /** Footprint including wheels and handles, for placing the bag on the belt. */
  length: number;
  width: number;
  height: number;
  /** Offset of the footprint's centre from the bag frame's origin along x (wheels stick out at one end). */
  footprintX: number;
  fittings: Thing[];
  room: Room;
}

export function makeBag(rng: Random, style: BagStyle, maxLength: number): Bag {
  switch (style) {
    case 'suitcase':
      return caseBag(rng, true, maxLength);
    case 'soft-case':
      return caseBag(rng, false, maxLength);
    case 'holdall':
      return holdall(rng, maxLength);
    case 'backpack':
      return backpack(rng, maxLength);
  }
}

/**
 * A zip along a straight line of length `len` (along x in `at`), at height z: tape plus teeth,
 * metal (brass) or a nylon coil. Teeth are stripes across the line. `upright`: the zip runs round
 * a side wall, its tape standing on edge, so from above it is seen edge-on.
 */
export function zipLine(p: Parts, len: number, z: number, at: Affine, metal: boolean, rng: Random, upright = false): void {
  const [tapeW, tapeT] = upright ? [0.1, 2.4] : [2.4, 0.08];
  p.plate('nylon', len, tapeW, tapeT, z, at);
  const material: MaterialName = metal ? 'brass' : 'nylon';
  const [teethW, teethT] = upright ? [0.25, 0.6] : [metal ? 0.65 : 0.55, metal ? 0.22 : 0.3];
  p.add(material, rect(len, teethW), teethT, z, at, {
    profile: [{ kind: 'stripes', axis: 'u', period: metal ? 0.52 : 0.34, duty: 0.6, low: 0.15, phase: rng.range(0, 1) }],
  });
}

/** A zip slider with its pull tab, at (x, y) in `at`, pointing along angle. */
export function zipSlider(p: Parts, x: number, y: number, angle: number, z: number, at: Affine): void {
  const m = compose(at, affine(x, y, angle));
  p.add('steel', rect(1.3, 1.0, 0.2), 0.55, z, m);
  p.add('steel', [rect(3.2, 1.1, 0.4), rect(1.0, 0.5, 0.2)], 0.12, z + 0.3, compose(m, affine(2.0, 0)));
}

/** Telescopic trolley handle: two aluminium rectangular tubes along x, inner tubes, a grip at the x0 end. */
function trolley(p: Parts, L: number, W: number, rng: Random): void {
  const spread = W * rng.range(0.22, 0.3);
  const z = 1.0;
  const len = L - 5;
  for (const s of [-1, 1]) {
    const at = affine(0.5, s * spread);
    // Rectangular tube 2.4 × 1.2 cm, 1.2 mm walls: outer block less its hollow.
    p.add('aluminium', rect(len, 2.4), 1.2, z, at).cut('aluminium', rect(len - 0.3, 2.16), 0.96, z, at);
    const inner = affine(-L / 2 + 2.5 + (len * 0.62) / 2, s * spread);
    p.add('aluminium', rect(len * 0.62, 1.9), 0.85, z, inner).cut('aluminium', rect(len * 0.62 - 0.3, 1.7), 0.65, z, inner);
    // Rivets and the latch spring where the tubes meet the housings.
    p.add('steel', ellipse(0.35, 0.35), 1.3, z, affine(L / 2 - 4, s * spread));
    p.add('steel', rect(2.5, 0.4), 0.3, z, affine(-L / 2 + 4, s * spread), { profile: [{ kind: 'stripes', axis: 'u', period: 0.3, duty: 0.5, low: 0.2 }] });
  }
  // Grip across the top end and the base housing at the wheel end.
  p.add('polycarbonate', rect(3.2, spread * 2 + 4, 1.2), 2.6, 1.5, affine(-L / 2 + 0.2, 0)).cut('polycarbonate', rect(2.6, spread * 2 + 3.2, 1), 2.0, 1.5, affine(-L / 2 + 0.2, 0));
  p.add('steel', rect(1.2, 3), 0.4, 1.5, affine(-L / 2 + 0.4, 0));
  p.add('polycarbonate', rect(3, spread * 2 + 5, 1), 2.4, 1.4, affine(L / 2 - 2.5, 0));
}

/** Spinner wheels at the x = +L/2 end: twin rubber wheels on steel axles in plastic housings. */
function spinnerWheels(p: Parts, L: number, W: number, H: number): void {
  for (const sy of [-1, 1]) {
    for (const zc of [3, H - 3]) {
      const at = affine(L / 2 + 1.8, sy * (W / 2 - 3.2));
      p.add('polycarbonate', rect(4.6, 5.2, 1.2), 3.2, zc, at).cut('polycarbonate', rect(4.0, 4.6, 1), 2.6, zc, at);
      for (const dy of [-1.15, 1.15]) {
        // Each wheel turns about an axle along y: seen from above, a rod across x.
        p.rod('rubber', 1.7, 4.6, zc, compose(at, affine(1.2, dy, Math.PI / 2)));
        p.tube('steel', 0.8, 1.4, 0.25, zc, compose(at, affine(1.2, dy, Math.PI / 2)));
      }
      p.rod('steel', 3.6, 0.6, zc, compose(at, affine(1.2, 0, Math.PI / 2)));
      p.add('steel', ellipse(0.7, 0.7), 2.2, zc, compose(at, affine(-0.9, 0)));
    }
  }
}

function caseBag(rng: Random, hard: boolean, maxLength: number): Bag {
  const L = Math.min(maxLength - 5, rng.range(48, 58));
  const W = rng.range(34, 40);
  const H = rng.range(20, 26);
  const shell = new Parts();
  const fittings = new Parts();
  const wall = hard ? rng.range(0.25, 0.35) : 0.1;
  const skin: MaterialName = hard ? 'polycarbonate' : 'nylon';
  const r = hard ? 5 : 3.5;
  const outer = rect(L, W, r);
  const inner = rect(L - 2 * wall, W - 2 * wall, r - wall);
  const weave = hard ? undefined : tex(rng, 0.3, 9);
  shell.add(skin, outer, wall, wall / 2, undefined, weave ? { texture: weave } : {});
  shell.add(skin, outer, wall, H - wall / 2, undefined, weave ? { texture: weave } : {});
  // Side walls in three slices, each with its own fan-beam magnification.
  for (let k = 0; k < 3; k++) shell.add(skin, [outer, inner], (H - 2 * wall) / 3, wall + ((k + 0.5) * (H - 2 * wall)) / 3);
  if (hard) {
    // Moulded ribs along the shell, top and bottom.
    const ribs = rng.int(3, 6);
    for (let k = 0; k < ribs; k++) {
      const y = (k - (ribs - 1) / 2) * (W / (ribs + 1));
      for (const z of [0.3, H - 0.3]) shell.add('polycarbonate', rect(L * 0.78, 1.6, 0.8), 0.35, z, affine(0, y), { profile: [{ kind: 'rod', axis: 'u', center: 0, radius: 0.8 }] });
    }
  } else {
    // A soft case keeps its shape with a polyethylene board in the back and a wire frame round the rim.
    shell.add('polyethylene', rect(L - 3, W - 3, 3), 0.3, 0.5);
    fittings.add('steel', [rect(L - 0.6, W - 0.6, r), rect(L - 1.0, W - 1.0, r - 0.2)], 0.3, H - 0.6);
    // Front pocket zips across the lid.
    const pockets = rng.int(1, 2);
    for (let k = 0; k < pockets; k++) zipLine(fittings, L * rng.range(0.55, 0.75), H - 0.2, affine(rng.range(-3, 3), (k === 0 ? -1 : 1) * W * rng.range(0.15, 0.3)), rng.chance(0.5), rng);
  }
  const zipMetal = rng.chance(hard ? 0.35 : 0.5);
  if (hard && rng.chance(0.3)) {
    // An aluminium frame instead of a zip: a closed channel round the opening.
    fittings.add('aluminium', [rect(L + 0.6, W + 0.6, r), rect(L - 1.6, W - 1.6, r - 1)], 1.6, H / 2);
    for (const sx of [-1, 1]) {
      const at = affine(sx * L * 0.28, W / 2 + 0.4);
      fittings.add('steel', rect(5, 1.4, 0.4), 2.2, H / 2, at).add('steel', rect(1.2, 0.8), 2.6, H / 2, at);
    }
  } else {
    // The zip all round the opening, half-way up; straight runs, none in the rounded corners.
    zipLine(fittings, L - 2 * r, H / 2, affine(0, W / 2 + 0.15), zipMetal, rng, true);
    zipLine(fittings, L - 2 * r, H / 2, affine(0, -W / 2 - 0.15), zipMetal, rng, true);
    zipLine(fittings, W - 2 * r, H / 2, affine(-L / 2 - 0.15, 0, Math.PI / 2), zipMetal, rng, true);
    zipLine(fittings, W - 2 * r, H / 2, affine(L / 2 + 0.15, 0, Math.PI / 2), zipMetal, rng, true);
    const sx = rng.range(-0.3, 0.3) * L;
    zipSlider(fittings, sx, W / 2 + 0.4, 0, H / 2, affine(0, 0));
    zipSlider(fittings, sx + 4, W / 2 + 0.4, Math.PI, H / 2, affine(0, 0));
    // A TSA lock beside the sliders: a plastic body with steel works.
    const lock = affine(sx + 2, W / 2 + 1.6);
    fittings.add('polycarbonate', rect(6, 2.2, 0.6), 2.4, H / 2, lock);
    fittings.add('steel', rect(2.2, 1.2), 1.2, H / 2, compose(lock, affine(-1.2, 0))).add('steel', ellipse(0.6, 0.6), 1.8, H / 2, compose(lock, affine(1.5, 0)));
  }
  if (rng.chance(0.5)) {
    // A zipped divider panel across the middle of one half.
    const z = H * rng.range(0.55, 0.7);
    fittings.add('nylon', rect(L - 3, W - 3, r - 1), 0.06, z, affine(0, 0), { texture: tex(rng, 0.3, 9) });
    zipLine(fittings, L * 0.8, z, affine(0, -W * 0.42), false, rng);
  }
  trolley(fittings, L, W, rng);
  spinnerWheels(fittings, L, W, H);
  // Carry handles on the long side and on the top end.
  fittings.add('polycarbonate', rect(13, 2.6, 1.2), 2.4, H / 2, affine(rng.range(-4, 4), -W / 2 - 1.6), { profile: [{ kind: 'rod', axis: 'u', center: 0, radius: 1.3 }] });
  fittings.add('polycarbonate', rect(2.6, 12, 1.2), 2.4, H / 2, affine(-L / 2 - 1.6, 0), { profile: [{ kind: 'rod', axis: 'v', center: 0, radius: 1.3 }] });
  // Compression straps with plastic buckles inside the main compartment.
  if (rng.chance(0.7)) {
    for (const sx of [-0.22, 0.22]) {
      const x = sx * L;
      const zs = H * 0.55;
      fittings.add('nylon', rect(2.5, W - 4), 0.15, zs, affine(x, 0), { profile: [{ kind: 'stripes', axis: 'u', period: 0.2, duty: 0.5, low: 0.7 }] });
      fittings.add('polycarbonate', rect(3.4, 5, 0.5), 0.9, zs, affine(x, rng.range(-3, 3))).cut('polycarbonate', rect(2.4, 1.2), 0.9, zs, affine(x, rng.range(-1, 1)));
    }
  }
  const margin = wall + 1.5;
  return {
    style: hard ? 'suitcase' : 'soft-case',
    // From the top handle (−L/2 − 2.9) to the wheels (L/2 + 4.1); the side handle sticks out 2.9.
    length: L + 7,
    width: W + 6,
    height: H,
    footprintX: 0.6,
    fittings: [shell.thing(hard ? 'case shell' : 'soft case shell', 'shell', L, W, H), fittings.thing('case fittings', 'fitting', L + 5, W + 3, H)],
    room: { hw: L / 2 - margin, hl: W / 2 - margin, floor: 2.2, ceiling: H - margin },
  };
}

function holdall(rng: Random, maxLength: number): Bag {
  const L = Math.min(maxLength - 4, rng.range(48, 60));
  const W = rng.range(28, 34);
  const H = rng.range(22, 28);
  const shell = new Parts();
  const fittings = new Parts();
  const r = W * 0.42;
  const weave = tex(rng, 0.3, 8);
  const outer = rect(L, W, r);
  // A duffel bulges: its walls lean out, so they show as a wide soft band, not a line.
  shell.add('nylon', outer, 0.1, 0.05, undefined, { texture: weave });
  shell.add('nylon', outer, 0.1, H - 0.05, undefined, { texture: weave });
  // Seen from above, the bulging walls are fabric met edge-on: a soft dark rim.
  shell.add('nylon', [outer, rect(L - 1.2, W - 1.2, r - 0.6)], H * 0.5, H / 2, undefined, { texture: weave });
  shell.add('polyethylene', rect(L - 6, W - 8, 3), 0.25, 0.3);
  // Main zip along the top, webbing straps round the bag, handles, a shoulder strap with hooks.
  const metal = rng.chance(0.6);
  zipLine(fittings, L * 0.78, H, affine(0, 0), metal, rng);
  zipSlider(fittings, rng.range(-0.3, 0.3) * L, 0.4, 0, H + 0.2, affine(0, 0));
  for (const sx of [-0.2, 0.2]) {
    const x = sx * L;
    fittings.add('nylon', rect(3.8, W + 2), 0.4, H - 0.1, affine(x, 0));
    fittings.add('nylon', rect(3.8, W + 2), 0.4, 0.2, affine(x, 0));
    // Down the sides the webbing is seen edge-on.
    for (const sy of [-1, 1]) fittings.add('nylon', rect(3.8, 0.4), H - 0.6, H / 2, affine(x, sy * (W / 2 + 0.6)));
  }
  fittings.add('nylon', rect(L * 0.55, 4, 1.5), 0.8, H + 0.4, affine(0, rng.range(-3, 3)), { texture: tex(rng, 0.3, 6) });
  for (const sx of [-1, 1]) {
    const at = affine(sx * (L / 2 + 1), 0, Math.PI / 2);
    // D-ring and snap hook.
    fittings.add('steel', [rect(4, 2.6, 1.2), rect(3.2, 1.8, 0.8)], 0.5, H * 0.6, at);
    fittings.add('steel', [rect(5.5, 2.6, 1), rect(3.5, 1.4, 0.6)], 0.7, H * 0.6, compose(at, affine(0, 2.2)));
  }
  return {
    style: 'holdall',
    length: L + 4,
    width: W + 2,
    height: H,
    footprintX: 0,
    fittings: [shell.thing('holdall fabric', 'shell', L, W, H), fittings.thing('holdall fittings', 'fitting', L + 4, W + 2, H)],
    room: { hw: L / 2 - r * 0.35 - 1, hl: W / 2 - 2.5, floor: 1.2, ceiling: H - 1.5 },
  };
}

function backpack(rng: Random, maxLength: number): Bag {
  const L = Math.min(maxLength - 4, rng.range(40, 48));
  const W = rng.range(28, 33);
  const H = rng.range(16, 22);
  const shell = new Parts();
  const fittings = new Parts();
  const r = 7;
  const weave = tex(rng, 0.3, 9);
  const outer = rect(L, W, r);
  shell.add('nylon', outer, 0.12, 1.7, undefined, { texture: weave });
  shell.add('nylon', outer, 0.12, H - 0.06, undefined, { texture: weave });
  shell.add('nylon', [outer, rect(L - 1, W - 1, r - 0.5)], H - 2, H / 2 + 0.8, undefined, { texture: weave });
  // Padded back panel with a frame sheet; two aluminium stays in some.
  shell.add('foam', rect(L - 4, W - 4, 4), 2.2, 2.9);
  shell.add('polyethylene', rect(L - 6, W - 8, 3), 0.15, 4.1);
  if (rng.chance(0.5)) for (const s of [-1, 1]) fittings.add('aluminium', rect(L - 10, 2.4, 1), 0.3, 4.3, affine(0, s * 5));
  // Shoulder straps under the bag, with plastic ladder buckles.
  for (const s of [-1, 1]) {
    fittings.add('foam', rect(L * 0.75, 6, 3), 1.6, 0.8, affine(-L * 0.08, s * 7)).add('nylon', rect(L * 0.75, 6, 3), 0.2, 0.8, affine(-L * 0.08, s * 7));
    fittings.add('nylon', rect(L * 0.9, 2.5), 0.2, 0.2, affine(-L * 0.05, s * 7.5));
    fittings.add('polycarbonate', [rect(3, 3.4, 0.4), rect(2.2, 0.8)], 0.5, 0.3, affine(L * 0.32, s * 7.5));
  }
  // Zips: round the top of the main compartment and across a front pocket.
  const metal = rng.chance(0.4);
  zipLine(fittings, L - 2 * r, H - 0.3, affine(0, W / 2 - 1), metal, rng, true);
  zipLine(fittings, L - 2 * r, H - 0.3, affine(0, -W / 2 + 1), metal, rng, true);
  zipLine(fittings, W - 2 * r, H - 0.3, affine(-L / 2 + 1, 0, Math.PI / 2), metal, rng, true);
  zipLine(fittings, W * 0.7, H, affine(L * 0.25, 0, Math.PI / 2), rng.chance(0.5), rng);
  zipSlider(fittings, rng.range(-0.3, 0.3) * L, W / 2 - 0.6, 0, H, affine(0, 0));
  fittings.add('nylon', rect(6, 3, 1.5), 0.8, H - 0.3, affine(-L / 2 - 1.5, 0));
  return {
    style: 'backpack',
    length: L + 4,
    width: W + 2,
    height: H,
    footprintX: 0,
    fittings: [shell.thing('backpack fabric', 'shell', L, W, H), fittings.thing('backpack fittings', 'fitting', L + 4, W + 2, H)],
    room: { hw: L / 2 - 3.5, hl: W / 2 - 2.5, floor: 4.4, ceiling: H - 1 },
  };
}
