import type { ViewBox, ViewName } from '@clearway/protocol';
import * as contents from './contents.ts';
import { type DetectorOptions, detect } from './detector.ts';
import { type Affine, type Item, affine } from './geometry.ts';
import { type Bag, type BagStyle, makeBag } from './luggage.ts';
import { Random, mixSeed } from './prng.ts';
import { type PixelBox, SceneRenderer, emptyBox } from './raster.ts';
import { type Placement, type Room, type Thing, placeIn, squeeze, toItem } from './scene.ts';
import { THREAT_CLASSES, type ThreatClass, makeThreat } from './threats.ts';

// A physics-based dual-energy line-scan simulator. A bag is packed from procedural objects (see
// luggage.ts, contents.ts, threats.ts), each a set of parts of one material with a thickness
// profile; raster.ts projects them onto the top and side detectors (Beer-Lambert with NIST μ/ρ,
// see materials.ts) and detector.ts adds what a real detector line does to the signal.

export type { BagStyle } from './luggage.ts';
export type { PixelBox } from './raster.ts';
export { THREAT_CLASSES, type ThreatClass } from './threats.ts';

/** Version of the bag model: bump when the same seed would give different bags. */
export const GENERATOR_VERSION = '2.0.0';

export interface BagGeneratorOptions {
  /** Views to render, in order. Default ['top']. */
  views?: readonly ViewName[];
  /** Detector pixels across the tunnel in the top view. Default 640; the side view gets half as many, at the same pitch. */
  width?: number;
  /** Detector lines along the belt. Default 480. */
  height?: number;
  /** Chance that a bag carries at least one prohibited item. Default 0.2. */
  threatRate?: number;
  /** Detector settings (photon counts, noise, saturation floor, blur). */
  detector?: DetectorOptions;
  /** Fan-beam magnification in the top view (objects higher above the belt look wider). Default on. */
  fanBeam?: boolean;
}

/** One view as the detector saw it: u16 attenuation, row-major, per dual-energy.ts. */
export interface GeneratedView {
  view: ViewName;
  width: number;
  height: number;
  low: Uint16Array;
  high: Uint16Array;
}

/** Ground truth for one object in the bag: where its projection lies in each view. */
export interface BagItem {
  name: string;
  /** shell: the bag's skin; fitting: handles, wheels, zips; content: what the passenger packed; threat: a prohibited item. */
  role: Item['role'];
  label?: ThreatClass;
  /** Tight pixel box of the object's projected pixels, half-open; absent where it misses the view. */
  views: Partial<Record<ViewName, PixelBox>>;
}

/** A prohibited item and its box in each view (pixel coordinates, origin top left). */
export interface ThreatTruth {
  label: ThreatClass;
  name: string;
  boxes: ViewBox[];
}

export interface GeneratedBag {
  style: BagStyle;
  views: GeneratedView[];
  items: BagItem[];
  threats: ThreatTruth[];
}

export const DEFAULT_VIEW_WIDTH = 640;
export const DEFAULT_VIEW_HEIGHT = 480;

/** Field of view in cm: tunnel width (top view columns), tunnel height (side view columns), belt per image (rows). */
export const TUNNEL_WIDTH_CM = 80;
export const TUNNEL_HEIGHT_CM = 40;
export const BELT_CM = 60;
/** Height of the top view's X-ray source above the belt. */
const SOURCE_HEIGHT_CM = 140;

/** Side view columns for a top view `width` across: the side detector has the same pitch over a lower tunnel. */
export function sideViewWidth(width: number): number {
  return Math.max(16, Math.round((width * TUNNEL_HEIGHT_CM) / TUNNEL_WIDTH_CM));
}

/** The scene of a bag: its objects on the belt, before any X-ray sees them. Deterministic per seed. */
export interface BagScene {
  style: BagStyle;
  items: Item[];
}

/**
 * Packs bag `seed`. The bag and its ordinary contents come from one random stream, the prohibited
 * items from another, so the same seed packs the same bag whatever the threat rate.
 */
