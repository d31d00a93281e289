import { ATTENUATION_SCALE, IMPENETRABLE, classifyMaterial, type MaterialClass } from '@clearway/imaging';
import { describe, expect, it } from 'vitest';
import { THREAT_CLASSES, generateBag, packBag, renderScene, type GeneratedView, type PixelBox } from './bag-generator.ts';
import { detect } from './detector.ts';
import { type Item, affine, part, rect } from './geometry.ts';
import { MATERIALS, MATERIAL_NAMES, type MaterialName } from './materials.ts';
import { Random } from './prng.ts';

function bytes(view: GeneratedView): Buffer {
  return Buffer.concat([Buffer.from(view.low.buffer), Buffer.from(view.high.buffer)]);
}

/** Byte-for-byte, without vitest's element-wise deep equality (slow on megabytes). */
function sameBytes(a: readonly GeneratedView[], b: readonly GeneratedView[]): boolean {
  return a.length === b.length && a.every((v, i) => {
    const w = b[i];
    return w !== undefined && v.view === w.view && bytes(v).equals(bytes(w));
  });
}

const SLOW = 120_000;

/** A flat slab of one material, `t` cm thick, centred at (x, y) cm on the belt, 2 cm up. */
function slab(material: MaterialName, t: number, x = 40, y = 30, w = 8, l = 8): Item {
  return { name: material, role: 'content', parts: [part(material, rect(w, l), t, 2)], at: affine(x, y), z: 0 };
}

/** Through the detector (noise, gain, blur, saturation) as generateBag does it, at 160 × 120 (0.5 cm pixels). */
function scanItems(items: Item[], seed = 1): GeneratedView {
  const scene = renderScene(items, { width: 160, height: 120, fanBeam: false });
  const out = detect(scene.top.low, scene.top.high, 160, 120, new Random(seed), {}, scene.top.extent);
  return { view: 'top', width: 160, height: 120, ...out };
}

function pixel(v: GeneratedView, xCm: number, yCm: number): [number, number] {
  const i = Math.floor(yCm / 0.5) * v.width + Math.floor(xCm / 0.5);
  return [v.low[i] ?? 0, v.high[i] ?? 0];
}

function bboxWhere(width: number, height: number, test: (i: number) => boolean): PixelBox | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!test(y * width + x)) continue;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x + 1);
      y1 = Math.max(y1, y + 1);
    }
  }
  return x1 > x0 ? { x0, y0, x1, y1 } : null;
}

function inside(inner: PixelBox, outer: PixelBox): boolean {
  return inner.x0 >= outer.x0 && inner.y0 >= outer.y0 && inner.x1 <= outer.x1 && inner.y1 <= outer.y1;
}

