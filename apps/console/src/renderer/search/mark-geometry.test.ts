import { describe, expect, it } from 'vitest';
import { type ViewFrame, initialViewport, panBy, screenTransform, zoomTo } from '../viewer/viewport.ts';
import { boxOnScreen, markFromDrag, screenToImage } from './mark-geometry.ts';

// A 400 × 300 image in an 800 × 400 element: fit scale 4/3, centred with 133⅓ px either side.
const frame: ViewFrame = { imageWidth: 400, imageHeight: 300, elementWidth: 800, elementHeight: 400 };
const image = { width: 400, height: 300 };

describe('search mark geometry', () => {
  it('maps the screen to image pixels at fit: the image centre is the element centre', () => {
    const t = screenTransform(initialViewport(frame), frame);
    const centre = screenToImage({ x: 400, y: 200 }, t);
    expect(centre.x).toBeCloseTo(200);
    expect(centre.y).toBeCloseTo(150);
    const corner = screenToImage({ x: 400 - 200 * (4 / 3), y: 0 }, t);
    expect(corner.x).toBeCloseTo(0);
    expect(corner.y).toBeCloseTo(0);
    // A drag over the image's top-left 40 × 15 pixels.
    const mark = markFromDrag('top', { x: 400 - 200 * (4 / 3), y: 0 }, { x: 400 - 160 * (4 / 3), y: 20 }, t, image);
    expect(mark).toEqual({ view: 'top', x: 0, y: 0, width: 40, height: 15 });
  });

  it('gives the same image region for the same object at 4× zoom, panned', () => {
    // Zoom 4× on the image point (100, 75), then pan 50 px right and 30 px down.
    const zoomed = zoomTo(initialViewport(frame), frame, 4, { x: 400 - 100 * (4 / 3), y: 100 });
    const vp = panBy(zoomed, frame, 50, 30);
    const t = screenTransform(vp, frame);
    expect(t.scale).toBeCloseTo(16 / 3);
    // Where the image region (90..110, 60..80) is on screen now; dragging exactly over it marks it.
    const onScreen = boxOnScreen({ x: 90, y: 60, width: 20, height: 20 }, t);
    expect(onScreen.width).toBeCloseTo(20 * (16 / 3));
    const mark = markFromDrag('side', { x: onScreen.left + onScreen.width, y: onScreen.top + onScreen.height }, { x: onScreen.left, y: onScreen.top }, t, image);
    expect(mark).toEqual({ view: 'side', x: 90, y: 60, width: 20, height: 20 });
    // And the mark drawn back lands where it was dragged.
    const back = boxOnScreen(mark ?? { x: 0, y: 0, width: 0, height: 0 }, t);
    expect(back.left).toBeCloseTo(onScreen.left);
    expect(back.top).toBeCloseTo(onScreen.top);
  });

  it('rounds outwards to whole pixels, so a mark never misses what was dragged over', () => {
    const t = { scale: 10, tx: 0, ty: 0 };
    expect(markFromDrag('top', { x: 15, y: 25 }, { x: 41, y: 39 }, t, image)).toEqual({ view: 'top', x: 1, y: 2, width: 4, height: 2 });
  });

  it('clips to the image and ignores clicks and drags off the image', () => {
    const t = screenTransform(initialViewport(frame), frame);
    // From the grey margin left of the image into it: starts at column 0.
    expect(markFromDrag('top', { x: 10, y: 10 }, { x: 200, y: 50 }, t, image)).toMatchObject({ x: 0, y: 7 });
    // Past the bottom-right corner: ends at the image's edge.
    const m = markFromDrag('top', { x: 600, y: 300 }, { x: 790, y: 399 }, t, image);
    expect(m && m.x + m.width).toBe(400);
    expect(m && m.y + m.height).toBeLessThanOrEqual(300);
    expect(markFromDrag('top', { x: 300, y: 100 }, { x: 304, y: 180 }, t, image)).toBeNull(); // 4 px wide: a click
    expect(markFromDrag('top', { x: 0, y: 0 }, { x: 120, y: 300 }, t, image)).toBeNull(); // wholly in the margin
  });
});
