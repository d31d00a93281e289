import { type Affine, type Item, type Part, compose, invert } from './geometry.ts';
import { MATERIALS } from './materials.ts';
import { Random } from './prng.ts';

// Projects parts onto the detector: Beer-Lambert needs only Σ μᵢ·tᵢ per pixel and energy, so each
// part adds μ_low·t and μ_high·t to two float images. The top view looks down the z axis through a
// fan beam from a source above the tunnel: a part at height z is magnified across the belt by
// H / (H − z) about the tunnel's centre line (line scanning does not magnify along the belt). The
// side view looks along x; each column of a part's top-down footprint adds its x pitch of path
// length to the side pixels from z − t/2 to z + t/2, collected in per-row difference arrays.

/** Pixel rectangle, half-open: x0 ≤ x < x1, y0 ≤ y < y1. Empty when x1 ≤ x0. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function emptyBox(): PixelBox {
  return { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
}

/** Below this path length (cm) a pixel does not count towards an item's ground-truth box. */
const BOX_MIN_THICKNESS = 0.005;

export interface SceneGeometry {
  /** Top view: pixels across the tunnel, lines along the belt. */
  width: number;
  height: number;
  /** Side view columns (heights above the belt), 0 for no side view. */
  sideWidth: number;
  /** Pixel pitch in cm: across the tunnel (top view columns), along the belt (rows), up (side view columns). */
  pitchX: number;
  pitchY: number;
  pitchZ: number;
  /** X-ray source height above the belt for the top view's fan beam, cm; Infinity for parallel rays. */
  sourceHeight: number;
}

/** Value noise with a few octaves, 256 × 256, wrapping; values roughly in [−1, 1]. */
const TEXTURE = (() => {
  const n = 256;
  const rng = new Random(0x7e47);
  const out = new Float32Array(n * n);
  for (const [cell, weight] of [[32, 0.5], [16, 0.27], [8, 0.15], [4, 0.08]] as const) {
    const g = n / cell;
    const grid = new Float32Array(g * g);
    for (let i = 0; i < grid.length; i++) grid[i] = rng.next() * 2 - 1;
    for (let y = 0; y < n; y++) {
      const gy = y / cell;
      const y0 = Math.floor(gy);
      const fy = gy - y0;
      const sy = fy * fy * (3 - 2 * fy);
      const j0 = (y0 % g) * g;
      const j1 = ((y0 + 1) % g) * g;
      for (let x = 0; x < n; x++) {
        const gx = x / cell;
        const x0 = Math.floor(gx);
        const fx = gx - x0;
        const sx = fx * fx * (3 - 2 * fx);
        const i0 = x0 % g;
        const i1 = (x0 + 1) % g;
        const top = (grid[j0 + i0] as number) * (1 - sx) + (grid[j0 + i1] as number) * sx;
        const bottom = (grid[j1 + i0] as number) * (1 - sx) + (grid[j1 + i1] as number) * sx;
        out[y * n + x] = (out[y * n + x] as number) + weight * 2 * (top * (1 - sy) + bottom * sy);
      }
    }
  }
  return out;
})();

export class SceneRenderer {
  readonly topLow: Float32Array;
  readonly topHigh: Float32Array;
  private readonly sideDiffLow: Float32Array | null;
  private readonly sideDiffHigh: Float32Array | null;
  /** Path lengths of the part being drawn, at the pixels its spans cover. */
  private readonly thick: Float32Array;
  private spanBuf = new Int32Array(3 * 1024);
  private flat = true;
  private edges = new Float64Array(256);
  private crossings = new Float64Array(64);
  /** Pixels of the top view that anything touched: the detector need not look elsewhere. */
  readonly extent: PixelBox = emptyBox();

