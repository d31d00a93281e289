import { ATTENUATION_SCALE, IMPENETRABLE } from '@clearway/imaging';
import type { ViewName } from '@clearway/protocol';
import { MATERIALS, type MaterialName } from './materials.ts';
import { Random, mixSeed } from './prng.ts';

// A cheap stand-in for the physics model to come: bags are unions of boxes, ellipsoids and
// cylinders; each pixel sums μ × path length per material at both energies (Beer-Lambert).

export interface BagGeneratorOptions {
  /** Views to render, in order. Default ['top']. */
  views?: readonly ViewName[];
  /** Detector pixels across the tunnel in the top view. Default 640; the side view gets half as many, at the same pitch. */
  width?: number;
  /** Detector lines along the belt. Default 480. */
  height?: number;
}

/** One view as the detector saw it: u16 attenuation, row-major, per dual-energy.ts. */
export interface GeneratedView {
  view: ViewName;
  width: number;
  height: number;
  low: Uint16Array;
  high: Uint16Array;
}

/** Pixel rectangle, half-open: x0 ≤ x < x1, y0 ≤ y < y1. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** What was packed, where it landed in each view: ground truth for tests and, later, detection. */
export interface BagItem {
  name: string;
  /** shell: the bag's own skin; fitting: frame, wheels, zip, straps; content: what the passenger packed. */
  role: 'shell' | 'fitting' | 'content';
  material: MaterialName;
  /** One solid material: a pixel through its middle, alone, shows that material's colour band. */
  solid: boolean;
  views: Partial<Record<ViewName, { box: PixelBox; middle: { x: number; y: number } }>>;
}

export type BagStyle = 'suitcase' | 'holdall';

export interface GeneratedBag {
  style: BagStyle;
  views: GeneratedView[];
  items: BagItem[];
}

export const DEFAULT_VIEW_WIDTH = 640;
export const DEFAULT_VIEW_HEIGHT = 480;

/** Field of view in cm: tunnel width (top view columns), tunnel height (side view columns), belt per image (rows). */
const TUNNEL_WIDTH_CM = 80;
const TUNNEL_HEIGHT_CM = 40;
const BELT_CM = 60;

/** Side view columns for a top view `width` across: the side detector has the same pitch over a lower tunnel. */
export function sideViewWidth(width: number): number {
  return Math.max(16, Math.round((width * TUNNEL_HEIGHT_CM) / TUNNEL_WIDTH_CM));
}

/** Photons per pixel reaching each detector layer through air: sets the noise. */
const AIR_COUNTS_LOW = 100_000;
const AIR_COUNTS_HIGH = 200_000;
/** Beyond this log-attenuation the u16 code runs out: the pixel reads as impenetrable. */
const MAX_ATTENUATION = (IMPENETRABLE - 1) / ATTENUATION_SCALE;

type Vec3 = readonly [number, number, number];
/** 0: across the belt (x), 1: along the belt (y), 2: up from the belt (z). */
type Axis = 0 | 1 | 2;

interface Solid {
  shape: 'box' | 'ellipsoid' | 'cylinder';
  center: Vec3;
  size: Vec3;
  /** Cylinder: the axis it lies along. */
  axis?: Axis;
  /** Box: corner radius in cm, in the image plane. */
  corner?: number;
}

interface Part {
  solid: Solid;
  material: MaterialName;
  /** Hollow: wall thickness in cm; the inside holds `fill`, or air. */
  wall?: number;
  fill?: MaterialName;
}

interface Item {
  name: string;
  role: BagItem['role'];
  solid: boolean;
  parts: Part[];
}

interface ViewGeometry {
  view: ViewName;
  width: number;
  height: number;
  /** The axis the X-rays travel along, and the one across the detector (columns). Rows run along the belt. */
  ray: Axis;
  across: Axis;
  cmPerColumn: number;
  cmPerRow: number;
}

/** Renders bag `seed`. Deterministic: the same seed and options give byte-identical images. */
export function generateBag(seed: number, options: BagGeneratorOptions = {}): GeneratedBag {
  const width = options.width ?? DEFAULT_VIEW_WIDTH;
  const height = options.height ?? DEFAULT_VIEW_HEIGHT;
  const viewNames = options.views ?? ['top'];
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16) {
    throw new RangeError(`view size must be whole numbers of at least 16 pixels, got ${width}×${height}`);
  }
  const { style, items } = packBag(new Random(mixSeed(seed, 0xba6)));
  const views = viewNames.map((view) => {
    const geometry = geometryOf(view, width, height);
    // Each view its own noise stream: the top view is the same whether or not a side view is asked for.
    return render(items, geometry, new Random(mixSeed(seed, view === 'top' ? 1 : 2)));
  });
  return {
    style,
    views,
    items: items.map((item) => describeItem(item, viewNames.map((v) => geometryOf(v, width, height)))),
  };
}

