/**
 * DICOS objects → Clearway scan views and machine results.
 *
 * Attenuation encoding (as on the wire, see @clearway/imaging): u16 = −ln(T) × 8192, where T is
 * the transmitted fraction of the beam; 0 is air, 65535 impenetrable (or beyond the u16 range).
 *
 * DX images (for presentation or processing) carry detector intensity, not attenuation. Mapping:
 *   1. modality value v = stored × Rescale Slope + Rescale Intercept;
 *   2. normalise to n ∈ [0, 1] over the value range: for integer pixels the range Bits Stored and
 *      Pixel Representation allow, passed through the rescale; for float pixels [0, 1] when every
 *      value lies in it (already a transmission), else the image's own min…max;
 *   3. T = n for MONOCHROME2 (bright = more X-rays = transmission), T = 1 − n for MONOCHROME1;
 *   4. attenuation = round(−ln(T) × 8192), clamped to 65535; T = 0 gives 65535.
 * Frame 1 becomes the `top` view and frame 2, when there is one, the `side` view (two-view line
 * scanners store their views as frames). The result is `single-energy-u16le`: DX carries one energy.
 *
 * CT volumes: slices are frames (along the belt), rows run vertically, columns across the belt.
 * Hounsfield units become linear attenuation relative to water, μ/μw = max(0, 1 + HU/1000), and
 * line integrals give attenuation: top = Σ over rows (the vertical axis) × row spacing, side = Σ
 * over columns × column spacing, times μw = 0.19 /cm (water near 70 keV), × 8192 in u16.
 *   top view:  width = columns, height = frames;   side view: width = rows, height = frames.
 */
import type { Detection, MachineResult, ScanViewInput, ThreatCategory, ViewBox, ViewName } from '@clearway/protocol';
import { MAX_VIEW_HEIGHT, MAX_VIEW_WIDTH, ThreatCategory as ThreatCategorySchema } from '@clearway/protocol';
import { DicosError } from './errors.ts';
import type { DicosImage, DicosImageType, DicosPto, DicosTdr } from './types.ts';

/** As in @clearway/imaging (not a dependency of this package): u16 = −ln(I/I0) × 8192, 65535 impenetrable. */
export const ATTENUATION_SCALE = 8192;
export const IMPENETRABLE = 65535;
/** Linear attenuation of water near 70 keV, per cm. */
export const MU_WATER_PER_CM = 0.19;

export interface Projection {
  width: number;
  height: number;
  /** −ln(T) × 8192 as u16, row-major. */
  attenuation: Uint16Array;
}

function toU16(lineIntegral: number): number {
  if (!(lineIntegral > 0)) return 0; // NaN, negative and zero: air
  const v = Math.round(lineIntegral * ATTENUATION_SCALE);
  return v >= IMPENETRABLE ? IMPENETRABLE : v;
}

/** The value range a DX frame is normalised over (see the module comment). */
export function dxValueRange(image: DicosImage, values?: Float64Array): [number, number] {
  if (image.storedRange) {
    const a = image.storedRange[0] * image.rescaleSlope + image.rescaleIntercept;
    const b = image.storedRange[1] * image.rescaleSlope + image.rescaleIntercept;
    return a <= b ? [a, b] : [b, a];
  }
  let lo = Infinity;
  let hi = -Infinity;
  const frames = values ? [values] : Array.from({ length: image.frames }, (_, f) => image.frameValues(f));
  for (const frame of frames) {
    for (const v of frame) {
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo === Infinity) return [0, 1];
  if (lo >= 0 && hi <= 1) return [0, 1];
  return [lo, hi];
}

/** One DX frame as attenuation. */
export function dxFrameAttenuation(image: DicosImage, frame = 0): Projection {
  const values = image.frameValues(frame);
  const [lo, hi] = image.storedRange ? dxValueRange(image) : dxValueRange(image, values);
  const span = hi - lo;
  const invert = image.photometricInterpretation === 'MONOCHROME1';
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? 0;
    let n = span > 0 ? (v - lo) / span : 1;
    if (!(n >= 0)) n = 0; // also NaN
    else if (n > 1) n = 1;
    const t = invert ? 1 - n : n;
    out[i] = t <= 0 ? IMPENETRABLE : toU16(-Math.log(t));
  }
  return { width: image.columns, height: image.rows, attenuation: out };
}

