import { describe, expect, it } from 'vitest';
import {
  TIP_AIR_MAX, TIP_ATTENUATION_SCALE, TIP_IMPENETRABLE, TIP_POSES, type TipItemPatches, type TipPatch, type TipPose, type TipView,
  bagInterior, boxInside, compositeTip, decodeTipItem, encodeTipItem, orientSide, orientTop, planTip, restorePlane, tipFound, tipRandom,
} from './tip.ts';

// ---- helpers: a small 3D item, its projections, naive image turns ----------------------------

type Grid = number[][]; // [row][column]

function patchOf(g: Grid): TipPatch {
  const height = g.length;
  const width = g[0]?.length ?? 0;
  const p: TipPatch = { width, height, low: new Uint16Array(width * height), high: new Uint16Array(width * height), mask: new Uint8Array(width * height) };
  g.forEach((row, y) => row.forEach((v, x) => {
    p.high[y * width + x] = v;
    p.low[y * width + x] = v * 2;
    p.mask[y * width + x] = v > 0 ? 1 : 0;
  }));
  return p;
}

function gridOf(p: TipPatch, plane: 'low' | 'high' = 'high'): Grid {
  return Array.from({ length: p.height }, (_, y) => Array.from(p[plane].subarray(y * p.width, (y + 1) * p.width)));
}

/** A voxel item f[u][v][w]: u along its length (top columns), v across (top rows), w up. */
function voxels(U: number, V: number, W: number, seed: number): number[][][] {
  const r = tipRandom(seed);
  return Array.from({ length: U }, () => Array.from({ length: V }, () => Array.from({ length: W }, () => (r() < 0.6 ? 1 + Math.floor(r() * 9) : 0))));
}

/** What the top detector (sum over w) and the side detector (sum over the top's columns) see of a voxel item indexed [x][y][z]. */
function project(f: number[][][]): { top: Grid; side: Grid } {
  const X = f.length;
  const Y = f[0]?.length ?? 0;
  const Z = f[0]?.[0]?.length ?? 0;
  const top = Array.from({ length: Y }, (_, y) => Array.from({ length: X }, (_, x) => (f[x]?.[y] ?? []).reduce((a, b) => a + b, 0)));
  const side = Array.from({ length: Y }, (_, y) => Array.from({ length: Z }, (_, z) => f.reduce((a, col) => a + (col[y]?.[z] ?? 0), 0)));
  return { top, side };
}

/** The item turned over (mirrored: x reversed and upside down) and turned clockwise on screen, as a real object. */
function pose3d(f: number[][][], pose: TipPose): number[][][] {
  let g = f.map((col) => col.map((w) => [...w]));
  if (pose.mirrored) g = g.reverse().map((col) => col.map((w) => [...w].reverse()));
  for (let q = 0; q < pose.quarterTurns; q++) {
    // Clockwise with rows down: (x, y) → (Y − 1 − y, x).
    const X = g.length;
    const Y = g[0]?.length ?? 0;
    const turned = Array.from({ length: Y }, () => Array.from({ length: X }, () => [] as number[]));
    for (let x = 0; x < X; x++) for (let y = 0; y < Y; y++) (turned[Y - 1 - y] as number[][])[x] = (g[x] as number[][])[y] as number[];
    g = turned;
  }
  return g;
}

function itemOf(f: number[][][]): TipItemPatches {
  const flat = project(f);
  // Turned a quarter: the side detector then sums across the item, its rows running along u.
  const sideTurned = f.map((col) => (col[0] ?? []).map((_, z) => col.reduce((a, w) => a + (w[z] ?? 0), 0)));
  return { top: patchOf(flat.top), side: patchOf(flat.side), sideTurned: patchOf(sideTurned) };
}

function bagView(width = 320, height = 240, box = { x0: 40, y0: 30, x1: 280, y1: 210 }, low = 2600, high = 2200): TipView {
  const v: TipView = { view: 'top', width, height, low: new Uint16Array(width * height), high: new Uint16Array(width * height) };
  for (let y = box.y0; y < box.y1; y++) for (let x = box.x0; x < box.x1; x++) {
    (v.low as Uint16Array)[y * width + x] = low;
    v.high[y * width + x] = high;
  }
  return v;
}