function geometryOf(view: ViewName, width: number, height: number): ViewGeometry {
  return view === 'top'
    ? { view, width, height, ray: 2, across: 0, cmPerColumn: TUNNEL_WIDTH_CM / width, cmPerRow: BELT_CM / height }
    : { view, width: sideViewWidth(width), height, ray: 0, across: 2, cmPerColumn: TUNNEL_WIDTH_CM / width, cmPerRow: BELT_CM / height };
}

// ---- packing ------------------------------------------------------------------------------

interface Room {
  min: Vec3;
  max: Vec3;
}

function packBag(rng: Random): { style: BagStyle; items: Item[] } {
  const style: BagStyle = rng.chance(0.6) ? 'suitcase' : 'holdall';
  const { items, room } = style === 'suitcase' ? suitcase(rng) : holdall(rng);
  const count = rng.int(4, 9);
  for (let n = 0; n < count; n++) {
    const make = pickWeighted(rng, CONTENTS);
    items.push(...make(rng, room));
  }
  return { style, items };
}

function suitcase(rng: Random): { items: Item[]; room: Room } {
  const w = rng.range(34, 42);
  const l = rng.range(44, 52);
  const h = rng.range(19, 25);
  // Leave room at the far end of the image for the wheels.
  const cx = TUNNEL_WIDTH_CM / 2 + rng.range(-8, 8);
  const cy = BELT_CM / 2 - 2.5 + rng.range(-1.5, 1.5);
  const wall = 0.3;
  const items: Item[] = [
    { name: 'case shell', role: 'shell', solid: false, parts: [{ solid: { shape: 'box', center: [cx, cy, h / 2], size: [w, l, h], corner: 4 }, material: 'polycarbonate', wall }] },
  ];
  // Trolley handle: two steel tubes along the back panel.
  for (const side of [-1, 1]) {
    items.push({
      name: 'trolley tube',
      role: 'fitting',
      solid: false,
      parts: [{ solid: { shape: 'cylinder', axis: 1, center: [cx + side * w * 0.28, cy, wall + 0.8], size: [1.4, l - 4, 1.4] }, material: 'steel', wall: 0.1 }],
    });
  }
  items.push({
    name: 'trolley grip',
    role: 'fitting',
    solid: true,
    parts: [{ solid: { shape: 'box', center: [cx, cy - l / 2 - 1.2, 2], size: [w * 0.62, 2.4, 3], corner: 1 }, material: 'polycarbonate' }],
  });
  // Spinner wheels with steel axles at the four corners of the far end.
  for (const sx of [-1, 1]) {
    for (const z of [2.5, h - 2.5]) {
      const center: Vec3 = [cx + sx * (w / 2 - 3), cy + l / 2 + 2.6, z];
      items.push({
        name: 'wheel',
        role: 'fitting',
        solid: false,
        parts: [
          { solid: { shape: 'cylinder', axis: 0, center, size: [2, 5, 5] }, material: 'rubber' },
          { solid: { shape: 'cylinder', axis: 0, center, size: [3, 0.6, 0.6] }, material: 'steel' },
        ],
      });
    }
  }
  // Zip all round, half-way up the sides.
  items.push({
    name: 'zip',
    role: 'fitting',
    solid: false,
    parts: [
      ...[-1, 1].map((s): Part => ({ solid: { shape: 'box', center: [cx + s * (w / 2 + 0.2), cy, h / 2], size: [0.3, l - 8, 0.7] }, material: 'steel' })),
      ...[-1, 1].map((s): Part => ({ solid: { shape: 'box', center: [cx, cy + s * (l / 2 + 0.2), h / 2], size: [w - 8, 0.3, 0.7] }, material: 'steel' })),
    ],
  });
  const m = wall + 0.6;
  return { items, room: { min: [cx - w / 2 + m, cy - l / 2 + m, m], max: [cx + w / 2 - m, cy + l / 2 - m, h - m] } };
}

