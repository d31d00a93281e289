// @ts-check
'use strict';

// The terminal map the simulated robots drive on (assets/maps/terminal.json): walls as segments,
// obstacles and zones as axis-aligned rectangles, docks as poses, all in metres in the map frame.
// Paths are planned with A* on a coarse occupancy grid whose obstacles are grown by the robot's
// radius, then shortened to the corners that line of sight needs.

const fs = require('node:fs');
const path = require('node:path');

/** The terminal map shipped with the repository. */
const DEFAULT_MAP_PATH = path.resolve(__dirname, '..', '..', '..', 'assets', 'maps', 'terminal.json');

/**
 * @typedef {object} Dock
 * @property {string} id
 * @property {number} x
 * @property {number} y
 * @property {number} theta
 */

/**
 * @typedef {object} Rect
 * @property {string} id
 * @property {string} kind
 * @property {[number, number]} min
 * @property {[number, number]} max
 * @property {string} [name]
 */

/**
 * @typedef {object} Wall
 * @property {string} id
 * @property {[number, number]} from
 * @property {[number, number]} to
 */

/**
 * @typedef {object} MapDefinition
 * @property {string} name
 * @property {string} frame_id
 * @property {{minX: number, minY: number, maxX: number, maxY: number}} bounds
 * @property {number} wallThickness
 * @property {Wall[]} walls
 * @property {Rect[]} obstacles
 * @property {Rect[]} zones
 * @property {Dock[]} docks
 */

/** @typedef {{x: number, y: number}} Point */

/**
 * @param {unknown} v
 * @param {string} where
 * @returns {number}
 */
function num(v, where) {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`map: ${where} must be a finite number`);
  return v;
}

/**
 * @param {unknown} v
 * @param {string} where
 * @returns {[number, number]}
 */
function pair(v, where) {
  if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`map: ${where} must be [x, y]`);
  return [num(v[0], `${where}[0]`), num(v[1], `${where}[1]`)];
}

/**
 * @param {unknown} v
 * @param {string} where
 * @returns {Rect}
 */
function rect(v, where) {
  const o = /** @type {Record<string, unknown>} */ (v);
  if (!o || typeof o !== 'object' || typeof o['id'] !== 'string') throw new TypeError(`map: ${where} needs an id`);
  const min = pair(o['min'], `${where}.min`);
  const max = pair(o['max'], `${where}.max`);
  if (min[0] >= max[0] || min[1] >= max[1]) throw new TypeError(`map: ${where} (${o['id']}) has min not below max`);
  /** @type {Rect} */
  const r = { id: o['id'], kind: typeof o['kind'] === 'string' ? o['kind'] : 'obstacle', min, max };
  if (typeof o['name'] === 'string') r.name = o['name'];
  return r;
}

/**
 * Checks a parsed map file and returns it typed; throws naming the bad entry.
 * @param {unknown} raw
 * @returns {MapDefinition}
 */
function parseMap(raw) {
  const o = /** @type {Record<string, unknown>} */ (raw);
  if (!o || typeof o !== 'object') throw new TypeError('map: expected an object');
  const b = /** @type {Record<string, unknown>} */ (o['bounds']);
  if (!b || typeof b !== 'object') throw new TypeError('map: bounds missing');
  const bounds = { minX: num(b['minX'], 'bounds.minX'), minY: num(b['minY'], 'bounds.minY'), maxX: num(b['maxX'], 'bounds.maxX'), maxY: num(b['maxY'], 'bounds.maxY') };
  if (bounds.minX >= bounds.maxX || bounds.minY >= bounds.maxY) throw new TypeError('map: bounds are empty');
  const list = (/** @type {string} */ key) => {
    const v = o[key] ?? [];
    if (!Array.isArray(v)) throw new TypeError(`map: ${key} must be a list`);
    return v;
  };
  const walls = list('walls').map((w, i) => {
    const wo = /** @type {Record<string, unknown>} */ (w);
    return { id: String(wo['id'] ?? `wall-${i + 1}`), from: pair(wo['from'], `walls[${i}].from`), to: pair(wo['to'], `walls[${i}].to`) };
  });
  const docks = list('docks').map((d, i) => {
    const dd = /** @type {Record<string, unknown>} */ (d);
    if (typeof dd['id'] !== 'string') throw new TypeError(`map: docks[${i}] needs an id`);
    return { id: dd['id'], x: num(dd['x'], `docks[${i}].x`), y: num(dd['y'], `docks[${i}].y`), theta: num(dd['theta'] ?? 0, `docks[${i}].theta`) };
  });
  return {
    name: typeof o['name'] === 'string' ? o['name'] : 'map',
    frame_id: typeof o['frame_id'] === 'string' ? o['frame_id'] : 'map',
    bounds,
    wallThickness: num(o['wallThickness'] ?? 0.2, 'wallThickness'),
    walls,
    obstacles: list('obstacles').map((r, i) => rect(r, `obstacles[${i}]`)),
    zones: list('zones').map((r, i) => rect(r, `zones[${i}]`)),
    docks,
  };
}

