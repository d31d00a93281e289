import { describe, expect, it } from 'vitest';
import { ATTENUATION_SCALE, IMPENETRABLE, classifyMaterial, renderPseudoColour } from './dual-energy.ts';
import {
  DEFAULT_IMAGE_SETTINGS, DENSE_MIN, type ImageSettings, isDefaultSettings, moveSliceWindow, resetImageSettings, resizeSliceWindow,
  stepBrightness, toggleEdge, toggleInverse, toggleMarkImpenetrable, toggleSlice, toggleStrip, toolParameters, withMode,
} from './settings.ts';
import {
  CLASS_AIR, CLASS_IMPENETRABLE, CLASS_INORGANIC, CLASS_METAL, CLASS_ORGANIC, CLASS_UNKNOWN, MARK_A, MARK_B, type ToolImage, baseColour,
  fineColour, renderView, toolClass, toolTables,
} from './tools.ts';
import { AIR_MAX_U16 } from './dual-energy.ts';

type Rgb = [number, number, number];

// The pure packages' type check has no DOM or Node types; these two exist in every runtime.
declare const performance: { now(): number };
declare const console: { warn(...args: unknown[]): void };

/** Hue angle in degrees (0 red, 120 green, 240 blue), and the largest channel. */
function hueOf([r, g, b]: Rgb): { hue: number; max: number } {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  if (d === 0) return { hue: Number.NaN, max };
  let h: number;
  if (max === r) h = ((g - b) / d) % 6;
  else if (max === g) h = (b - r) / d + 2;
  else h = (r - g) / d + 4;
  return { hue: (h * 60 + 360) % 360, max };
}

const A = (x: number) => Math.round(x * ATTENUATION_SCALE);

/** A material pixel: high-energy log-attenuation `a` and the low/high ratio that sets its class. */
function material(ratio: number, a: number): [number, number] {
  return [Math.min(Math.round(A(a) * ratio), 65534), A(a)];
}

const ORGANIC = 1.1;
const INORGANIC = 1.5;
const METAL = 2.2;

function image(pixels: readonly (readonly [number, number])[], width = pixels.length): ToolImage {
  const height = pixels.length / width;
  return { width, height, low: Uint16Array.from(pixels.map((p) => p[0])), high: Uint16Array.from(pixels.map((p) => p[1])) };
}

function render(img: ToolImage, settings: ImageSettings = DEFAULT_IMAGE_SETTINGS): Rgb[] {
  const out = renderView(img, settings, new Uint8ClampedArray(img.width * img.height * 4));
  const px: Rgb[] = [];
  for (let i = 0; i < out.length; i += 4) {
    px.push([out[i] ?? -1, out[i + 1] ?? -1, out[i + 2] ?? -1]);
    expect(out[i + 3]).toBe(255);
  }
  return px;
}

const one = (pixel: readonly [number, number], settings?: ImageSettings): Rgb => render(image([pixel]), settings)[0] ?? [-1, -1, -1];
const luminance = ([r, g, b]: Rgb) => 0.299 * r + 0.587 * g + 0.114 * b;

/** A deterministic mixed image: every class, thin to thick, with noise. */
function mixedImage(width = 64, height = 48): ToolImage {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const pixels: [number, number][] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const band = Math.floor(x / (width / 6));
      const a = 0.1 + (y / height) * 4 + rnd() * 0.2;
      if (band === 0) pixels.push([Math.round(rnd() * 300), Math.round(rnd() * 300)]);
      else if (band === 1) pixels.push(material(ORGANIC, a));
      else if (band === 2) pixels.push(material(INORGANIC, a));
      else if (band === 3) pixels.push(material(METAL, a));
      else if (band === 4) pixels.push(rnd() < 0.5 ? [IMPENETRABLE, IMPENETRABLE] : material(METAL, 6.5));
      else pixels.push([Math.round(rnd() * 65535), Math.round(rnd() * 65535)]);
    }
  }
  return image(pixels, width);
}

