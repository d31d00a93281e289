import { describe, expect, it } from 'vitest';
import { AIR_MAX_U16, IMPENETRABLE } from './dual-energy.ts';
import { DEFAULT_IMAGE_SETTINGS, DENSE_MIN, toolParameters } from './settings.ts';
import { FULLSCREEN_VERTEX_SHADER, TOOL_FRAGMENT_SHADER, TOOL_SAMPLERS, glslFloat, toolUniforms } from './shaders.ts';
import { EDGE_GAIN, PALE, SLICE_FADE } from './tools.ts';

describe('tool shader source', () => {
  it('is GLSL ES 3.00', () => {
    expect(TOOL_FRAGMENT_SHADER.startsWith('#version 300 es\n')).toBe(true);
    expect(FULLSCREEN_VERTEX_SHADER.startsWith('#version 300 es\n')).toBe(true);
    expect(TOOL_FRAGMENT_SHADER).not.toContain('${');
  });

  it('declares every uniform the renderers set, with the type they set it as', () => {
    const glslType = { int: 'int', bool: 'bool', uint: 'uint', float: 'float', ivec2: 'ivec2' } as const;
    for (const u of toolUniforms(toolParameters(DEFAULT_IMAGE_SETTINGS, false), 4, 3)) {
      expect(TOOL_FRAGMENT_SHADER).toMatch(new RegExp(`uniform ${glslType[u.type]} ${u.name};`));
    }
    for (const name of Object.keys(TOOL_SAMPLERS)) expect(TOOL_FRAGMENT_SHADER).toContain(`uniform usampler2D ${name};`);
  });

  it('carries the CPU reference constants', () => {
    expect(TOOL_FRAGMENT_SHADER).toContain(`const uint IMPENETRABLE = ${IMPENETRABLE}u;`);
    expect(TOOL_FRAGMENT_SHADER).toContain(`const uint AIR_MAX = ${AIR_MAX_U16}u;`);
    expect(TOOL_FRAGMENT_SHADER).toContain(`const uint DENSE_MIN = ${DENSE_MIN}u;`);
    expect(TOOL_FRAGMENT_SHADER).toContain(`const float PALE = ${glslFloat(PALE)};`);
    expect(TOOL_FRAGMENT_SHADER).toContain(`const float SLICE_FADE = ${glslFloat(SLICE_FADE)};`);
    expect(TOOL_FRAGMENT_SHADER).toContain(`const float EDGE_STEP = ${glslFloat(EDGE_GAIN / 2048)};`);
    expect(TOOL_FRAGMENT_SHADER).toContain('l * 10u < h * 13u');
    expect(TOOL_FRAGMENT_SHADER).toContain('l * 4u < h * 7u');
  });

  it('writes float literals with a decimal point', () => {
    expect(glslFloat(1)).toBe('1.0');
    expect(glslFloat(0.5)).toBe('0.5');
    expect(glslFloat(8192)).toBe('8192.0');
    expect(() => glslFloat(Number.NaN)).toThrow(RangeError);
  });

  it('turns single-energy views into grayscale without strips', () => {
    const u = Object.fromEntries(toolUniforms(toolParameters({ ...DEFAULT_IMAGE_SETTINGS, strip: 'organic' }, true), 4, 3).map((x) => [x.name, x.value]));
    expect(u).toMatchObject({ u_mode: 1, u_single: 1, u_strip: 0, u_size: [4, 3] });
  });
});
