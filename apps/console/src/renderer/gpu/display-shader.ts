/**
 * Display pass: the tools' output texture (image size) zoomed and panned onto the canvas.
 * Crisp pixels (texelFetch of the image pixel under the canvas pixel's centre) from
 * NEAREST_FROM_SCALE device pixels per image pixel up; below that trilinear filtering at the
 * level of detail the scale asks for, so a large bag shrunk to fit does not shimmer.
 */
export const DISPLAY_FRAGMENT_SHADER = `#version 300 es
precision highp float;
precision highp int;

uniform sampler2D u_image;     // RGBA8, row 0 = top of the image
uniform vec2 u_imageSize;
uniform vec3 u_transform;      // scale, tx, ty: screen = image * scale + t (device px, top-left origin)
uniform float u_canvasHeight;
uniform bool u_nearest;
uniform float u_lod;
uniform vec3 u_background;

out vec4 o_colour;

void main() {
  vec2 screen = vec2(gl_FragCoord.x, u_canvasHeight - gl_FragCoord.y);
  vec2 p = (screen - u_transform.yz) / u_transform.x;
  vec4 smoothed = textureLod(u_image, p / u_imageSize, u_lod);
  if (p.x < 0.0 || p.y < 0.0 || p.x >= u_imageSize.x || p.y >= u_imageSize.y) {
    o_colour = vec4(u_background, 1.0);
  } else if (u_nearest) {
    o_colour = texelFetch(u_image, ivec2(floor(p)), 0);
  } else {
    o_colour = smoothed;
  }
}
`;