  constructor(readonly geometry: SceneGeometry) {
    const { width, height, sideWidth } = geometry;
    this.topLow = new Float32Array(width * height);
    this.topHigh = new Float32Array(width * height);
    this.sideDiffLow = sideWidth > 0 ? new Float32Array((sideWidth + 1) * height) : null;
    this.sideDiffHigh = sideWidth > 0 ? new Float32Array((sideWidth + 1) * height) : null;
    this.thick = new Float32Array(width * height);
  }

  /** Adds an item to both views; with `boxes`, also its footprint per view (threat ground truth). */
  addItem(item: Item, boxes?: { top: PixelBox; side: PixelBox }): void {
    const { pitchX, pitchY, sourceHeight, width } = this.geometry;
    const xc = (width * pitchX) / 2;
    const scale: Affine = [1 / pitchX, 0, 0, 1 / pitchY, 0, 0];
    for (const p of item.parts) {
      const zMid = item.z + p.z;
      const world = compose(item.at, p.at);
      const m = Number.isFinite(sourceHeight) ? sourceHeight / Math.max(1, sourceHeight - zMid) : 1;
      const fan: Affine = [m, 0, 0, 1, xc * (1 - m), 0];
      const track = boxes !== undefined && p.sign !== -1;
      this.drawTop(p, compose(scale, compose(fan, world)), track ? boxes.top : null);
      if (this.sideDiffLow) this.drawSide(p, compose(scale, world), zMid, track ? boxes.side : null);
    }
  }

  /** The side view's accumulated images (sideWidth × height), from the difference arrays. */
  sideImages(): { low: Float32Array; high: Float32Array; extent: PixelBox } | null {
    const { sideWidth: sw, height } = this.geometry;
    if (!this.sideDiffLow || !this.sideDiffHigh) return null;
    const low = new Float32Array(sw * height);
    const high = new Float32Array(sw * height);
    const extent = emptyBox();
    for (let r = 0; r < height; r++) {
      let l = 0;
      let h = 0;
      const d = r * (sw + 1);
      const o = r * sw;
      for (let k = 0; k < sw; k++) {
        l += this.sideDiffLow[d + k] ?? 0;
        h += this.sideDiffHigh[d + k] ?? 0;
        // Float sums of + and − drift a hair below zero where nothing is.
        low[o + k] = l > 1e-6 ? l : 0;
        high[o + k] = h > 1e-6 ? h : 0;
        if (l > 1e-6 || h > 1e-6) {
          if (k < extent.x0) extent.x0 = k;
          if (k + 1 > extent.x1) extent.x1 = k + 1;
          if (r < extent.y0) extent.y0 = r;
          if (r + 1 > extent.y1) extent.y1 = r + 1;
        }
      }
    }
    return { low, high, extent };
  }

  private drawTop(p: Part, toPixels: Affine, box: PixelBox | null): void {
    const spans = this.scan(p, toPixels);
    if (spans === 0) return;
    const material = MATERIALS[p.material];
    const sign = p.sign ?? 1;
    const mL = material.low * sign;
    const mH = material.high * sign;
    const { width } = this.geometry;
    const low = this.topLow;
    const high = this.topHigh;
    const sp = this.spanBuf;
    const t = this.thick;
    const flat = this.flat;
    const aL = mL * p.thickness;
    const aH = mH * p.thickness;
    for (let s = 0; s < spans * 3; s += 3) {
      const r = sp[s] as number;
      const c0 = sp[s + 1] as number;
      const c1 = sp[s + 2] as number;
      const base = r * width;
      let first = -1;
      let last = -1;
      if (flat) {
        for (let i = base + c0; i < base + c1; i++) {
          low[i] = (low[i] as number) + aL;
          high[i] = (high[i] as number) + aH;
        }
        if (p.thickness > BOX_MIN_THICKNESS) {
          first = c0;
          last = c1 - 1;
        }
      } else {
        for (let c = c0; c < c1; c++) {
          const i = base + c;
          const v = t[i] as number;
          if (v <= 0) continue;
          low[i] = (low[i] as number) + mL * v;
          high[i] = (high[i] as number) + mH * v;
          if (v > BOX_MIN_THICKNESS) {
            if (first < 0) first = c;
            last = c;
          }
        }
      }
      if (box && first >= 0) {
        if (first < box.x0) box.x0 = first;
        if (last + 1 > box.x1) box.x1 = last + 1;
        if (r < box.y0) box.y0 = r;
        if (r + 1 > box.y1) box.y1 = r + 1;
      }
    }
    this.touch(spans);
  }

