/**
 * Threat Image Projection (TIP): a fictional threat item composited into a bag's own dual-energy
 * data, so that on screen it is part of the bag. Pure: the hub picks the bags, keeps the library
 * and stores what was projected; this file orients an item, finds room for it inside the bag and
 * adds it to the image planes.
 *
 * Physics: wire values are log-attenuations, a = −ln(I/I0) × ATTENUATION_SCALE. Through bag and
 * item together I = I0·e^(−a_bag)·e^(−a_item): transmissions multiply, so log-attenuations ADD,
 * at each energy on its own. What is added keeps the item's own low/high ratio, so the item takes
 * its material's colour wherever it lies. A thicker stack lets fewer photons through and reads
 * noisier: the item also adds the extra quantum noise a detector would have shown (the
 * simulator's photon counts and blur by default), so it is not a suspiciously clean patch.
 */
import { inverseNormalCdf } from './normal.ts';

// The wire encoding of ScanView (@clearway/protocol), as @clearway/imaging's dual-energy.ts names
// it; the domain depends on no package, so the three numbers are repeated here (apps/cli's tip
// test checks they agree).
/** Wire value = log-attenuation × this. */
export const TIP_ATTENUATION_SCALE = 8192;
/** Wire value of an impenetrable pixel. */
export const TIP_IMPENETRABLE = 65535;
/** Largest high-energy wire value that is air or belt (imaging's AIR_MAX_U16). */
export const TIP_AIR_MAX = 327;
const ATTENUATION_SCALE = TIP_ATTENUATION_SCALE;
const IMPENETRABLE = TIP_IMPENETRABLE;
const AIR_MAX_U16 = TIP_AIR_MAX;

/** One view of an item: u16 log-attenuation codes (as on the wire), row-major, 0 outside the item. */
export interface TipPatch {
  width: number;
  height: number;
  low: Uint16Array;
  high: Uint16Array;
  /** 1 where the item is: only these pixels of a bag change. */
  mask: Uint8Array;
}

/**
 * A library item as the scanner's detectors see it, lying flat on the belt, at the simulator's
 * pixel pitch (1.25 mm across, along and up).
 */
export interface TipItemPatches {
  /** From above (top view): columns along the item's length, rows across it. */
  top: TipPatch;
  /** From the side (side view: columns = height above the belt), the item as in `top`: rows are top's rows. */
  side: TipPatch;
  /** From the side with the item turned a quarter: rows are top's columns. */
  sideTurned: TipPatch;
}

/** How the item lies: mirrored (turned over) or not, then turned clockwise on screen by quarter turns. */
export interface TipPose {
  quarterTurns: 0 | 1 | 2 | 3;
  mirrored: boolean;
}

export const TIP_POSES: readonly TipPose[] = ([0, 1, 2, 3] as const).flatMap((quarterTurns) => [
  { quarterTurns, mirrored: false },
  { quarterTurns, mirrored: true },
]);

