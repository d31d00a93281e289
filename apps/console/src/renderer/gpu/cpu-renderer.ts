import { type ImageSettings, type ToolImage, renderView } from '@clearway/imaging';
import { NEAREST_FROM_SCALE } from '../viewer/viewport.ts';
import { BACKGROUND_RGB, type DeviceTransform, type ViewRenderer } from './types.ts';

/** The fallback: the CPU reference of the tools, drawn on a 2D canvas. */
export class CpuViewRenderer implements ViewRenderer {
  readonly kind = 'cpu';
  readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private readonly source: HTMLCanvasElement;
  private readonly sourceContext: CanvasRenderingContext2D;
  private readonly pixels: ImageData;
  private settings: ImageSettings | null = null;

  constructor(readonly image: ToolImage) {
    this.canvas = document.createElement('canvas');
    const context = this.canvas.getContext('2d', { alpha: false });
    this.source = document.createElement('canvas');
    this.source.width = image.width;
    this.source.height = image.height;
    const sourceContext = this.source.getContext('2d');
    if (!context || !sourceContext) throw new Error('this browser can draw neither WebGL2 nor 2D canvas');
    this.context = context;
    this.sourceContext = sourceContext;
    this.pixels = sourceContext.createImageData(image.width, image.height);
  }

  setSettings(settings: ImageSettings): void {
    if (this.settings === settings) return;
    this.settings = settings;
    renderView(this.image, settings, this.pixels.data);
    this.sourceContext.putImageData(this.pixels, 0, 0);
  }

  draw(width: number, height: number, t: DeviceTransform): void {
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
    const c = this.context;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.fillStyle = `rgb(${BACKGROUND_RGB.join(',')})`;
    c.fillRect(0, 0, width, height);
    c.imageSmoothingEnabled = t.scale < NEAREST_FROM_SCALE;
    c.imageSmoothingQuality = 'high';
    c.setTransform(t.scale, 0, 0, t.scale, t.tx, t.ty);
    c.drawImage(this.source, 0, 0);
    c.setTransform(1, 0, 0, 1, 0, 0);
  }

  readNative(): Uint8Array {
    return new Uint8Array(this.pixels.data);
  }

  readDisplay(): Uint8Array {
    const data = this.context.getImageData(0, 0, this.canvas.width, this.canvas.height).data;
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }

  dispose(): void {
    this.canvas.remove();
    this.canvas.width = 0;
    this.source.width = 0;
  }
}