const same = (a: Uint16Array, b: Uint16Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

// ---- tests -----------------------------------------------------------------------------------------

describe('poses', () => {
  it('are the eight ways an item can lie, each a different picture', () => {
    const item = itemOf(voxels(6, 4, 3, 1));
    const pictures = new Set(TIP_POSES.map((p) => JSON.stringify(gridOf(orientTop(item.top, p)))));
    expect(TIP_POSES).toHaveLength(8);
    expect(pictures.size).toBe(8);
    for (const p of TIP_POSES) {
      const t = orientTop(item.top, p);
      expect([t.width, t.height]).toEqual(p.quarterTurns % 2 ? [item.top.height, item.top.width] : [item.top.width, item.top.height]);
    }
  });

  it('turn clockwise on screen: the top-left corner goes to the top right', () => {
    const top = patchOf([[1, 2, 3], [4, 5, 6]]);
    expect(gridOf(orientTop(top, { quarterTurns: 1, mirrored: false }))).toEqual([[4, 1], [5, 2], [6, 3]]);
    expect(gridOf(orientTop(top, { quarterTurns: 0, mirrored: true }))).toEqual([[3, 2, 1], [6, 5, 4]]);
    expect(gridOf(orientTop(top, { quarterTurns: 2, mirrored: false }))).toEqual([[6, 5, 4], [3, 2, 1]]);
  });

  it('show in the side view what the same object lying that way shows: the other side when turned, upside down when mirrored', () => {
    for (const seed of [1, 2, 3]) {
      const f = voxels(7, 4, 3, seed);
      const item = itemOf(f);
      for (const pose of TIP_POSES) {
        const seen = project(pose3d(f, pose));
        expect(gridOf(orientTop(item.top, pose)), JSON.stringify(pose)).toEqual(seen.top);
        const side = orientSide(item, pose);
        expect(gridOf(side), JSON.stringify(pose)).toEqual(seen.side);
        expect(side.height).toBe(orientTop(item.top, pose).height); // same belt rows in both views
        expect(gridOf(side, 'low')).toEqual(seen.side.map((r) => r.map((v) => v * 2)));
      }
    }
  });
});

describe('compositing', () => {
  const item = itemOf(voxels(40, 12, 4, 7));
  const patch = item.top;

  it('adds the item\'s log-attenuation at both energies inside its mask and changes nothing else', () => {
    const view = bagView();
    const before = { low: Uint16Array.from(view.low as Uint16Array), high: Uint16Array.from(view.high) };
    compositeTip(view, patch, 100, 80, 0, { noise: null });
    let inside = 0;
    const wrong: string[] = [];
    for (let y = 0; y < view.height; y++) {
      for (let x = 0; x < view.width; x++) {
        const i = y * view.width + x;
        const px = x - 100;
        const py = y - 80;
        const s = py * patch.width + px;
        const inMask = px >= 0 && py >= 0 && px < patch.width && py < patch.height && patch.mask[s] === 1;
        const low = (view.low as Uint16Array)[i] as number;
        const high = view.high[i] as number;
        if (inMask) inside++;
        const wantLow = (before.low[i] as number) + (inMask ? (patch.low[s] as number) : 0);
        const wantHigh = (before.high[i] as number) + (inMask ? (patch.high[s] as number) : 0);
        // Inside the mask: exactly the sum, and darker (more attenuation) at both energies.
        if (low !== wantLow || high !== wantHigh || (inMask && !(low > (before.low[i] as number) && high > (before.high[i] as number)))) wrong.push(`(${x}, ${y})`);
      }
    }
    expect(wrong).toEqual([]);
    expect(inside).toBe(patch.mask.reduce((a, b) => a + b, 0));
  });

  it('keeps the item\'s material signature: what it adds has its own low/high ratio, over air or over the bag', () => {
    // A light-metal patch (ratio 1.6) over organic packing (ratio 1.18) and over air.
    const p: TipPatch = { width: 4, height: 1, low: Uint16Array.from([3200, 1600, 800, 8000]), high: Uint16Array.from([2000, 1000, 500, 5000]), mask: Uint8Array.from([1, 1, 1, 1]) };
    const view = bagView(40, 10, { x0: 0, y0: 0, x1: 20, y1: 10 });
    const before = { low: Uint16Array.from(view.low as Uint16Array), high: Uint16Array.from(view.high) };
    compositeTip(view, p, 18, 4, 0, { noise: null }); // two pixels over the bag, two over air
    for (let k = 0; k < 4; k++) {
      const i = 4 * 40 + 18 + k;
      const dLow = ((view.low as Uint16Array)[i] as number) - (before.low[i] as number);
      const dHigh = (view.high[i] as number) - (before.high[i] as number);
      expect(dLow / dHigh).toBeCloseTo(1.6, 6);
    }
    // Over air the pixel is the item alone: the same material class as the threat itself.
    expect(((view.low as Uint16Array)[4 * 40 + 20] as number) / (view.high[4 * 40 + 20] as number)).toBeCloseTo(1.6, 6);
  });

  it('stays within u16: past the detector\'s floor a pixel reads impenetrable, and impenetrable stays so', () => {
    const view = bagView(20, 10, { x0: 0, y0: 0, x1: 20, y1: 10 }, 60_000, 50_000);
    (view.low as Uint16Array)[5 * 20 + 5] = TIP_IMPENETRABLE;
    view.high[5 * 20 + 6] = TIP_IMPENETRABLE;
    const heavy: TipPatch = { width: 4, height: 1, low: Uint16Array.from([20_000, 20_000, 20_000, 65_000]), high: Uint16Array.from([5_000, 20_000, 20_000, 65_000]), mask: Uint8Array.from([1, 1, 1, 1]) };
    compositeTip(view, heavy, 4, 5, 0, { noise: null, saturationCode: 64_000 });
    const row = (plane: Uint16Array) => Array.from(plane.subarray(5 * 20 + 4, 5 * 20 + 8));
    expect(row(view.high)).toEqual([55_000, TIP_IMPENETRABLE, TIP_IMPENETRABLE, TIP_IMPENETRABLE]);
    expect(row(view.low as Uint16Array)).toEqual([TIP_IMPENETRABLE, TIP_IMPENETRABLE, TIP_IMPENETRABLE, TIP_IMPENETRABLE]);
    // With the default floor a sum over 65534 never wraps round.
    const v2 = bagView(4, 1, { x0: 0, y0: 0, x1: 4, y1: 1 }, 40_000, 40_000);
    compositeTip(v2, { ...heavy, low: Uint16Array.from([26_000, 1, 1, 1]) }, 0, 0, 0, { noise: null, saturationCode: 70_000 });
    expect((v2.low as Uint16Array)[0]).toBe(TIP_IMPENETRABLE - 1);
  });

  it('adds the noise a detector would show through the thicker stack: more where the item is heavier, none outside the mask', () => {
    const light: TipPatch = { width: 64, height: 64, low: new Uint16Array(64 * 64).fill(800), high: new Uint16Array(64 * 64).fill(600), mask: new Uint8Array(64 * 64).fill(1) };
    const dense: TipPatch = { ...light, low: new Uint16Array(64 * 64).fill(30_000), high: new Uint16Array(64 * 64).fill(20_000) };
    const spread = (p: TipPatch): { mean: number; sd: number } => {
      const view = bagView(128, 80, { x0: 0, y0: 0, x1: 128, y1: 80 });
      compositeTip(view, p, 10, 8, 0, { random: tipRandom(42) });
      const d: number[] = [];
      for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) d.push((view.high[(8 + y) * 128 + 10 + x] as number) - 2200 - (p.high[0] as number));
      const mean = d.reduce((a, b) => a + b, 0) / d.length;
      return { mean, sd: Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length) };
    };
    const l = spread(light);
    const h = spread(dense);
    expect(Math.abs(l.mean)).toBeLessThan(3 * l.sd / 10 + 1); // unbiased
    expect(h.sd).toBeGreaterThan(5 * l.sd); // 2.4 more log units: far fewer photons
    // The same seed gives the same pixels.
    const a = bagView(128, 80);
    const b = bagView(128, 80);
    compositeTip(a, dense, 10, 8, 0, { random: tipRandom(9) });
    compositeTip(b, dense, 10, 8, 0, { random: tipRandom(9) });
    expect(same(a.high, b.high)).toBe(true);
  });

  it('returns the bag\'s own pixels, which put the image back exactly', () => {
    const view = bagView();
    const before = { low: Uint16Array.from(view.low as Uint16Array), high: Uint16Array.from(view.high) };
    const original = compositeTip(view, patch, 60, 50, 0, { random: tipRandom(3) });
    expect(same(view.high, before.high)).toBe(false);
    restorePlane(view.high, view.width, original.high, original.x, original.y, original.width, original.height);
    restorePlane(view.low as Uint16Array, view.width, original.low as Uint16Array, original.x, original.y, original.width, original.height);
    expect(same(view.high, before.high)).toBe(true);
    expect(same(view.low as Uint16Array, before.low)).toBe(true);
  });

  it('refuses a patch that would leave the image', () => {
    expect(() => compositeTip(bagView(), patch, 300, 10)).toThrow(RangeError);
  });

  it('changes only `high` of a single-energy view', () => {
    const view = bagView();
    delete view.low;
    const original = compositeTip(view, patch, 100, 80, 0, { noise: null });
    expect(original.low).toBeUndefined();
    expect(view.high[(80 + 6) * view.width + 100 + 20]).toBeGreaterThan(2200);
  });
});

