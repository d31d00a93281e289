import { ATTENUATION_SCALE, IMPENETRABLE } from '@clearway/imaging';
import { BELT_CM, DEFAULT_VIEW_HEIGHT, DEFAULT_VIEW_WIDTH, TUNNEL_WIDTH_CM, renderScene } from './bag-generator.ts';
import { DETECTOR_DEFAULTS } from './detector.ts';
import { affine } from './geometry.ts';
import { Random, mixSeed } from './prng.ts';
import { toItem } from './scene.ts';
import { THREAT_CLASSES, type ThreatClass, makeThreat } from './threats.ts';

// The Threat Image Projection library: fictional threat items from the simulator's own threat
// models, each rendered alone on an empty belt with the same detector geometry as a bag (1.25 mm
// pixels, Beer-Lambert with NIST μ/ρ, the detector's blur, no noise: the hub adds the noise where
// it projects the item). Each item keeps its log-attenuation at both energies, from above and
// from the side, so that the hub can add it into a bag's own data (packages/domain/src/tip.ts).
// `pnpm clearway tip build` writes the library (apps/cli/src/tip.ts).

/** Items per class: 20 in all, the kinds an officer meets most. */
export const TIP_LIBRARY_PLAN: readonly { label: ThreatClass; count: number }[] = [
  { label: 'gun', count: 3 },
  { label: 'knife', count: 4 },
  { label: 'wrench', count: 2 },
  { label: 'pliers', count: 2 },
  { label: 'scissors', count: 2 },
  { label: 'battery', count: 3 },
  { label: 'lighter', count: 2 },
  { label: 'hammer', count: 2 },
];

export const TIP_LIBRARY_SEED = 1;

/** Pixel pitch of the library's patches (and of the simulator's detectors), cm. */
export const TIP_PITCH_CM = TUNNEL_WIDTH_CM / DEFAULT_VIEW_WIDTH;
const PITCH_CM = TIP_PITCH_CM;
// The item's centre lies on a pixel corner in both renders, so that the quarter-turned render
// samples the item at exactly the points the flat one does (rows there = columns here − SHIFT).
const CENTRE_X = TUNNEL_WIDTH_CM / 2;
const CENTRE_Y = BELT_CM / 2;
const TURN_SHIFT = Math.round((CENTRE_X - CENTRE_Y) / PITCH_CM);

/** One view of the item: u16 log-attenuation codes (wire encoding), row-major, and where the item is. */
export interface TipPatch {
  width: number;
  height: number;
  low: Uint16Array;
  high: Uint16Array;
  mask: Uint8Array;
}

/** The shape of TipItemPatches in @clearway/domain (tip.ts), which the CLI encodes into the library file. */
export interface RenderedTipItem {
  label: ThreatClass;
  name: string;
  seed: number;
  patches: { top: TipPatch; side: TipPatch; sideTurned: TipPatch };
}

interface Box { x0: number; y0: number; x1: number; y1: number }

/** The detector's 3-tap blur, both ways, in place (edges clamped). */
function blur(img: Float32Array, width: number, height: number, w: number): void {
  const mid = 1 - 2 * w;
  const tmp = new Float32Array(img.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      tmp[i] = mid * (img[i] as number) + w * ((img[x > 0 ? i - 1 : i] as number) + (img[x + 1 < width ? i + 1 : i] as number));
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      img[i] = mid * (tmp[i] as number) + w * ((tmp[y > 0 ? i - width : i] as number) + (tmp[y + 1 < height ? i + width : i] as number));
    }
  }
}

/** Pixels above half a code at either energy. */
function extentOf(low: Float32Array, high: Float32Array, width: number, height: number): Box {
  const floor = 0.5 / ATTENUATION_SCALE;
  const b = { x0: width, y0: height, x1: 0, y1: 0 };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if ((low[i] as number) < floor && (high[i] as number) < floor) continue;
      if (x < b.x0) b.x0 = x;
      if (y < b.y0) b.y0 = y;
      if (x + 1 > b.x1) b.x1 = x + 1;
      if (y + 1 > b.y1) b.y1 = y + 1;
    }
  }
  return b;
}

/** Crops [x0, x1) × [y0, y1) into wire codes; the mask is every pixel that reads anything. */
function toPatch(low: Float32Array, high: Float32Array, width: number, box: Box): TipPatch {
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const p: TipPatch = { width: w, height: h, low: new Uint16Array(w * h), high: new Uint16Array(w * h), mask: new Uint8Array(w * h) };
  const code = (a: number): number => (a <= 0 ? 0 : Math.min(IMPENETRABLE - 1, Math.round(a * ATTENUATION_SCALE)));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = (box.y0 + y) * width + box.x0 + x;
      const d = y * w + x;
      const l = code(low[s] as number);
      const hi = code(high[s] as number);
      p.low[d] = l;
      p.high[d] = hi;
      p.mask[d] = l > 0 || hi > 0 ? 1 : 0;
    }
  }
  return p;
}

