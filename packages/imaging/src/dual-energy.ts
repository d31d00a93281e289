/**
 * Dual-energy attenuation images as carried on the wire: u16 value = log-attenuation
 * −ln(I/I0) × ATTENUATION_SCALE, clamped; 65535 marks an impenetrable pixel.
 */
export const ATTENUATION_SCALE = 8192;
export const IMPENETRABLE = 65535;

export type MaterialClass = 'air' | 'organic' | 'inorganic' | 'metal' | 'impenetrable';

/**
 * Ratio of low- to high-energy log-attenuation: it rises with effective atomic number
 * (photoelectric absorption dominates at low energy for heavy elements). Thresholds follow
 * the standard colour bands: Zeff < ~10 organic, 10-18 inorganic, > 18 metal.
 */
export const RATIO_ORGANIC_MAX = 1.3;
export const RATIO_INORGANIC_MAX = 1.75;
/** Below this high-energy log-attenuation the pixel is air or belt. */
export const AIR_MAX = 0.04 * ATTENUATION_SCALE;

/**
 * The same thresholds as exact integer comparisons on u16 values, which the renderers use so
 * that the CPU (float64) and the GPU (float32) can never put a pixel in different classes:
 * low / high < 13 / 10  ⇔  low × 10 < high × 13 (and likewise 7 / 4). For u16 inputs this is
 * exactly what classifyMaterial decides.
 */
export const RATIO_ORGANIC_NUM = 13;
export const RATIO_ORGANIC_DEN = 10;
export const RATIO_INORGANIC_NUM = 7;
export const RATIO_INORGANIC_DEN = 4;
/** Largest u16 high-energy value that is air: floor(AIR_MAX). */
export const AIR_MAX_U16 = Math.floor(AIR_MAX);

export function classifyMaterial(low: number, high: number): MaterialClass {
  if (low >= IMPENETRABLE || high >= IMPENETRABLE) return 'impenetrable';
  if (high <= AIR_MAX) return 'air';
  const ratio = low / high;
  if (ratio < RATIO_ORGANIC_MAX) return 'organic';
  if (ratio < RATIO_INORGANIC_MAX) return 'inorganic';
  return 'metal';
}

const HUE: Record<MaterialClass, readonly [number, number, number]> = {
  air: [255, 255, 255],
  organic: [255, 150, 40],
  inorganic: [70, 190, 70],
  metal: [50, 110, 235],
  impenetrable: [0, 0, 0],
};

/** Reads a little-endian u16 image even when the bytes are not 2-byte aligned (Node Buffer slices). */
export function u16View(bytes: Uint8Array): Uint16Array {
  if (bytes.byteOffset % 2 === 0) return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
  return new Uint16Array(bytes.slice().buffer);
}

/**
 * CPU reference of the standard material pseudo-colour: hue from material class, brightness
 * from transmission at the high energy. Writes RGBA into `out` (width × height × 4).
 */
export function renderPseudoColour(low: Uint16Array, high: Uint16Array, out: Uint8ClampedArray): Uint8ClampedArray {
  if (low.length !== high.length || out.length !== low.length * 4) throw new RangeError('image sizes do not match');
  for (let i = 0; i < low.length; i++) {
    const l = low[i] ?? 0;
    const h = high[i] ?? 0;
    const material = classifyMaterial(l, h);
    const hue = HUE[material];
    // Transmission 1 → white, falling off with attenuation; the hue takes over as it darkens.
    const transmission = material === 'impenetrable' ? 0 : Math.exp(-h / ATTENUATION_SCALE);
    const tint = material === 'air' ? 0 : 1;
    const o = i * 4;
    for (let c = 0; c < 3; c++) {
      const coloured = 255 * (1 - tint) + (hue[c] ?? 0) * tint;
      out[o + c] = coloured * (0.25 + 0.75 * transmission);
    }
    out[o + 3] = 255;
  }
  return out;
}
