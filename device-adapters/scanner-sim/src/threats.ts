import { type Affine, type Contour, IDENTITY, affine, arc, bezier, compose, ellipse, polygon, rect, transformContour } from './geometry.ts';
import type { MaterialName } from './materials.ts';
import type { Random } from './prng.ts';
import { Parts, type Thing, tex } from './scene.ts';

// Prohibited items, each built from its real parts and materials so that its silhouette and its
// colours match what an officer learns to recognise. Local frame: x along the item's length,
// lying flat on its side as items do in a bag; thickness is the item's width across.

/** Class names in the fixed order used for detector training (YOLO class index = position). */
export const THREAT_CLASSES = ['gun', 'knife', 'wrench', 'pliers', 'scissors', 'battery', 'lighter', 'hammer'] as const;
export type ThreatClass = (typeof THREAT_CLASSES)[number];

export function makeThreat(rng: Random, label: ThreatClass): Thing {
  switch (label) {
    case 'gun':
      return rng.chance(0.7) ? pistol(rng) : revolver(rng);
    case 'knife':
      return rng.pick([kitchenKnife, kitchenKnife, foldingKnife, combatKnife])(rng);
    case 'wrench':
      return rng.chance(0.6) ? combinationWrench(rng) : adjustableWrench(rng);
    case 'pliers':
      return pliers(rng);
    case 'scissors':
      return scissors(rng);
    case 'battery':
      return rng.pick([powerBank, powerBank, pouchPowerBank, batteryPack])(rng);
    case 'lighter':
      return rng.chance(0.7) ? disposableLighter(rng) : petrolLighter(rng);
    case 'hammer':
      return hammer(rng);
  }
}

const MIRROR: Affine = [1, 0, 0, -1, 0, 0];

/** A band of varying width along a polyline: for curved handles, claws, shanks. */
function band(points: readonly (readonly [number, number])[], w0: number, w1: number): Contour {
  const left: [number, number][] = [];
  const right: [number, number][] = [];
  const n = points.length;
  for (let i = 0; i < n; i++) {
    const [x, y] = points[i] as readonly [number, number];
    const [xa, ya] = points[Math.max(0, i - 1)] as readonly [number, number];
    const [xb, yb] = points[Math.min(n - 1, i + 1)] as readonly [number, number];
    const len = Math.hypot(xb - xa, yb - ya) || 1;
    const nx = -(yb - ya) / len;
    const ny = (xb - xa) / len;
    const w = (w0 + ((w1 - w0) * i) / Math.max(1, n - 1)) / 2;
    left.push([x + nx * w, y + ny * w]);
    right.push([x - nx * w, y - ny * w]);
  }
  return polygon([...left, ...right.reverse()]);
}

/** A cartridge lying along x: brass case with its powder, lead bullet with a rounded nose. */
function cartridge(p: Parts, at: Affine, z: number, calibre = 0.9, caseLen = 1.9): void {
  p.tube('brass', caseLen, calibre + 0.08, 0.04, z, compose(at, affine(-caseLen / 2, 0)), 'nylon', 0.8);
  p.add('lead', rect(1.2, calibre, calibre * 0.45), calibre, z, compose(at, affine(0.6, 0)), { profile: [{ kind: 'rod', axis: 'u', center: 0, radius: calibre / 2 }] });
}

// ---- guns ----------------------------------------------------------------------------------