/**
 * Distance from p to segment ab.
 * @param {number} px @param {number} py @param {number} ax @param {number} ay @param {number} bx @param {number} by
 */
function segmentDistance(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** @param {number} px @param {number} py @param {Rect} r */
function rectDistance(px, py, r) {
  const dx = Math.max(r.min[0] - px, 0, px - r.max[0]);
  const dy = Math.max(r.min[1] - py, 0, py - r.max[1]);
  return Math.hypot(dx, dy);
}

/** A min-heap of grid cells keyed by f. */
class Heap {
  constructor() {
    /** @type {number[]} */ this.cells = [];
    /** @type {number[]} */ this.keys = [];
  }
  get size() {
    return this.cells.length;
  }
  /** @param {number} cell @param {number} key */
  push(cell, key) {
    const c = this.cells;
    const k = this.keys;
    let i = c.length;
    c.push(cell);
    k.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (/** @type {number} */ (k[parent]) <= key) break;
      c[i] = /** @type {number} */ (c[parent]);
      k[i] = /** @type {number} */ (k[parent]);
      i = parent;
    }
    c[i] = cell;
    k[i] = key;
  }
  pop() {
    const c = this.cells;
    const k = this.keys;
    const top = /** @type {number} */ (c[0]);
    const lastCell = /** @type {number} */ (c.pop());
    const lastKey = /** @type {number} */ (k.pop());
    if (c.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        let mk = lastKey;
        if (l < c.length && /** @type {number} */ (k[l]) < mk) {
          m = l;
          mk = /** @type {number} */ (k[l]);
        }
        if (r < c.length && /** @type {number} */ (k[r]) < mk) m = r;
        if (m === i) break;
        c[i] = /** @type {number} */ (c[m]);
        k[i] = /** @type {number} */ (k[m]);
        i = m;
      }
      c[i] = lastCell;
      k[i] = lastKey;
    }
    return top;
  }
}

class TerminalMap {
  /**
   * @param {MapDefinition} definition
   * @param {{ resolution?: number, robotRadius?: number, clearance?: number }} [options]
   */
  constructor(definition, options = {}) {
    this.definition = definition;
    this.resolution = options.resolution ?? 0.25;
    /** Obstacles are grown by this much: the robot's radius plus a safety margin. */
    this.inflation = (options.robotRadius ?? 0.35) + (options.clearance ?? 0.1);
    const { minX, minY, maxX, maxY } = definition.bounds;
    this.width = Math.ceil((maxX - minX) / this.resolution);
    this.height = Math.ceil((maxY - minY) / this.resolution);
    /** 1 where the robot's centre may not go. */
    this.blocked = new Uint8Array(this.width * this.height);
    const halfWall = definition.wallThickness / 2;
    // Each wall and obstacle marks the cells within reach of its bounding box only.
    const mark = (/** @type {number} */ x0, /** @type {number} */ y0, /** @type {number} */ x1, /** @type {number} */ y1, /** @type {(x: number, y: number) => boolean} */ hit) => {
      const gx0 = Math.max(0, Math.floor((x0 - minX) / this.resolution) - 1);
      const gy0 = Math.max(0, Math.floor((y0 - minY) / this.resolution) - 1);
      const gx1 = Math.min(this.width - 1, Math.ceil((x1 - minX) / this.resolution) + 1);
      const gy1 = Math.min(this.height - 1, Math.ceil((y1 - minY) / this.resolution) + 1);
      for (let gy = gy0; gy <= gy1; gy++) {
        for (let gx = gx0; gx <= gx1; gx++) {
          const cell = gx + gy * this.width;
          if (this.blocked[cell]) continue;
          const { x, y } = this.cellCentre(cell);
          if (hit(x, y)) this.blocked[cell] = 1;
        }
      }
    };
    const grow = this.inflation;
    mark(minX, minY, maxX, maxY, (x, y) => x < minX + grow || x > maxX - grow || y < minY + grow || y > maxY - grow);
    for (const w of definition.walls) {
      const reach = halfWall + grow;
      mark(Math.min(w.from[0], w.to[0]) - reach, Math.min(w.from[1], w.to[1]) - reach, Math.max(w.from[0], w.to[0]) + reach, Math.max(w.from[1], w.to[1]) + reach,
        (x, y) => segmentDistance(x, y, w.from[0], w.from[1], w.to[0], w.to[1]) < reach);
    }
    for (const r of definition.obstacles) {
      mark(r.min[0] - grow, r.min[1] - grow, r.max[0] + grow, r.max[1] + grow, (x, y) => rectDistance(x, y, r) < grow);
    }
  }

