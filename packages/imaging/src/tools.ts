/**
 * CPU reference of the officer's image tools. The WebGL2 shader in `shaders.ts` implements the
 * same steps with the same constants; the console's end-to-end test compares the two pixel by
 * pixel (±2 per channel). Per pixel, in this order:
 *
 * 1. class: impenetrable if low or high is 65535; air if high ≤ AIR_MAX_U16; otherwise, on a
 *    dual-energy view, organic / inorganic / metal by exact integer ratio tests, and on a
 *    single-energy view "unknown" (no material information);
 * 2. v = exp(−a × exponent), a = high / 8192: the display curve of high-energy transmission,
 *    its exponent set by the brightness step;
 * 3. base colour c (0…1): grayscale (or unknown, or air) → (v, v, v); impenetrable → black;
 *    colour mode → the class hue, paler when thin and darker when thick:
 *    w = PALE × v², k = FLOOR + (1 − FLOOR) × v, c = (hue × (1 − w) + w) × k;
 * 4. stripping: a stripped pixel becomes background white (1, 1, 1);
 * 5. density slice: a pixel whose raw high value is outside [sliceLo, sliceHi] fades towards
 *    white: c + (1 − c) × SLICE_FADE;
 * 6. without edge enhancement: q = floor(255 c + 0.5);
 * 7. with edge enhancement (3×3 Laplacian on luminance, edges clamped), on colours kept at
 *    1/256 of a grey level so that a rounding difference between CPU and GPU is never
 *    amplified: f = floor(65280 c + 0.5) (= 256 × 255 c); Y = 77 f.r + 150 f.g + 29 f.b;
 *    D = 8 Y(centre) − Σ Y(8 neighbours); q = floor((f + D × EDGE_GAIN / 2048) / 256 + 0.5),
 *    clamped to 0…255. That is q = 255 c + EDGE_GAIN × (Y − mean of the neighbours) in grey levels;
 * 8. inverse: 255 − q;
 * 9. impenetrable marking: high ≥ DENSE_MIN (or low = 65535) → red hatch, diagonal stripes
 *    along x + y (MARK_PERIOD / 2 pixels each colour), drawn last so that inversion never hides it.
 *
 * Speed: steps 1-6 are one lookup per pixel in tables over the whole u16 domain (one per class,
 * built once per settings and cached); edge enhancement is one more pass with sliding sums.
 */
import {
  AIR_MAX_U16, ATTENUATION_SCALE, IMPENETRABLE, RATIO_INORGANIC_DEN, RATIO_INORGANIC_NUM, RATIO_ORGANIC_DEN, RATIO_ORGANIC_NUM,
} from './dual-energy.ts';
import { DENSE_MIN, type ImageSettings, type ToolParameters, toolParameters } from './settings.ts';

// The sweep below writes the ratio tests and class codes as literals for speed; they must be these.
if (RATIO_ORGANIC_NUM !== 13 || RATIO_ORGANIC_DEN !== 10 || RATIO_INORGANIC_NUM !== 7 || RATIO_INORGANIC_DEN !== 4) {
  throw new Error('tools.ts: update the literal ratio tests in renderViewWith');
}

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
/** Edge enhancement gain: q + gain × (Y − mean of the 8 neighbours). A multiple of 1/2. */
export const EDGE_GAIN = 1.5;
/** Colours are kept at this many steps per grey level for edge enhancement (step 7). */
export const FINE_STEPS = 256;
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

/** Steps 2-5 for one pixel: the colour, 0…1 per channel, before quantisation. */
export function baseFloat(cls: number, high: number, p: ToolParameters): [number, number, number] {
  const v = displayValue(high, p);
  let c: [number, number, number];
  const stripped = (p.strip === 1 && cls === CLASS_ORGANIC) || (p.strip === 2 && (cls === CLASS_INORGANIC || cls === CLASS_METAL));
  if (stripped) {
    c = [1, 1, 1];
  } else if (cls === CLASS_IMPENETRABLE) {
    c = [0, 0, 0];
  } else if (p.mode === 0 && cls >= CLASS_ORGANIC && cls <= CLASS_METAL) {
    const hue = TOOL_HUES[cls - 1] ?? [1, 1, 1];
    const w = PALE * v * v;
    const k = FLOOR + (1 - FLOOR) * v;
    c = [(hue[0] * (1 - w) + w) * k, (hue[1] * (1 - w) + w) * k, (hue[2] * (1 - w) + w) * k];
  } else {
    c = [v, v, v];
  }
  if (p.slice && (high < p.sliceLo || high > p.sliceHi)) c = [c[0] + (1 - c[0]) * SLICE_FADE, c[1] + (1 - c[1]) * SLICE_FADE, c[2] + (1 - c[2]) * SLICE_FADE];
  return c;
}

/** Step 6: the quantised colour without edge enhancement. */
export function baseColour(cls: number, high: number, p: ToolParameters): [number, number, number] {
  const [r, g, b] = baseFloat(cls, high, p);
  return [Math.floor(r * 255 + 0.5), Math.floor(g * 255 + 0.5), Math.floor(b * 255 + 0.5)];
}

/** Step 7's fine colour: 1/256 of a grey level. */
export function fineColour(cls: number, high: number, p: ToolParameters): [number, number, number] {
  const [r, g, b] = baseFloat(cls, high, p);
  const s = 255 * FINE_STEPS;
  return [Math.floor(r * s + 0.5), Math.floor(g * s + 0.5), Math.floor(b * s + 0.5)];
}

/** RGBA bytes as one little-endian int32 (alpha 255 makes it negative). */
const pack = (r: number, g: number, b: number): number => (255 << 24) | (b << 16) | (g << 8) | r;