function pistol(rng: Random): Thing {
  const p = new Parts();
  const s = rng.range(0.88, 1.1);
  const at = affine(0, 0, 0, s, s);
  const polymer = rng.chance(0.6);
  const width = 2.6;
  const frameMat: MaterialName = polymer ? 'nylon' : 'steel';
  // Slide: a steel box open underneath, the ejection port through one side.
  p.add('steel', rect(18.6, 2.9, 0.35), width, width / 2, compose(at, affine(0, -5.45)));
  p.cut('steel', rect(17, 2.2, 0.2), width - 0.8, width / 2, compose(at, affine(0.3, -5.2)));
  p.cut('steel', rect(3.4, 1.2, 0.3), 0.4, width - 0.2, compose(at, affine(1.8, -6.1)));
  p.add('steel', rect(4, 2.6), 0.25, width / 2, compose(at, affine(-7.2, -5.45)), { profile: [{ kind: 'stripes', axis: 'u', period: 0.35, duty: 0.5, low: 0.3 }] });
  // Barrel and chamber, recoil spring on its guide rod, striker.
  p.tube('steel', 11.4, 1.35, 0.22, width / 2, compose(at, affine(3.6, -5.55)));
  p.add('steel', rect(3, 1.7, 0.3), 1.6, width / 2, compose(at, affine(-1, -5.5)));
  p.add('steel', rect(8.5, 0.6), 0.6, width / 2, compose(at, affine(3.6, -4.35)), { profile: [{ kind: 'rod', axis: 'u', center: 0, radius: 0.3 }, { kind: 'stripes', axis: 'u', period: 0.3, duty: 0.5, low: 0.55 }] });
  p.rod('steel', 5.5, 0.35, width / 2, compose(at, affine(-5.5, -5.6)));
  // Sights.
  p.add('steel', rect(0.5, 0.6), 0.5, width / 2, compose(at, affine(8.5, -7.1)));
  p.add('steel', rect(1.1, 0.7), 1.4, width / 2, compose(at, affine(-8.2, -7.1)));
  // Frame: dust cover, trigger guard (with its opening) and grip in one outline.
  const frame = polygon([
    [-8.9, -4.0], [7.8, -4.0], [7.8, -3.1], [3.1, -3.1], [3.6, -2.3], [3.5, -0.8], [2.8, -0.05], [-2.1, -0.05],
    [-2.7, 1.6], [-3.4, 4.5], [-3.9, 6.9], [-9.2, 6.9], [-8.9, 4.2], [-8.2, 0.6], [-7.8, -2.4], [-9.7, -3.6],
  ]);
  const guard = polygon([[-1.5, -2.95], [2.5, -2.95], [2.95, -2.2], [2.85, -1.2], [2.3, -0.75], [-1.3, -0.75], [-1.9, -1.6]]);
  p.add(frameMat, [frame, guard], polymer ? 2.9 : 1.0, width / 2, at, polymer ? { texture: tex(rng, 0.06, 10) } : {});
  if (!polymer) p.add('wood', polygon([[-3.0, 0.5], [-3.7, 4.5], [-4.1, 6.5], [-8.8, 6.5], [-8.4, 3.5], [-7.7, 0.2]]), 1.0, width / 2, at, { texture: tex(rng, 0.2, 8) });
  else p.cut('nylon', polygon([[-3.0, 0.4], [-3.9, 6.4], [-8.6, 6.4], [-7.6, 0.2]]), 1.8, width / 2, at);
  // Pins across the frame, seen end-on; the slide stop; the trigger.
  for (const [x, y] of [[-0.6, -3.4], [1.8, -3.5], [-6.2, -3.3]] as const) p.add('steel', ellipse(0.17, 0.17), 2.9, width / 2, compose(at, affine(x, y)));
  p.add('steel', rect(3.6, 0.5, 0.2), 0.25, width - 0.1, compose(at, affine(-1.6, -3.6)));
  p.add(polymer ? 'nylon' : 'steel', polygon([[0.1, -2.95], [0.6, -2.95], [1.0, -1.9], [0.8, -1.1], [0.5, -1.2], [0.5, -2.2]]), 0.7, width / 2, at);
  p.add('steel', rect(5.5, 0.3), 0.3, width / 2, compose(at, affine(-2.2, -3.3)));
  // Magazine in the grip: a steel box with its spring, cartridges stacked in the upper part.
  const mag = compose(at, affine(-6.1, 2.6, 0.2));
  p.add('steel', [rect(3.3, 9.4, 0.3), rect(3.0, 9.1, 0.2)], 2.1, width / 2, mag);
  p.add('steel', rect(3.1, 9.2, 0.2), 0.12, width / 2, mag);
  p.add('steel', rect(2.6, 5.5), 0.3, width / 2, compose(mag, affine(0, 2)), { profile: [{ kind: 'stripes', axis: 'v', period: 0.9, duty: 0.25, low: 0 }] });
  p.add(polymer ? 'nylon' : 'steel', rect(4.0, 0.9, 0.3), 2.4, width / 2, compose(mag, affine(0, 4.9)));
  const rounds = rng.int(0, 8);
  for (let k = 0; k < rounds; k++) cartridge(p, compose(mag, affine((k % 2 === 0 ? -0.25 : 0.25) + 0.3, -3.9 + k * 0.62)), width / 2);
  if (rng.chance(0.3)) cartridge(p, compose(at, affine(-0.6, -5.55)), width / 2);
  return p.thing(polymer ? 'pistol' : 'steel pistol', 'threat', 20 * s, 15 * s, width, 'gun');
}