describe('material colour', () => {
  it('draws each material in its hue band: orange organic, green inorganic, blue metal, black impenetrable', () => {
    for (const a of [0.3, 1, 2, 3]) {
      const organic = hueOf(one(material(ORGANIC, a)));
      const inorganic = hueOf(one(material(INORGANIC, a)));
      const metal = hueOf(one(material(METAL, a)));
      expect(organic.hue).toBeGreaterThanOrEqual(15);
      expect(organic.hue).toBeLessThanOrEqual(45);
      expect(inorganic.hue).toBeGreaterThanOrEqual(90);
      expect(inorganic.hue).toBeLessThanOrEqual(150);
      expect(metal.hue).toBeGreaterThanOrEqual(200);
      expect(metal.hue).toBeLessThanOrEqual(245);
    }
    expect(one([IMPENETRABLE, IMPENETRABLE])).toEqual([0, 0, 0]);
    expect(one([IMPENETRABLE, 20_000])).toEqual([0, 0, 0]);
    const air = one([100, 100]);
    expect(Math.min(...air)).toBeGreaterThanOrEqual(245);
  });

  it('gets darker as attenuation grows', () => {
    for (const ratio of [ORGANIC, INORGANIC, METAL]) {
      const lums = [0.2, 0.8, 1.6, 3, 5].map((a) => luminance(one(material(ratio, a))));
      for (let i = 1; i < lums.length; i++) expect(lums[i]).toBeLessThan(lums[i - 1] ?? 0);
    }
  });

  it('classifies with exact integer ratios that agree with classifyMaterial on u16 values', () => {
    const names = ['air', 'organic', 'inorganic', 'metal', 'impenetrable'];
    const cases: [number, number][] = [[1300, 1000], [1299, 1000], [1301, 1000], [1750, 1000], [1749, 1000], [13, 10], [7, 4], [65535, 3], [5, 65535], [400, 327], [400, 328]];
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const h = seed >>> 16;
      cases.push([Math.min(65535, Math.round(h * (1 + (seed & 0xffff) / 32768))), h]);
    }
    for (const [l, h] of cases) expect(names[toolClass(l, h, false)]).toBe(classifyMaterial(l, h));
  });

  it('falls back to grayscale on single-energy views, where no material is known', () => {
    const img: ToolImage = { width: 3, height: 1, high: Uint16Array.from([A(0.5), A(2), IMPENETRABLE]) };
    const px = render(img);
    for (const [r, g, b] of px) expect(r === g && g === b).toBe(true);
    expect(px[2]).toEqual([0, 0, 0]);
    // Stripping needs material information: nothing changes.
    expect(render(img, toggleStrip(DEFAULT_IMAGE_SETTINGS, 'organic'))).toEqual(px);
    expect(render(img, toggleStrip(DEFAULT_IMAGE_SETTINGS, 'inorganic'))).toEqual(px);
    expect(toolParameters(DEFAULT_IMAGE_SETTINGS, true).mode).toBe(1);
  });

  it('grayscale shows high-energy transmission only', () => {
    const gray = withMode(DEFAULT_IMAGE_SETTINGS, 'grayscale');
    const organic = one(material(ORGANIC, 1), gray);
    const metal = one(material(METAL, 1), gray);
    expect(organic).toEqual(metal);
    expect(organic[0]).toBe(organic[1]);
    expect(organic[1]).toBe(organic[2]);
  });
});

describe('stripping', () => {
  const pixels: [number, number][] = [[100, 100], material(ORGANIC, 1), material(INORGANIC, 1), material(METAL, 1), [IMPENETRABLE, IMPENETRABLE]];
  const img = image(pixels);
  const white: Rgb = [255, 255, 255];

  it('organic strip (OS) removes organics and keeps inorganic, metal and impenetrable', () => {
    const plain = render(img);
    const os = render(img, toggleStrip(DEFAULT_IMAGE_SETTINGS, 'organic'));
    expect(os[0]).toEqual(plain[0]);
    expect(os[1]).toEqual(white);
    expect(os[2]).toEqual(plain[2]);
    expect(os[3]).toEqual(plain[3]);
    expect(os[4]).toEqual([0, 0, 0]);
  });

  it('inorganic strip (IS/MS) removes inorganic and metal and keeps organics and impenetrable', () => {
    const plain = render(img);
    const is = render(img, toggleStrip(DEFAULT_IMAGE_SETTINGS, 'inorganic'));
    expect(is[1]).toEqual(plain[1]);
    expect(is[2]).toEqual(white);
    expect(is[3]).toEqual(white);
    expect(is[4]).toEqual([0, 0, 0]);
  });

  it('works in grayscale too, and the two strips exclude each other', () => {
    const gray = withMode(toggleStrip(DEFAULT_IMAGE_SETTINGS, 'organic'), 'grayscale');
    expect(render(img, gray)[1]).toEqual(white);
    const both = toggleStrip(toggleStrip(DEFAULT_IMAGE_SETTINGS, 'organic'), 'inorganic');
    expect(both.strip).toBe('inorganic');
    expect(toggleStrip(both, 'inorganic').strip).toBe('none');
  });
});

