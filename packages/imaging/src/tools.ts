/**
 * CPU reference of the officer's image tools. The WebGL2 shader in `shaders.ts` implements the
 * same steps with the same constants; the console's end-to-end test compares the two pixel by
 * pixel. Per pixel, in this order:
 *
 * 1. class: impenetrable if low or high is 65535; air if high ≤ AIR_MAX_U16; otherwise, on a
 *    dual-energy view, organic / inorganic / metal by exact integer ratio tests, and on a
 *    single-energy view "unknown" (no material information);
 * 2. v = exp(−a × exponent), a = high / 8192: the display curve of high-energy transmission,
 *    its exponent set by the brightness step;
 * 3. base colour: grayscale (or unknown, or air) → (v, v, v); impenetrable → black; colour mode
 *    → the class hue, paler when thin and darker when thick:
 *    w = PALE × v², k = FLOOR + (1 − FLOOR) × v, c = (hue × (1 − w) + w) × k;
 * 4. stripping: a stripped pixel becomes background white (1, 1, 1);
 * 5. density slice: a pixel whose raw high value is outside [sliceLo, sliceHi] fades towards
 *    white: c + (1 − c) × SLICE_FADE;
 * 6. quantise: q = floor(255 c + 0.5);
 * 7. edge enhancement: Y = 77 R + 150 G + 29 B of the quantised colours; D = 8 Y(centre) − Σ Y
 *    of the 8 neighbours (edges clamped); each channel q + D × EDGE_GAIN / 2048, rounded
 *    (floor(x + 0.5)), clamped to 0…255. All of it is exact in float32 too;
 * 8. inverse: 255 − q;
 * 9. impenetrable marking: high ≥ DENSE_MIN (or low = 65535) → red hatch, stripes of 4 pixels
 *    along x + y (MARK_PERIOD / 2 pixels each colour), drawn last so that inversion never hides it.
 */
import {
  AIR_MAX_U16, ATTENUATION_SCALE, IMPENETRABLE, RATIO_INORGANIC_DEN, RATIO_INORGANIC_NUM, RATIO_ORGANIC_DEN, RATIO_ORGANIC_NUM,
} from './dual-energy.ts';

// The sweep below writes the ratio tests and class codes as literals for speed; they must be these.
if (RATIO_ORGANIC_NUM !== 13 || RATIO_ORGANIC_DEN !== 10 || RATIO_INORGANIC_NUM !== 7 || RATIO_INORGANIC_DEN !== 4) {
  throw new Error('tools.ts: update the literal ratio tests in renderViewWith');
}
import { DENSE_MIN, type ImageSettings, type ToolParameters, toolParameters } from './settings.ts';

/** Material codes of the tool pipeline (the shader uses the same numbers). */
export const CLASS_AIR = 0;
export const CLASS_ORGANIC = 1;
export const CLASS_INORGANIC = 2;
export const CLASS_METAL = 3;
export const CLASS_IMPENETRABLE = 4;
export const CLASS_UNKNOWN = 5;
const CLASS_COUNT = 6;

/** Class hues, 0…1, for organic, inorganic and metal (orange, green, blue). */
export const TOOL_HUES: readonly (readonly [number, number, number])[] = [
  [255 / 255, 150 / 255, 40 / 255],
  [70 / 255, 190 / 255, 70 / 255],
  [50 / 255, 110 / 255, 235 / 255],
];
/** How much white a thin material is mixed with (at v = 1). */
export const PALE = 0.45;
/** Brightness of the thickest material relative to its hue. */
export const FLOOR = 0.12;
/** How far pixels outside the density slice fade towards white. */
export const SLICE_FADE = 0.85;
/** Edge enhancement gain: q + gain × (Y − mean of the 8 neighbours). */
export const EDGE_GAIN = 1.5;
/** Hatch colours of impenetrable marking. */
export const MARK_A: readonly [number, number, number] = [255, 0, 0];
export const MARK_B: readonly [number, number, number] = [72, 0, 0];
/** Stripe period of the hatch along x + y, in image pixels (half of it per colour). */
export const MARK_PERIOD = 8;

/** One view's attenuation images. `low` absent: a single-energy view. */
export interface ToolImage {
  readonly width: number;
  readonly height: number;
  readonly low?: Uint16Array | undefined;
  readonly high: Uint16Array;
}