function revolver(rng: Random): Thing {
  const p = new Parts();
  const barrel = rng.range(5, 15);
  const width = 3.8;
  const z = width / 2;
  p.tube('steel', barrel, 1.7, 0.4, z, affine(2.3 + barrel / 2, -4.1));
  p.add('steel', rect(barrel, 1.2, 0.4), 1.3, z, affine(2.3 + barrel / 2, -3.3));
  p.add('steel', rect(1.4, 0.6), 0.5, z, affine(1.8 + barrel, -5.1));
  // Cylinder: its axis along x; three of its six chambers show in this projection.
  p.rod('steel', 3.9, width, z, affine(0, -3.6));
  for (const dy of [-1.15, 0, 1.15]) {
    const chamber = affine(0, -3.6 + dy);
    p.cut('steel', rect(3.9, 1.0), 1.0, z + (dy === 0 ? 1.0 : 0), chamber, [{ kind: 'rod', axis: 'u', center: 0, radius: 0.5 }]);
    if (rng.chance(0.8)) cartridge(p, compose(chamber, affine(0.4, 0)), z + (dy === 0 ? 1.0 : 0), 0.88, 3);
  }
  // Frame round the cylinder window, hammer, trigger guard and trigger.
  const frame = polygon([[-4.2, -6.0], [2.3, -6.0], [2.3, -1.2], [0.8, -0.6], [-2.6, -0.2], [-3.6, 1.2], [-4.6, 0.6], [-5.2, -4.2]]);
  const window = polygon([[-2.1, -5.6], [2.1, -5.6], [2.1, -1.7], [-2.1, -1.7]]);
  p.add('steel', [frame, window], 1.4, z, IDENTITY);
  p.add('steel', polygon([[-4.0, -5.8], [-5.6, -7.0], [-6.3, -6.6], [-5.0, -5.0]]), 1.0, z, IDENTITY);
  p.add('steel', [polygon([[-2.4, -0.4], [1.2, -0.9], [1.4, 1.2], [0.2, 2.3], [-2.2, 1.8]]), polygon([[-1.8, 0.0], [0.8, -0.4], [0.9, 1.0], [0.0, 1.7], [-1.6, 1.3]])], 1.0, z, IDENTITY);
  p.add('steel', polygon([[-0.8, -0.2], [-0.3, -0.2], [0.1, 1.1], [-0.5, 1.3]]), 0.6, z, IDENTITY);
  // Grip: wood or rubber over a steel grip frame.
  const grip = polygon([[-3.0, -0.4], [-3.7, 3.5], [-4.9, 8.0], [-8.2, 8.2], [-7.9, 4.0], [-6.4, 0.0], [-5.4, -1.2]]);
  p.add(rng.chance(0.5) ? 'wood' : 'rubber', grip, 3.2, z, IDENTITY, { profile: [{ kind: 'rod', axis: 'u', center: 3.5, radius: 6 }], texture: tex(rng, 0.15, 8) });
  p.add('steel', polygon([[-3.6, -0.2], [-4.4, 4.0], [-5.4, 7.5], [-6.6, 7.5], [-6.0, 3.5], [-5.4, 0.0]]), 0.9, z, IDENTITY);
  p.add('steel', ellipse(0.3, 0.3), 3.4, z, affine(-5.6, 3.5));
  return p.thing('revolver', 'threat', 9 + barrel + 4, 16, width, 'gun');
}

// ---- knives --------------------------------------------------------------------------------

function handle(p: Parts, rng: Random, len: number, w: number, t: number, at: Affine, material: MaterialName): void {
  p.add(material, rect(len, w, w * 0.45), t, t / 2, at, { profile: [{ kind: 'rod', axis: 'u', center: 0, radius: w * 0.62 }], texture: tex(rng, material === 'wood' ? 0.18 : 0.05, 8) });
}

function kitchenKnife(rng: Random): Thing {
  const p = new Parts();
  const lb = rng.range(12, 22);
  const wb = rng.range(2.4, 4.8);
  const lh = rng.range(10, 13);
  const t = rng.range(0.16, 0.26);
  const hz = 1.0;
  const spine = -wb / 2;
  const tipY = spine + wb * rng.range(0.15, 0.45);
  const blade = polygon([
    [0, spine], [lb * 0.78, spine],
    ...bezier([lb * 0.78, spine], [lb * 0.94, spine], [lb, tipY], 5).slice(1),
    ...bezier([lb, tipY], [lb * 0.88, wb / 2], [lb * 0.5, wb / 2], 7).slice(1),
    [0.3, wb / 2], [0, wb / 2 - 0.25],
  ]);
  p.add('steel', blade, t, hz, IDENTITY, {
    profile: [{ kind: 'ramp', axis: 'v', from: spine, to: wb / 2, t0: 1, t1: 0.12 }, { kind: 'ramp', axis: 'u', from: 0, to: lb, t0: 1, t1: 0.5 }],
  });
  const wood = rng.chance(0.45);
  p.add('steel', rect(1.2, Math.min(wb, 2.6), 0.3), 1.4, hz, affine(-0.5, -wb / 2 + Math.min(wb, 2.6) / 2), { profile: [{ kind: 'rod', axis: 'v', center: 0, radius: 0.7 }] });
  const hy = -wb / 2 + 1.2;
  handle(p, rng, lh, 2.4, 2.0, affine(-1.1 - lh / 2, hy), wood ? 'wood' : rng.pick(['polycarbonate', 'nylon', 'rubber'] as const));
  if (wood) {
    p.add('steel', rect(lh - 0.4, 1.5, 0.5), t, hz, affine(-1.1 - lh / 2, hy));
    for (let k = 0; k < 3; k++) p.add(rng.chance(0.5) ? 'brass' : 'steel', ellipse(0.28, 0.28), 2.0, hz, affine(-1.8 - (k * (lh - 2)) / 2, hy));
  } else {
    p.rod('steel', lh * 0.7, 0.45, hz, affine(-1.1 - lh * 0.35, hy));
  }
  return p.thing('kitchen knife', 'threat', lb + lh + 1.2, wb + 0.4, 2.0, 'knife');
}

