import {
  DEFAULT_IMAGE_SETTINGS, FULLSCREEN_VERTEX_SHADER, type ImageSettings, TOOL_FRAGMENT_SHADER, TOOL_SAMPLERS, type ToolImage, type UniformValue, toolParameters, toolUniforms,
} from '@clearway/imaging';
import { NEAREST_FROM_SCALE } from '../viewer/viewport.ts';
import { DISPLAY_FRAGMENT_SHADER } from './display-shader.ts';
import { BACKGROUND_RGB, type DeviceTransform, type ViewRenderer } from './types.ts';

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader | null {
  const shader = gl.createShader(type);
  if (!shader) return null;
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS) && !gl.isContextLost()) {
    console.warn(`WebGL2 shader did not compile: ${gl.getShaderInfoLog(shader) ?? ''}`);
    gl.deleteShader(shader);
    return null;
  }
  return shader;
}

function program(gl: WebGL2RenderingContext, vertex: string, fragment: string): WebGLProgram | null {
  const vs = compile(gl, gl.VERTEX_SHADER, vertex);
  const fs = compile(gl, gl.FRAGMENT_SHADER, fragment);
  const p = gl.createProgram();
  if (!vs || !fs || !p) return null;
  gl.attachShader(p, vs);
  gl.attachShader(p, fs);
  gl.linkProgram(p);
  gl.deleteShader(vs);
  gl.deleteShader(fs);
  if (!gl.getProgramParameter(p, gl.LINK_STATUS)) {
    console.warn(`WebGL2 program did not link: ${gl.getProgramInfoLog(p) ?? ''}`);
    gl.deleteProgram(p);
    return null;
  }
  return p;
}

function setUniform(gl: WebGL2RenderingContext, location: WebGLUniformLocation | null, u: UniformValue): void {
  if (location === null) return;
  switch (u.type) {
    case 'int':
    case 'bool':
      gl.uniform1i(location, u.value);
      break;
    case 'uint':
      gl.uniform1ui(location, u.value);
      break;
    case 'float':
      gl.uniform1f(location, u.value);
      break;
    case 'ivec2':
      gl.uniform2i(location, u.value[0], u.value[1]);
      break;
  }
}

function u16Texture(gl: WebGL2RenderingContext, unit: number, width: number, height: number, data: Uint16Array): WebGLTexture | null {
  const texture = gl.createTexture();
  gl.activeTexture(gl.TEXTURE0 + unit);
  gl.bindTexture(gl.TEXTURE_2D, texture);
  // Integer textures are read with texelFetch only: no filtering.
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
  gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
  gl.texImage2D(gl.TEXTURE_2D, 0, gl.R16UI, width, height, 0, gl.RED_INTEGER, gl.UNSIGNED_SHORT, data);
  return texture;
}

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/** The renderer's name when the "GPU" is emulated on the CPU, otherwise null. */
export function softwareRenderer(gl: WebGL2RenderingContext): string | null {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  const match = SOFTWARE_RENDERERS.exec(name);
  return match ? match[0] : null;
}

/**
 * GPU path: the low and high images as R16UI textures, the tool shader of @clearway/imaging
 * into an RGBA8 texture of the image's size (once per settings change), then a display pass
 * that zooms and pans it onto the canvas (texelFetch when crisp, trilinear mipmaps when smaller).
 */
export class WebGl2ViewRenderer implements ViewRenderer {
  readonly kind = 'webgl2';
  private settings: ImageSettings | null = null;
  private mipmapsValid = false;
  private lost = false;
  private disposed = false;
  private last: { width: number; height: number; transform: DeviceTransform } | null = null;
  private readonly toolLocations: Map<string, WebGLUniformLocation | null>;
  private readonly displayLocations: Record<'image' | 'imageSize' | 'transform' | 'canvasHeight' | 'nearest' | 'background' | 'lod', WebGLUniformLocation | null>;

