import { ATTENUATION_SCALE, IMPENETRABLE } from '@clearway/imaging';
import type { Random } from './prng.ts';

// The detector line: what turns ideal log-attenuations into the u16 images a scanner sends.
// - per-line gain (source flicker) and per-element gain residue after calibration;
// - quantum noise: a layer counts N = N0·e^(−a) photons, Poisson, plus electronic noise, so the
//   measured a = −ln(N/N0) scatters by √(N + σₑ²)/N, more and more as attenuation grows;
// - a little blur (scintillator cross-talk across the line, integration time along the belt);
// - saturation: where the measured transmission falls below `transmissionFloor` the layer cannot
//   tell how much more there is, and the pixel reads 65535 (impenetrable).

export interface DetectorOptions {
  /** Photons per pixel through air reaching the low- and high-energy layers. */
  photonsLow?: number;
  photonsHigh?: number;
  /** Electronic (read-out) noise, in photon-count units. */
  electronicNoise?: number;
  /** Measured transmission below which a layer reads impenetrable. Must be above e^(−65534/8192) ≈ 3.4e-4. */
  transmissionFloor?: number;
  /** Standard deviation of the per-line gain, in log-attenuation. */
  lineGain?: number;
  /** Standard deviation of the per-element gain residue, relative. */
  elementGain?: number;
  /** Blur weight of each neighbour (0 for none). */
  blur?: number;
}

export const DETECTOR_DEFAULTS: Required<DetectorOptions> = {
  photonsLow: 100_000,
  photonsHigh: 200_000,
  electronicNoise: 4,
  transmissionFloor: 6e-4,
  lineGain: 0.002,
  elementGain: 0.003,
  blur: 0.18,
};

const MAX_CODE_ATTENUATION = (IMPENETRABLE - 1) / ATTENUATION_SCALE;

/** Standard normal quantiles at 4096 evenly spaced probabilities: noise at the cost of a lookup. */
const NORMAL_TABLE = (() => {
  const table = new Float64Array(4096);
  for (let k = 0; k < table.length; k++) table[k] = normalQuantile((k + 0.5) / table.length);
  return table;
})();

const STEPS_PER_UNIT = 64;

/** Noise standard deviation in log-attenuation at attenuation k / STEPS_PER_UNIT. */
function sigmaTable(photons: number, electronic: number, maxA: number): Float64Array {
  const steps = Math.ceil(maxA * STEPS_PER_UNIT) + 2;
  const table = new Float64Array(steps);
  for (let k = 0; k < steps; k++) {
    const n = photons * Math.exp(-k / STEPS_PER_UNIT);
    table[k] = Math.sqrt(n + electronic * electronic) / n;
  }
  return table;
}

const tables = new Map<string, { low: Float64Array; high: Float64Array }>();