  private drawSide(p: Part, toPixels: Affine, zMid: number, box: PixelBox | null): void {
    const dl = this.sideDiffLow;
    const dh = this.sideDiffHigh;
    if (!dl || !dh) return;
    // A texture barely changes how high a part reaches: the side view draws textured parts flat,
    // at their mean thickness, a whole span at a time.
    const spans = this.scan(p, toPixels, false);
    if (spans === 0) return;
    const material = MATERIALS[p.material];
    const { pitchX, pitchZ, sideWidth: sw, width } = this.geometry;
    const sign = p.sign ?? 1;
    // Each top-down pixel column is pitchX cm of path along x.
    const wL = material.low * sign * pitchX;
    const wH = material.high * sign * pitchX;
    const zc = zMid / pitchZ;
    const half = 0.5 / pitchZ;
    const sp = this.spanBuf;
    const t = this.thick;
    const flat = this.flat;
    for (let s = 0; s < spans * 3; s += 3) {
      const r = sp[s] as number;
      const c0 = sp[s + 1] as number;
      const c1 = sp[s + 2] as number;
      const base = r * (sw + 1);
      let k0min = Infinity;
      let k1max = -Infinity;
      if (flat) {
        // The same run of heights for the whole span: one update for all its columns.
        let k0 = Math.ceil(zc - p.thickness * half - 0.5);
        let k1 = Math.ceil(zc + p.thickness * half - 0.5);
        if (k0 < 0) k0 = 0;
        if (k1 > sw) k1 = sw;
        if (k1 > k0) {
          const n = c1 - c0;
          dl[base + k0] = (dl[base + k0] as number) + wL * n;
          dl[base + k1] = (dl[base + k1] as number) - wL * n;
          dh[base + k0] = (dh[base + k0] as number) + wH * n;
          dh[base + k1] = (dh[base + k1] as number) - wH * n;
          if (p.thickness > BOX_MIN_THICKNESS) {
            k0min = k0;
            k1max = k1;
          }
        }
      } else {
        const row = r * width;
        for (let c = c0; c < c1; c++) {
          const v = t[row + c] as number;
          if (v <= 0) continue;
          let k0 = Math.ceil(zc - v * half - 0.5);
          let k1 = Math.ceil(zc + v * half - 0.5);
          if (k0 < 0) k0 = 0;
          if (k1 > sw) k1 = sw;
          if (k1 <= k0) continue;
          dl[base + k0] = (dl[base + k0] as number) + wL;
          dl[base + k1] = (dl[base + k1] as number) - wL;
          dh[base + k0] = (dh[base + k0] as number) + wH;
          dh[base + k1] = (dh[base + k1] as number) - wH;
          if (v > BOX_MIN_THICKNESS) {
            if (k0 < k0min) k0min = k0;
            if (k1 > k1max) k1max = k1;
          }
        }
      }
      if (box && k1max > k0min) {
        if (k0min < box.x0) box.x0 = k0min;
        if (k1max > box.x1) box.x1 = k1max;
        if (r < box.y0) box.y0 = r;
        if (r + 1 > box.y1) box.y1 = r + 1;
      }
    }
  }