/**
 * The item turned by `angle` (clockwise on screen) as the simulator's detectors see it: the top
 * view cropped to the item, the side view on the same rows. For checking how the hub orients a
 * library item against a real render.
 */
export function renderTipPose(label: ThreatClass, seed: number, angle: number): { top: TipPatch; side: TipPatch } {
  const thing = makeThreat(new Random(mixSeed(seed, 0x71b)), label);
  const item = toItem(thing, { x: 0, y: 0, angle, flip: false, z: 0 }, affine(CENTRE_X, CENTRE_Y), 0);
  const scene = renderScene([item], { width: DEFAULT_VIEW_WIDTH, height: DEFAULT_VIEW_HEIGHT, side: true, fanBeam: false });
  if (!scene.side) throw new Error('side view not rendered');
  for (const v of [scene.top, scene.side]) {
    blur(v.low, v.width, v.height, DETECTOR_DEFAULTS.blur);
    blur(v.high, v.width, v.height, DETECTOR_DEFAULTS.blur);
  }
  const topBox = extentOf(scene.top.low, scene.top.high, scene.top.width, scene.top.height);
  const sideBox = extentOf(scene.side.low, scene.side.high, scene.side.width, scene.side.height);
  return {
    top: toPatch(scene.top.low, scene.top.high, scene.top.width, topBox),
    side: toPatch(scene.side.low, scene.side.high, scene.side.width, { x0: sideBox.x0, x1: sideBox.x1, y0: topBox.y0, y1: topBox.y1 }),
  };
}

/** Renders one threat model alone: flat (top and side view) and turned a quarter (side view). */
export function renderTipItem(label: ThreatClass, seed: number): RenderedTipItem {
  const thing = makeThreat(new Random(mixSeed(seed, 0x71b)), label);
  const w = DEFAULT_VIEW_WIDTH;
  const h = DEFAULT_VIEW_HEIGHT;
  // Parallel rays: the library item has one size; where the hub puts it, nobody can measure its height.
  const render = (angle: number) => {
    const item = toItem(thing, { x: 0, y: 0, angle, flip: false, z: 0 }, affine(CENTRE_X, CENTRE_Y), 0);
    const scene = renderScene([item], { width: w, height: h, side: true, fanBeam: false });
    if (!scene.side) throw new Error('side view not rendered');
    const views = [scene.top, scene.side];
    for (const v of views) {
      blur(v.low, v.width, v.height, DETECTOR_DEFAULTS.blur);
      blur(v.high, v.width, v.height, DETECTOR_DEFAULTS.blur);
    }
    return { top: scene.top, side: scene.side };
  };
  const flat = render(0);
  const turned = render(Math.PI / 2);
  const topBox = extentOf(flat.top.low, flat.top.high, w, h);
  const sideBox = extentOf(flat.side.low, flat.side.high, flat.side.width, h);
  const turnedBox = extentOf(turned.side.low, turned.side.high, turned.side.width, h);
  if (topBox.x1 <= topBox.x0) throw new Error(`${label} seed ${seed}: nothing rendered`);
  // One set of rows for the top and side patches (the same belt rows); the turned side's rows are the top's columns.
  const rows = { y0: Math.min(topBox.y0, sideBox.y0), y1: Math.max(topBox.y1, sideBox.y1) };
  const top = toPatch(flat.top.low, flat.top.high, w, { x0: topBox.x0, x1: topBox.x1, ...rows });
  const side = toPatch(flat.side.low, flat.side.high, flat.side.width, { x0: sideBox.x0, x1: sideBox.x1, ...rows });
  const y0 = topBox.x0 - TURN_SHIFT;
  const y1 = topBox.x1 - TURN_SHIFT;
  if (turnedBox.y0 < y0 || turnedBox.y1 > y1) throw new Error(`${label} seed ${seed}: the turned render does not line up with the flat one`);
  const sideTurned = toPatch(turned.side.low, turned.side.high, turned.side.width, { x0: turnedBox.x0, x1: turnedBox.x1, y0, y1 });
  return { label, name: thing.name, seed, patches: { top, side, sideTurned } };
}

/**
 * The library's items from one seed: for each class, items from successive seeds, preferring
 * kinds not yet chosen (a revolver beside the pistols, a dagger beside the kitchen knives).
 */
export function renderTipLibrary(seed = TIP_LIBRARY_SEED, plan: readonly { label: ThreatClass; count: number }[] = TIP_LIBRARY_PLAN): RenderedTipItem[] {
  const out: RenderedTipItem[] = [];
  for (const { label, count } of plan) {
    const names = new Set<string>();
    let chosen = 0;
    for (let k = 0; chosen < count && k < count * 12; k++) {
      const itemSeed = mixSeed(seed, THREAT_CLASSES.indexOf(label), k);
      const name = makeThreat(new Random(mixSeed(itemSeed, 0x71b)), label).name;
      // A kind already chosen again only once the kinds run out.
      if (names.has(name) && k < count * 6) continue;
      names.add(name);
      out.push(renderTipItem(label, itemSeed));
      chosen++;
    }
  }
  return out;
}