describe('inversion', () => {
  it('is involutive: toggled twice it is the original settings and image', () => {
    const img = mixedImage();
    const twice = toggleInverse(toggleInverse(DEFAULT_IMAGE_SETTINGS));
    expect(twice).toEqual(DEFAULT_IMAGE_SETTINGS);
    expect(render(img, twice)).toEqual(render(img));
  });

  it('gives 255 − value on every channel, with any mode and tool', () => {
    const img = mixedImage();
    for (const settings of [DEFAULT_IMAGE_SETTINGS, withMode(DEFAULT_IMAGE_SETTINGS, 'grayscale'), toggleStrip(DEFAULT_IMAGE_SETTINGS, 'organic'), toggleSlice(DEFAULT_IMAGE_SETTINGS)]) {
      const plain = render(img, settings);
      const inverted = render(img, toggleInverse(settings));
      expect(inverted).toEqual(plain.map(([r, g, b]) => [255 - r, 255 - g, 255 - b]));
    }
  });
});

describe('density slice', () => {
  const settings = toggleSlice(DEFAULT_IMAGE_SETTINGS);
  const { lo, hi } = settings.slice;

  it('keeps pixels inside the window [lo, hi] (inclusive) and fades the rest towards white', () => {
    const highs = [A(lo) - 1, A(lo), A((lo + hi) / 2), A(hi), A(hi) + 1, A(0.1), A(5)];
    const img = image(highs.map((h) => [Math.round(h * ORGANIC), h] as [number, number]));
    const plain = render(img);
    const sliced = render(img, settings);
    const inside = [false, true, true, true, false, false, false];
    inside.forEach((isInside, i) => {
      const p = plain[i] ?? [0, 0, 0];
      const s = sliced[i] ?? [0, 0, 0];
      if (isInside) expect(s).toEqual(p);
      else {
        for (let c = 0; c < 3; c++) expect(s[c]).toBeGreaterThanOrEqual(p[c] ?? 0);
        expect(luminance(s)).toBeGreaterThan(luminance(p) + 20);
      }
    });
  });

  it('moves with the keys, keeping its width inside the attenuation range', () => {
    const up = moveSliceWindow(DEFAULT_IMAGE_SETTINGS, 1);
    expect(up.slice).toEqual({ enabled: true, lo: lo + 0.25, hi: hi + 0.25 });
    const far = moveSliceWindow(DEFAULT_IMAGE_SETTINGS, 1000);
    expect(far.slice.hi).toBe(8);
    expect(far.slice.hi - far.slice.lo).toBe(hi - lo);
    const low = moveSliceWindow(DEFAULT_IMAGE_SETTINGS, -1000);
    expect(low.slice.lo).toBe(0);
    const wide = resizeSliceWindow(DEFAULT_IMAGE_SETTINGS, 1);
    expect(wide.slice.hi - wide.slice.lo).toBe(hi - lo + 0.5);
    const narrow = resizeSliceWindow(DEFAULT_IMAGE_SETTINGS, -100);
    expect(narrow.slice.hi - narrow.slice.lo).toBe(0.25);
    const p = toolParameters(up, false);
    expect([p.sliceLo, p.sliceHi]).toEqual([A(lo + 0.25), A(hi + 0.25)]);
  });
});

describe('impenetrable marking', () => {
  it('hatches impenetrable and nearly impenetrable pixels in red, over any other tool', () => {
    const width = 16;
    const pixels: [number, number][] = [];
    for (let i = 0; i < width * width; i++) pixels.push(i % 3 === 0 ? [IMPENETRABLE, IMPENETRABLE] : i % 3 === 1 ? material(METAL, 6.2) : material(ORGANIC, 1));
    const img = image(pixels, width);
    for (const base of [DEFAULT_IMAGE_SETTINGS, toggleInverse(DEFAULT_IMAGE_SETTINGS), toggleEdge(withMode(DEFAULT_IMAGE_SETTINGS, 'grayscale'))]) {
      const plain = render(img, base);
      const marked = render(img, toggleMarkImpenetrable(base));
      const seen = new Set<string>();
      pixels.forEach(([, h], i) => {
        const m = marked[i] ?? [0, 0, 0];
        if (h >= DENSE_MIN) {
          expect([MARK_A, MARK_B].map(String)).toContain(String(m));
          seen.add(String(m));
        } else expect(m).toEqual(plain[i]);
      });
      expect(seen.size).toBe(2);
    }
  });

  it('marks where the low energy alone is saturated', () => {
    expect(one([IMPENETRABLE, 9000], toggleMarkImpenetrable(DEFAULT_IMAGE_SETTINGS))).toEqual([...MARK_A]);
    expect(toolClass(IMPENETRABLE, 9000, false)).toBe(CLASS_IMPENETRABLE);
  });
});