/** The pipeline's class of one pixel (step 1). */
export function toolClass(low: number, high: number, singleEnergy: boolean): number {
  if (high >= IMPENETRABLE || (!singleEnergy && low >= IMPENETRABLE)) return CLASS_IMPENETRABLE;
  if (high <= AIR_MAX_U16) return CLASS_AIR;
  if (singleEnergy) return CLASS_UNKNOWN;
  if (low * RATIO_ORGANIC_DEN < high * RATIO_ORGANIC_NUM) return CLASS_ORGANIC;
  if (low * RATIO_INORGANIC_DEN < high * RATIO_INORGANIC_NUM) return CLASS_INORGANIC;
  return CLASS_METAL;
}

/** The display curve (step 2): v = exp(−a × exponent), a = high / 8192. */
export function displayValue(high: number, p: ToolParameters): number {
  return Math.exp(-(high / ATTENUATION_SCALE) * p.exponent);
}

/** Steps 2-6 for one pixel: the quantised colour before edge, inversion and marking. */
export function baseColour(cls: number, high: number, p: ToolParameters): [number, number, number] {
  const packed = baseEntry(cls, high, displayValue(high, p), p);
  return [packed & 255, (packed >>> 8) & 255, (packed >>> 16) & 255];
}

function baseEntry(cls: number, high: number, v: number, p: ToolParameters): number {
  let r: number;
  let g: number;
  let b: number;
  const stripped = (p.strip === 1 && cls === CLASS_ORGANIC) || (p.strip === 2 && (cls === CLASS_INORGANIC || cls === CLASS_METAL));
  if (stripped) {
    r = g = b = 1;
  } else if (cls === CLASS_IMPENETRABLE) {
    r = g = b = 0;
  } else if (p.mode === 0 && cls >= CLASS_ORGANIC && cls <= CLASS_METAL) {
    const hue = TOOL_HUES[cls - 1] ?? [1, 1, 1];
    const w = PALE * v * v;
    const k = FLOOR + (1 - FLOOR) * v;
    r = (hue[0] * (1 - w) + w) * k;
    g = (hue[1] * (1 - w) + w) * k;
    b = (hue[2] * (1 - w) + w) * k;
  } else {
    r = g = b = v;
  }
  if (p.slice && (high < p.sliceLo || high > p.sliceHi)) {
    r += (1 - r) * SLICE_FADE;
    g += (1 - g) * SLICE_FADE;
    b += (1 - b) * SLICE_FADE;
  }
  return pack(Math.floor(r * 255 + 0.5), Math.floor(g * 255 + 0.5), Math.floor(b * 255 + 0.5));
}

/** RGBA bytes as one little-endian int32 (alpha 255 makes it negative). */
const pack = (r: number, g: number, b: number): number => (255 << 24) | (b << 16) | (g << 8) | r;

/** Lookup tables of steps 2-6 over the whole u16 domain, one per class; a few kept, by parameters. */
const lutCache = new Map<string, Int32Array>();
const LUT_CACHE_SIZE = 4;

export function toolLookupTable(p: ToolParameters): Int32Array {
  const key = `${p.singleEnergy ? 's' : 'd'}|${p.mode}|${p.strip}|${p.slice ? `${p.sliceLo}-${p.sliceHi}` : '-'}|${p.exponent}`;
  const cached = lutCache.get(key);
  if (cached) return cached;
  const lut = buildLookupTable(p);
  if (lutCache.size >= LUT_CACHE_SIZE) {
    const oldest = lutCache.keys().next().value;
    if (oldest !== undefined) lutCache.delete(oldest);
  }
  lutCache.set(key, lut);
  return lut;
}

/**
 * The same numbers as baseEntry, computed once per high value for all classes (the tests check
 * every entry against baseEntry). Written byte by byte: a few milliseconds for 393,216 entries.
 */