  /** Grows the box of pixels anything has touched in the top view (the detector works only there). */
  private touch(spans: number): void {
    const sp = this.spanBuf;
    const e = this.extent;
    for (let s = 0; s < spans * 3; s += 3) {
      const r = sp[s] as number;
      if (r < e.y0) e.y0 = r;
      if (r + 1 > e.y1) e.y1 = r + 1;
      const c0 = sp[s + 1] as number;
      const c1 = sp[s + 2] as number;
      if (c0 < e.x0) e.x0 = c0;
      if (c1 > e.x1) e.x1 = c1;
    }
  }

  /**
   * Scan-converts the part's outline (pixel centres inside, even-odd) into spans (row, c0, c1) in
   * spanBuf and returns their number. Unless the part is flat (constant thickness, no texture, or
   * the texture left out), its path length at each covered pixel goes into thick[row·width + column].
   */
  private scan(p: Part, toPixels: Affine, withTexture = true): number {
    const varying = !!p.profile || (withTexture && !!p.texture);
    const { width, height } = this.geometry;
    // Edges in pixel coordinates: x0, y0, x1, y1 each.
    let n = 0;
    for (const c of p.contours) n += c.length >> 1;
    if (this.edges.length < n * 4) this.edges = new Float64Array(n * 8);
    if (this.crossings.length < n) this.crossings = new Float64Array(n * 2);
    const edges = this.edges;
    const xs = this.crossings;
    const [a, b, cc, d, e, f] = toPixels;
    let ymin = Infinity;
    let ymax = -Infinity;
    let xmin = Infinity;
    let xmax = -Infinity;
    let k = 0;
    for (const contour of p.contours) {
      const m = contour.length >> 1;
      for (let i = 0; i < m; i++) {
        const j = i + 1 < m ? i + 1 : 0;
        const u0 = contour[2 * i] as number;
        const v0 = contour[2 * i + 1] as number;
        const u1 = contour[2 * j] as number;
        const v1 = contour[2 * j + 1] as number;
        const x0 = a * u0 + cc * v0 + e;
        const y0 = b * u0 + d * v0 + f;
        edges[k++] = x0;
        edges[k++] = y0;
        edges[k++] = a * u1 + cc * v1 + e;
        edges[k++] = b * u1 + d * v1 + f;
        if (y0 < ymin) ymin = y0;
        if (y0 > ymax) ymax = y0;
        if (x0 < xmin) xmin = x0;
        if (x0 > xmax) xmax = x0;
      }
    }
    this.flat = !varying;
    if (xmax < 0 || xmin > width) return 0;
    const r0 = Math.max(0, Math.ceil(ymin - 0.5));
    const r1 = Math.min(height, Math.ceil(ymax - 0.5));
    if (r1 <= r0) return 0;
    const inv = this.flat ? null : invert(toPixels);
    const t = this.thick;
    const thickness = p.thickness;
    const profile = p.profile;
    const texture = p.texture;
    let spans = 0;
    for (let r = r0; r < r1; r++) {
      const yc = r + 0.5;
      let count = 0;
      for (let q = 0; q < k; q += 4) {
        const y0 = edges[q + 1] as number;
        const y1 = edges[q + 3] as number;
        if (y0 <= yc !== y1 <= yc) {
          const x0 = edges[q] as number;
          const x = x0 + ((yc - y0) * ((edges[q + 2] as number) - x0)) / (y1 - y0);
          // Insertion sort: a handful of crossings per row.
          let s = count++;
          while (s > 0 && (xs[s - 1] as number) > x) {
            xs[s] = xs[s - 1] as number;
            s--;
          }
          xs[s] = x;
        }
      }
      for (let s = 0; s + 1 < count; s += 2) {
        const c0 = Math.max(0, Math.ceil((xs[s] as number) - 0.5));
        const c1 = Math.min(width, Math.ceil((xs[s + 1] as number) - 0.5));
        if (c1 <= c0) continue;
        if (this.spanBuf.length < (spans + 1) * 3) {
          const grown = new Int32Array(this.spanBuf.length * 2);
          grown.set(this.spanBuf);
          this.spanBuf = grown;
        }
        this.spanBuf[spans * 3] = r;
        this.spanBuf[spans * 3 + 1] = c0;
        this.spanBuf[spans * 3 + 2] = c1;
        spans++;
        if (inv) {
          const row = r * width;
          t.fill(thickness, row + c0, row + c1);
          // Local coordinates of the pixel centres along this row: (u, v) = (u0 + du·i, v0 + dv·i).
          const px = c0 + 0.5;
          const u0 = inv[0] * px + inv[2] * yc + inv[4];
          const v0 = inv[1] * px + inv[3] * yc + inv[5];
          const du = inv[0];
          const dv = inv[1];
          if (profile) for (const pr of profile) applyProfile(pr, t, row + c0, row + c1, u0, v0, du, dv);
          if (texture && withTexture) applyTexture(texture, t, row + c0, row + c1, u0, v0, du, dv);
        }
      }
    }
    return spans;
  }
}