function foldingKnife(rng: Random): Thing {
  const p = new Parts();
  const lb = rng.range(6.5, 10);
  const wb = rng.range(2, 3);
  const lh = lb * rng.range(1.1, 1.25);
  const hz = 0.7;
  const open = rng.chance(0.75);
  const blade = polygon([
    [-0.6, -0.6], [lb * 0.6, -wb / 2],
    ...bezier([lb * 0.6, -wb / 2], [lb * 0.9, -wb / 2], [lb, -wb * 0.1], 5).slice(1),
    ...bezier([lb, -wb * 0.1], [lb * 0.85, wb / 2], [lb * 0.35, wb / 2], 6).slice(1),
    [0.3, wb / 2], [-0.6, 0.7],
  ]);
  const bladeAt = open ? IDENTITY : affine(0, 0.3, Math.PI, 1, -1);
  p.add('steel', blade, 0.3, hz, bladeAt, { profile: [{ kind: 'ramp', axis: 'v', from: -wb / 2, to: wb / 2, t0: 1, t1: 0.15 }] });
  const h = polygon([[0.9, -1.1], [-lh + 0.8, -1.2], [-lh, -0.3], [-lh + 0.5, 1.2], [0.2, 1.3], [0.9, 0.6]]);
  p.add('steel', h, 0.24, hz, IDENTITY);
  p.add(rng.pick(['nylon', 'fr4', 'wood', 'aluminium'] as const), h, 0.9, hz, IDENTITY, { texture: tex(rng, 0.1, 10) });
  p.add('steel', ellipse(0.45, 0.45), 1.4, hz, IDENTITY);
  p.add('steel', ellipse(0.2, 0.2), 1.4, hz, affine(-lh + 1.5, 0.2));
  p.add('steel', rect(lh * 0.7, 0.7, 0.3), 0.1, hz + 0.6, affine(-lh * 0.5, -0.6));
  return p.thing(open ? 'folding knife' : 'folded knife', 'threat', (open ? lb : 0) + lh + 1.5, Math.max(wb, 2.6) + 0.6, 1.5, 'knife');
}

function combatKnife(rng: Random): Thing {
  const p = new Parts();
  const lb = rng.range(13, 19);
  const wb = rng.range(2.6, 3.6);
  const lh = rng.range(11, 13);
  const hz = 1.4;
  const dagger = rng.chance(0.4);
  const blade = dagger
    ? polygon([[0, -wb / 2], [lb * 0.75, -wb * 0.38], [lb, 0], [lb * 0.75, wb * 0.38], [0, wb / 2]])
    : polygon([[0, -wb / 2], [lb * 0.62, -wb / 2], [lb * 0.68, -wb * 0.62 + wb * 0.25], [lb, -wb * 0.2], ...bezier([lb, -wb * 0.2], [lb * 0.85, wb / 2], [lb * 0.5, wb / 2], 6).slice(1), [0, wb / 2]]);
  p.add('steel', blade, 0.55, hz, IDENTITY, {
    profile: dagger ? [{ kind: 'rod', axis: 'u', center: 0, radius: wb * 0.55 }] : [{ kind: 'ramp', axis: 'v', from: -wb / 2, to: wb / 2, t0: 1, t1: 0.15 }],
  });
  p.add('steel', rect(1.0, wb + 3.2, 0.4), 1.4, hz, affine(-0.5, 0), { profile: [{ kind: 'rod', axis: 'v', center: 0, radius: 0.55 }] });
  handle(p, rng, lh, 3, 2.7, affine(-1 - lh / 2, 0), rng.pick(['rubber', 'nylon', 'wood'] as const));
  p.rod('steel', lh, 0.7, hz, affine(-1 - lh / 2, 0));
  p.add('steel', ellipse(1.2, 1.5), 2.4, hz, affine(-1.6 - lh, 0), { profile: [{ kind: 'dome', cu: 0, cv: 0, ru: 1.2, rv: 1.5 }] });
  return p.thing(dagger ? 'dagger' : 'combat knife', 'threat', lb + lh + 3, wb + 3.4, 2.8, 'knife');
}

// ---- tools ---------------------------------------------------------------------------------

/** A circle of radius r with a slot of width s opening towards +x: a spanner's open jaw. */
function openJaw(r: number, s: number): Contour {
  const b = Math.asin(Math.min(0.95, s / 2 / r));
  const depth = r * 0.25;
  return polygon([
    ...arc(0, 0, r, b, 2 * Math.PI - b, 22),
    [r * Math.cos(b) * 0.2, -s / 2],
    ...arc(-depth, 0, s / 2, -Math.PI / 2, -Math.PI * 1.5, 8),
    [r * Math.cos(b) * 0.2, s / 2],
  ]);
}