export function packBag(seed: number, threatRate = 0.2): BagScene {
  const rng = new Random(mixSeed(seed, 0xba6));
  const vertical = rng.chance(0.25);
  const style: BagStyle = rng.pick(['suitcase', 'suitcase', 'suitcase', 'soft-case', 'soft-case', 'holdall', 'holdall', 'backpack'] as const);
  const bag = makeBag(rng, style, vertical ? BELT_CM - 6 : TUNNEL_WIDTH_CM - 14);
  const bagAt = placeBag(rng, bag, vertical);
  const items: Item[] = bag.fittings.map((t) => toItem(t, { x: 0, y: 0, angle: 0, flip: false, z: 0 }, bagAt, 0));
  const placed: { thing: Thing; at: Placement }[] = [];
  const put = (thing: Thing, at: Placement): void => {
    placed.push({ thing, at });
    items.push(toItem(thing, at, bagAt, 0));
  };
  for (const [thing, at] of packContents(rng, bag)) put(thing, at);

  const threats = new Random(mixSeed(seed, 0x7417));
  if (threats.chance(threatRate)) {
    const count = threats.chance(0.75) ? 1 : threats.chance(0.8) ? 2 : 3;
    for (let k = 0; k < count; k++) {
      const label = threats.pick(THREAT_CLASSES);
      const thing = makeThreat(threats, label);
      // A third of them hide under or over something dense; the rest lie anywhere.
      const dense = placed.filter((p) => /laptop|tablet|shoes|boots|wash bag|book|charger|bottle|flask/.test(p.thing.name));
      const cover = dense.length > 0 && threats.chance(0.35) ? threats.pick(dense) : null;
      const at = placeIn(threats, bag.room, thing, cover ? { near: { x: cover.at.x, y: cover.at.y, spread: 4 } } : {});
      put(thing, at);
    }
  }
  return { style, items };
}

/** Turns and places the bag on the belt, inside the field of view. */
function placeBag(rng: Random, bag: Bag, vertical: boolean): Affine {
  const angle = (vertical ? Math.PI / 2 : 0) + rng.range(-0.1, 0.1) + (rng.chance(0.5) ? Math.PI : 0);
  const c = Math.abs(Math.cos(angle));
  const s = Math.abs(Math.sin(angle));
  const ex = (bag.length * c + bag.width * s) / 2 + 1;
  const ey = (bag.length * s + bag.width * c) / 2 + 1;
  // The fan beam widens the top of the bag about the tunnel's centre line: keep that inside too.
  const m = SOURCE_HEIGHT_CM / (SOURCE_HEIGHT_CM - bag.height);
  const reach = TUNNEL_WIDTH_CM / 2 / m - ex;
  const x = reach > 0 ? TUNNEL_WIDTH_CM / 2 + rng.range(-reach, reach) : TUNNEL_WIDTH_CM / 2;
  const y = ey * 2 < BELT_CM ? rng.range(ey, BELT_CM - ey) : BELT_CM / 2;
  // The frame's origin sits footprintX from the footprint's centre.
  return affine(x - Math.cos(angle) * bag.footprintX, y - Math.sin(angle) * bag.footprintX, angle);
}

function packContents(rng: Random, bag: Bag): [Thing, Placement][] {
  const out: [Thing, Placement][] = [];
  const room = bag.room;
  const small = bag.style === 'backpack';
  const along = (): number => (rng.chance(0.7) ? 0 : Math.PI / 2) + rng.range(-0.12, 0.12) + (rng.chance(0.5) ? Math.PI : 0);
  const add = (thing: Thing, options: Parameters<typeof placeIn>[3] = {}): void => {
    out.push([thing, placeIn(rng, room, thing, options)]);
  };
  const soft = (thing: Thing, options: Parameters<typeof placeIn>[3] = {}): void => add(squeeze(thing, room), options);
  // Clothes first: layers that fill the bag, bottom to top.
  const garments = small ? rng.int(1, 3) : rng.int(3, 8);
  const bands = layers(room, garments);
  for (let k = 0; k < garments; k++) soft(contents.garment(rng), { angle: along(), zBand: bands[k] ?? [room.floor, room.ceiling] });
  if (!small && rng.chance(0.45)) add(contents.shoes(rng), { angle: along() });
  if (rng.chance(small ? 0.7 : 0.45)) add(contents.laptop(rng), { angle: along() });
  if (rng.chance(0.15)) add(contents.tablet(rng), { angle: along() });
  if (rng.chance(0.25)) add(contents.phone(rng));
  if (rng.chance(0.45)) add(contents.charger(rng));
  const cables = rng.chance(0.65) ? rng.int(1, 3) : 0;
  for (let k = 0; k < cables; k++) soft(contents.cable(rng));
  if (rng.chance(0.15)) add(contents.headphones(rng));
  if (rng.chance(small ? 0.2 : 0.5)) add(contents.washBag(rng));
  const loose = rng.chance(0.5) ? rng.int(1, 2) : 0;
  for (let k = 0; k < loose; k++) add(contents.toiletry(rng));
  if (rng.chance(0.3)) add(contents.bottle(rng));
  if (rng.chance(0.08)) add(contents.flask(rng));
  if (rng.chance(0.08)) add(contents.mug(rng));
  const books = rng.chance(0.4) ? rng.int(1, 2) : 0;
  for (let k = 0; k < books; k++) add(contents.book(rng), { angle: along() });
  if (rng.chance(0.35)) add(contents.keys(rng));
  if (rng.chance(0.3)) add(contents.coins(rng));
  if (rng.chance(0.25)) soft(contents.belt(rng));
  if (rng.chance(0.2)) add(contents.umbrella(rng));
  if (rng.chance(0.2)) add(contents.sunglasses(rng));
  if (rng.chance(0.3)) add(contents.food(rng));
  if (rng.chance(0.3)) add(contents.pens(rng));
  return out;
}