function applyProfile(pr: NonNullable<Part['profile']>[number], t: Float32Array, c0: number, c1: number, u0: number, v0: number, du: number, dv: number): void {
  const n = c1 - c0;
  switch (pr.kind) {
    case 'rod': {
      const s0 = pr.axis === 'u' ? v0 : u0;
      const ds = pr.axis === 'u' ? dv : du;
      const inv = 1 / pr.radius;
      for (let i = 0; i < n; i++) {
        const w = (s0 + ds * i - pr.center) * inv;
        const q = 1 - w * w;
        const c = c0 + i;
        t[c] = q > 0 ? (t[c] ?? 0) * Math.sqrt(q) : 0;
      }
      return;
    }
    case 'dome': {
      const iu = 1 / pr.ru;
      const iv = 1 / pr.rv;
      for (let i = 0; i < n; i++) {
        const nu = (u0 + du * i - pr.cu) * iu;
        const nv = (v0 + dv * i - pr.cv) * iv;
        const q = 1 - nu * nu - nv * nv;
        const c = c0 + i;
        t[c] = q > 0 ? (t[c] ?? 0) * Math.sqrt(q) : 0;
      }
      return;
    }
    case 'ramp': {
      const s0 = pr.axis === 'u' ? u0 : v0;
      const ds = pr.axis === 'u' ? du : dv;
      const span = pr.to - pr.from;
      for (let i = 0; i < n; i++) {
        let f = (s0 + ds * i - pr.from) / span;
        f = f < 0 ? 0 : f > 1 ? 1 : f;
        const c = c0 + i;
        t[c] = (t[c] ?? 0) * (pr.t0 + (pr.t1 - pr.t0) * f);
      }
      return;
    }
    case 'stripes': {
      const s0 = pr.axis === 'u' ? u0 : v0;
      const ds = pr.axis === 'u' ? du : dv;
      const inv = 1 / pr.period;
      const phase = pr.phase ?? 0;
      for (let i = 0; i < n; i++) {
        const x = (s0 + ds * i + phase) * inv;
        const frac = x - Math.floor(x);
        if (frac >= pr.duty) {
          const c = c0 + i;
          t[c] = (t[c] ?? 0) * pr.low;
        }
      }
      return;
    }
  }
}

function applyTexture(tx: NonNullable<Part['texture']>, t: Float32Array, c0: number, c1: number, u0: number, v0: number, du: number, dv: number): void {
  const s = tx.scale;
  const o = tx.offset;
  const amp = tx.amplitude;
  for (let i = 0; i < c1 - c0; i++) {
    const x = ((u0 + du * i) * s + o) | 0;
    const y = ((v0 + dv * i) * s + o * 1.618) | 0;
    const c = c0 + i;
    const f = 1 + amp * (TEXTURE[((y & 255) << 8) | (x & 255)] ?? 0);
    t[c] = (t[c] ?? 0) * (f > 0 ? f : 0);
  }
}