function buildLookupTable(p: ToolParameters): Int32Array {
  const lut = new Int32Array(CLASS_COUNT << 16);
  const bytes = new Uint8Array(lut.buffer);
  const colour = p.mode === 0;
  const stripOrganic = p.strip === 1;
  const stripInorganic = p.strip === 2;
  const slice = p.slice;
  const sliceLo = p.sliceLo;
  const sliceHi = p.sliceHi;
  const exponent = p.exponent;
  const single = p.singleEnergy;
  const hues = [TOOL_HUES[0] ?? [1, 1, 1], TOOL_HUES[1] ?? [1, 1, 1], TOOL_HUES[2] ?? [1, 1, 1]];
  const hr = hues.map((h) => h[0]);
  const hg = hues.map((h) => h[1]);
  const hb = hues.map((h) => h[2]);
  const fade = SLICE_FADE;
  const pale = PALE;
  const floor = FLOOR;
  const put = (cls: number, h: number, r: number, g: number, b: number, out: boolean): void => {
    if (out) {
      r += (1 - r) * fade;
      g += (1 - g) * fade;
      b += (1 - b) * fade;
    }
    const o = ((cls << 16) | h) << 2;
    bytes[o] = Math.floor(r * 255 + 0.5);
    bytes[o + 1] = Math.floor(g * 255 + 0.5);
    bytes[o + 2] = Math.floor(b * 255 + 0.5);
    bytes[o + 3] = 255;
  };
  for (let h = 0; h < 65536; h++) {
    const v = Math.exp(-(h / ATTENUATION_SCALE) * exponent);
    const out = slice && (h < sliceLo || h > sliceHi);
    // Only the entries the sweep can look up: air up to AIR_MAX_U16, unknown on single-energy
    // views, the materials on dual-energy views, impenetrable always (low alone may saturate).
    if (h <= AIR_MAX_U16) put(CLASS_AIR, h, v, v, v, out);
    put(CLASS_IMPENETRABLE, h, 0, 0, 0, out);
    if (single) {
      put(CLASS_UNKNOWN, h, v, v, v, out);
      continue;
    }
    const w = pale * v * v;
    const k = floor + (1 - floor) * v;
    for (let m = 0; m < 3; m++) {
      const cls = CLASS_ORGANIC + m;
      const stripped = m === 0 ? stripOrganic : stripInorganic;
      if (stripped) put(cls, h, 1, 1, 1, out);
      else if (colour) put(cls, h, ((hr[m] as number) * (1 - w) + w) * k, ((hg[m] as number) * (1 - w) + w) * k, ((hb[m] as number) * (1 - w) + w) * k, out);
      else put(cls, h, v, v, v, out);
    }
  }
  return lut;
}

/** Every entry of the lookup table computed one by one from the definition (for tests). */
export function referenceLookupTable(p: ToolParameters): Int32Array {
  const lut = new Int32Array(CLASS_COUNT << 16);
  for (let h = 0; h < 65536; h++) {
    const v = displayValue(h, p);
    for (let cls = 0; cls < CLASS_COUNT; cls++) lut[(cls << 16) | h] = baseEntry(cls, h, v, p);
  }
  return lut;
}

let scratch = new Int32Array(0);
let luma = new Int32Array(0);

function words(out: Uint8ClampedArray): Int32Array | null {
  return out.byteOffset % 4 === 0 ? new Int32Array(out.buffer, out.byteOffset, out.length >> 2) : null;
}

/**
 * Renders one view with the given tools into `out` (RGBA, width × height × 4, row 0 at the top).
 * Works for dual-energy (low and high) and single-energy (high only) views.
 */
export function renderView(image: ToolImage, settings: ImageSettings, out: Uint8ClampedArray): Uint8ClampedArray {
  return renderViewWith(image, toolParameters(settings, image.low === undefined), out);
}

const MARK_HALF = MARK_PERIOD / 2;

export function renderViewWith(image: ToolImage, p: ToolParameters, out: Uint8ClampedArray): Uint8ClampedArray {
  const { width, height, low, high } = image;
  const n = width * height;
  if (high.length !== n || (low !== undefined && low.length !== n) || out.length !== n * 4) throw new RangeError('image sizes do not match');
  const lut = toolLookupTable(p);
  const direct = words(out);
  const target = direct ?? new Int32Array(n);
  // Steps 1-6 (and 8-9 when there is no edge pass) in one sweep; with edge enhancement the
  // tables' colours go to a scratch buffer first, since the edge pass reads the neighbours.
  if (p.edge && scratch.length < n) scratch = new Int32Array(n);
  const base = p.edge ? scratch : target;
  const inline = !p.edge;
  const invert = inline && p.inverse ? 0x00ffffff : 0;
  const mark = inline && p.mark;
  const markA = pack(MARK_A[0], MARK_A[1], MARK_A[2]);
  const markB = pack(MARK_B[0], MARK_B[1], MARK_B[2]);
  const lo = low ?? high;
  const single = low === undefined;
  // Imported constants as locals: bundlers and test runners may turn imports into getters.
  const impenetrable = IMPENETRABLE;
  const airMax = AIR_MAX_U16;
  const denseMin = DENSE_MIN;
  const period = MARK_PERIOD;
  const half = MARK_HALF;
  for (let row = 0, i = 0; row < height; row++) {
    for (let col = 0; col < width; col++, i++) {
      const h = high[i] as number;
      const l = lo[i] as number;
      let cls: number;
      if (h >= impenetrable || l >= impenetrable) cls = 4; // CLASS_IMPENETRABLE
      else if (h <= airMax) cls = 0; // CLASS_AIR
      else if (single) cls = 5; // CLASS_UNKNOWN
      else if (l * 10 < h * 13) cls = 1; // CLASS_ORGANIC
      else if (l * 4 < h * 7) cls = 2; // CLASS_INORGANIC
      else cls = 3; // CLASS_METAL
      if (mark && (h >= denseMin || l >= impenetrable)) base[i] = (row + col) % period < half ? markA : markB;
      else base[i] = (lut[(cls << 16) | h] as number) ^ invert;
    }
  }
  if (p.edge) {
    edgeEnhance(base, target, width, height);
    if (p.inverse || p.mark) finish(target, image, p);
  }
  if (!direct) out.set(new Uint8ClampedArray(target.buffer, 0, n * 4));
  return out;
}