function holdall(rng: Random): { items: Item[]; room: Room } {
  const w = rng.range(28, 36);
  const l = rng.range(46, 54);
  const h = rng.range(22, 28);
  const cx = TUNNEL_WIDTH_CM / 2 + rng.range(-10, 10);
  const cy = BELT_CM / 2 + rng.range(-1.5, 1.5);
  const items: Item[] = [
    // A duffel lies like a cylinder along the belt.
    { name: 'holdall fabric', role: 'shell', solid: false, parts: [{ solid: { shape: 'cylinder', axis: 1, center: [cx, cy, h / 2], size: [w, l, h] }, material: 'nylon', wall: 0.25 }] },
    { name: 'zip', role: 'fitting', solid: false, parts: [{ solid: { shape: 'box', center: [cx, cy, h - 0.3], size: [0.7, l - 8, 0.3] }, material: 'steel' }] },
  ];
  for (const side of [-1, 1]) {
    const x = cx + side * 6;
    items.push({ name: 'strap', role: 'fitting', solid: true, parts: [{ solid: { shape: 'box', center: [x, cy, h + 0.2], size: [3, l * 0.55, 0.4] }, material: 'nylon' }] });
    items.push({ name: 'buckle', role: 'fitting', solid: true, parts: [{ solid: { shape: 'box', center: [x, cy + l * 0.28, h + 0.2], size: [3.6, 1.6, 0.35], corner: 0.4 }, material: 'steel' }] });
  }
  // The largest box that fits inside the cylinder's cross-section.
  const hx = (w / 2) * 0.68;
  const hz = (h / 2) * 0.68;
  return { items, room: { min: [cx - hx, cy - l / 2 + 2, h / 2 - hz], max: [cx + hx, cy + l / 2 - 2, h / 2 + hz] } };
}

type Maker = (rng: Random, room: Room) => Item[];

function one(name: string, material: MaterialName, solid: Omit<Solid, 'center'>, rng: Random, room: Room, extra: Partial<Part> = {}): Item {
  const placed = place(rng, room, solid);
  return { name, role: 'content', solid: extra.wall === undefined, parts: [{ solid: placed, material, ...extra }] };
}

const CONTENTS: readonly (readonly [number, Maker])[] = [
  [3, (rng, room) => [one('folded clothes', 'cotton', { shape: 'box', size: [rng.range(24, 34), rng.range(18, 28), rng.range(3, 8)], corner: 3 }, rng, room)]],
  [1, (rng, room) => [one('book', 'paper', { shape: 'box', size: [14, 21, rng.range(1.5, 3.5)], corner: 0.3 }, rng, room)]],
  [1, (rng, room) => [one('chocolate bar', 'water', { shape: 'box', size: [7, 15, 1.4], corner: 0.3 }, rng, room)]],
  [0.5, (rng, room) => [one('apple', 'water', { shape: 'ellipsoid', size: [8, 8, 7.5] }, rng, room)]],
  [1, (rng, room) => [one('shampoo', 'water', { shape: 'cylinder', axis: 1, size: [5, 18, 5] }, rng, room)]],
  [1, (rng, room) => {
    const pair = place(rng, room, { shape: 'box', size: [20, 28, 10] });
    return [-1, 1].map((s) => ({
      name: 'shoe',
      role: 'content' as const,
      solid: true,
      parts: [{ solid: { shape: 'ellipsoid' as const, center: [pair.center[0] + s * 5, pair.center[1], pair.center[2]] as const, size: [9, 27, 9] as const }, material: 'rubber' as const }],
    }));
  }],
  [1, (rng, room) => [one('glass bottle', 'glass', { shape: 'cylinder', axis: 1, size: [7, 24, 7] }, rng, room, { wall: 0.35, fill: 'water' })]],
  [0.7, (rng, room) => [one('mug', 'ceramic', { shape: 'cylinder', axis: 2, size: [8.5, 8.5, 9.5] }, rng, room, { wall: 0.5 })]],
  [0.6, (rng, room) => [one('ceramic plate', 'ceramic', { shape: 'cylinder', axis: 2, size: [20, 20, 1.2] }, rng, room)]],
  [0.5, (rng, room) => [one('stone souvenir', 'stone', { shape: 'ellipsoid', size: [8, 6, 4.5] }, rng, room)]],
  [1, (rng, room) => {
    const laptop = place(rng, room, { shape: 'box', size: [32, 22, 1.8], corner: 1 });
    const [x, y, z] = laptop.center;
    return [
      { name: 'laptop', role: 'content', solid: true, parts: [{ solid: laptop, material: 'electronics' }] },
      // The battery runs along the hinge edge, clear of the laptop's middle.
      { name: 'laptop battery', role: 'content', solid: true, parts: [{ solid: { shape: 'box', center: [x, y + laptop.size[1] / 2 - 3.5, z], size: [laptop.size[0] * 0.7, 5, 1.2] }, material: 'battery' }] },
    ];
  }],
  [1, (rng, room) => [one('power bank', 'battery', { shape: 'box', size: [7, 14, 2.2], corner: 0.8 }, rng, room)]],
  [1, (rng, room) => {
    const ring = place(rng, room, { shape: 'cylinder', axis: 2, size: [3, 3, 0.2] });
    const keys: Item[] = [{ name: 'key ring', role: 'content', solid: false, parts: [{ solid: ring, material: 'steel', wall: 0.3 }] }];
    for (let n = rng.int(2, 4); n > 0; n--) {
      const [x, y, z] = ring.center;
      const dx = rng.range(-3, 3);
      keys.push({ name: 'key', role: 'content', solid: true, parts: [{ solid: { shape: 'box', center: [x + dx, y + rng.pick([-1, 1]) * 4.5, z], size: [2.4, 6, 0.25], corner: 0.6 }, material: 'steel' }] });
    }
    return keys;
  }],
  [0.8, (rng, room) => {
    const purse = place(rng, room, { shape: 'box', size: [9, 9, 0.2] });
    const coins: Item[] = [];
    for (let n = rng.int(2, 5); n > 0; n--) {
      const d = rng.range(1.8, 2.6);
      const [x, y, z] = purse.center;
      coins.push({ name: 'coin', role: 'content', solid: true, parts: [{ solid: { shape: 'cylinder', axis: 2, center: [x + rng.range(-3.5, 3.5), y + rng.range(-3.5, 3.5), z], size: [d, d, 0.2] }, material: 'coinMetal' }] });
    }
    return coins;
  }],
];