function combinationWrench(rng: Random): Thing {
  const p = new Parts();
  const L = rng.range(14, 28);
  const s = L / rng.range(10, 12.5);
  const z = 0.6;
  const R = s * 1.2;
  const Rb = s * 1.05;
  const shaft = polygon([[-L / 2 + Rb * 0.8, -s * 0.42], [0, -s * 0.32], [L / 2 - R * 0.8, -s * 0.45], [L / 2 - R * 0.8, s * 0.45], [0, s * 0.32], [-L / 2 + Rb * 0.8, s * 0.42]]);
  p.add('steel', shaft, s * 0.32, z, IDENTITY, { profile: [{ kind: 'rod', axis: 'u', center: 0, radius: s * 0.7 }] });
  p.add('steel', openJaw(R, s), s * 0.42, z, affine(L / 2 - R, 0, rng.range(0.15, 0.3)));
  p.add('steel', [ellipse(Rb, Rb, 28), ellipse(s * 0.58, s * 0.58, 12)], s * 0.5, z, affine(-L / 2 + Rb, 0));
  return p.thing('combination wrench', 'threat', L + 0.5, 2 * R + 0.4, s * 0.55, 'wrench');
}

function adjustableWrench(rng: Random): Thing {
  const p = new Parts();
  const L = rng.range(15, 30);
  const k = L / 25;
  const z = 0.8 * k;
  const handleShape = polygon([[-L / 2, -1.0 * k], [L / 2 - 5 * k, -1.2 * k], [L / 2 - 5 * k, 1.2 * k], [-L / 2, 1.0 * k]]);
  // The handle, with the hole to hang it by near its end.
  const hole = transformContour(ellipse(0.5 * k, 0.5 * k), affine(-L / 2 + 1.2 * k, 0));
  p.add('steel', [handleShape, hole], 0.7 * k, z, IDENTITY, { profile: [{ kind: 'rod', axis: 'u', center: 0, radius: 1.6 * k }] });
  const hx = L / 2 - 2.8 * k;
  const gap = rng.range(0.3, 2.4) * k;
  const head = polygon([
    [-2.4 * k, -2.0 * k], [1.2 * k, -2.6 * k], [3.0 * k, -2.2 * k], [3.2 * k, -0.6 * k - gap / 2], [0.6 * k, -0.6 * k - gap / 2],
    [0.4 * k, 1.0 * k], [1.0 * k, 2.2 * k], [-2.2 * k, 2.0 * k],
  ]);
  p.add('steel', head, 1.3 * k, z, affine(hx, 0));
  const jaw = polygon([[0.5 * k, -0.6 * k + gap / 2], [3.0 * k, -0.6 * k + gap / 2], [2.9 * k, 0.5 * k + gap / 2], [0.6 * k, 1.3 * k + gap / 2]]);
  p.add('steel', jaw, 1.2 * k, z, affine(hx, 0));
  p.add('steel', rect(1.6 * k, 1.1 * k), 1.1 * k, z, affine(hx - 0.6 * k, 1.4 * k, Math.PI / 2), { profile: [{ kind: 'rod', axis: 'u', center: 0, radius: 0.55 * k }, { kind: 'stripes', axis: 'u', period: 0.18 * k, duty: 0.5, low: 0.6 }] });
  return p.thing('adjustable wrench', 'threat', L + 1, 5.6 * k + gap, 1.6 * k, 'wrench');
}

function pliers(rng: Random): Thing {
  const p = new Parts();
  const L = rng.range(14, 22);
  const k = L / 18;
  const needle = rng.chance(0.35);
  const lj = (needle ? 6.5 : 4.2) * k;
  const lh = L - lj;
  const open = rng.range(0, 0.35);
  const spread = rng.range(1.2, 2.4) * k;
  const grip: MaterialName = rng.pick(['pvc', 'rubber', 'polycarbonate'] as const);
  const z = 0.6 * k;
  for (const side of [1, -1]) {
    const at = compose(affine(0, 0, (side * open) / 2), side < 0 ? MIRROR : IDENTITY);
    // Jaw: on the +y side of the axis, from the pivot to the tip.
    const jaw = polygon([[lj, 0], [lj, (needle ? 0.25 : 0.45) * k], [lj * 0.45, (needle ? 0.55 : 0.95) * k], [0.6 * k, 1.05 * k], [-0.4 * k, 0.9 * k], [-0.2 * k, 0], [0.4 * k, -0.15 * k]]);
    p.add('steel', jaw, 0.75 * k, z + (side > 0 ? 0.2 : -0.2) * k, at, { profile: [{ kind: 'stripes', axis: 'u', period: 0.22 * k, duty: 0.6, low: 0.8 }] });
    // Handle: crosses the axis at the pivot and ends on the −y side.
    const centre = bezier([-0.3 * k, 0.3 * k], [-lh * 0.45, 0.3 * k], [-lh, -spread], 10);
    p.add('steel', band(centre, 1.0 * k, 0.75 * k), 0.55 * k, z + (side > 0 ? 0.2 : -0.2) * k, at);
    p.add(grip, band(centre.slice(3), 2.0 * k, 1.7 * k), 1.5 * k, z, at, { texture: tex(rng, 0.08, 8) });
  }
  p.add('steel', ellipse(0.55 * k, 0.55 * k), 1.5 * k, z, IDENTITY);
  return p.thing(needle ? 'needle-nose pliers' : 'pliers', 'threat', L + 0.5, 2 * spread + 3 * k, 1.6 * k, 'pliers');
}