describe('generateBag', () => {
  it('renders the same seed to the same bytes and the same ground truth', () => {
    const a = generateBag(7, { views: ['top', 'side'], threatRate: 1 });
    const b = generateBag(7, { views: ['top', 'side'], threatRate: 1 });
    expect(sameBytes(a.views, b.views)).toBe(true);
    expect(a.threats).toEqual(b.threats);
    expect(a.items).toEqual(b.items);
    expect(a.threats.length).toBeGreaterThan(0);
  }, SLOW);

  it('renders different seeds to different bags', () => {
    const seen = new Set([1, 2, 3, 4].map((seed) => bytes(generateBag(seed, { width: 320, height: 240 }).views[0] as GeneratedView).toString('base64')));
    expect(seen.size).toBe(4);
  }, SLOW);

  it('renders the same top view whether or not a side view is asked for', () => {
    const alone = generateBag(11, { threatRate: 1 });
    const both = generateBag(11, { views: ['top', 'side'], threatRate: 1 });
    expect(sameBytes(both.views.slice(0, 1), alone.views)).toBe(true);
  }, SLOW);

  it('packs the same bag whatever the threat rate: threats are added, nothing else moves', () => {
    const clean = packBag(21, 0);
    const armed = packBag(21, 1);
    expect(armed.items.slice(0, clean.items.length)).toEqual(clean.items);
    expect(armed.items.slice(clean.items.length).every((i) => i.role === 'threat' && i.label !== undefined)).toBe(true);
    expect(armed.items.length).toBeGreaterThan(clean.items.length);
  });

  it('makes 640 × 480 top views and 320 × 480 side views by default, at the same pitch', () => {
    const bag = generateBag(3, { views: ['top', 'side'] });
    expect(bag.views.map((v) => [v.view, v.width, v.height, v.low.length, v.high.length])).toEqual([
      ['top', 640, 480, 640 * 480, 640 * 480],
      ['side', 320, 480, 320 * 480, 320 * 480],
    ]);
    const small = generateBag(3, { views: ['top', 'side'], width: 160, height: 120 });
    expect(small.views.map((v) => [v.width, v.height])).toEqual([[160, 120], [80, 120]]);
  }, SLOW);

  it('shows air around the bag and every colour band inside over a few bags', () => {
    const counts: Record<MaterialClass, number> = { air: 0, organic: 0, inorganic: 0, metal: 0, impenetrable: 0 };
    for (let seed = 1; seed <= 10; seed++) {
      for (const v of generateBag(seed, { views: ['top', 'side'], width: 320, height: 240, threatRate: 0.5 }).views) {
        expect(classifyMaterial(v.low[0] ?? 0, v.high[0] ?? 0)).toBe('air');
        for (let i = 0; i < v.low.length; i++) counts[classifyMaterial(v.low[i] ?? 0, v.high[i] ?? 0)]++;
      }
    }
    expect(counts.organic).toBeGreaterThan(counts.inorganic);
    expect(counts.inorganic).toBeGreaterThan(0);
    expect(counts.metal).toBeGreaterThan(0);
    expect(counts.impenetrable).toBeGreaterThan(0);
  }, SLOW);

  it('encodes attenuation per dual-energy.ts: low above high inside the bag; the low layer saturates first', () => {
    const bag = generateBag(5, { views: ['top', 'side'] });
    for (const v of bag.views) {
      let inside = 0;
      let lowAbove = 0;
      let highOnly = 0;
      for (let i = 0; i < v.low.length; i++) {
        const l = v.low[i] ?? 0;
        const h = v.high[i] ?? 0;
        if (h === IMPENETRABLE || l === IMPENETRABLE) {
          // The low-energy layer always gives up first.
          if (h === IMPENETRABLE && l !== IMPENETRABLE) highOnly++;
          continue;
        }
        if (h < 1000) continue;
        inside++;
        if (l > h) lowAbove++;
      }
      expect(lowAbove / inside).toBeGreaterThan(0.99);
      expect(highOnly).toBe(0);
    }
  }, SLOW);
});