/** A box in a view's pixels (the protocol's ViewBox). */
export interface TipBox {
  view: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where the point (x, y) of a w × h image goes under the pose, and the size of the result. */
function mapPoint(x: number, y: number, w: number, h: number, pose: TipPose): [number, number, number, number] {
  if (pose.mirrored) x = w - 1 - x;
  for (let q = 0; q < pose.quarterTurns; q++) [x, y, w, h] = [h - 1 - y, x, h, w];
  return [x, y, w, h];
}

function emptyPatch(width: number, height: number): TipPatch {
  const n = width * height;
  return { width, height, low: new Uint16Array(n), high: new Uint16Array(n), mask: new Uint8Array(n) };
}

/**
 * Where each pixel of a w × h image goes under the pose, as destination index = i0 + x·dx + y·dy
 * (the pose is affine on the pixel grid), and the size of the result.
 */
function poseSteps(w: number, h: number, pose: TipPose): { i0: number; dx: number; dy: number; width: number; height: number } {
  const [x0, y0, width, height] = mapPoint(0, 0, w, h, pose);
  const [x1, y1] = w > 1 ? mapPoint(1, 0, w, h, pose) : [x0, y0];
  const [x2, y2] = h > 1 ? mapPoint(0, 1, w, h, pose) : [x0, y0];
  return { i0: y0 * width + x0, dx: (y1 - y0) * width + (x1 - x0), dy: (y2 - y0) * width + (x2 - x0), width, height };
}

/** The item's top-view patch in the pose. */
export function orientTop(top: TipPatch, pose: TipPose): TipPatch {
  const { i0, dx, dy, width, height } = poseSteps(top.width, top.height, pose);
  const out = emptyPatch(width, height);
  for (let y = 0, s = 0; y < top.height; y++) {
    for (let x = 0, d = i0 + y * dy; x < top.width; x++, s++, d += dx) {
      out.low[d] = top.low[s] as number;
      out.high[d] = top.high[s] as number;
      out.mask[d] = top.mask[s] as number;
    }
  }
  return out;
}

/**
 * The item's side-view patch in the pose, its rows matching the oriented top patch's rows. A
 * quarter turn shows the item's other side; a mirror is the item turned over, so its height
 * profile is reversed too.
 */
export function orientSide(item: TipItemPatches, pose: TipPose): TipPatch {
  const odd = pose.quarterTurns % 2 === 1;
  const side = odd ? item.sideTurned : item.side;
  const { width: w, height: h } = item.top;
  const out = emptyPatch(side.width, side.height);
  for (let r = 0; r < side.height; r++) {
    // Each side row is one top row (or, turned, one top column): follow it through the pose.
    const dr = odd ? mapPoint(r, 0, w, h, pose)[1] : mapPoint(0, r, w, h, pose)[1];
    for (let k = 0; k < side.width; k++) {
      const dk = pose.mirrored ? side.width - 1 - k : k;
      const s = r * side.width + k;
      const d = dr * side.width + dk;
      out.low[d] = side.low[s] as number;
      out.high[d] = side.high[s] as number;
      out.mask[d] = side.mask[s] as number;
    }
  }
  return out;
}

// ---- room inside the bag ---------------------------------------------------------------------

/** Summed-area table of a 0/1 map, (width + 1) × (height + 1). */
function summedArea(map: Uint8Array, width: number, height: number): Int32Array {
  const sat = new Int32Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += map[y * width + x] as number;
      sat[(y + 1) * (width + 1) + x + 1] = (sat[y * (width + 1) + x + 1] as number) + row;
    }
  }
  return sat;
}

function boxSum(sat: Int32Array, width: number, x: number, y: number, w: number, h: number): number {
  const W = width + 1;
  return (sat[(y + h) * W + x + w] as number) - (sat[y * W + x + w] as number) - (sat[(y + h) * W + x] as number) + (sat[y * W + x] as number);
}

/** Pixels where the bag is: between the first and last bag pixel of their row and of their column, `margin` pixels in, and not air. */
export interface BagInterior {
  width: number;
  height: number;
  inside: Uint8Array;
  /** Bounding box of the inside pixels (empty when x1 ≤ x0). */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  sat: Int32Array;
}

export function bagInterior(high: Uint16Array, width: number, height: number, margin = 4): BagInterior {
  const rowFirst = new Int32Array(height).fill(width);
  const rowLast = new Int32Array(height).fill(-1);
  const colFirst = new Int32Array(width).fill(height);
  const colLast = new Int32Array(width).fill(-1);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if ((high[i] as number) <= AIR_MAX_U16) continue;
      if (rowLast[y] === -1) rowFirst[y] = x;
      rowLast[y] = x;
      if (colLast[x] === -1) colFirst[x] = y;
      colLast[x] = y;
    }
  }
  const inside = new Uint8Array(width * height);
  let x0 = width;
  let y0 = height;
  let x1 = 0;
  let y1 = 0;
  for (let y = 0; y < height; y++) {
    const from = (rowFirst[y] as number) + margin;
    const to = (rowLast[y] as number) - margin;
    const row = y * width;
    for (let x = from; x <= to; x++) {
      if ((high[row + x] as number) <= AIR_MAX_U16 || y < (colFirst[x] as number) + margin || y > (colLast[x] as number) - margin) continue;
      inside[row + x] = 1;
      if (x < x0) x0 = x;
      if (x + 1 > x1) x1 = x + 1;
      if (y < y0) y0 = y;
      y1 = y + 1;
    }
  }
  return { width, height, inside, x0, y0, x1, y1, sat: summedArea(inside, width, height) };
}

/** True when the whole w × h box at (x, y) lies inside the bag. */
export function boxInside(b: BagInterior, x: number, y: number, w: number, h: number): boolean {
  if (x < 0 || y < 0 || x + w > b.width || y + h > b.height) return false;
  return boxSum(b.sat, b.width, x, y, w, h) === w * h;
}