function scissors(rng: Random): Thing {
  const p = new Parts();
  const L = rng.range(12, 22);
  const k = L / 18;
  const lb = L * rng.range(0.5, 0.6);
  const lh = L - lb;
  const open = rng.range(0, 0.5);
  const steelOnly = rng.chance(0.25);
  const loopMat: MaterialName = steelOnly ? 'steel' : rng.pick(['polycarbonate', 'nylon', 'rubber'] as const);
  const z = 0.6;
  for (const side of [1, -1]) {
    const at = compose(affine(0, 0, (side * open) / 2), side < 0 ? MIRROR : IDENTITY);
    const bw = (side > 0 ? 0.9 : 1.1) * k;
    const blade = polygon([[-0.6 * k, -0.05], [lb * 0.97, 0], [lb, 0.12 * k], ...bezier([lb, 0.12 * k], [lb * 0.7, bw], [0.6 * k, bw], 6).slice(1), [-0.7 * k, 0.6 * k]]);
    p.add('steel', blade, 0.24, z + side * 0.12, at, { profile: [{ kind: 'ramp', axis: 'v', from: 0, to: bw, t0: 0.35, t1: 1 }] });
    // Shank and finger loop on the other side of the axis.
    const loopR = (side > 0 ? 1.5 : 1.9) * k;
    const loopAt = affine(-lh + loopR, -(side > 0 ? 1.2 : 1.6) * k);
    const centre = bezier([-0.5 * k, 0.35 * k], [-lh * 0.4, 0], [-lh + 2 * loopR, -(side > 0 ? 1.0 : 1.3) * k], 8);
    p.add('steel', band(centre, 0.55 * k, 0.45 * k), 0.28, z + side * 0.12, at);
    if (!steelOnly) p.add(loopMat, band(centre.slice(2), 1.1 * k, 1.0 * k), 0.75, z, at);
    p.add(loopMat, [ellipse(loopR, loopR * 0.78), ellipse(loopR - 0.45 * k, loopR * 0.78 - 0.45 * k)], steelOnly ? 0.3 : 0.8, z, compose(at, loopAt));
  }
  p.add('steel', ellipse(0.38 * k, 0.38 * k), 0.8, z, IDENTITY);
  return p.thing('scissors', 'threat', L + 1, 5.5 * k, 1.0, 'scissors');
}

function hammer(rng: Random): Thing {
  const p = new Parts();
  const lh = rng.range(24, 33);
  const hl = rng.range(10, 13);
  const claw = rng.chance(0.65);
  const hx = lh / 2 - 1.6;
  const w = rng.range(2.4, 2.9);
  const z = w / 2;
  // Head across the handle's end: eye block, neck and face on one side, claw or peen on the other.
  p.add('steel', rect(3.2, 3.6, 0.4), w, z, affine(hx, 0));
  p.rod('steel', 2.4, 2.2, z, affine(hx, -2.9, Math.PI / 2));
  p.rod('steel', 2.4, 2.95, z, affine(hx, -hl / 2 + 1.2, Math.PI / 2));
  if (claw) {
    const centre = bezier([hx, 1.6], [hx + 0.6, hl / 2 - 0.8], [hx - 2.6, hl / 2 + 0.6], 10);
    p.add('steel', band(centre, 2.6, 0.7), w * 0.9, z, IDENTITY);
    p.cut('steel', band(centre.slice(4), 0.3, 0.9), w * 0.35, z, IDENTITY);
  } else {
    p.rod('steel', 2, 1.8, z, affine(hx, 2.6, Math.PI / 2));
    p.add('steel', ellipse(1.45, 1.45), 2.9, z, affine(hx, hl / 2 - 1.6), { profile: [{ kind: 'dome', cu: 0, cv: 0, ru: 1.45, rv: 1.45 }] });
  }
  // Handle: wood, fibreglass with a rubber grip, or a steel tube with a rubber grip.
  const kind = rng.int(0, 2);
  if (kind === 0) {
    p.add('wood', rect(lh, 2.9, 1.2), 2.4, z, affine(0, 0), { profile: [{ kind: 'rod', axis: 'u', center: 0, radius: 1.55 }], texture: tex(rng, 0.2, 6) });
    p.add('steel', rect(0.4, 2.4), w, z, affine(hx, 0));
  } else {
    if (kind === 1) p.add('fr4', rect(lh, 2.4, 1), 2.0, z, affine(0, 0), { profile: [{ kind: 'rod', axis: 'u', center: 0, radius: 1.25 }] });
    else p.tube('steel', lh, 2.3, 0.15, z, affine(0, 0));
    p.add('rubber', rect(lh * 0.45, 3.2, 1.4), 2.8, z, affine(-lh * 0.27, 0), { profile: [{ kind: 'rod', axis: 'u', center: 0, radius: 1.65 }], texture: tex(rng, 0.15, 10) });
  }
  return p.thing(claw ? 'claw hammer' : 'ball-peen hammer', 'threat', lh + 2, hl + 2, w, 'hammer');
}

