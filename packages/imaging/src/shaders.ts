/**
 * GLSL ES 3.00 (WebGL2) source of the image tools: the same steps, in the same order and with
 * the same constants, as the CPU reference in `tools.ts` (read its header for the steps). The
 * constants are written into the source from the TypeScript ones, so the two cannot drift apart.
 *
 * Inputs: the low- and high-energy images as R16UI textures (texelFetch, no filtering); for a
 * single-energy view bind the high image to both and set `u_single`. Output: one RGBA8 texel
 * per image pixel; draw the full-screen triangle of TOOL_VERTEX_SHADER into a framebuffer of
 * exactly width × height, framebuffer row y = image row y (row 0 = top of the image, so
 * readPixels returns the rows in the same order as the CPU reference).
 */
import { AIR_MAX_U16, ATTENUATION_SCALE, IMPENETRABLE, RATIO_INORGANIC_DEN, RATIO_INORGANIC_NUM, RATIO_ORGANIC_DEN, RATIO_ORGANIC_NUM } from './dual-energy.ts';
import { DENSE_MIN, type ToolParameters } from './settings.ts';
import {
  CLASS_AIR, CLASS_IMPENETRABLE, CLASS_INORGANIC, CLASS_METAL, CLASS_ORGANIC, CLASS_UNKNOWN, EDGE_GAIN, FINE_STEPS, FLOOR, MARK_A, MARK_B,
  MARK_PERIOD, PALE, SLICE_FADE, TOOL_HUES,
} from './tools.ts';

