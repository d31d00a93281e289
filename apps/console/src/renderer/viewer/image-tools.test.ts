import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_SETTINGS } from '@clearway/imaging';
import type { ToolCommand } from '../keys.ts';
import { INITIAL_TOOLS, type ToolState, applyTool, toolsChanged, viewportOf, withFrame, withViewport } from './image-tools.ts';
import { applyToolCommand, reportFrame, setViewport, toolsOf, useImageTools } from './image-tools-store.ts';

const frame = { imageWidth: 400, imageHeight: 300, elementWidth: 600, elementHeight: 450 };
const framed = withFrame(withFrame(INITIAL_TOOLS, 'top', frame), 'side', { ...frame, imageHeight: 200 });
const run = (state: ToolState, ...commands: ToolCommand[]) => commands.reduce(applyTool, state);

describe('image tool commands', () => {
  it('toggle and adjust the settings', () => {
    const s = run(framed, 'mode-grayscale', 'inverse', 'edge', 'strip-organic', 'slice', 'slice-up', 'slice-widen', 'mark', 'brighter', 'brighter', 'darker').settings;
    expect(s).toEqual({
      mode: 'grayscale', inverse: true, edge: true, strip: 'organic', slice: { enabled: true, lo: 1, hi: 2.5 }, markImpenetrable: true, brightness: 1,
    });
    expect(run(framed, 'strip-organic', 'strip-inorganic').settings.strip).toBe('inorganic');
    expect(run(framed, 'inverse', 'inverse').settings.inverse).toBe(false);
  });

  it('zoom every view by keys, up to 16×, and fit again on 0', () => {
    const eight = run(framed, 'zoom-in', 'zoom-in', 'zoom-in', 'zoom-in', 'zoom-in', 'zoom-in');
    expect(viewportOf(eight, 'top')?.zoom).toBe(8);
    expect(viewportOf(eight, 'side')?.zoom).toBe(8);
    expect(viewportOf(run(eight, ...Array<ToolCommand>(10).fill('zoom-in')), 'top')?.zoom).toBe(16);
    const fitted = run(eight, 'zoom-reset');
    expect(viewportOf(fitted, 'top')).toEqual({ zoom: 1, cx: 200, cy: 150 });
  });

  it('pan zoomed views with the arrows, inside the image', () => {
    const zoomed = run(framed, 'zoom-in', 'zoom-in');
    const centre = viewportOf(zoomed, 'top');
    const left = viewportOf(run(zoomed, 'pan-left'), 'top');
    expect(left?.cx).toBeLessThan(centre?.cx ?? 0);
    const far = viewportOf(run(zoomed, ...Array<ToolCommand>(50).fill('pan-right')), 'top');
    // Zoom 2 in a 600 px element at fit 1.5: 200 image pixels visible, so the centre stops at 300.
    expect(far?.cx).toBeCloseTo(300);
    expect(viewportOf(run(zoomed, 'pan-up'), 'top')?.cy).toBeLessThan(centre?.cy ?? 0);
  });

  it('reset puts every tool back, the boxes on, and keeps the measured frames', () => {
    const busy = run(framed, 'edge', 'mark', 'zoom-in', 'boxes', 'brighter');
    expect(toolsChanged(busy)).toBe(true);
    expect(busy.showBoxes).toBe(false);
    const reset = run(busy, 'reset');
    expect(reset.settings).toEqual(DEFAULT_IMAGE_SETTINGS);
    expect(reset.showBoxes).toBe(true);
    expect(reset.viewports).toEqual({});
    expect(reset.frames).toEqual(framed.frames);
    expect(toolsChanged(reset)).toBe(false);
    expect(toolsChanged(run(framed, 'inverse', 'inverse'))).toBe(false);
  });

  it('ignores the help keys (the workspace handles them)', () => {
    expect(run(framed, 'help', 'close-help')).toBe(framed);
  });

  it('keeps a viewport set by the mouse', () => {
    const vp = { zoom: 3, cx: 100, cy: 100 };
    expect(withViewport(framed, 'top', vp).viewports.top).toEqual(vp);
  });
});

describe('image tools store', () => {
  it('gives every new assignment the initial tools, whatever the last one had', () => {
    reportFrame('a1', 'top', frame);
    applyToolCommand('a1', 'inverse');
    applyToolCommand('a1', 'zoom-in');
    setViewport('a1', 'top', { zoom: 8, cx: 10, cy: 10 });
    const a1 = toolsOf(useImageTools.getState(), 'a1');
    expect(a1.settings.inverse).toBe(true);
    expect(viewportOf(a1, 'top')?.zoom).toBe(8);
    // The next bag: nothing carried over, before and after it changes anything itself.
    expect(toolsOf(useImageTools.getState(), 'a2')).toBe(INITIAL_TOOLS);
    reportFrame('a2', 'top', frame);
    const a2 = toolsOf(useImageTools.getState(), 'a2');
    expect(a2.settings).toEqual(DEFAULT_IMAGE_SETTINGS);
    expect(viewportOf(a2, 'top')?.zoom).toBe(1);
    expect(a2.showBoxes).toBe(true);
    // The old assignment's tools are gone for good.
    expect(toolsOf(useImageTools.getState(), 'a1')).toBe(INITIAL_TOOLS);
  });
});