describe('physics', () => {
  it('shows each material alone over the belt in its colour band, at everyday thicknesses', () => {
    const wrong: string[] = [];
    for (const name of MATERIAL_NAMES) {
      if (name === 'lead') continue;
      const m = MATERIALS[name];
      // Thin enough not to saturate, thick enough to show: high-energy attenuation from 0.15 to 2.
      for (const target of [0.15, 0.5, 2]) {
        const t = target / m.high;
        if (t > 30) continue;
        const v = scanItems([slab(name, t)], 3);
        for (const [dx, dy] of [[0, 0], [1, 1], [-1.5, 0.5], [2, -2]] as const) {
          const [l, h] = pixel(v, 40 + dx, 30 + dy);
          const seen = classifyMaterial(l, h);
          if (seen !== m.class) wrong.push(`${name} ${t.toFixed(2)} cm: ${seen} (low ${l}, high ${h})`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('stops the beam behind thick lead and thick steel', () => {
    for (const [name, t] of [['lead', 0.4], ['steel', 2]] as const) {
      const [l, h] = pixel(scanItems([slab(name, t)]), 40, 30);
      expect(classifyMaterial(l, h)).toBe('impenetrable');
    }
  });

  it('adds the attenuation of overlapping objects (Beer-Lambert), within the noise', () => {
    const a = slab('aluminium', 0.8, 36, 30, 10, 6);
    const b = slab('water', 4, 44, 30, 10, 6);
    // Ideal images add exactly.
    const ideal = (items: Item[]) => renderScene(items, { width: 160, height: 120, fanBeam: false }).top;
    const both = ideal([a, b]);
    const sum = (i: number, img: { low: Float32Array }) => img.low[i] ?? 0;
    const onlyA = ideal([a]);
    const onlyB = ideal([b]);
    for (let i = 0; i < both.low.length; i++) expect(sum(i, both)).toBeCloseTo(sum(i, onlyA) + sum(i, onlyB), 5);
    // Measured: the middle of the overlap (x 39–41 cm) reads the sum of the two alone, averaged over its pixels.
    const mean = (v: GeneratedView, energy: 'low' | 'high') => {
      let s = 0;
      let n = 0;
      for (let y = 29; y < 31; y += 0.5) {
        for (let x = 39.75; x < 40.5; x += 0.5) {
          s += v[energy][Math.floor(y / 0.5) * v.width + Math.floor(x / 0.5)] ?? 0;
          n++;
        }
      }
      return s / n / ATTENUATION_SCALE;
    };
    const vBoth = scanItems([a, b], 4);
    const vA = scanItems([slab('aluminium', 0.8, 40, 30, 10, 6)], 5);
    const vB = scanItems([slab('water', 4, 40, 30, 10, 6)], 6);
    for (const e of ['low', 'high'] as const) {
      const expected = mean(vA, e) + mean(vB, e);
      expect(Math.abs(mean(vBoth, e) - expected) / expected).toBeLessThan(0.02);
    }
    expect(MATERIALS.aluminium.low * 0.8 + MATERIALS.water.low * 4).toBeCloseTo(mean(vBoth, 'low'), 1);
  });

  it('makes things higher above the belt look wider in the top view (fan beam)', () => {
    const low = { ...slab('steel', 0.2, 40, 30, 10, 10), z: 0 };
    const high = { ...slab('steel', 0.2, 40, 30, 10, 10), z: 20 };
    const width = (item: Item) => {
      const img = renderScene([item], { width: 160, height: 120 }).top;
      return bboxWhere(160, 120, (i) => (img.high[i] ?? 0) > 0);
    };
    const a = width(low);
    const b = width(high);
    expect(a && b).toBeTruthy();
    if (!a || !b) return;
    expect(b.x1 - b.x0).toBeGreaterThan(a.x1 - a.x0 + 2);
    // Line scanning: no magnification along the belt.
    expect(b.y1 - b.y0).toBe(a.y1 - a.y0);
  });
});

describe('ground truth', () => {
  it('boxes each threat tightly round its own projected pixels, in both views, also under clutter', () => {
    let checked = 0;
    for (let seed = 1; checked < 12; seed++) {
      const scene = packBag(seed, 1);
      const bag = generateBag(seed, { views: ['top', 'side'], threatRate: 1, width: 320, height: 240 });
      const all = renderScene(scene.items, { width: 320, height: 240, side: true });
      scene.items.forEach((item, j) => {
        if (!item.label) return;
        const truth = bag.items[j];
        expect(truth?.label).toBe(item.label);
        // The item's own pixels: where the bag differs from the bag without it.
        const rest = renderScene(scene.items.filter((_, k) => k !== j), { width: 320, height: 240, side: true });
        for (const view of ['top', 'side'] as const) {
          const a = view === 'top' ? all.top : all.side;
          const b = view === 'top' ? rest.top : rest.side;
          const box = truth?.views[view];
          if (!a || !b || !box) throw new Error(`no ${view} view or box for ${item.name} in bag ${seed}`);
          const diff = (i: number) => Math.abs((a.high[i] ?? 0) - (b.high[i] ?? 0));
          const solid = bboxWhere(a.width, a.height, (i) => diff(i) > 0.01);
          const any = bboxWhere(a.width, a.height, (i) => diff(i) > 1e-5);
          if (!solid || !any) throw new Error(`${item.name} invisible in bag ${seed}`);
          expect(inside(solid, box), `${item.name} ${view}: ${JSON.stringify(solid)} in ${JSON.stringify(box)}`).toBe(true);
          expect(inside(box, any), `${item.name} ${view}: ${JSON.stringify(box)} in ${JSON.stringify(any)}`).toBe(true);
          const threat = bag.threats.find((t) => t.boxes.some((bb) => bb.view === view && bb.x === box.x0 && bb.y === box.y0));
          expect(threat?.label).toBe(item.label);
        }
        checked++;
      });
    }
  }, SLOW);

  it('brings all eight threat classes over 100 bags, each boxed in every view', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 100; seed++) {
      const bag = generateBag(seed, { views: ['top', 'side'], threatRate: 0.7, width: 160, height: 120 });
      for (const t of bag.threats) {
        seen.add(t.label);
        expect(t.boxes.map((b) => b.view)).toEqual(['top', 'side']);
        for (const b of t.boxes) {
          const v = bag.views.find((w) => w.view === b.view) as GeneratedView;
          expect(b.width).toBeGreaterThan(0);
          expect(b.height).toBeGreaterThan(0);
          expect(b.x + b.width).toBeLessThanOrEqual(v.width);
          expect(b.y + b.height).toBeLessThanOrEqual(v.height);
        }
      }
    }
    expect([...seen].sort()).toEqual([...THREAT_CLASSES].sort());
  }, SLOW);
});
