import { describe, expect, it } from 'vitest';
import { type ViewFrame, clampViewport, fitScale, initialViewport, panBy, screenTransform, steppedZoom, wheelFactor, zoomBy, zoomTo } from './viewport.ts';

// A 400 × 300 image in a 800 × 400 element: fit scale 4/3, limited by the height.
const frame: ViewFrame = { imageWidth: 400, imageHeight: 300, elementWidth: 800, elementHeight: 400 };
const toScreen = (vp: ReturnType<typeof initialViewport>, x: number, y: number) => {
  const t = screenTransform(vp, frame);
  return { x: x * t.scale + t.tx, y: y * t.scale + t.ty };
};

describe('viewport', () => {
  it('fits the whole image at zoom 1, centred', () => {
    expect(fitScale(frame)).toBeCloseTo(4 / 3);
    const t = screenTransform(initialViewport(frame), frame);
    expect(t.scale).toBeCloseTo(4 / 3);
    expect(t.tx).toBeCloseTo(400 - 200 * (4 / 3));
    expect(t.ty).toBeCloseTo(0);
  });

  it('steps zoom on the √2 ladder and reaches 8× in six steps, 16× at most', () => {
    let zoom = 1;
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) seen.push((zoom = steppedZoom(zoom, 1)));
    expect(seen.map((z) => Number(z.toFixed(2)))).toEqual([1.41, 2, 2.83, 4, 5.66, 8]);
    expect(zoom).toBe(8);
    for (let i = 0; i < 5; i++) zoom = steppedZoom(zoom, 1);
    expect(zoom).toBe(16);
    for (let i = 0; i < 20; i++) zoom = steppedZoom(zoom, -1);
    expect(zoom).toBe(1);
    // Off the ladder (after the wheel), a step lands on the next rung in that direction.
    expect(steppedZoom(2.5, 1)).toBeCloseTo(2 ** 1.5);
    expect(steppedZoom(2.5, -1)).toBe(2);
  });

  it('keeps the image point under the pointer when zooming there', () => {
    const start = initialViewport(frame);
    const anchor = { x: 250, y: 120 };
    const before = screenTransform(start, frame);
    const imagePoint = { x: (anchor.x - before.tx) / before.scale, y: (anchor.y - before.ty) / before.scale };
    const zoomed = zoomBy(start, frame, 3, anchor);
    const after = toScreen(zoomed, imagePoint.x, imagePoint.y);
    expect(after.x).toBeCloseTo(anchor.x);
    expect(after.y).toBeCloseTo(anchor.y);
    expect(zoomed.zoom).toBe(3);
  });

  it('pans with the drag and never leaves the image when zoomed in', () => {
    const zoomed = zoomTo(initialViewport(frame), frame, 4);
    const moved = panBy(zoomed, frame, 40, -20);
    const t = screenTransform(zoomed, frame);
    expect(moved.cx).toBeCloseTo(zoomed.cx - 40 / t.scale);
    expect(moved.cy).toBeCloseTo(zoomed.cy + 20 / t.scale);
    const far = panBy(zoomed, frame, 1e6, 1e6);
    const ft = screenTransform(far, frame);
    expect(ft.tx).toBeCloseTo(0); // the left edge of the image at the left edge of the element
    expect(ft.ty).toBeCloseTo(0);
    const other = screenTransform(panBy(zoomed, frame, -1e6, -1e6), frame);
    expect(400 * other.scale + other.tx).toBeCloseTo(800);
    expect(300 * other.scale + other.ty).toBeCloseTo(400);
  });

  it('keeps a smaller-than-the-view axis centred', () => {
    // At zoom 1 the width has room to spare: panning sideways does nothing.
    const vp = panBy(initialViewport(frame), frame, 100, 0);
    expect(vp.cx).toBe(200);
    expect(clampViewport({ zoom: 0.2, cx: -5, cy: 1e9 }, frame)).toEqual({ zoom: 1, cx: 200, cy: 150 });
  });

  it('turns wheel notches into gentle zoom factors', () => {
    expect(wheelFactor(-100, 0)).toBeGreaterThan(1);
    expect(wheelFactor(100, 0)).toBeLessThan(1);
    expect(wheelFactor(-3, 1)).toBeCloseTo(wheelFactor(-48, 0));
    expect(wheelFactor(-1e9, 0)).toBeCloseTo(Math.exp(1.2));
  });
});
