import { IMPENETRABLE, classifyMaterial, type MaterialClass } from '@clearway/imaging';
import { describe, expect, it } from 'vitest';
import { generateBag, type BagItem, type GeneratedView } from './bag-generator.ts';
import { MATERIALS } from './materials.ts';

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

const SLOW = 60_000;

describe('generateBag', () => {
  it('renders the same seed to the same bytes', () => {
    const a = generateBag(7, { views: ['top', 'side'] });
    const b = generateBag(7, { views: ['top', 'side'] });
    expect(sameBytes(a.views, b.views)).toBe(true);
    expect(a.items).toEqual(b.items);
  }, SLOW);

  it('renders different seeds to different bags', () => {
    const seen = new Set([1, 2, 3, 4].map((seed) => bytes(generateBag(seed).views[0] as GeneratedView).toString('base64')));
    expect(seen.size).toBe(4);
  });

  it('renders the same top view whether or not a side view is asked for', () => {
    const alone = generateBag(11);
    const both = generateBag(11, { views: ['top', 'side'] });
    expect(sameBytes(both.views.slice(0, 1), alone.views)).toBe(true);
  }, SLOW);

  it('makes 640 × 480 top views and 320 × 480 side views by default, at the same pitch', () => {
    const bag = generateBag(3, { views: ['top', 'side'] });
    expect(bag.views.map((v) => [v.view, v.width, v.height, v.low.length, v.high.length])).toEqual([
      ['top', 640, 480, 640 * 480, 640 * 480],
      ['side', 320, 480, 320 * 480, 320 * 480],
    ]);
    const small = generateBag(3, { views: ['top', 'side'], width: 160, height: 120 });
    expect(small.views.map((v) => [v.width, v.height])).toEqual([[160, 120], [80, 120]]);
  });

  it('shows air around the bag and every colour band inside over a few bags', () => {
    const counts: Record<MaterialClass, number> = { air: 0, organic: 0, inorganic: 0, metal: 0, impenetrable: 0 };
    for (let seed = 1; seed <= 12; seed++) {
      for (const v of generateBag(seed, { views: ['top', 'side'] }).views) {
        expect(classifyMaterial(v.low[0] ?? 0, v.high[0] ?? 0)).toBe('air');
        for (let i = 0; i < v.low.length; i++) counts[classifyMaterial(v.low[i] ?? 0, v.high[i] ?? 0)]++;
      }
    }
    expect(counts.organic).toBeGreaterThan(counts.inorganic);
    expect(counts.inorganic).toBeGreaterThan(0);
    expect(counts.metal).toBeGreaterThan(0);
    // Thick metal seen end-on (a battery along the rays, a bottle's glass edge-on) can stop the beam.
    expect(counts.impenetrable).toBeGreaterThan(0);
  }, SLOW);

  it('shows each solid item, where nothing else lies over it, in its material band', () => {
    const checked: Record<string, number> = { organic: 0, inorganic: 0, metal: 0 };
    const wrong: string[] = [];
    // Bags are packed full, so most items lie under something: many small bags give enough clear views.
    for (let seed = 1; seed <= 200; seed++) {
      const bag = generateBag(seed, { width: 320, height: 240 });
      const top = bag.views[0] as GeneratedView;
      const obstacles = bag.items.filter((i) => i.role !== 'shell');
      for (const item of bag.items) {
        if (!item.solid || item.role === 'shell') continue;
        const at = clearPixel(item, obstacles);
        if (!at) continue;
        const i = at.y * top.width + at.x;
        const seen = classifyMaterial(top.low[i] ?? 0, top.high[i] ?? 0);
        const expected = MATERIALS[item.material].class;
        checked[expected] = (checked[expected] ?? 0) + 1;
        if (seen !== expected) wrong.push(`seed ${seed} ${item.name} at ${at.x},${at.y}: ${seen}, expected ${expected} (low ${top.low[i]}, high ${top.high[i]})`);
      }
    }
    expect(wrong).toEqual([]);
    expect(checked.organic).toBeGreaterThan(150);
    expect(checked.inorganic).toBeGreaterThan(15);
    expect(checked.metal).toBeGreaterThan(80);
  }, SLOW);

  it('encodes attenuation per dual-energy.ts: low above high inside the bag, 65535 only for impenetrable', () => {
    const bag = generateBag(5, { views: ['top', 'side'] });
    for (const v of bag.views) {
      let inside = 0;
      let lowAbove = 0;
      for (let i = 0; i < v.low.length; i++) {
        const l = v.low[i] ?? 0;
        const h = v.high[i] ?? 0;
        if (h === IMPENETRABLE || l === IMPENETRABLE || h < 1000) continue;
        inside++;
        if (l > h) lowAbove++;
      }
      expect(lowAbove / inside).toBeGreaterThan(0.99);
    }
  });
});

function covers(item: BagItem, x: number, y: number): boolean {
  const box = item.views.top?.box;
  return box !== undefined && x >= box.x0 && x < box.x1 && y >= box.y0 && y < box.y1;
}

/**
 * A pixel in the central half of the item's top-view footprint (where a rounded solid is still at
 * least 87% of its full thickness) that no other item's footprint covers, nearest the middle.
 */
function clearPixel(item: BagItem, obstacles: readonly BagItem[]): { x: number; y: number } | null {
  const at = item.views.top;
  if (!at) return null;
  const { box, middle } = at;
  const rx = Math.floor((box.x1 - box.x0) / 4);
  const ry = Math.floor((box.y1 - box.y0) / 4);
  let best: { x: number; y: number; d: number } | null = null;
  for (let y = middle.y - ry; y <= middle.y + ry; y++) {
    for (let x = middle.x - rx; x <= middle.x + rx; x++) {
      const d = (x - middle.x) ** 2 + (y - middle.y) ** 2;
      if (best && d >= best.d) continue;
      if (obstacles.some((other) => other !== item && covers(other, x, y))) continue;
      best = { x, y, d };
    }
  }
  return best;
}
