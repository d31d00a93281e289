import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { ScannerAdapter, ScannerCapabilities, Sink } from '@clearway/device-core';
import { FlightNumber, Id, type ScanSubmitInput, type ScanViewInput, type ViewName } from '@clearway/protocol';
import { licencePlate } from './bag-tag.ts';
import { DEFAULT_VIEW_HEIGHT, DEFAULT_VIEW_WIDTH, generateBag } from './bag-generator.ts';
import { mixSeed } from './prng.ts';

export interface SimulatedScannerOptions {
  /** Device ID registered at the hub. Default 'scanner-sim'. */
  id?: string;
  /** Lanes, each its own belt: lane-1 … lane-N. Default 1. */
  lanes?: number;
  /** Belt pace in bags per minute per lane. Default 6. Infinity: as fast as the sink takes them. */
  rate?: number;
  /** Run seed: the same seed gives the same bags, bag for bag. Default 1. */
  seed?: number;
  /** Stop after this many bags over all lanes. Default: run until closed. */
  count?: number;
  /** Flight the bags are checked onto. Default CA981. */
  flight?: string;
  /** 1: top view; 2: top and side. Default 1. */
  views?: 1 | 2;
  /** Top view size in pixels across the belt and lines along it. Default 640 × 480. */
  width?: number;
  height?: number;
  /** Chance that a bag carries a prohibited item. Default 0.2. The scan never says which. */
  threatRate?: number;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A simulated dual-energy line-scan X-ray scanner feeding one or more lanes. Bags leave the belts
 * in turn (lane-1, lane-2, …) at the configured pace; a slow sink holds the belts.
 */
export class SimulatedScanner implements ScannerAdapter {
  readonly id: string;
  readonly kind = 'scanner' as const;
  readonly capabilities: ScannerCapabilities;
  private readonly seed: number;
  private readonly count: number;
  private readonly flight: string;
  private readonly viewNames: readonly ViewName[];
  private readonly width: number;
  private readonly height: number;
  private readonly threatRate: number;
  /** Time between consecutive bags over all lanes. */
  private readonly spacingMs: number;
  private readonly stop = new AbortController();
  private started = false;
  private running: Promise<void> = Promise.resolve();
  private scanned = 0;

  constructor(options: SimulatedScannerOptions = {}) {
    this.id = options.id ?? 'scanner-sim';
    this.flight = options.flight ?? 'CA981';
    const lanes = options.lanes ?? 1;
    const rate = options.rate ?? 6;
    this.seed = options.seed ?? 1;
    this.count = options.count ?? Infinity;
    if (!Id.safeParse(this.id).success) throw new RangeError(`device id ${JSON.stringify(this.id)}: letters, digits, dot, dash and underscore only`);
    if (!FlightNumber.safeParse(this.flight).success) throw new RangeError(`flight ${JSON.stringify(this.flight)}: an IATA flight number such as CA981`);
    this.viewNames = (options.views ?? 1) === 2 ? ['top', 'side'] : ['top'];
    this.width = options.width ?? DEFAULT_VIEW_WIDTH;
    this.height = options.height ?? DEFAULT_VIEW_HEIGHT;
    this.threatRate = options.threatRate ?? 0.2;
    if (!(this.threatRate >= 0 && this.threatRate <= 1)) throw new RangeError(`threatRate must lie between 0 and 1, got ${this.threatRate}`);
    if (!Number.isInteger(lanes) || lanes < 1) throw new RangeError(`lanes must be a whole number of at least 1, got ${lanes}`);
    if (!(rate > 0)) throw new RangeError(`rate must be above 0 bags per minute, got ${rate}`);
    if (!Number.isSafeInteger(this.seed) || this.seed < 0) throw new RangeError(`seed must be a whole number of at least 0, got ${this.seed}`);
    if (this.count !== Infinity && (!Number.isInteger(this.count) || this.count < 0)) throw new RangeError(`count must be a whole number, got ${this.count}`);
    this.spacingMs = rate === Infinity ? 0 : 60_000 / (rate * lanes);
    this.capabilities = {
      lanes: Array.from({ length: lanes }, (_, n) => `lane-${n + 1}`),
      views: this.viewNames,
      encoding: 'dual-energy-u16le',
      bagsPerMinutePerLane: rate === Infinity ? null : rate,
      simulated: true,
    };
  }

  /** Bags handed to the sink and taken by it so far. */
  get bagsScanned(): number {
    return this.scanned;
  }

  start(sink: Sink<ScanSubmitInput>): Promise<void> {
    if (this.started) return Promise.reject(new Error(`scanner ${this.id} has already been started`));
    this.started = true;
    this.running = this.run(sink);
    return this.running;
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.running.catch(() => {});
  }

  /** Bag `index` of this run (0-based) as a scan, off the belt: for tests and benchmarks. */
  scanBag(index: number, scannedAt: Date = new Date()): ScanSubmitInput {
    const lanes = this.capabilities.lanes;
    const bag = generateBag(mixSeed(this.seed, index), { views: this.viewNames, width: this.width, height: this.height, threatRate: this.threatRate });
    // Only the images go to the hub: the ground truth (bag.items, bag.threats) stays here, so that
    // what an officer or a detector finds is never given away by the scan itself.
    return {
      // Random, not seeded: a second run with the same seed is new bags to the hub, not resends.
      scanId: crypto.randomUUID(),
      lane: lanes[index % lanes.length] ?? 'lane-1',
      flight: this.flight,
      bagTag: licencePlate(this.seed, index, this.flight),
      scannedAt: scannedAt.toISOString(),
      views: bag.views.map(
        (v): ScanViewInput => ({ view: v.view, width: v.width, height: v.height, encoding: 'dual-energy-u16le', low: littleEndianBytes(v.low), high: littleEndianBytes(v.high) }),
      ),
    };
  }

  private async run(sink: Sink<ScanSubmitInput>): Promise<void> {
    const { signal } = this.stop;
    const closed = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    const t0 = performance.now();
    for (let index = 0; index < this.count && !signal.aborted; index++) {
      const wait = t0 + index * this.spacingMs - performance.now();
      // Always give the event loop a turn: the hub link's socket runs on it.
      try {
        await (wait > 0 ? sleep(wait, undefined, { signal }) : nextTurn(undefined, { signal }));
      } catch {
        return; // closed while waiting for the belt
      }
      const delivered = sink(this.scanBag(index));
      // After close() nobody awaits this call; keep a late failure from going unhandled.
      delivered.catch(() => {});
      await Promise.race([delivered, closed]);
      if (signal.aborted) return;
      this.scanned++;
    }
  }
}

/** The u16 image as little-endian bytes, sharing memory where the platform already is little-endian. */
function littleEndianBytes(image: Uint16Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(image.buffer, image.byteOffset, image.byteLength);
  const bytes = new Uint8Array(image.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < image.length; i++) view.setUint16(i * 2, image[i] ?? 0, true);
  return bytes;
}