/** A GLSL float literal (always with a decimal point). */
export function glslFloat(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

const vec3 = (c: readonly number[]): string => `vec3(${c.map(glslFloat).join(', ')})`;
const hue = (i: number): string => vec3(TOOL_HUES[i] ?? [1, 1, 1]);

/** Full-screen triangle without vertex buffers (gl_VertexID 0, 1, 2). */
export const FULLSCREEN_VERTEX_SHADER = `#version 300 es
void main() {
  vec2 corner = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
  gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0);
}
`;

export const TOOL_VERTEX_SHADER = FULLSCREEN_VERTEX_SHADER;

export const TOOL_FRAGMENT_SHADER = `#version 300 es
precision highp float;
precision highp int;
precision highp usampler2D;

uniform usampler2D u_low;
uniform usampler2D u_high;
uniform ivec2 u_size;
uniform int u_mode;        // 0 colour, 1 grayscale
uniform bool u_single;     // single-energy view: no material classes
uniform int u_strip;       // 0 none, 1 organic (OS), 2 inorganic + metal (IS/MS)
uniform bool u_slice;
uniform uint u_sliceLo;    // inclusive window on the raw high-energy value
uniform uint u_sliceHi;
uniform bool u_edge;
uniform bool u_inverse;
uniform bool u_mark;
uniform float u_exponent;  // v = exp(-a * exponent)

out vec4 o_colour;

const uint IMPENETRABLE = ${IMPENETRABLE}u;
const uint AIR_MAX = ${AIR_MAX_U16}u;
const uint DENSE_MIN = ${DENSE_MIN}u;
const float SCALE = ${glslFloat(ATTENUATION_SCALE)};
const float PALE = ${glslFloat(PALE)};
const float FLOOR = ${glslFloat(FLOOR)};
const float SLICE_FADE = ${glslFloat(SLICE_FADE)};
const float EDGE_STEP = ${glslFloat(EDGE_GAIN / 2048)};
const float FINE_STEPS = ${glslFloat(FINE_STEPS)};
const float FINE_SCALE = ${glslFloat(255 * FINE_STEPS)};
const vec3 HUE_ORGANIC = ${hue(0)};
const vec3 HUE_INORGANIC = ${hue(1)};
const vec3 HUE_METAL = ${hue(2)};
const vec3 MARK_A = ${vec3(MARK_A)};
const vec3 MARK_B = ${vec3(MARK_B)};

int classOf(uint l, uint h) {
  if (h >= IMPENETRABLE || (!u_single && l >= IMPENETRABLE)) return ${CLASS_IMPENETRABLE};
  if (h <= AIR_MAX) return ${CLASS_AIR};
  if (u_single) return ${CLASS_UNKNOWN};
  if (l * ${RATIO_ORGANIC_DEN}u < h * ${RATIO_ORGANIC_NUM}u) return ${CLASS_ORGANIC};
  if (l * ${RATIO_INORGANIC_DEN}u < h * ${RATIO_INORGANIC_NUM}u) return ${CLASS_INORGANIC};
  return ${CLASS_METAL};
}

uint highAt(ivec2 p) { return texelFetch(u_high, p, 0).r; }
uint lowAt(ivec2 p) { return u_single ? texelFetch(u_high, p, 0).r : texelFetch(u_low, p, 0).r; }

// Steps 1-5: the colour, 0-1 per channel, before quantisation.
vec3 baseColour(ivec2 p) {
  uint h = highAt(p);
  int cls = classOf(lowAt(p), h);
  float v = exp(-(float(h) / SCALE) * u_exponent);
  vec3 c;
  bool stripped = (u_strip == 1 && cls == ${CLASS_ORGANIC}) || (u_strip == 2 && (cls == ${CLASS_INORGANIC} || cls == ${CLASS_METAL}));
  if (stripped) {
    c = vec3(1.0);
  } else if (cls == ${CLASS_IMPENETRABLE}) {
    c = vec3(0.0);
  } else if (u_mode == 0 && cls >= ${CLASS_ORGANIC} && cls <= ${CLASS_METAL}) {
    vec3 hue = cls == ${CLASS_ORGANIC} ? HUE_ORGANIC : (cls == ${CLASS_INORGANIC} ? HUE_INORGANIC : HUE_METAL);
    float w = PALE * v * v;
    float k = FLOOR + (1.0 - FLOOR) * v;
    c = (hue * (1.0 - w) + w) * k;
  } else {
    c = vec3(v);
  }
  if (u_slice && (h < u_sliceLo || h > u_sliceHi)) c += (1.0 - c) * SLICE_FADE;
  return c;
}

// Step 7 works on colours in 1/256 of a grey level, so a rounding difference is never amplified.
vec3 fine(vec3 c) { return floor(c * FINE_SCALE + 0.5); }
float luma(vec3 f) { return 77.0 * f.r + 150.0 * f.g + 29.0 * f.b; }

void main() {
  ivec2 p = ivec2(gl_FragCoord.xy);
  vec3 c = baseColour(p);
  vec3 q;
  if (u_edge) {
    ivec2 last = u_size - 1;
    vec3 f = fine(c);
    float sum = 0.0;
    for (int dy = -1; dy <= 1; dy++) {
      for (int dx = -1; dx <= 1; dx++) {
        if (dx == 0 && dy == 0) continue;
        sum += luma(fine(baseColour(clamp(p + ivec2(dx, dy), ivec2(0), last))));
      }
    }
    float delta = (8.0 * luma(f) - sum) * EDGE_STEP;
    q = clamp(floor((f + delta) / FINE_STEPS + 0.5), 0.0, 255.0);
  } else {
    q = floor(c * 255.0 + 0.5);
  }
  if (u_inverse) q = 255.0 - q;
  if (u_mark) {
    uint h = highAt(p);
    if (h >= DENSE_MIN || (!u_single && lowAt(p) >= IMPENETRABLE)) {
      q = ((p.x + p.y) % ${MARK_PERIOD}) < ${MARK_PERIOD / 2} ? MARK_A : MARK_B;
    }
  }
  o_colour = vec4(q / 255.0, 1.0);
}
`;

export type UniformValue =
  | { readonly name: string; readonly type: 'int' | 'bool' | 'uint'; readonly value: number }
  | { readonly name: string; readonly type: 'float'; readonly value: number }
  | { readonly name: string; readonly type: 'ivec2'; readonly value: readonly [number, number] };

/** The tool shader's uniforms (all but the two samplers) for one view and one set of parameters. */
export function toolUniforms(p: ToolParameters, width: number, height: number): UniformValue[] {
  return [
    { name: 'u_size', type: 'ivec2', value: [width, height] },
    { name: 'u_mode', type: 'int', value: p.mode },
    { name: 'u_single', type: 'bool', value: p.singleEnergy ? 1 : 0 },
    { name: 'u_strip', type: 'int', value: p.strip },
    { name: 'u_slice', type: 'bool', value: p.slice ? 1 : 0 },
    { name: 'u_sliceLo', type: 'uint', value: p.sliceLo },
    { name: 'u_sliceHi', type: 'uint', value: p.sliceHi },
    { name: 'u_edge', type: 'bool', value: p.edge ? 1 : 0 },
    { name: 'u_inverse', type: 'bool', value: p.inverse ? 1 : 0 },
    { name: 'u_mark', type: 'bool', value: p.mark ? 1 : 0 },
    { name: 'u_exponent', type: 'float', value: p.exponent },
  ];
}

/** Sampler uniforms of the tool shader and the texture units they read. */
export const TOOL_SAMPLERS = { u_low: 0, u_high: 1 } as const;