/** Drops a solid at a random spot in the room, turned a quarter on the belt half the time, shrunk to fit. */
function place(rng: Random, room: Room, solid: Omit<Solid, 'center'>): Solid {
  const size: [number, number, number] = [...solid.size];
  let axis = solid.axis;
  if (rng.chance(0.5)) {
    [size[0], size[1]] = [size[1], size[0]];
    if (axis === 0) axis = 1;
    else if (axis === 1) axis = 0;
  }
  const center = [0, 0, 0] as [number, number, number];
  for (const a of [0, 1, 2] as const) {
    const span = room.max[a] - room.min[a];
    size[a] = Math.min(size[a], span);
    center[a] = room.min[a] + size[a] / 2 + rng.next() * (span - size[a]);
  }
  return axis === undefined ? { ...solid, size, center } : { ...solid, size, center, axis };
}

function pickWeighted<T>(rng: Random, choices: readonly (readonly [number, T])[]): T {
  let total = 0;
  for (const [weight] of choices) total += weight;
  let r = rng.next() * total;
  for (const [weight, value] of choices) {
    r -= weight;
    if (r < 0) return value;
  }
  const last = choices[choices.length - 1];
  if (!last) throw new RangeError('nothing to choose from');
  return last[1];
}

// ---- rendering ----------------------------------------------------------------------------

function render(items: readonly Item[], g: ViewGeometry, rng: Random): GeneratedView {
  const low = new Float32Array(g.width * g.height);
  const high = new Float32Array(g.width * g.height);
  for (const item of items) for (const part of item.parts) addPart(part, g, low, high);
  return { view: g.view, width: g.width, height: g.height, ...detect(low, high, rng) };
}

