/**
 * The officer's image tools as one settings object. Every renderer (the CPU reference in
 * `tools.ts`, the WebGL2 shader in `shaders.ts`) takes exactly this object, through
 * `toolParameters`, so that they cannot disagree on what a tool means.
 */
import { ATTENUATION_SCALE, IMPENETRABLE } from './dual-energy.ts';

/** `colour`: standard material pseudo-colour. `grayscale`: high-energy transmission only. */
export type ImageMode = 'colour' | 'grayscale';

/**
 * Material stripping, as on UK/EU screening consoles:
 * - `organic` ("OS", organic stripping): organic pixels are removed (drawn as background), so
 *   only inorganic and metal remain;
 * - `inorganic` ("IS"/"MS", inorganic or metal stripping): inorganic and metal pixels are
 *   removed, so only organics remain.
 * Air stays background and impenetrable pixels always stay (nothing is known of what they hide).
 * Single-energy views carry no material information: stripping does nothing there.
 */
export type StripMode = 'none' | 'organic' | 'inorganic';

/** Density slice window in high-energy log-attenuation units (−ln(I/I0)), inclusive at both ends. */
export interface SliceWindow {
  readonly enabled: boolean;
  readonly lo: number;
  readonly hi: number;
}

export interface ImageSettings {
  readonly mode: ImageMode;
  /** Negative image; combines with every other tool. */
  readonly inverse: boolean;
  /** 3×3 Laplacian sharpening of luminance. */
  readonly edge: boolean;
  readonly strip: StripMode;
  /** Pixels outside the window are faded towards the background. */
  readonly slice: SliceWindow;
  /** Impenetrable (and nearly impenetrable) pixels hatched in red. */
  readonly markImpenetrable: boolean;
  /** Brightness step, BRIGHTNESS_MIN…BRIGHTNESS_MAX; 0 is the standard display curve. */
  readonly brightness: number;
}

export const BRIGHTNESS_MIN = -4;
export const BRIGHTNESS_MAX = 4;
/** Log-attenuation range the slice window moves in: 0 … 65534 / 8192. */
export const SLICE_RANGE_MAX = 8;
export const SLICE_STEP = 0.25;
export const SLICE_MIN_WIDTH = 0.25;
export const SLICE_MAX_WIDTH = 4;

export const DEFAULT_IMAGE_SETTINGS: ImageSettings = Object.freeze({
  mode: 'colour',
  inverse: false,
  edge: false,
  strip: 'none',
  slice: Object.freeze({ enabled: false, lo: 1, hi: 2 }),
  markImpenetrable: false,
  brightness: 0,
});

/** What the next bag starts with: every tool off, standard colour. */
export function resetImageSettings(): ImageSettings {
  return DEFAULT_IMAGE_SETTINGS;
}

export function isDefaultSettings(settings: ImageSettings): boolean {
  const d = DEFAULT_IMAGE_SETTINGS;
  return (
    settings.mode === d.mode &&
    settings.inverse === d.inverse &&
    settings.edge === d.edge &&
    settings.strip === d.strip &&
    settings.slice.enabled === d.slice.enabled &&
    settings.slice.lo === d.slice.lo &&
    settings.slice.hi === d.slice.hi &&
    settings.markImpenetrable === d.markImpenetrable &&
    settings.brightness === d.brightness
  );
}

export function withMode(settings: ImageSettings, mode: ImageMode): ImageSettings {
  return { ...settings, mode };
}

export function toggleInverse(settings: ImageSettings): ImageSettings {
  return { ...settings, inverse: !settings.inverse };
}

export function toggleEdge(settings: ImageSettings): ImageSettings {
  return { ...settings, edge: !settings.edge };
}

/** Pressing the active strip again turns stripping off; the two strips exclude each other. */
export function toggleStrip(settings: ImageSettings, strip: Exclude<StripMode, 'none'>): ImageSettings {
  return { ...settings, strip: settings.strip === strip ? 'none' : strip };
}