// ---- batteries -----------------------------------------------------------------------------

/** An 18650 / 21700 cell lying along x: steel can, electrode roll, positive cap. */
function cell(p: Parts, at: Affine, z: number, len = 6.5, d = 1.85): void {
  p.tube('steel', len, d, 0.025, z, at);
  p.rod('liIonPouch', len - 0.3, d - 0.06, z, at);
  p.rod('steel', 0.12, d * 0.7, z, compose(at, affine(len / 2 - 0.15, 0, Math.PI / 2)));
}

function powerBank(rng: Random): Thing {
  const p = new Parts();
  const rows = rng.int(1, 2);
  const cols = rng.int(2, 4);
  const big = rng.chance(0.3);
  const len = big ? 7 : 6.5;
  const d = big ? 2.1 : 1.85;
  const W = rows * (len + 0.1) + 2.2;
  const D = cols * (d + 0.05) + 0.7;
  const H = d + 0.5;
  p.box(rng.chance(0.3) ? 'aluminium' : 'polycarbonate', W, D, H, 0.15, 0.8, 0);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) cell(p, affine(-W / 2 + 0.2 + len / 2 + r * (len + 0.1), -D / 2 + 0.35 + d / 2 + c * (d + 0.05), 0, r % 2 === 0 ? 1 : -1, 1), H / 2, len, d);
  }
  // Nickel strips across the cell ends, the charging board, USB ports and LEDs.
  for (let r = 0; r <= rows; r++) p.add('steel', rect(0.5, D - 1), 0.03, H / 2, affine(-W / 2 + 0.2 + r * (len + 0.1), 0));
  const bx = W / 2 - 1.0;
  p.add('fr4', rect(1.4, D - 0.6), 0.12, H / 2, affine(bx, 0)).add('copper', rect(1.2, D - 0.8), 0.008, H / 2, affine(bx, 0));
  for (let k = 0; k < rng.int(1, 3); k++) p.add('steel', [rect(0.9, 1.3), rect(0.8, 1.15)], 0.6, H / 2, affine(W / 2 - 0.5, -D / 2 + 1.2 + k * 1.7));
  p.add('glass', rect(0.6, 0.6), 0.3, H / 2, affine(bx - 0.3, D / 2 - 1));
  return p.thing('power bank', 'threat', W, D, H, 'battery');
}

function pouchPowerBank(rng: Random): Thing {
  const p = new Parts();
  const W = rng.range(9, 14);
  const D = rng.range(6, 7.5);
  const H = rng.range(1.2, 1.8);
  p.box(rng.chance(0.4) ? 'aluminium' : 'polycarbonate', W, D, H, 0.12, 1, 0);
  p.add('liIonPouch', rect(W * 0.78, D - 0.7, 0.3), H - 0.45, H / 2, affine(-W * 0.08, 0));
  p.add('aluminium', rect(W * 0.78 + 0.2, D - 0.5, 0.3), 0.02, H / 2, affine(-W * 0.08, 0));
  p.add('fr4', rect(W * 0.13, D - 0.8), 0.12, H / 2, affine(W * 0.41, 0)).add('copper', rect(W * 0.12, D - 1), 0.008, H / 2, affine(W * 0.41, 0));
  p.add('steel', [rect(0.9, 1.3), rect(0.8, 1.15)], 0.55, H / 2, affine(W / 2 - 0.4, rng.range(-1, 1)));
  p.add('steel', rect(0.3, 2.2), 0.02, H / 2, affine(W * 0.31, 0));
  return p.thing('power bank', 'threat', W, D, H, 'battery');
}