  get name() {
    return this.definition.name;
  }

  get docks() {
    return this.definition.docks;
  }

  /** @param {number} cell */
  cellCentre(cell) {
    const gx = cell % this.width;
    const gy = (cell - gx) / this.width;
    return { x: this.definition.bounds.minX + (gx + 0.5) * this.resolution, y: this.definition.bounds.minY + (gy + 0.5) * this.resolution };
  }

  /** @param {number} x @param {number} y @returns {number} the cell, or -1 outside the map */
  cellAt(x, y) {
    const gx = Math.floor((x - this.definition.bounds.minX) / this.resolution);
    const gy = Math.floor((y - this.definition.bounds.minY) / this.resolution);
    if (gx < 0 || gy < 0 || gx >= this.width || gy >= this.height) return -1;
    return gx + gy * this.width;
  }

  /** True when the robot's centre may be at (x, y). @param {number} x @param {number} y */
  isFree(x, y) {
    const cell = this.cellAt(x, y);
    return cell >= 0 && this.blocked[cell] === 0;
  }

  /** The zone holding (x, y), if any. @param {number} x @param {number} y */
  zoneAt(x, y) {
    return this.definition.zones.find((z) => x >= z.min[0] && x <= z.max[0] && y >= z.min[1] && y <= z.max[1]);
  }