describe('room inside the bag', () => {
  it('is inside the bag\'s outline, a margin in from its edge, never on the belt', () => {
    const view = bagView();
    const room = bagInterior(view.high, view.width, view.height, 4);
    expect([room.x0, room.y0, room.x1, room.y1]).toEqual([44, 34, 276, 206]);
    expect(boxInside(room, 44, 34, 232, 172)).toBe(true);
    expect(boxInside(room, 43, 34, 10, 10)).toBe(false);
    expect(boxInside(room, 270, 200, 10, 10)).toBe(false);
    // A gap of belt inside the outline (between two items) is not room either.
    view.high[100 * view.width + 150] = 0;
    expect(boxInside(bagInterior(view.high, view.width, view.height, 4), 140, 90, 20, 20)).toBe(false);
  });

  it('is found for an item that fits, in every view, on the same belt rows; never for one that does not', () => {
    const item = itemOf(voxels(30, 10, 4, 5));
    const top = bagView();
    const side: TipView = { ...bagView(160, 240, { x0: 10, y0: 30, x1: 120, y1: 210 }), view: 'side' };
    for (let seed = 0; seed < 50; seed++) {
      const plan = planTip([top, side], [item], tipRandom(seed));
      if (!plan) throw new Error(`no room found for seed ${seed}`);
      const [t, s] = plan.placements;
      if (!t || !s) throw new Error('two placements expected');
      expect(t.viewIndex).toBe(0);
      expect(s.viewIndex).toBe(1);
      expect(s.y).toBe(t.y);
      expect(s.patch.height).toBe(t.patch.height);
      expect(boxInside(bagInterior(top.high, top.width, top.height, 4), t.x, t.y, t.patch.width, t.patch.height)).toBe(true);
      expect(boxInside(bagInterior(side.high, side.width, side.height, 4), s.x, s.y, s.patch.width, s.patch.height)).toBe(true);
    }
    const huge = itemOf(voxels(300, 10, 2, 5));
    expect(planTip([top], [huge], tipRandom(1))).toBeNull();
    expect(planTip([bagView(320, 240, { x0: 0, y0: 0, x1: 0, y1: 0 })], [item], tipRandom(1))).toBeNull(); // an empty belt
    expect(planTip([top, { ...side, height: 200, high: side.high.subarray(0, 160 * 200) }], [item], tipRandom(1))).toBeNull(); // views that do not share rows
  });
});