describe('edge enhancement', () => {
  it('leaves flat areas alone and steepens edges', () => {
    const width = 8;
    const pixels: [number, number][] = [];
    for (let y = 0; y < 8; y++) for (let x = 0; x < width; x++) pixels.push(x < 4 ? material(ORGANIC, 0.4) : material(ORGANIC, 2));
    const img = image(pixels, width);
    const plain = render(img);
    const edged = render(img, toggleEdge(DEFAULT_IMAGE_SETTINGS));
    // Flat areas: the same colour, give or take the rounding of the finer steps.
    for (const i of [0, 7, 56, 63]) for (let c = 0; c < 3; c++) expect(Math.abs((edged[i]?.[c] ?? 0) - (plain[i]?.[c] ?? 0))).toBeLessThanOrEqual(1);
    expect(luminance(edged[3] ?? [0, 0, 0])).toBeGreaterThan(luminance(plain[3] ?? [0, 0, 0]));
    expect(luminance(edged[4] ?? [0, 0, 0])).toBeLessThan(luminance(plain[4] ?? [0, 0, 0]));
  });
});

describe('brightness', () => {
  it('brightens and darkens in steps, within limits', () => {
    const px = material(INORGANIC, 2);
    const brighter = one(px, stepBrightness(DEFAULT_IMAGE_SETTINGS, 2));
    const darker = one(px, stepBrightness(DEFAULT_IMAGE_SETTINGS, -2));
    expect(luminance(brighter)).toBeGreaterThan(luminance(one(px)));
    expect(luminance(darker)).toBeLessThan(luminance(one(px)));
    expect(stepBrightness(DEFAULT_IMAGE_SETTINGS, 99).brightness).toBe(4);
    expect(stepBrightness(DEFAULT_IMAGE_SETTINGS, -99).brightness).toBe(-4);
  });
});

describe('settings', () => {
  it('reset to every tool off, whatever was on', () => {
    let s = DEFAULT_IMAGE_SETTINGS;
    s = withMode(s, 'grayscale');
    s = toggleInverse(toggleEdge(toggleMarkImpenetrable(toggleStrip(moveSliceWindow(stepBrightness(s, 2), 3), 'organic'))));
    expect(isDefaultSettings(s)).toBe(false);
    const reset = resetImageSettings();
    expect(reset).toEqual(DEFAULT_IMAGE_SETTINGS);
    expect(isDefaultSettings(reset)).toBe(true);
    expect(reset.mode).toBe('colour');
    expect(Object.isFrozen(DEFAULT_IMAGE_SETTINGS)).toBe(true);
  });
});