  /** @param {number} x0 @param {number} y0 @param {number} x1 @param {number} y1 */
  lineOfSight(x0, y0, x1, y1) {
    const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / (this.resolution / 2)));
    for (let i = 0; i <= steps; i++) {
      const t = i / steps;
      if (!this.isFree(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)) return false;
    }
    return true;
  }

  /** The free cell nearest to `cell` (breadth first), or -1. @param {number} cell */
  nearestFreeCell(cell) {
    if (cell < 0) return -1;
    if (this.blocked[cell] === 0) return cell;
    const seen = new Uint8Array(this.blocked.length);
    const queue = [cell];
    seen[cell] = 1;
    for (let head = 0; head < queue.length; head++) {
      const c = /** @type {number} */ (queue[head]);
      if (this.blocked[c] === 0) return c;
      const gx = c % this.width;
      for (const n of [c - 1, c + 1, c - this.width, c + this.width]) {
        if (n < 0 || n >= this.blocked.length || seen[n]) continue;
        if ((n === c - 1 && gx === 0) || (n === c + 1 && gx === this.width - 1)) continue;
        seen[n] = 1;
        queue.push(n);
      }
    }
    return -1;
  }

  /**
   * Plans from `start` to `goal`: the corners of the shortest grid path that line of sight needs,
   * ending exactly at the goal. Null when the goal is off the map, inside an obstacle (grown by
   * the robot's radius) or cut off. A start inside an obstacle's margin (a robot at its dock)
   * first leaves for the nearest free cell.
   * @param {Point} start
   * @param {Point} goal
   * @returns {Point[] | null}
   */
  plan(start, goal) {
    const goalCell = this.cellAt(goal.x, goal.y);
    if (goalCell < 0 || !this.isFree(goal.x, goal.y)) return null;
    const rawStart = this.cellAt(start.x, start.y);
    const startCell = this.nearestFreeCell(rawStart);
    if (startCell < 0) return null;
    if (this.isFree(start.x, start.y) && this.lineOfSight(start.x, start.y, goal.x, goal.y)) return [{ x: goal.x, y: goal.y }];

    const w = this.width;
    const n = this.blocked.length;
    const blocked = this.blocked;
    // Costs in cells; octile distance as the heuristic.
    const g = new Float64Array(n).fill(Infinity);
    const from = new Int32Array(n).fill(-1);
    const closed = new Uint8Array(n);
    const goalX = goalCell % w;
    const goalY = (goalCell - goalX) / w;
    const open = new Heap();
    g[startCell] = 0;
    open.push(startCell, 0);
    const DX = [1, -1, 0, 0, 1, 1, -1, -1];
    const DY = [0, 0, 1, -1, 1, -1, 1, -1];
    let found = false;
    while (open.size > 0) {
      const cell = open.pop();
      if (closed[cell]) continue;
      closed[cell] = 1;
      if (cell === goalCell) {
        found = true;
        break;
      }
      const gx = cell % w;
      const gy = (cell - gx) / w;
      const gCell = /** @type {number} */ (g[cell]);
      for (let k = 0; k < 8; k++) {
        const dx = /** @type {number} */ (DX[k]);
        const dy = /** @type {number} */ (DY[k]);
        const nx = gx + dx;
        const ny = gy + dy;
        if (nx < 0 || ny < 0 || nx >= w || ny >= this.height) continue;
        const next = nx + ny * w;
        if (blocked[next] || closed[next]) continue;
        // No cutting corners past an obstacle.
        if (k >= 4 && (blocked[nx + gy * w] || blocked[gx + ny * w])) continue;
        const tentative = gCell + (k >= 4 ? Math.SQRT2 : 1);
        if (tentative < /** @type {number} */ (g[next])) {
          g[next] = tentative;
          from[next] = cell;
          const hx = Math.abs(nx - goalX);
          const hy = Math.abs(ny - goalY);
          open.push(next, tentative + Math.max(hx, hy) + (Math.SQRT2 - 1) * Math.min(hx, hy));
        }
      }
    }
    if (!found) return null;

    /** @type {Point[]} */
    const cells = [];
    for (let c = goalCell; c !== -1; c = /** @type {number} */ (from[c])) cells.push(this.cellCentre(c));
    cells.reverse();
    cells[cells.length - 1] = { x: goal.x, y: goal.y };
    if (rawStart !== startCell) cells.unshift(this.cellCentre(startCell));
    // Keep only the corners that line of sight needs.
    /** @type {Point[]} */
    const path = [];
    let anchor = this.isFree(start.x, start.y) ? { x: start.x, y: start.y } : /** @type {Point} */ (cells[0]);
    if (!this.isFree(start.x, start.y)) path.push(anchor);
    let i = 0;
    while (i < cells.length - 1) {
      let j = cells.length - 1;
      while (j > i + 1) {
        const c = /** @type {Point} */ (cells[j]);
        if (this.lineOfSight(anchor.x, anchor.y, c.x, c.y)) break;
        j--;
      }
      anchor = /** @type {Point} */ (cells[j]);
      path.push(anchor);
      i = j;
    }
    return path;
  }

  /** Path length from `start` through `path`. @param {Point} start @param {Point[]} path */
  static pathLength(start, path) {
    let length = 0;
    let prev = start;
    for (const p of path) {
      length += Math.hypot(p.x - prev.x, p.y - prev.y);
      prev = p;
    }
    return length;
  }
}

/** @type {Map<string, TerminalMap>} */
const cache = new Map();

/**
 * Loads and rasterises a map file once per path (the default: the terminal map).
 * @param {string} [file]
 * @returns {TerminalMap}
 */
function loadMap(file = DEFAULT_MAP_PATH) {
  const resolved = path.resolve(file);
  let map = cache.get(resolved);
  if (!map) {
    map = new TerminalMap(parseMap(JSON.parse(fs.readFileSync(resolved, 'utf8'))));
    cache.set(resolved, map);
  }
  return map;
}

module.exports = { DEFAULT_MAP_PATH, TerminalMap, loadMap, parseMap };