/** Pixel rectangle, half-open. */
export interface Region {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Turns the ideal images (Σ μ·t per pixel; overwritten) into u16 wire images. Only `region`
 * (default: everything) can hold anything but air; outside it the images stay 0.
 */
export function detect(low: Float32Array, high: Float32Array, width: number, height: number, rng: Random, options: DetectorOptions = {}, region?: Region): { low: Uint16Array; high: Uint16Array } {
  const o = { ...DETECTOR_DEFAULTS, ...options };
  // The blur spreads one pixel each way.
  const x0 = Math.max(0, (region?.x0 ?? 0) - 1);
  const y0 = Math.max(0, (region?.y0 ?? 0) - 1);
  const x1 = Math.min(width, (region?.x1 ?? width) + 1);
  const y1 = Math.min(height, (region?.y1 ?? height) + 1);
  const floorA = -Math.log(o.transmissionFloor);
  if (!(floorA > 0 && floorA <= MAX_CODE_ATTENUATION)) throw new RangeError(`transmissionFloor must lie between ${Math.exp(-MAX_CODE_ATTENUATION).toExponential(2)} and 1`);
  const key = `${o.photonsLow}/${o.photonsHigh}/${o.electronicNoise}/${floorA}`;
  let sigma = tables.get(key);
  if (!sigma) {
    sigma = { low: sigmaTable(o.photonsLow, o.electronicNoise, floorA + 1), high: sigmaTable(o.photonsHigh, o.electronicNoise, floorA + 1) };
    tables.set(key, sigma);
  }
  const maxStep = sigma.low.length - 1;
  const lineL = new Float64Array(height);
  const lineH = new Float64Array(height);
  for (let r = 0; r < height; r++) {
    // The same flicker reaches both layers, mostly.
    const common = rng.normal() * o.lineGain;
    lineL[r] = common + rng.normal() * o.lineGain * 0.3;
    lineH[r] = common + rng.normal() * o.lineGain * 0.3;
  }
  const elemL = new Float64Array(width);
  const elemH = new Float64Array(width);
  for (let c = 0; c < width; c++) {
    elemL[c] = 1 + rng.normal() * o.elementGain;
    elemH[c] = 1 + rng.normal() * o.elementGain;
  }
  // xorshift32 seeded from the view's stream: the per-pixel draw is the hot loop.
  let x = (rng.next() * 4294967296) >>> 0 || 1;
  const sL = sigma.low;
  const sH = sigma.high;
  // Noise first, in place (measured log-attenuation), then the blur: the display chain smooths
  // quantum noise the way the detector's own spread and the scanner's filtering do.
  for (let r = y0; r < y1; r++) {
    const gL = lineL[r] as number;
    const gH = lineH[r] as number;
    const base = r * width;
    for (let c = x0; c < x1; c++) {
      const i = base + c;
      const l0 = low[i] as number;
      const h0 = high[i] as number;
      // Calibrated air reads 0; skipping it also saves most of the work.
      if (l0 <= 1e-5 && h0 <= 1e-5) continue;
      const l = l0 * (elemL[c] as number) + gL;
      const h = h0 * (elemH[c] as number) + gH;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const nl = NORMAL_TABLE[(x >>> 20) & 4095] as number;
      const nh = NORMAL_TABLE[(x >>> 8) & 4095] as number;
      const kl = l <= 0 ? 0 : l * STEPS_PER_UNIT;
      const kh = h <= 0 ? 0 : h * STEPS_PER_UNIT;
      low[i] = l + nl * (sL[kl < maxStep ? kl | 0 : maxStep] as number);
      high[i] = h + nh * (sH[kh < maxStep ? kh | 0 : maxStep] as number);
    }
  }
  const outLow = new Uint16Array(low.length);
  const outHigh = new Uint16Array(high.length);
  if (x1 > x0 && y1 > y0) {
    const w = Math.max(0, o.blur);
    blurRows(low, width, x0, y0, x1, y1, w);
    blurRows(high, width, x0, y0, x1, y1, w);
    blurColumnsAndEncode(low, outLow, width, x0, y0, x1, y1, w, floorA);
    blurColumnsAndEncode(high, outHigh, width, x0, y0, x1, y1, w, floorA);
  }
  return { low: outLow, high: outHigh };
}

/** 3-tap blur [w, 1 − 2w, w] along the rows of [x0, x1) × [y0, y1), in place. */
function blurRows(img: Float32Array, width: number, x0: number, y0: number, x1: number, y1: number, w: number): void {
  if (w <= 0) return;
  const mid = 1 - 2 * w;
  for (let r = y0; r < y1; r++) {
    const base = r * width;
    let prev = img[base + x0] as number;
    for (let c = x0; c < x1; c++) {
      const here = img[base + c] as number;
      const next = c + 1 < x1 ? (img[base + c + 1] as number) : here;
      img[base + c] = mid * here + w * (prev + next);
      prev = here;
    }
  }
}

/**
 * The same blur down the columns, a row at a time (cache-friendly), writing the wire code of each
 * result: 0 for air, round(a × 8192), or 65535 where the measured attenuation passed the floor.
 */
function blurColumnsAndEncode(img: Float32Array, out: Uint16Array, width: number, x0: number, y0: number, x1: number, y1: number, w: number, floorA: number): void {
  const mid = 1 - 2 * w;
  const scale = ATTENUATION_SCALE;
  const stop = IMPENETRABLE;
  const n = x1 - x0;
  const prevRow = new Float32Array(n);
  for (let c = 0; c < n; c++) prevRow[c] = img[y0 * width + x0 + c] as number;
  for (let r = y0; r < y1; r++) {
    const base = r * width + x0;
    const nextBase = r + 1 < y1 ? base + width : base;
    for (let c = 0; c < n; c++) {
      const here = img[base + c] as number;
      const a = mid * here + w * ((prevRow[c] as number) + (img[nextBase + c] as number));
      prevRow[c] = here;
      out[base + c] = a >= floorA ? stop : a <= 0 ? 0 : (a * scale + 0.5) | 0;
    }
  }
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