describe('lookup tables', () => {
  it('hold the definition in every entry the renderer can look up', () => {
    const combos: [ImageSettings, boolean][] = [
      [DEFAULT_IMAGE_SETTINGS, false],
      [DEFAULT_IMAGE_SETTINGS, true],
      [withMode(toggleStrip(DEFAULT_IMAGE_SETTINGS, 'organic'), 'grayscale'), false],
      [toggleStrip(moveSliceWindow(DEFAULT_IMAGE_SETTINGS, 3), 'inorganic'), false],
      [stepBrightness(toggleSlice(DEFAULT_IMAGE_SETTINGS), 3), true],
    ];
    for (const [settings, single] of combos) {
      const p = toolParameters(settings, single);
      const { coarse, fine, fineLuma } = toolTables(p, true);
      if (!fine || !fineLuma) throw new Error('no fine tables');
      const bytes = new Uint8Array(coarse.buffer);
      const classes = single ? [CLASS_IMPENETRABLE, CLASS_UNKNOWN] : [CLASS_IMPENETRABLE, CLASS_ORGANIC, CLASS_INORGANIC, CLASS_METAL];
      const mismatches: unknown[] = [];
      const check = (cls: number, h: number) => {
        const e = (cls << 16) | h;
        const want = [...baseColour(cls, h, p), 255];
        const wantFine = fineColour(cls, h, p);
        const got = [bytes[e * 4], bytes[e * 4 + 1], bytes[e * 4 + 2], bytes[e * 4 + 3]];
        const gotFine = [fine[e * 3], fine[e * 3 + 1], fine[e * 3 + 2]];
        const luma = 77 * wantFine[0] + 150 * wantFine[1] + 29 * wantFine[2];
        if (String(got) !== String(want) || String(gotFine) !== String(wantFine) || fineLuma[e] !== luma) {
          mismatches.push({ cls, h, got, want, gotFine, wantFine });
        }
      };
      for (const cls of classes) for (let h = 0; h < 65536; h += 7) check(cls, h);
      for (const cls of classes) check(cls, 65535);
      for (let h = 0; h <= AIR_MAX_U16; h++) check(CLASS_AIR, h);
      expect(mismatches.slice(0, 3)).toEqual([]);
    }
  });

  it('give exactly the per-pixel definition, for every tool combination', () => {
    const img = mixedImage(32, 24);
    const combos: ImageSettings[] = [
      DEFAULT_IMAGE_SETTINGS,
      withMode(DEFAULT_IMAGE_SETTINGS, 'grayscale'),
      toggleStrip(DEFAULT_IMAGE_SETTINGS, 'organic'),
      toggleStrip(DEFAULT_IMAGE_SETTINGS, 'inorganic'),
      moveSliceWindow(DEFAULT_IMAGE_SETTINGS, 2),
      stepBrightness(DEFAULT_IMAGE_SETTINGS, -3),
    ];
    for (const settings of combos) {
      const p = toolParameters(settings, false);
      const out = render(img, settings);
      for (let i = 0; i < out.length; i++) {
        const l = img.low?.[i] ?? 0;
        const h = img.high[i] ?? 0;
        expect(out[i]).toEqual(baseColour(toolClass(l, h, false), h, p));
      }
    }
  });

  it('render a megapixel well under 20 ms once warm (any tool combination)', () => {
    // A bag-like image: bands of each material, thin to thick, with noise.
    const width = 1024;
    const height = 1024;
    const low = new Uint16Array(width * height);
    const high = new Uint16Array(width * height);
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let y = 0, i = 0; y < height; y++) {
      for (let x = 0; x < width; x++, i++) {
        const band = Math.floor(x / 128) % 5;
        const h = band === 0 ? 200 : A(0.2 + (y / height) * 6.5 + rnd() * 0.05);
        high[i] = h;
        low[i] = Math.min(65535, Math.round(h * ([1, ORGANIC, INORGANIC, METAL, 1.2][band] ?? 1)));
      }
    }
    const img: ToolImage = { width, height, low, high };
    const out = new Uint8ClampedArray(width * height * 4);
    const all = toggleInverse(toggleMarkImpenetrable(DEFAULT_IMAGE_SETTINGS));
    const timings: Record<string, number> = {};
    for (const [name, settings] of [['colour', DEFAULT_IMAGE_SETTINGS], ['inverse+mark', all], ['edge', toggleEdge(DEFAULT_IMAGE_SETTINGS)]] as const) {
      renderView(img, settings, out);
      const runs = 5;
      const start = performance.now();
      for (let r = 0; r < runs; r++) renderView(img, settings, out);
      timings[name] = (performance.now() - start) / runs;
    }
    // Generous bounds for a loaded two-core test machine (a per-pixel implementation without
    // tables takes several times longer); the measured figures are printed.
    console.warn(`CPU tools, ms per megapixel: ${JSON.stringify(timings)}`);
    expect(timings['colour']).toBeLessThan(60);
    expect(timings['inverse+mark']).toBeLessThan(60);
    expect(timings['edge']).toBeLessThan(150);
  });
});

describe('renderPseudoColour (kept for existing callers)', () => {
  it('still renders the standard colours', () => {
    const low = Uint16Array.from([Math.round(A(1) * ORGANIC), IMPENETRABLE]);
    const high = Uint16Array.from([A(1), IMPENETRABLE]);
    const out = renderPseudoColour(low, high, new Uint8ClampedArray(8));
    expect(hueOf([out[0] ?? 0, out[1] ?? 0, out[2] ?? 0]).hue).toBeLessThan(45);
    expect([out[4], out[5], out[6]]).toEqual([0, 0, 0]);
  });
});
