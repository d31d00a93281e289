/**
 * The state of the officer's image tools for the bag on screen, and what each tool command
 * does to it. Pure: the store (image-tools-store.ts) keys it by assignment, so that every tool,
 * zoom included, starts afresh with the next bag.
 */
import {
  DEFAULT_IMAGE_SETTINGS, type ImageSettings, isDefaultSettings, moveSliceWindow, resizeSliceWindow, stepBrightness, toggleEdge, toggleInverse,
  toggleMarkImpenetrable, toggleSlice, toggleStrip, withMode,
} from '@clearway/imaging';
import type { ViewName } from '@clearway/protocol';
import type { ToolCommand } from '../keys.ts';
import { type ViewFrame, type Viewport, clampViewport, initialViewport, panBy, steppedZoom, zoomTo } from './viewport.ts';

export interface ToolState {
  readonly settings: ImageSettings;
  /** Per view; absent = zoom 1, centred. */
  readonly viewports: Readonly<Partial<Record<ViewName, Viewport>>>;
  /** Per view, as last measured on screen (needed to clamp zoom and pan). */
  readonly frames: Readonly<Partial<Record<ViewName, ViewFrame>>>;
  /** The machine's detection boxes. */
  readonly showBoxes: boolean;
}

export const INITIAL_TOOLS: ToolState = Object.freeze({
  settings: DEFAULT_IMAGE_SETTINGS,
  viewports: Object.freeze({}),
  frames: Object.freeze({}),
  showBoxes: true,
});

/** Arrow keys move the picture by this share of the view's size. */
export const PAN_FRACTION = 0.15;

export function viewportOf(state: ToolState, view: ViewName): Viewport | undefined {
  const frame = state.frames[view];
  const vp = state.viewports[view];
  if (!frame) return vp;
  return clampViewport(vp ?? initialViewport(frame), frame);
}

function eachView(state: ToolState, change: (vp: Viewport, frame: ViewFrame) => Viewport): ToolState {
  const viewports: Partial<Record<ViewName, Viewport>> = { ...state.viewports };
  for (const view of Object.keys(state.frames) as ViewName[]) {
    const frame = state.frames[view];
    if (!frame) continue;
    viewports[view] = change(clampViewport(state.viewports[view] ?? initialViewport(frame), frame), frame);
  }
  return { ...state, viewports };
}

const settingsChange = (state: ToolState, change: (s: ImageSettings) => ImageSettings): ToolState => ({ ...state, settings: change(state.settings) });

/** Applies one tool command. `help`/`close-help` belong to the workspace and change nothing here. */
export function applyTool(state: ToolState, command: ToolCommand): ToolState {
  switch (command) {
    case 'mode-colour':
      return settingsChange(state, (s) => withMode(s, 'colour'));
    case 'mode-grayscale':
      return settingsChange(state, (s) => withMode(s, 'grayscale'));
    case 'inverse':
      return settingsChange(state, toggleInverse);
    case 'edge':
      return settingsChange(state, toggleEdge);
    case 'strip-organic':
      return settingsChange(state, (s) => toggleStrip(s, 'organic'));
    case 'strip-inorganic':
      return settingsChange(state, (s) => toggleStrip(s, 'inorganic'));
    case 'slice':
      return settingsChange(state, toggleSlice);
    case 'slice-down':
      return settingsChange(state, (s) => moveSliceWindow(s, -1));
    case 'slice-up':
      return settingsChange(state, (s) => moveSliceWindow(s, 1));
    case 'slice-narrow':
      return settingsChange(state, (s) => resizeSliceWindow(s, -1));
    case 'slice-widen':
      return settingsChange(state, (s) => resizeSliceWindow(s, 1));
    case 'mark':
      return settingsChange(state, toggleMarkImpenetrable);
    case 'brighter':
      return settingsChange(state, (s) => stepBrightness(s, 1));
    case 'darker':
      return settingsChange(state, (s) => stepBrightness(s, -1));
    case 'zoom-in':
      return eachView(state, (vp, frame) => zoomTo(vp, frame, steppedZoom(vp.zoom, 1)));
    case 'zoom-out':
      return eachView(state, (vp, frame) => zoomTo(vp, frame, steppedZoom(vp.zoom, -1)));
    case 'zoom-reset':
      return { ...state, viewports: {} };
    case 'pan-left':
      return eachView(state, (vp, frame) => panBy(vp, frame, frame.elementWidth * PAN_FRACTION, 0));
    case 'pan-right':
      return eachView(state, (vp, frame) => panBy(vp, frame, -frame.elementWidth * PAN_FRACTION, 0));
    case 'pan-up':
      return eachView(state, (vp, frame) => panBy(vp, frame, 0, frame.elementHeight * PAN_FRACTION));
    case 'pan-down':
      return eachView(state, (vp, frame) => panBy(vp, frame, 0, -frame.elementHeight * PAN_FRACTION));
    case 'boxes':
      return { ...state, showBoxes: !state.showBoxes };
    case 'reset':
      // Everything but what was measured on screen.
      return { ...INITIAL_TOOLS, frames: state.frames };
    case 'help':
    case 'close-help':
      return state;
  }
}

export function withFrame(state: ToolState, view: ViewName, frame: ViewFrame): ToolState {
  const old = state.frames[view];
  if (old && old.imageWidth === frame.imageWidth && old.imageHeight === frame.imageHeight && old.elementWidth === frame.elementWidth && old.elementHeight === frame.elementHeight) {
    return state;
  }
  return { ...state, frames: { ...state.frames, [view]: frame } };
}

export function withViewport(state: ToolState, view: ViewName, viewport: Viewport): ToolState {
  return { ...state, viewports: { ...state.viewports, [view]: viewport } };
}

/** True when any tool differs from what a new bag starts with (the reset key has something to do). */
export function toolsChanged(state: ToolState): boolean {
  return !isDefaultSettings(state.settings) || Object.values(state.viewports).some((vp) => vp.zoom !== 1) || !state.showBoxes;
}
