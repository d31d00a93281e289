/** What both renderers of an X-ray view offer (see view-renderer.ts). */
import type { ImageSettings, ToolImage } from '@clearway/imaging';

export type RendererKind = 'webgl2' | 'cpu';

/** screen = image × scale + (tx, ty), in the canvas's device pixels from its top-left corner. */
export interface DeviceTransform {
  readonly scale: number;
  readonly tx: number;
  readonly ty: number;
}

/** Around the image: a dark grey, so that the white of air shows where the bag ends. */
export const BACKGROUND_RGB: readonly [number, number, number] = [22, 27, 34];

export interface ViewRenderer {
  readonly kind: RendererKind;
  readonly canvas: HTMLCanvasElement;
  readonly image: ToolImage;
  /** Runs the tools if the settings differ from the last ones. */
  setSettings(settings: ImageSettings): void;
  /** Draws into a canvas of width × height device pixels. */
  draw(width: number, height: number, transform: DeviceTransform): void;
  /** The tools' output at image resolution: RGBA, row 0 at the top. */
  readNative(): Uint8Array;
  /** The canvas as last drawn: RGBA, row 0 at the top. */
  readDisplay(): Uint8Array;
  dispose(): void;
}