/** Linear attenuation relative to water, from a CT value (HU unless Rescale Type says otherwise). */
function relativeMu(image: DicosImage): (v: number) => number {
  const type = (image.rescaleType ?? 'HU').toUpperCase();
  if (type === 'HU' || type === 'US' || type === '') return (hu) => (hu > -1000 ? 1 + hu / 1000 : 0);
  // Values already proportional to μ (e.g. "MU", "1/CM"): relative to water by μw.
  if (type === 'MU' || type === '1/CM' || type === 'CM-1') return (mu) => (mu > 0 ? mu / MU_WATER_PER_CM : 0);
  return (hu) => (hu > -1000 ? 1 + hu / 1000 : 0);
}

/** The top (Σ over rows) and side (Σ over columns) projections of a CT volume, as attenuation. */
export function ctProjections(image: DicosImage, muWaterPerCm = MU_WATER_PER_CM): { top: Projection; side: Projection } {
  const { rows, columns, frames } = image;
  const [rowSpacingMm, columnSpacingMm] = image.pixelSpacing ?? [1, 1];
  const mu = relativeMu(image);
  const top = new Float64Array(columns * frames);
  const side = new Float64Array(rows * frames);
  for (let z = 0; z < frames; z++) {
    const slice = image.frameValues(z);
    for (let y = 0; y < rows; y++) {
      let rowSum = 0;
      const rowStart = y * columns;
      for (let x = 0; x < columns; x++) {
        const m = mu(slice[rowStart + x] ?? -1000);
        rowSum += m;
        const t = z * columns + x;
        top[t] = (top[t] ?? 0) + m;
      }
      side[z * rows + y] = rowSum;
    }
  }
  const topScale = (muWaterPerCm * rowSpacingMm) / 10;
  const sideScale = (muWaterPerCm * columnSpacingMm) / 10;
  const topOut = new Uint16Array(top.length);
  for (let i = 0; i < top.length; i++) topOut[i] = toU16((top[i] ?? 0) * topScale);
  const sideOut = new Uint16Array(side.length);
  for (let i = 0; i < side.length; i++) sideOut[i] = toU16((side[i] ?? 0) * sideScale);
  return {
    top: { width: columns, height: frames, attenuation: topOut },
    side: { width: rows, height: frames, attenuation: sideOut },
  };
}

function littleEndianBytes(image: Uint16Array): Uint8Array {
  const bytes = new Uint8Array(image.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < image.length; i++) view.setUint16(i * 2, image[i] ?? 0, true);
  return bytes;
}

function checkSize(p: Projection, view: ViewName): void {
  if (p.width > MAX_VIEW_WIDTH || p.height > MAX_VIEW_HEIGHT) {
    throw new DicosError('unsupported-pixel-format', `the ${view} view would be ${p.width} × ${p.height} pixels; scan views are at most ${MAX_VIEW_WIDTH} × ${MAX_VIEW_HEIGHT}`);
  }
}

/** The views an image gives, in order: DX frame 1 → top, frame 2 → side; CT → top and side. */
export function availableViews(image: Pick<DicosImage, 'imageType' | 'frames'>): ViewName[] {
  if (image.imageType === 'ct') return ['top', 'side'];
  return image.frames >= 2 ? ['top', 'side'] : ['top'];
}

/**
 * Scan views (single-energy-u16le) of a DX image or a CT volume, in the order `views` asks for
 * (default: all the image has). Views the image cannot give are left out.
 */
export function imageToScanViews(image: DicosImage, views: readonly ViewName[] = availableViews(image)): ScanViewInput[] {
  const have = availableViews(image);
  const wanted = views.filter((v) => have.includes(v));
  let projections: Partial<Record<ViewName, Projection>>;
  if (image.imageType === 'ct') {
    projections = wanted.length > 0 ? ctProjections(image) : {};
  } else {
    projections = {};
    for (const v of wanted) projections[v] = dxFrameAttenuation(image, v === 'top' ? 0 : 1);
  }
  return wanted.map((view) => {
    const p = projections[view];
    if (!p) throw new Error(`no ${view} projection`);
    checkSize(p, view);
    return { view, width: p.width, height: p.height, encoding: 'single-energy-u16le' as const, high: littleEndianBytes(p.attenuation) };
  });
}

// ---- TDR → MachineResult ------------------------------------------------------------------

const FLAG_SCORE: Record<string, number> = { HIGH_THREAT: 0.9, THREAT: 0.7, UNKNOWN: 0.5, NO_THREAT: 0.1 };

export interface ImageGeometry {
  imageType: DicosImageType;
  rows: number;
  columns: number;
  frames: number;
}

export interface MachineResultOptions {
  /** The referenced image's geometry: boxes are clipped to it, and CT boxes projected into top/side. Default: a DX image of unknown size. */
  image?: ImageGeometry;
  /** Views to give boxes for. Default: the views the image gives. */
  views?: readonly ViewName[];
}

