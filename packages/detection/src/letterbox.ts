/** Where the source image sits inside the model's input: scale, then padding on the left and top. */
export interface Letterbox {
  scale: number;
  padX: number;
  padY: number;
  srcWidth: number;
  srcHeight: number;
  dstWidth: number;
  dstHeight: number;
}

/** Ultralytics pads with grey 114 (of 255). */
export const PAD_VALUE = 114;

/**
 * Letterbox geometry as Ultralytics computes it: one scale that fits the whole image, the resized
 * image centred, the odd pixel of padding going right/bottom (the ±0.1 rounding of LetterBox).
 */
export function letterboxGeometry(srcWidth: number, srcHeight: number, dstWidth: number, dstHeight: number): Letterbox & { newWidth: number; newHeight: number } {
  if (!(srcWidth > 0 && srcHeight > 0 && dstWidth > 0 && dstHeight > 0)) {
    throw new RangeError(`image sizes must be positive: ${srcWidth}×${srcHeight} into ${dstWidth}×${dstHeight}`);
  }
  const scale = Math.min(dstWidth / srcWidth, dstHeight / srcHeight);
  const newWidth = Math.min(dstWidth, Math.max(1, Math.round(srcWidth * scale)));
  const newHeight = Math.min(dstHeight, Math.max(1, Math.round(srcHeight * scale)));
  // max(0, …): no padding rounds to -0, which would show up in JSON and equality checks.
  const padX = Math.max(0, Math.round((dstWidth - newWidth) / 2 - 0.1));
  const padY = Math.max(0, Math.round((dstHeight - newHeight) / 2 - 0.1));
  return { scale, padX, padY, srcWidth, srcHeight, dstWidth, dstHeight, newWidth, newHeight };
}

/**
 * RGBA (4) or RGB (3) bytes → float32 NCHW [1, 3, H, W], RGB / 255, letterboxed: resized with
 * bilinear sampling at pixel centres (as OpenCV's INTER_LINEAR and PyTorch's
 * `interpolate(align_corners=False)` do), padded with grey 114. Alpha is ignored. `out` is
 * reused when given (3·W·H floats) to spare the garbage collector one array per bag.
 */
export function letterbox(
  pixels: Uint8Array | Uint8ClampedArray, srcWidth: number, srcHeight: number, channels: 3 | 4,
  dstWidth: number, dstHeight: number, out?: Float32Array,
): { input: Float32Array; box: Letterbox } {
  if (channels !== 3 && channels !== 4) throw new RangeError(`channels must be 3 (RGB) or 4 (RGBA), got ${String(channels)}`);
  if (pixels.length < srcWidth * srcHeight * channels) {
    throw new RangeError(`${pixels.length} bytes are too few for a ${srcWidth}×${srcHeight} image with ${channels} channels`);
  }
  const g = letterboxGeometry(srcWidth, srcHeight, dstWidth, dstHeight);
  const plane = dstWidth * dstHeight;
  const input = out ?? new Float32Array(3 * plane);
  if (input.length !== 3 * plane) throw new RangeError(`out has ${input.length} floats; ${dstWidth}×${dstHeight} needs ${3 * plane}`);
  input.fill(PAD_VALUE / 255);

  // Per destination column: the two source columns and the weight of the second (precomputed once).
  const sx = srcWidth / g.newWidth;
  const sy = srcHeight / g.newHeight;
  const x0s = new Int32Array(g.newWidth);
  const x1s = new Int32Array(g.newWidth);
  const wxs = new Float32Array(g.newWidth);
  for (let x = 0; x < g.newWidth; x++) {
    const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), srcWidth - 1);
    const x0 = Math.floor(fx);
    x0s[x] = x0 * channels;
    x1s[x] = Math.min(x0 + 1, srcWidth - 1) * channels;
    wxs[x] = fx - x0;
  }
  const inv = 1 / 255;
  for (let y = 0; y < g.newHeight; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), srcHeight - 1);
    const y0 = Math.floor(fy);
    const wy = fy - y0;
    const row0 = y0 * srcWidth * channels;
    const row1 = Math.min(y0 + 1, srcHeight - 1) * srcWidth * channels;
    let o = (y + g.padY) * dstWidth + g.padX;
    for (let x = 0; x < g.newWidth; x++, o++) {
      const a = row0 + (x0s[x] as number);
      const b = row0 + (x1s[x] as number);
      const c = row1 + (x0s[x] as number);
      const d = row1 + (x1s[x] as number);
      const wx = wxs[x] as number;
      for (let ch = 0; ch < 3; ch++) {
        const top = (pixels[a + ch] as number) + ((pixels[b + ch] as number) - (pixels[a + ch] as number)) * wx;
        const bottom = (pixels[c + ch] as number) + ((pixels[d + ch] as number) - (pixels[c + ch] as number)) * wx;
        input[ch * plane + o] = (top + (bottom - top) * wy) * inv;
      }
    }
  }
  const { newWidth: _w, newHeight: _h, ...box } = g;
  return { input, box };
}

/** A box in model-input pixels back in source-image pixels, clipped to the image. */
export function unletterbox(box: Letterbox, x1: number, y1: number, x2: number, y2: number): { x: number; y: number; width: number; height: number } {
  const clip = (v: number, max: number) => Math.min(Math.max(v, 0), max);
  const left = clip((x1 - box.padX) / box.scale, box.srcWidth);
  const top = clip((y1 - box.padY) / box.scale, box.srcHeight);
  const right = clip((x2 - box.padX) / box.scale, box.srcWidth);
  const bottom = clip((y2 - box.padY) / box.scale, box.srcHeight);
  return { x: left, y: top, width: right - left, height: bottom - top };
}