// ---- planning and compositing ------------------------------------------------------------------

/** One view of a scan as the hub holds it: u16 planes, `low` absent for a single-energy view. */
export interface TipView {
  view: string;
  width: number;
  height: number;
  high: Uint16Array;
  low?: Uint16Array;
}

export interface TipPlacement {
  /** Index into the scan's views. */
  viewIndex: number;
  x: number;
  y: number;
  patch: TipPatch;
}

export interface TipPlan {
  itemIndex: number;
  pose: TipPose;
  /** The top view first (or the only view), then the side view if the scan has one. */
  placements: TipPlacement[];
}

/**
 * Chooses an item, a pose and a place fully inside the bag in every view, or null when nothing
 * fits after a few tries (a small bag, a big item). With two views the item lies on the same belt
 * rows in both, at a height inside the bag in the side view: it is one object seen twice.
 */
export function planTip(views: readonly TipView[], items: readonly TipItemPatches[], random: () => number, options: { attempts?: number; margin?: number } = {}): TipPlan | null {
  if (items.length === 0 || views.length === 0) return null;
  const topIndex = Math.max(0, views.findIndex((v) => v.view === 'top'));
  const top = views[topIndex] as TipView;
  const sideIndex = views.findIndex((_, i) => i !== topIndex);
  const side = sideIndex >= 0 ? (views[sideIndex] as TipView) : null;
  // Two views that do not share belt rows cannot show one object consistently: no projection.
  if (side && side.height !== top.height) return null;
  const topRoom = bagInterior(top.high, top.width, top.height, options.margin);
  if (topRoom.x1 <= topRoom.x0) return null;
  const sideRoom = side ? bagInterior(side.high, side.width, side.height, options.margin) : null;
  const pick = (n: number): number => Math.min(n - 1, Math.floor(random() * n));
  for (let attempt = 0; attempt < (options.attempts ?? 8); attempt++) {
    const itemIndex = pick(items.length);
    const item = items[itemIndex] as TipItemPatches;
    const pose = TIP_POSES[pick(TIP_POSES.length)] as TipPose;
    const patch = orientTop(item.top, pose);
    const spanX = topRoom.x1 - topRoom.x0 - patch.width;
    const spanY = topRoom.y1 - topRoom.y0 - patch.height;
    if (spanX < 0 || spanY < 0) continue;
    for (let t = 0; t < 48; t++) {
      const x = topRoom.x0 + pick(spanX + 1);
      const y = topRoom.y0 + pick(spanY + 1);
      if (!boxInside(topRoom, x, y, patch.width, patch.height)) continue;
      const placements: TipPlacement[] = [{ viewIndex: topIndex, x, y, patch }];
      if (side && sideRoom) {
        const sidePatch = orientSide(item, pose);
        const heights: number[] = [];
        for (let k = 0; k + sidePatch.width <= side.width; k++) if (boxInside(sideRoom, k, y, sidePatch.width, sidePatch.height)) heights.push(k);
        if (heights.length === 0) continue;
        placements.push({ viewIndex: sideIndex, x: heights[pick(heights.length)] as number, y, patch: sidePatch });
      }
      return { itemIndex, pose, placements };
    }
  }
  return null;
}

/** Detector model for the noise an item adds: photons per pixel through air, read-out noise, blur weight. */
export interface TipNoiseModel {
  photonsLow: number;
  photonsHigh: number;
  electronicNoise: number;
  blur: number;
}

/** The scanner simulator's detector (device-adapters/scanner-sim/src/detector.ts defaults). */
export const SIMULATOR_NOISE: TipNoiseModel = { photonsLow: 100_000, photonsHigh: 200_000, electronicNoise: 4, blur: 0.18 };

/** Code from which a pixel reads impenetrable: the simulator's transmission floor, 6e-4. */
export const SATURATION_CODE = Math.round(-Math.log(6e-4) * ATTENUATION_SCALE);

/** The bag's own pixels under a placed patch, to put back later. */
export interface TipOriginal {
  viewIndex: number;
  x: number;
  y: number;
  width: number;
  height: number;
  high: Uint16Array;
  low?: Uint16Array;
}

export interface CompositeOptions {
  /** Uniform [0, 1) numbers for the noise. */
  random?: () => number;
  /** null: add the item's attenuation only (exact; for tests). Default SIMULATOR_NOISE. */
  noise?: TipNoiseModel | null;
  saturationCode?: number;
}