function addPart(part: Part, g: ViewGeometry, low: Float32Array, high: Float32Array): void {
  const outer = prepare(part.solid, g);
  const inner = part.wall === undefined ? null : prepare(shrink(part.solid, part.wall), g);
  const m = MATERIALS[part.material];
  const f = part.fill === undefined ? { low: 0, high: 0 } : MATERIALS[part.fill];
  const box = footprint(part.solid, g);
  const through = new Float64Array(box.x1 - box.x0);
  const hole = new Float64Array(box.x1 - box.x0);
  for (let row = box.y0; row < box.y1; row++) {
    const v = (row + 0.5) * g.cmPerRow;
    if (!chordsAlongRow(outer, v, g.cmPerColumn, box.x0, through)) continue;
    const hollow = inner !== null && chordsAlongRow(inner, v, g.cmPerColumn, box.x0, hole);
    const base = row * g.width + box.x0;
    for (let c = 0; c < through.length; c++) {
      const t = through[c] ?? 0;
      if (t <= 0) continue;
      const h = hollow ? (hole[c] ?? 0) : 0;
      const i = base + c;
      low[i] = (low[i] ?? 0) + m.low * (t - h) + f.low * h;
      high[i] = (high[i] ?? 0) + m.high * (t - h) + f.high * h;
    }
  }
}

function shrink(s: Solid, wall: number): Solid {
  return { ...s, size: [Math.max(0, s.size[0] - 2 * wall), Math.max(0, s.size[1] - 2 * wall), Math.max(0, s.size[2] - 2 * wall)] };
}

/**
 * box: constant depth inside a (rounded) rectangle; dome: depth × √(1 − nu² − nv²) inside an
 * ellipse; disc: a cylinder seen end-on; rod-u / rod-v: a cylinder lying across the ray along
 * u or v, depth × √(1 − n²) across it.
 */
type Profile = 'box' | 'dome' | 'disc' | 'rod-u' | 'rod-v';

/** A solid reduced to plain numbers for one view, so the per-pixel loop stays monomorphic. */
interface Prepared {
  profile: Profile;
  cu: number;
  cv: number;
  hu: number;
  hv: number;
  depth: number;
  corner: number;
}

function prepare(s: Solid, g: ViewGeometry): Prepared {
  const axis = s.axis ?? 2;
  const profile: Profile =
    s.shape === 'box' ? 'box'
    : s.shape === 'ellipsoid' ? 'dome'
    : axis === g.ray ? 'disc'
    : axis === g.across ? 'rod-u'
    : 'rod-v';
  const hu = s.size[g.across] / 2;
  const hv = s.size[1] / 2;
  return { profile, cu: s.center[g.across], cv: s.center[1], hu, hv, depth: s.size[g.ray], corner: Math.min(s.corner ?? 0, hu, hv) };
}

/**
 * Path lengths in cm through the solid along one detector line (v along the belt), for the
 * pixels from column x0 on, into `out`. Returns false when the line misses the solid.
 */
function chordsAlongRow(p: Prepared, v: number, cmPerColumn: number, x0: number, out: Float64Array): boolean {
  out.fill(0);
  const dv = Math.abs(v - p.cv);
  if (p.hu <= 0 || p.hv <= 0 || dv >= p.hv) return false;
  const nv = dv / p.hv;
  let half = p.hu;
  let depth = p.depth;
  switch (p.profile) {
    case 'box': {
      const ev = dv - (p.hv - p.corner);
      if (p.corner > 0 && ev > 0) half = p.hu - p.corner + Math.sqrt(p.corner * p.corner - ev * ev);
      break;
    }
    case 'disc':
      half = p.hu * Math.sqrt(1 - nv * nv);
      break;
    case 'rod-u':
      depth = p.depth * Math.sqrt(1 - nv * nv);
      break;
    case 'dome':
      half = p.hu * Math.sqrt(1 - nv * nv);
      break;
    case 'rod-v':
      break;
  }
  // Pixels whose centres (c + 0.5) × cmPerColumn fall within cu ± half.
  const first = Math.max(x0, Math.ceil((p.cu - half) / cmPerColumn - 0.5));
  const last = Math.min(x0 + out.length - 1, Math.floor((p.cu + half) / cmPerColumn - 0.5));
  if (last < first) return false;
  if (p.profile === 'dome' || p.profile === 'rod-v') {
    const rest = p.profile === 'dome' ? 1 - nv * nv : 1;
    for (let c = first; c <= last; c++) {
      const nu = ((c + 0.5) * cmPerColumn - p.cu) / p.hu;
      const d = rest - nu * nu;
      out[c - x0] = d > 0 ? depth * Math.sqrt(d) : 0;
    }
  } else {
    out.fill(depth, first - x0, last - x0 + 1);
  }
  return true;
}

