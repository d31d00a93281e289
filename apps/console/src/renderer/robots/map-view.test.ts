import { describe, expect, it } from 'vitest';
import { finitePoint, headingDegrees, insideBounds, mapTransform, screenRect, screenToWorld, worldToScreen } from './map-view.ts';

const bounds = { minX: 0, minY: 0, maxX: 60, maxY: 36 };

describe('map transform', () => {
  const t = mapTransform(bounds, 10, 5);

  it('sizes the drawing from the bounds, the scale and the margin', () => {
    expect(t.width).toBe(610);
    expect(t.height).toBe(370);
  });

  it('puts north up: the south-west corner is bottom left, the north-east corner top right', () => {
    expect(worldToScreen(t, { x: 0, y: 0 })).toEqual({ x: 5, y: 365 });
    expect(worldToScreen(t, { x: 60, y: 36 })).toEqual({ x: 605, y: 5 });
  });

  it('turns a click back into the same map point', () => {
    for (const p of [{ x: 12.5, y: 3.25 }, { x: 59.9, y: 0.1 }, { x: 30, y: 18 }]) {
      const back = screenToWorld(t, worldToScreen(t, p));
      expect(back.x).toBeCloseTo(p.x, 9);
      expect(back.y).toBeCloseTo(p.y, 9);
    }
  });

  it('works for bounds that do not start at zero', () => {
    const shifted = mapTransform({ minX: -10, minY: 5, maxX: 10, maxY: 15 }, 2);
    expect(worldToScreen(shifted, { x: -10, y: 15 })).toEqual({ x: 0, y: 0 });
    expect(screenToWorld(shifted, { x: 40, y: 20 })).toEqual({ x: 10, y: 5 });
  });

  it('tells a click on the map from a click in the margin', () => {
    expect(insideBounds(bounds, screenToWorld(t, { x: 300, y: 200 }))).toBe(true);
    expect(insideBounds(bounds, screenToWorld(t, { x: 2, y: 200 }))).toBe(false);
    expect(insideBounds(bounds, screenToWorld(t, { x: 300, y: 368 }))).toBe(false);
  });

  it('draws a box from its corners in either order', () => {
    expect(screenRect(t, [9.5, 14], [10.5, 24])).toEqual({ x: 100, y: 125, width: 10, height: 100 });
    expect(screenRect(t, [10.5, 24], [9.5, 14])).toEqual({ x: 100, y: 125, width: 10, height: 100 });
  });

  it('refuses a scale that is not positive', () => {
    expect(() => mapTransform(bounds, 0)).toThrow(RangeError);
    expect(() => mapTransform(bounds, Number.NaN)).toThrow(RangeError);
  });
});

describe('heading', () => {
  it('turns counter-clockwise radians into clockwise screen degrees', () => {
    expect(headingDegrees(0)).toBeCloseTo(0);
    expect(headingDegrees(Math.PI / 2)).toBeCloseTo(-90); // north: up on screen
    expect(headingDegrees(-Math.PI / 2)).toBeCloseTo(90);
  });
});

describe('finitePoint', () => {
  it('keeps finite points and drops NaN, null and missing ones', () => {
    expect(finitePoint({ x: 1, y: 2 })).toEqual({ x: 1, y: 2 });
    expect(finitePoint({ x: Number.NaN, y: 2 })).toBeNull();
    expect(finitePoint({ x: null, y: 2 })).toBeNull();
    expect(finitePoint({ x: 1, y: Infinity })).toBeNull();
    expect(finitePoint(null)).toBeNull();
    expect(finitePoint(undefined)).toBeNull();
  });
});