export function toggleSlice(settings: ImageSettings): ImageSettings {
  return { ...settings, slice: { ...settings.slice, enabled: !settings.slice.enabled } };
}

export function toggleMarkImpenetrable(settings: ImageSettings): ImageSettings {
  return { ...settings, markImpenetrable: !settings.markImpenetrable };
}

const round = (x: number): number => Math.round(x / SLICE_STEP) * SLICE_STEP;

/** Moves the window by whole steps, keeping its width, inside 0…SLICE_RANGE_MAX. Turns the slice on. */
export function moveSliceWindow(settings: ImageSettings, steps: number): ImageSettings {
  const { lo, hi } = settings.slice;
  const width = hi - lo;
  const newLo = Math.min(Math.max(round(lo + steps * SLICE_STEP), 0), SLICE_RANGE_MAX - width);
  return { ...settings, slice: { enabled: true, lo: newLo, hi: newLo + width } };
}

/** Widens (steps > 0) or narrows the window around its centre. Turns the slice on. */
export function resizeSliceWindow(settings: ImageSettings, steps: number): ImageSettings {
  const { lo, hi } = settings.slice;
  const width = Math.min(Math.max(hi - lo + 2 * steps * SLICE_STEP, SLICE_MIN_WIDTH), SLICE_MAX_WIDTH);
  const centre = (lo + hi) / 2;
  const newLo = Math.min(Math.max(round(centre - width / 2), 0), SLICE_RANGE_MAX - width);
  return { ...settings, slice: { enabled: true, lo: newLo, hi: newLo + width } };
}

export function stepBrightness(settings: ImageSettings, steps: number): ImageSettings {
  const brightness = Math.min(Math.max(Math.round(settings.brightness + steps), BRIGHTNESS_MIN), BRIGHTNESS_MAX);
  return { ...settings, brightness };
}

// ---- the numbers both renderers use ----------------------------------------------------------

/** Display exponent at brightness 0: v = T^0.5, a softer curve than raw transmission. */
export const BASE_EXPONENT = 0.5;
/**
 * From this high-energy value up (log-attenuation 6, transmission under 0.25 %) a pixel counts
 * as impenetrable for marking: the image there carries no usable detail. 65535 always does.
 */
export const DENSE_MIN = 6 * ATTENUATION_SCALE;

export const STRIP_CODE: Record<StripMode, number> = { none: 0, organic: 1, inorganic: 2 };

/** Flat numeric form of the settings: the CPU reference reads it, and it becomes the shader's uniforms. */
export interface ToolParameters {
  /** 0 colour, 1 grayscale (a single-energy view is always 1). */
  mode: number;
  singleEnergy: boolean;
  inverse: boolean;
  edge: boolean;
  /** STRIP_CODE; always 0 for single-energy views. */
  strip: number;
  slice: boolean;
  /** Inclusive window on the raw u16 high-energy value. */
  sliceLo: number;
  sliceHi: number;
  mark: boolean;
  /** v = exp(−a × exponent), a = high / ATTENUATION_SCALE. */
  exponent: number;
}

export function toolParameters(settings: ImageSettings, singleEnergy: boolean): ToolParameters {
  return {
    mode: singleEnergy || settings.mode === 'grayscale' ? 1 : 0,
    singleEnergy,
    inverse: settings.inverse,
    edge: settings.edge,
    strip: singleEnergy ? 0 : STRIP_CODE[settings.strip],
    slice: settings.slice.enabled,
    sliceLo: Math.min(Math.max(Math.round(settings.slice.lo * ATTENUATION_SCALE), 0), IMPENETRABLE),
    sliceHi: Math.min(Math.max(Math.round(settings.slice.hi * ATTENUATION_SCALE), 0), IMPENETRABLE),
    mark: settings.markImpenetrable,
    exponent: BASE_EXPONENT * 2 ** (-settings.brightness / 2),
  };
}