function clipBox(view: ViewName, x: number, y: number, width: number, height: number, maxW?: number, maxH?: number): ViewBox | null {
  let x0 = Math.max(0, x);
  let y0 = Math.max(0, y);
  let x1 = x + Math.max(width, 1);
  let y1 = y + Math.max(height, 1);
  if (maxW !== undefined) { x1 = Math.min(x1, maxW); x0 = Math.min(x0, maxW); }
  if (maxH !== undefined) { y1 = Math.min(y1, maxH); y0 = Math.min(y0, maxH); }
  if (!(x1 > x0) || !(y1 > y0)) return null;
  return { view, x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function ptoBoxes(pto: DicosPto, options: MachineResultOptions): ViewBox[] {
  const b = pto.box;
  if (!b) return [];
  const image = options.image;
  const views = options.views ?? (image ? availableViews(image) : (['top', 'side'] as ViewName[]));
  const out: ViewBox[] = [];
  if (image?.imageType === 'ct') {
    // Voxel box (x across, y vertical, z slice) seen from above (x, z) and from the side (y, z).
    const depth = Math.max(b.depth, 1);
    if (views.includes('top')) {
      const box = clipBox('top', b.x, b.z, b.width, depth, image.columns, image.frames);
      if (box) out.push(box);
    }
    if (views.includes('side')) {
      const box = clipBox('side', b.y, b.z, b.height, depth, image.rows, image.frames);
      if (box) out.push(box);
    }
    return out;
  }
  // DX: z is the frame, frame 0 the top view, frame 1 the side view.
  const view: ViewName = Math.round(b.z) >= 1 ? 'side' : 'top';
  if (!views.includes(view)) return [];
  const box = clipBox(view, b.x, b.y, b.width, b.height, image?.columns, image?.rows);
  return box ? [box] : [];
}

function category(value: string | undefined): ThreatCategory {
  const parsed = ThreatCategorySchema.safeParse((value ?? '').toUpperCase());
  return parsed.success ? parsed.data : 'OTHER';
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max);
}

/**
 * The machine result of a TDR: alarm from Alarm Decision, algorithm from Threat Detection
 * Algorithm and Version, one detection per PTO and view (a CT PTO gives a top and a side box;
 * the side box's ID gets a `-side` suffix). Score: ATD Assessment Probability, else from the
 * assessment flag (HIGH_THREAT 0.9, THREAT 0.7, UNKNOWN 0.5, NO_THREAT 0.1). PTOs without a
 * usable box are left out.
 */
export function tdrToMachineResult(tdr: DicosTdr, options: MachineResultOptions = {}): MachineResult {
  const detections: Detection[] = [];
  for (const pto of tdr.ptos) {
    const boxes = ptoBoxes(pto, options);
    const label = clip((pto.label ?? pto.category ?? 'threat').trim() || 'threat', 64);
    const score = pto.probability !== undefined && Number.isFinite(pto.probability)
      ? Math.min(1, Math.max(0, pto.probability))
      : FLAG_SCORE[pto.assessmentFlag ?? 'UNKNOWN'] ?? 0.5;
    boxes.forEach((box, i) => {
      detections.push({ id: clip(i === 0 ? String(pto.id) : `${pto.id}-${box.view}`, 64), label, category: category(pto.category), score, box });
    });
  }
  const algorithm = clip(tdr.algorithm?.trim() || (tdr.tdrType ? `${tdr.tdrType} TDR` : 'DICOS TDR'), 128);
  return {
    algorithm,
    alarm: tdr.alarmDecision === 'ALARM',
    detections: detections.slice(0, 200),
    ...(tdr.processingTimeMs !== undefined && tdr.processingTimeMs >= 0 ? { processingMs: tdr.processingTimeMs } : {}),
  };
}

/** The PTOs of a machine result, for writeMachineTdr: boxes of one view (default top) in image coordinates. */
export function detectionsToPtos(detections: readonly Detection[], view: ViewName = 'top'): { id: number; category: string; label: string; probability: number; assessmentFlag: 'THREAT'; box: { x: number; y: number; width: number; height: number } }[] {
  return detections.filter((d) => d.box.view === view).map((d, i) => {
    const numeric = /^\d+$/.test(d.id) ? Number(d.id) : NaN;
    return {
      id: Number.isInteger(numeric) && numeric <= 65535 ? numeric : i + 1,
      category: d.category,
      label: d.label,
      probability: d.score,
      assessmentFlag: 'THREAT' as const,
      box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height },
    };
  });
}