/** EDGE_GAIN / 2048 as a fraction over 4096 (the gain is a multiple of 1/2). */
const EDGE_NUM = EDGE_GAIN * 2;

/**
 * Step 7: 3×3 Laplacian on luminance with clamped edges. q + D × gain / 2048, rounded, is
 * computed as (4096 q + EDGE_NUM × D + 2048) >> 12: exact, and the same as floor(q + delta).
 * The 3×3 sums slide along each row as three column sums.
 */
function edgeEnhance(src: Int32Array, dst: Int32Array, width: number, height: number): void {
  const n = width * height;
  if (luma.length < n) luma = new Int32Array(n);
  const y = luma;
  for (let i = 0; i < n; i++) {
    const px = src[i] as number;
    y[i] = 77 * (px & 255) + 150 * ((px >> 8) & 255) + 29 * ((px >> 16) & 255);
  }
  const num = EDGE_NUM;
  const last = width - 1;
  for (let row = 0; row < height; row++) {
    const up = (row > 0 ? row - 1 : 0) * width;
    const mid = row * width;
    const down = (row < height - 1 ? row + 1 : row) * width;
    // Column sums at col − 1, col and col + 1 (clamped at the ends).
    let left = (y[up] as number) + (y[mid] as number) + (y[down] as number);
    let centre = left;
    for (let col = 0; col < width; col++) {
      const next = col < last ? col + 1 : last;
      const right = (y[up + next] as number) + (y[mid + next] as number) + (y[down + next] as number);
      const i = mid + col;
      const yc = y[i] as number;
      const t = num * (9 * yc - left - centre - right) + 2048;
      const px = src[i] as number;
      let r = (((px & 255) << 12) + t) >> 12;
      let g = ((((px >> 8) & 255) << 12) + t) >> 12;
      let b = ((((px >> 16) & 255) << 12) + t) >> 12;
      r = r < 0 ? 0 : r > 255 ? 255 : r;
      g = g < 0 ? 0 : g > 255 ? 255 : g;
      b = b < 0 ? 0 : b > 255 ? 255 : b;
      dst[i] = (255 << 24) | (b << 16) | (g << 8) | r;
      left = centre;
      centre = right;
    }
  }
}

/** Steps 8 and 9 after the edge pass. */
function finish(target: Int32Array, image: ToolImage, p: ToolParameters): void {
  const { width, height, high } = image;
  const lo = image.low ?? high;
  const impenetrable = IMPENETRABLE;
  const denseMin = DENSE_MIN;
  const invert = p.inverse ? 0x00ffffff : 0;
  const markA = pack(MARK_A[0], MARK_A[1], MARK_A[2]);
  const markB = pack(MARK_B[0], MARK_B[1], MARK_B[2]);
  for (let row = 0, i = 0; row < height; row++) {
    for (let col = 0; col < width; col++, i++) {
      if (p.mark && ((high[i] as number) >= denseMin || (lo[i] as number) >= impenetrable)) {
        target[i] = (row + col) % MARK_PERIOD < MARK_HALF ? markA : markB;
      } else if (invert !== 0) {
        target[i] = (target[i] as number) ^ invert;
      }
    }
  }
}

/** True where impenetrable marking applies (step 9). */
export function isMarked(low: number | undefined, high: number): boolean {
  return high >= DENSE_MIN || (low !== undefined && low >= IMPENETRABLE);
}