function footprint(s: Solid, g: ViewGeometry): PixelBox {
  const u0 = s.center[g.across] - s.size[g.across] / 2;
  const u1 = s.center[g.across] + s.size[g.across] / 2;
  const v0 = s.center[1] - s.size[1] / 2;
  const v1 = s.center[1] + s.size[1] / 2;
  return {
    x0: clamp(Math.floor(u0 / g.cmPerColumn), 0, g.width),
    x1: clamp(Math.ceil(u1 / g.cmPerColumn), 0, g.width),
    y0: clamp(Math.floor(v0 / g.cmPerRow), 0, g.height),
    y1: clamp(Math.ceil(v1 / g.cmPerRow), 0, g.height),
  };
}

/** Standard normal quantiles at 4096 evenly spaced probabilities: noise at the cost of a lookup. */
const NORMAL_TABLE = (() => {
  const table = new Float64Array(4096);
  for (let k = 0; k < table.length; k++) table[k] = normalQuantile((k + 0.5) / table.length);
  return table;
})();

/** Log-attenuation steps of the noise-amplitude tables: e^(a/2) changes little within 1/64. */
const AMPLITUDE_STEPS_PER_UNIT = 64;
const AMPLITUDE_STEPS = Math.ceil((MAX_ATTENUATION + 1) * AMPLITUDE_STEPS_PER_UNIT);

/** Noise standard deviation in log-attenuation by attenuation: e^(a/2) / √N0 (Poisson counts, delta method). */
function amplitudeTable(airCounts: number): Float64Array {
  const table = new Float64Array(AMPLITUDE_STEPS + 1);
  for (let k = 0; k <= AMPLITUDE_STEPS; k++) table[k] = Math.exp(k / AMPLITUDE_STEPS_PER_UNIT / 2) / Math.sqrt(airCounts);
  return table;
}
const AMPLITUDE_LOW = amplitudeTable(AIR_COUNTS_LOW);
const AMPLITUDE_HIGH = amplitudeTable(AIR_COUNTS_HIGH);

/** Detector noise on both layers, then u16 encoding. Past the u16 range a pixel is impenetrable. */
function detect(low: Float32Array, high: Float32Array, rng: Random): { low: Uint16Array; high: Uint16Array } {
  const outLow = new Uint16Array(low.length);
  const outHigh = new Uint16Array(high.length);
  // xorshift32 seeded from the view's stream: the per-pixel draw is the hot loop.
  let x = (rng.next() * 4294967296) >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return NORMAL_TABLE[(x >>> 20) & 4095] ?? 0;
  };
  const encode = (a: number, amplitude: Float64Array): number => {
    const measured = a + next() * (amplitude[Math.min(AMPLITUDE_STEPS, (a * AMPLITUDE_STEPS_PER_UNIT) | 0)] ?? 0);
    return measured > MAX_ATTENUATION ? IMPENETRABLE : measured <= 0 ? 0 : Math.round(measured * ATTENUATION_SCALE);
  };
  for (let i = 0; i < low.length; i++) {
    const l = low[i] ?? 0;
    const h = high[i] ?? 0;
    // Calibrated air reads 0; skipping it also halves the work.
    if (l <= 0 && h <= 0) continue;
    outLow[i] = encode(l, AMPLITUDE_LOW);
    outHigh[i] = encode(h, AMPLITUDE_HIGH);
  }
  return { low: outLow, high: outHigh };
}

/** Acklam's rational approximation of the inverse normal CDF (relative error < 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const tail = (q: number): number => (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x));
}

function describeItem(item: Item, geometries: readonly ViewGeometry[]): BagItem {
  const first = item.parts[0];
  if (!first) throw new RangeError(`${item.name} has no parts`);
  const views: BagItem['views'] = {};
  for (const g of geometries) {
    const boxes = item.parts.map((p) => footprint(p.solid, g));
    const box = {
      x0: Math.min(...boxes.map((b) => b.x0)),
      y0: Math.min(...boxes.map((b) => b.y0)),
      x1: Math.max(...boxes.map((b) => b.x1)),
      y1: Math.max(...boxes.map((b) => b.y1)),
    };
    const middle = {
      x: clamp(Math.floor(first.solid.center[g.across] / g.cmPerColumn), 0, g.width - 1),
      y: clamp(Math.floor(first.solid.center[1] / g.cmPerRow), 0, g.height - 1),
    };
    views[g.view] = { box, middle };
  }
  return { name: item.name, role: item.role, material: first.material, solid: item.solid, views };
}