/** Splits the room's height into n overlapping bands, bottom to top, for stacking clothes. */
function layers(room: Room, n: number): [number, number][] {
  const h = room.ceiling - room.floor;
  return Array.from({ length: n }, (_, k) => [room.floor + (k * h) / (n + 1), room.floor + ((k + 2.2) * h) / (n + 1)] as [number, number]);
}

/** Renders bag `seed`. Deterministic: the same seed and options give byte-identical images. */
export function generateBag(seed: number, options: BagGeneratorOptions = {}): GeneratedBag {
  const width = options.width ?? DEFAULT_VIEW_WIDTH;
  const height = options.height ?? DEFAULT_VIEW_HEIGHT;
  const viewNames = options.views ?? ['top'];
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16) {
    throw new RangeError(`view size must be whole numbers of at least 16 pixels, got ${width}×${height}`);
  }
  const threatRate = options.threatRate ?? 0.2;
  if (!(threatRate >= 0 && threatRate <= 1)) throw new RangeError(`threatRate must lie between 0 and 1, got ${threatRate}`);
  const scene = packBag(seed, threatRate);
  const rendered = renderScene(scene.items, { width, height, side: viewNames.includes('side'), fanBeam: options.fanBeam ?? true });
  const views = viewNames.map((view): GeneratedView => {
    const img = view === 'top' ? rendered.top : rendered.side;
    if (!img) throw new Error(`view ${view} was not rendered`);
    // Each view its own noise stream: the top view is the same whether or not a side view is asked for.
    const out = detect(img.low, img.high, img.width, img.height, new Random(mixSeed(seed, view === 'top' ? 1 : 2)), options.detector, img.extent);
    return { view, width: img.width, height: img.height, ...out };
  });
  const items = scene.items.map((item, i): BagItem => {
    const boxes = rendered.boxes[i];
    const v: BagItem['views'] = {};
    for (const view of viewNames) {
      const b = boxes?.[view];
      if (b && b.x1 > b.x0 && b.y1 > b.y0) v[view] = b;
    }
    const out: BagItem = { name: item.name, role: item.role, views: v };
    if (item.label) out.label = item.label as ThreatClass;
    return out;
  });
  const threats = items.flatMap((item): ThreatTruth[] => {
    if (!item.label) return [];
    const boxes = viewNames.flatMap((view): ViewBox[] => {
      const b = item.views[view];
      return b ? [{ view, x: b.x0, y: b.y0, width: b.x1 - b.x0, height: b.y1 - b.y0 }] : [];
    });
    return [{ label: item.label, name: item.name, boxes }];
  });
  return { style: scene.style, views, items, threats };
}

export interface RenderedImage {
  width: number;
  height: number;
  /** Σ μ·t per pixel (log-attenuation before the detector), low and high energy. */
  low: Float32Array;
  high: Float32Array;
  /** Where anything lies: outside this box both images are 0. */
  extent: PixelBox;
}

export interface RenderedScene {
  top: RenderedImage;
  side: RenderedImage | null;
  /** Per item, its tight box in each view. */
  boxes: { top: PixelBox; side: PixelBox }[];
}

/** Projects items onto the detectors without detector effects: the ideal Σ μ·t images. */
export function renderScene(items: readonly Item[], options: { width?: number; height?: number; side?: boolean; fanBeam?: boolean } = {}): RenderedScene {
  const width = options.width ?? DEFAULT_VIEW_WIDTH;
  const height = options.height ?? DEFAULT_VIEW_HEIGHT;
  const sideWidth = options.side ? sideViewWidth(width) : 0;
  const renderer = new SceneRenderer({
    width,
    height,
    sideWidth,
    pitchX: TUNNEL_WIDTH_CM / width,
    pitchY: BELT_CM / height,
    pitchZ: sideWidth > 0 ? TUNNEL_HEIGHT_CM / sideWidth : 1,
    sourceHeight: options.fanBeam === false ? Infinity : SOURCE_HEIGHT_CM,
  });
  const boxes = items.map((item) => {
    const b = { top: emptyBox(), side: emptyBox() };
    renderer.addItem(item, b);
    return b;
  });
  const side = renderer.sideImages();
  return {
    top: { width, height, low: renderer.topLow, high: renderer.topHigh, extent: renderer.extent },
    side: side ? { width: sideWidth, height, ...side } : null,
    boxes,
  };
}