const STEPS_PER_UNIT = 64;
const SIGMA_MAX_A = 10;
const sigmaTables = new Map<string, Float64Array>();

/**
 * Quantum noise (standard deviation, log units) of a layer at attenuation a, per 1/64 of a log
 * unit: √(N + σₑ²)/N with N = N0·e^(−a), as the simulator's detector computes it.
 */
function sigmaTable(photons: number, electronic: number): Float64Array {
  const key = `${photons}/${electronic}`;
  let table = sigmaTables.get(key);
  if (!table) {
    table = new Float64Array(SIGMA_MAX_A * STEPS_PER_UNIT + 1);
    for (let k = 0; k < table.length; k++) {
      const n = photons * Math.exp(-k / STEPS_PER_UNIT);
      table[k] = Math.sqrt(n + electronic * electronic) / n;
    }
    sigmaTables.set(key, table);
  }
  return table;
}

/** Standard normal quantiles at 4096 evenly spaced probabilities: a normal draw for one lookup. */
const NORMAL_TABLE = Float64Array.from({ length: 4096 }, (_, k) => inverseNormalCdf((k + 0.5) / 4096));

/** White normal noise over w × h, blurred as the detector blurs (3 taps each way): its standard deviation is the blur's gain. */
function detectorNoise(w: number, h: number, blur: number, random: () => number): Float32Array {
  const n = new Float32Array(w * h);
  for (let i = 0; i < n.length; i++) n[i] = NORMAL_TABLE[(random() * 4096) | 0] as number;
  if (blur <= 0) return n;
  const mid = 1 - 2 * blur;
  const tmp = new Float32Array(n.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      tmp[i] = mid * (n[i] as number) + blur * ((n[x > 0 ? i - 1 : i] as number) + (n[x + 1 < w ? i + 1 : i] as number));
    }
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      n[i] = mid * (tmp[i] as number) + blur * ((tmp[y > 0 ? i - w : i] as number) + (tmp[y + 1 < h ? i + w : i] as number));
    }
  }
  return n;
}

function addPlane(plane: Uint16Array, width: number, patch: Uint16Array, mask: Uint8Array, pw: number, ph: number, x0: number, y0: number, photons: number | null, model: TipNoiseModel | null, random: () => number, saturation: number): void {
  const noise = model && photons !== null ? detectorNoise(pw, ph, model.blur, random) : null;
  const table = model && photons !== null ? sigmaTable(photons, model.electronicNoise) : null;
  const last = SIGMA_MAX_A * STEPS_PER_UNIT;
  const toSteps = STEPS_PER_UNIT / ATTENUATION_SCALE;
  for (let y = 0; y < ph; y++) {
    for (let x = 0; x < pw; x++) {
      const s = y * pw + x;
      if (mask[s] === 0) continue;
      const d = (y0 + y) * width + x0 + x;
      const bag = plane[d] as number;
      if (bag >= IMPENETRABLE) continue; // nothing more gets through an impenetrable pixel
      let code = bag + (patch[s] as number);
      if (noise && table) {
        const k0 = Math.min(last, (bag * toSteps) | 0);
        const k1 = Math.min(last, (code * toSteps) | 0);
        const s0 = table[k0] as number;
        const s1 = table[k1] as number;
        code += Math.sqrt(Math.max(0, s1 * s1 - s0 * s0)) * (noise[s] as number) * ATTENUATION_SCALE;
      }
      plane[d] = code >= saturation ? IMPENETRABLE : code <= 0 ? 0 : Math.min(IMPENETRABLE - 1, Math.round(code));
    }
  }
}

/**
 * Adds the patch to the view's planes at (x, y), in place (both energies of a dual-energy view,
 * `high` alone of a single-energy one), and returns the pixels it covered as they were. Pixels
 * outside the patch's mask are left exactly as they are.
 */