/**
 * Steps 1-6 (or 1-5 and the fine colours of step 7) as tables over (class << 16 | high).
 * `coarse`: packed RGBA8. `fine`: three u16 per entry. `fineLuma`: Y of the fine colour.
 */
export interface ToolTables {
  readonly coarse: Int32Array;
  fine: Uint16Array | null;
  fineLuma: Int32Array | null;
}

const tableCache = new Map<string, ToolTables>();
const TABLE_CACHE_SIZE = 4;

/** The tables for these parameters (and the fine ones when `fine`), from a small cache. */
export function toolTables(p: ToolParameters, fine: boolean): ToolTables {
  const key = `${p.singleEnergy ? 's' : 'd'}|${p.mode}|${p.strip}|${p.slice ? `${p.sliceLo}-${p.sliceHi}` : '-'}|${p.exponent}`;
  let tables = tableCache.get(key);
  if (!tables) {
    tables = { coarse: new Int32Array(CLASS_COUNT << 16), fine: null, fineLuma: null };
    fillTables(p, tables.coarse, null, null);
    if (tableCache.size >= TABLE_CACHE_SIZE) {
      const oldest = tableCache.keys().next().value;
      if (oldest !== undefined) tableCache.delete(oldest);
    }
    tableCache.set(key, tables);
  }
  if (fine && (!tables.fine || !tables.fineLuma)) {
    tables.fine = new Uint16Array((CLASS_COUNT << 16) * 3);
    tables.fineLuma = new Int32Array(CLASS_COUNT << 16);
    fillTables(p, null, tables.fine, tables.fineLuma);
  }
  return tables;
}

/**
 * The same numbers as baseFloat / baseColour / fineColour, computed once per high value for
 * all classes (the tests check the entries against them). Only the entries the sweep can look
 * up: air up to AIR_MAX_U16, unknown on single-energy views, the three materials on
 * dual-energy views, impenetrable always (the low energy alone may saturate).
 */
function fillTables(p: ToolParameters, coarse: Int32Array | null, fine: Uint16Array | null, fineLuma: Int32Array | null): void {
  const bytes = coarse ? new Uint8Array(coarse.buffer) : null;
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
  const scale = ATTENUATION_SCALE;
  const fineScale = 255 * FINE_STEPS;
  const put = (cls: number, h: number, r: number, g: number, b: number, out: boolean): void => {
    if (out) {
      r += (1 - r) * fade;
      g += (1 - g) * fade;
      b += (1 - b) * fade;
    }
    const index = (cls << 16) | h;
    if (bytes) {
      const o = index << 2;
      bytes[o] = Math.floor(r * 255 + 0.5);
      bytes[o + 1] = Math.floor(g * 255 + 0.5);
      bytes[o + 2] = Math.floor(b * 255 + 0.5);
      bytes[o + 3] = 255;
    }
    if (fine && fineLuma) {
      const fr = Math.floor(r * fineScale + 0.5);
      const fg = Math.floor(g * fineScale + 0.5);
      const fb = Math.floor(b * fineScale + 0.5);
      fine[index * 3] = fr;
      fine[index * 3 + 1] = fg;
      fine[index * 3 + 2] = fb;
      fineLuma[index] = 77 * fr + 150 * fg + 29 * fb;
    }
  };
  for (let h = 0; h < 65536; h++) {
    const v = Math.exp(-(h / scale) * exponent);
    const out = slice && (h < sliceLo || h > sliceHi);
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
}

let indices = new Int32Array(0);
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
  const edge = p.edge;
  const tables = toolTables(p, edge);
  const coarse = tables.coarse;
  const fineLuma = tables.fineLuma ?? new Int32Array(0);
  const direct = words(out);
  const target = direct ?? new Int32Array(n);
  if (edge && indices.length < n) {
    indices = new Int32Array(n);
    luma = new Int32Array(n);
  }
  const index = indices;
  const y = luma;
  // Without edge enhancement, steps 1-6, 8 and 9 in this one sweep. With it, the sweep keeps
  // each pixel's table index and fine luminance for the edge pass, which finishes the pixel.
  const invert = !edge && p.inverse ? 0x00ffffff : 0;
  const mark = !edge && p.mark;
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
      const entry = (cls << 16) | h;
      if (edge) {
        index[i] = entry;
        y[i] = fineLuma[entry] as number;
      } else if (mark && (h >= denseMin || l >= impenetrable)) {
        target[i] = (row + col) % period < half ? markA : markB;
      } else {
        target[i] = (coarse[entry] as number) ^ invert;
      }
    }
  }
  if (edge) {
    edgeEnhance(index, y, tables.fine ?? new Uint16Array(0), target, width, height);
    if (p.inverse || p.mark) finish(target, image, p);
  }
  if (!direct) out.set(new Uint8ClampedArray(target.buffer, 0, n * 4));
  return out;
}

/**
 * Step 7 with clamped edges; the 3×3 sums slide along each row as three column sums. Fine
 * luminance is at most 65280 × 256 and nine of them stay far inside int32 and exact doubles.
 */
function edgeEnhance(index: Int32Array, y: Int32Array, fine: Uint16Array, dst: Int32Array, width: number, height: number): void {
  const k = EDGE_GAIN / 2048;
  const inv = 1 / FINE_STEPS;
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
      const delta = (9 * (y[i] as number) - left - centre - right) * k;
      const f = (index[i] as number) * 3;
      let r = Math.floor(((fine[f] as number) + delta) * inv + 0.5);
      let g = Math.floor(((fine[f + 1] as number) + delta) * inv + 0.5);
      let b = Math.floor(((fine[f + 2] as number) + delta) * inv + 0.5);
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