describe('found or missed', () => {
  const boxes = [{ view: 'top', x: 100, y: 50, width: 40, height: 20 }];
  it('is found when the officer sends the bag to search, and marks, if any, overlap the item in its view', () => {
    expect(tipFound('search', boxes)).toBe(true);
    expect(tipFound('search', boxes, [])).toBe(true);
    expect(tipFound('search', boxes, [{ view: 'top', x: 130, y: 60, width: 30, height: 30 }])).toBe(true);
    expect(tipFound('clear', boxes)).toBe(false);
    expect(tipFound('search', boxes, [{ view: 'top', x: 140, y: 50, width: 10, height: 10 }])).toBe(false); // touching is not overlapping
    expect(tipFound('search', boxes, [{ view: 'side', x: 100, y: 50, width: 40, height: 20 }])).toBe(false);
  });
});

describe('library file', () => {
  it('round-trips an item and refuses a damaged one', () => {
    const item = itemOf(voxels(9, 5, 3, 11));
    const bytes = encodeTipItem(item);
    const back = decodeTipItem(bytes);
    for (const k of ['top', 'side', 'sideTurned'] as const) {
      expect(back[k].low).toEqual(item[k].low);
      expect(back[k].high).toEqual(item[k].high);
      expect(back[k].mask).toEqual(item[k].mask);
    }
    expect(() => decodeTipItem(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
    expect(() => decodeTipItem(Uint8Array.from([...bytes, 0]))).toThrow(RangeError);
    const bad = Uint8Array.from(bytes);
    bad[0] = 0x58;
    expect(() => decodeTipItem(bad)).toThrow(/magic/);
    expect(() => decodeTipItem(encodeTipItem({ ...item, side: item.sideTurned }))).toThrow(/side patches/);
  });

  it('uses the wire encoding', () => {
    expect([TIP_ATTENUATION_SCALE, TIP_IMPENETRABLE, TIP_AIR_MAX]).toEqual([8192, 65535, Math.floor(0.04 * 8192)]);
  });
});