function batteryPack(rng: Random): Thing {
  const p = new Parts();
  const n = rng.int(2, 4);
  const kind = rng.int(0, 2);
  const [len, d] = kind === 0 ? [6.5, 1.85] : kind === 1 ? [7, 2.1] : [3.45, 1.7];
  for (let k = 0; k < n; k++) {
    const at = affine(0, (k - (n - 1) / 2) * (d + 0.02));
    // Whole-cell average for bare cells.
    p.rod('liIonCell', len, d, d / 2, at);
    p.rod('steel', 0.1, d * 0.6, d / 2, compose(at, affine(len / 2, 0, Math.PI / 2)));
  }
  p.add('pvc', rect(len + 0.2, n * (d + 0.02) + 0.1, 0.3), 0.06, d / 2);
  for (const s of [-1, 1]) p.add('steel', rect(0.4, n * d * 0.85), 0.02, d / 2, affine((s * len) / 2, 0));
  // Leads with a small connector.
  const lead = affine(len / 2 + 2.2, rng.range(-0.5, 0.5), rng.range(-0.4, 0.4));
  p.rod('pvc', 4, 0.25, 0.4, lead).rod('copper', 4, 0.08, 0.4, lead);
  p.add('nylon', rect(1, 0.8), 0.5, 0.4, compose(lead, affine(2.4, 0)));
  return p.thing('lithium battery pack', 'threat', len + 7, n * (d + 0.02) + 1.5, d, 'battery');
}

// ---- lighters ------------------------------------------------------------------------------

function disposableLighter(rng: Random): Thing {
  const p = new Parts();
  const L = rng.range(7, 8.2);
  const W = rng.range(2.3, 2.6);
  const H = rng.range(1.0, 1.25);
  const body = L - 1.6;
  const bx = -0.8;
  p.box('nylon', body, W, H, 0.13, 0.5, 0, affine(bx, 0));
  // Butane: a liquid filling part of the tank, the rest gas.
  const fill = rng.range(0.25, 0.95);
  const fl = (body - 0.5) * fill;
  p.add('butane', rect(fl, W - 0.3, 0.3), H - 0.3, H / 2, affine(bx - (body - 0.5) / 2 + fl / 2, 0));
  // Valve and burner, steel windshield with holes, flint wheel, flint spring in its tube.
  const top = L / 2 - 0.8;
  p.rod('brass', 1.2, 0.35, H / 2, affine(top - 0.6, -0.4));
  p.box('steel', 1.6, W - 0.2, H, 0.04, 0.2, 0, affine(top + 0.1, 0));
  p.cut('steel', rect(1.0, W - 0.6), 0.04, H - 0.02, affine(top + 0.1, 0), [{ kind: 'stripes', axis: 'v', period: 0.35, duty: 0.5, low: 0 }]);
  p.add('steel', ellipse(0.45, 0.45), 0.8, H / 2, affine(top + 0.1, 0.55), { profile: [{ kind: 'stripes', axis: 'u', period: 0.08, duty: 0.5, low: 0.7 }] });
  p.add('steel', rect(2.2, 0.3), 0.3, H / 2, affine(top - 1.5, 0.55), { profile: [{ kind: 'stripes', axis: 'u', period: 0.12, duty: 0.5, low: 0.4 }] });
  p.add('nylon', polygon([[top - 1.6, -1.0], [top + 0.2, -1.1], [top + 0.3, -0.5], [top - 1.4, -0.4]]), H * 0.8, H / 2, IDENTITY);
  if (rng.chance(0.5)) p.add('steel', rect(1.2, 0.4), 0.05, H - 0.1, affine(top - 0.8, -0.9));
  return p.thing('lighter', 'threat', L, W, H, 'lighter');
}

function petrolLighter(rng: Random): Thing {
  const p = new Parts();
  const L = rng.range(5.4, 5.9);
  const W = rng.range(3.6, 3.9);
  const H = rng.range(1.2, 1.4);
  p.box('steel', L, W, H, 0.05, 0.4, 0);
  // The insert: a thinner steel box with cotton soaked in fuel, chimney with holes, wheel and wick.
  p.box('steel', L - 1.6, W - 0.2, H - 0.12, 0.03, 0.2, 0.06, affine(-0.7, 0));
  p.add('cotton', rect(L - 1.8, W - 0.4), H - 0.3, H / 2, affine(-0.7, 0), { texture: tex(rng, 0.3, 10) });
  p.add('butane', rect(L - 1.8, W - 0.4), (H - 0.3) * rng.range(0.2, 0.6), H / 2, affine(-0.7, 0));
  p.add('steel', rect(1.5, W - 0.4), H - 0.15, H / 2, affine(L / 2 - 0.9, 0), { profile: [{ kind: 'stripes', axis: 'v', period: 0.5, duty: 0.55, low: 0.1 }] });
  p.add('steel', ellipse(0.4, 0.4), 0.8, H / 2, affine(L / 2 - 0.5, 0.9), { profile: [{ kind: 'stripes', axis: 'u', period: 0.08, duty: 0.5, low: 0.7 }] });
  p.add('cotton', rect(1.2, 0.35), 0.35, H / 2, affine(L / 2 - 0.9, -0.2));
  p.add('steel', rect(0.4, 1.2), 0.6, H / 2, affine(L / 2 - 2.0, W / 2 - 0.3));
  return p.thing('petrol lighter', 'threat', L, W, H, 'lighter');
}