export function compositeTip(view: TipView, patch: TipPatch, x: number, y: number, viewIndex = 0, options: CompositeOptions = {}): TipOriginal {
  if (x < 0 || y < 0 || x + patch.width > view.width || y + patch.height > view.height) {
    throw new RangeError(`a ${patch.width}×${patch.height} patch at (${x}, ${y}) does not fit a ${view.width}×${view.height} view`);
  }
  const model = options.noise === undefined ? SIMULATOR_NOISE : options.noise;
  const random = options.random ?? Math.random;
  const saturation = options.saturationCode ?? SATURATION_CODE;
  const original: TipOriginal = { viewIndex, x, y, width: patch.width, height: patch.height, high: cropPlane(view.high, view.width, x, y, patch.width, patch.height) };
  if (view.low) original.low = cropPlane(view.low, view.width, x, y, patch.width, patch.height);
  addPlane(view.high, view.width, patch.high, patch.mask, patch.width, patch.height, x, y, model?.photonsHigh ?? null, model, random, saturation);
  if (view.low) addPlane(view.low, view.width, patch.low, patch.mask, patch.width, patch.height, x, y, model?.photonsLow ?? null, model, random, saturation);
  return original;
}

function cropPlane(plane: Uint16Array, width: number, x: number, y: number, w: number, h: number): Uint16Array {
  const out = new Uint16Array(w * h);
  for (let r = 0; r < h; r++) out.set(plane.subarray((y + r) * width + x, (y + r) * width + x + w), r * w);
  return out;
}

/** Puts the bag's own pixels back where a patch was (the image the officer screens after a TIP response). */
export function restorePlane(plane: Uint16Array, width: number, original: Uint16Array, x: number, y: number, w: number, h: number): void {
  for (let r = 0; r < h; r++) plane.set(original.subarray(r * w, (r + 1) * w), (y + r) * width + x);
}

// ---- the officer's response ----------------------------------------------------------------------

function overlaps(a: TipBox, b: TipBox): boolean {
  return a.view === b.view && a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * A hit: the officer sent the bag to search and, where they marked regions on the image, one of
 * the marks overlaps the item in its view. A search with marks elsewhere found something else.
 */
export function tipFound(verdict: string, itemBoxes: readonly TipBox[], marks?: readonly TipBox[]): boolean {
  if (verdict !== 'search') return false;
  if (!marks || marks.length === 0) return true;
  return marks.some((m) => itemBoxes.some((b) => overlaps(m, b)));
}

// ---- randomness and the library file format ---------------------------------------------------------

/** mulberry32: seeded uniform [0, 1) numbers for choosing and placing an item (never for secrets). */
export function tipRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MAGIC = 'CWTIP001';

/**
 * One library item file (before compression): "CWTIP001", then top, side and sideTurned, each as
 * u16 width, u16 height, low (u16 × w·h), high (u16 × w·h), mask (u8 × w·h); little-endian.
 */
export function encodeTipItem(item: TipItemPatches): Uint8Array {
  const patches = [item.top, item.side, item.sideTurned];
  const size = MAGIC.length + patches.reduce((n, p) => n + 4 + p.width * p.height * 5, 0);
  const bytes = new Uint8Array(size);
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < MAGIC.length; i++) bytes[i] = MAGIC.charCodeAt(i);
  let o = MAGIC.length;
  for (const p of patches) {
    dv.setUint16(o, p.width, true);
    dv.setUint16(o + 2, p.height, true);
    o += 4;
    for (const plane of [p.low, p.high]) for (let i = 0; i < plane.length; i++, o += 2) dv.setUint16(o, plane[i] as number, true);
    bytes.set(p.mask, o);
    o += p.mask.length;
  }
  return bytes;
}

export function decodeTipItem(bytes: Uint8Array): TipItemPatches {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) throw new RangeError('not a TIP library item (bad magic)');
  let o = MAGIC.length;
  const read = (): TipPatch => {
    if (o + 4 > bytes.length) throw new RangeError('TIP library item is cut short');
    const width = dv.getUint16(o, true);
    const height = dv.getUint16(o + 2, true);
    o += 4;
    const n = width * height;
    if (width === 0 || height === 0 || o + n * 5 > bytes.length) throw new RangeError('TIP library item is cut short');
    const p = emptyPatch(width, height);
    for (const plane of [p.low, p.high]) for (let i = 0; i < n; i++, o += 2) plane[i] = dv.getUint16(o, true);
    p.mask.set(bytes.subarray(o, o + n));
    o += n;
    return p;
  };
  const item = { top: read(), side: read(), sideTurned: read() };
  if (o !== bytes.length) throw new RangeError('TIP library item has trailing bytes');
  if (item.side.height !== item.top.height || item.sideTurned.height !== item.top.width) {
    throw new RangeError('TIP library item: side patches do not match the top patch');
  }
  return item;
}