  /**
   * The GPU renderer, or why not (the caller then draws on the CPU): no WebGL2, an image larger
   * than the GPU's textures, or, unless `allowSoftware`, a software-emulated GPU (SwiftShader,
   * llvmpipe), which runs the tools tens of times slower than the CPU reference does.
   */
  static create(image: ToolImage, onLost: () => void, allowSoftware: boolean): { renderer: WebGl2ViewRenderer } | { refused: string } {
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2', {
      alpha: false, antialias: false, depth: false, stencil: false, premultipliedAlpha: false, preserveDrawingBuffer: false, powerPreference: 'high-performance',
    });
    if (!gl) return { refused: 'this browser offers no WebGL2' };
    const release = () => gl.getExtension('WEBGL_lose_context')?.loseContext();
    const software = softwareRenderer(gl);
    if (software && !allowSoftware) {
      release();
      return { refused: `WebGL2 is software-emulated here (${software}); the CPU is faster` };
    }
    const maxSize = gl.getParameter(gl.MAX_TEXTURE_SIZE) as number;
    if (image.width > maxSize || image.height > maxSize) {
      release();
      return { refused: `this GPU takes textures up to ${maxSize} pixels, the view is ${image.width}×${image.height}` };
    }
    try {
      return { renderer: new WebGl2ViewRenderer(canvas, gl, image, onLost) };
    } catch (error) {
      console.warn('WebGL2 could not be set up; drawing on the CPU', error);
      release();
      return { refused: `WebGL2 could not be set up: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  private readonly tool: WebGLProgram;
  private readonly display: WebGLProgram;
  private readonly vao: WebGLVertexArrayObject;
  private readonly low: WebGLTexture | null;
  private readonly high: WebGLTexture | null;
  private readonly output: WebGLTexture;
  private readonly framebuffer: WebGLFramebuffer;

  private constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly gl: WebGL2RenderingContext,
    readonly image: ToolImage,
    onLost: () => void,
  ) {
    const tool = program(gl, FULLSCREEN_VERTEX_SHADER, TOOL_FRAGMENT_SHADER);
    const display = program(gl, FULLSCREEN_VERTEX_SHADER, DISPLAY_FRAGMENT_SHADER);
    const vao = gl.createVertexArray();
    const output = gl.createTexture();
    const framebuffer = gl.createFramebuffer();
    if (!tool || !display || !vao || !output || !framebuffer) throw new Error('WebGL2 programs or objects could not be created');
    this.tool = tool;
    this.display = display;
    this.vao = vao;
    this.output = output;
    this.framebuffer = framebuffer;

    const { width, height } = image;
    this.high = u16Texture(gl, TOOL_SAMPLERS.u_high, width, height, image.high);
    // A single-energy view binds its high image to both samplers; the shader reads only one.
    this.low = image.low ? u16Texture(gl, TOOL_SAMPLERS.u_low, width, height, image.low) : null;

    gl.activeTexture(gl.TEXTURE0 + 2);
    gl.bindTexture(gl.TEXTURE_2D, output);
    const levels = Math.floor(Math.log2(Math.max(width, height))) + 1;
    gl.texStorage2D(gl.TEXTURE_2D, levels, gl.RGBA8, width, height);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR_MIPMAP_LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, output, 0);
    const status = gl.checkFramebufferStatus(gl.FRAMEBUFFER);
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    if (status !== gl.FRAMEBUFFER_COMPLETE) throw new Error(`framebuffer incomplete (0x${status.toString(16)})`);

    this.toolLocations = new Map();
    for (const u of toolUniforms(toolParameters(DEFAULT_IMAGE_SETTINGS, false), 1, 1)) this.toolLocations.set(u.name, gl.getUniformLocation(tool, u.name));
    gl.useProgram(tool);
    gl.uniform1i(gl.getUniformLocation(tool, 'u_low'), this.low ? TOOL_SAMPLERS.u_low : TOOL_SAMPLERS.u_high);
    gl.uniform1i(gl.getUniformLocation(tool, 'u_high'), TOOL_SAMPLERS.u_high);

    const at = (name: string) => gl.getUniformLocation(display, name);
    this.displayLocations = {
      image: at('u_image'), imageSize: at('u_imageSize'), transform: at('u_transform'), canvasHeight: at('u_canvasHeight'),
      nearest: at('u_nearest'), background: at('u_background'), lod: at('u_lod'),
    };

    canvas.addEventListener('webglcontextlost', () => {
      this.lost = true;
      if (!this.disposed) onLost();
    });
  }

  setSettings(settings: ImageSettings): void {
    if (this.settings === settings || this.lost) return;
    this.settings = settings;
    const gl = this.gl;
    const { width, height } = this.image;
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.framebuffer);
    gl.viewport(0, 0, width, height);
    gl.useProgram(this.tool);
    for (const u of toolUniforms(toolParameters(settings, this.image.low === undefined), width, height)) setUniform(gl, this.toolLocations.get(u.name) ?? null, u);
    gl.activeTexture(gl.TEXTURE0 + TOOL_SAMPLERS.u_high);
    gl.bindTexture(gl.TEXTURE_2D, this.high);
    if (this.low) {
      gl.activeTexture(gl.TEXTURE0 + TOOL_SAMPLERS.u_low);
      gl.bindTexture(gl.TEXTURE_2D, this.low);
    }
    gl.bindVertexArray(this.vao);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    this.mipmapsValid = false;
  }

  draw(width: number, height: number, transform: DeviceTransform): void {
    if (this.lost) return;
    this.last = { width, height, transform };
    const gl = this.gl;
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
    const nearest = transform.scale >= NEAREST_FROM_SCALE;
    gl.activeTexture(gl.TEXTURE0 + 2);
    gl.bindTexture(gl.TEXTURE_2D, this.output);
    if (transform.scale < 1 && !this.mipmapsValid) {
      gl.generateMipmap(gl.TEXTURE_2D);
      this.mipmapsValid = true;
    }
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    gl.viewport(0, 0, width, height);
    gl.useProgram(this.display);
    const u = this.displayLocations;
    gl.uniform1i(u.image, 2);
    gl.uniform2f(u.imageSize, this.image.width, this.image.height);
    gl.uniform3f(u.transform, transform.scale, transform.tx, transform.ty);
    gl.uniform1f(u.canvasHeight, height);
    gl.uniform1i(u.nearest, nearest ? 1 : 0);
    gl.uniform1f(u.lod, transform.scale < 1 && this.mipmapsValid ? Math.log2(1 / transform.scale) : 0);
    gl.uniform3f(u.background, BACKGROUND_RGB[0] / 255, BACKGROUND_RGB[1] / 255, BACKGROUND_RGB[2] / 255);
    gl.bindVertexArray(this.vao);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
  }

  readNative(): Uint8Array {
    const gl = this.gl;
    const { width, height } = this.image;
    const out = new Uint8Array(width * height * 4);
    gl.bindFramebuffer(gl.FRAMEBUFFER, this.framebuffer);
    gl.pixelStorei(gl.PACK_ALIGNMENT, 1);
    // Framebuffer row y holds image row y: the rows come back in image order.
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, out);
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    return out;
  }

  readDisplay(): Uint8Array {
    const gl = this.gl;
    // The drawing buffer is only kept until the frame is shown: draw again, then read at once.
    if (this.last) this.draw(this.last.width, this.last.height, this.last.transform);
    const { width, height } = this.canvas;
    const bottomUp = new Uint8Array(width * height * 4);
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    gl.pixelStorei(gl.PACK_ALIGNMENT, 1);
    gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, bottomUp);
    const out = new Uint8Array(bottomUp.length);
    const row = width * 4;
    for (let y = 0; y < height; y++) out.set(bottomUp.subarray((height - 1 - y) * row, (height - y) * row), y * row);
    return out;
  }

  dispose(): void {
    const gl = this.gl;
    this.disposed = true;
    if (!this.lost) {
      gl.deleteTexture(this.low);
      gl.deleteTexture(this.high);
      gl.deleteTexture(this.output);
      gl.deleteFramebuffer(this.framebuffer);
      gl.deleteProgram(this.tool);
      gl.deleteProgram(this.display);
      gl.deleteVertexArray(this.vao);
    }
    this.lost = true;
    this.canvas.remove();
    // Browsers keep only a handful of WebGL contexts: give this one back now, not at garbage collection.
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}
