/**
 * The DICOS hot folder as a scanner adapter: watches a folder for DICOS files, pairs each image with
 * its machine TDR, and hands the hub one `scan:submit` per image.
 */
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ScannerAdapter, ScannerCapabilities, Sink } from '@clearway/device-core';
import { DicosError, readDicos, type DicosImage, type DicosTdr } from '@clearway/dicos';
import { FlightNumber, Id, LaneId, ViewName, type ScanSubmitInput } from '@clearway/protocol';
import { moveInto, quarantine } from './files.ts';
import { isMachineTdr, scanFromDicos } from './scan.ts';

export interface DicosHotFolderOptions {
  /** Device ID registered at the hub (kind dicos-hot-folder). */
  id: string;
  /** The folder the scanner drops DICOS files into. */
  inDir: string;
  /** Where files go once the hub has stored their scan. Default `<inDir>/processed`. */
  processedDir?: string;
  /** Where corrupt, truncated or unsupported files go, each with `<file>.reason.json`. Default `<inDir>/quarantine`. */
  quarantineDir?: string;
  /** Lane of every scan (DICOS has no lane attribute). Default `lane-1`. */
  lane?: string;
  /** Flight of every scan (DICOS has no standard flight attribute). Default `ZZ0000` (unknown). */
  flight?: string;
  /** Views each scan carries, in order. Default `['top']`. */
  views?: readonly ViewName[];
  /** Folder scan interval; a file is taken once its size and mtime are the same on two scans. Default 500 ms. */
  pollMs?: number;
  /** How long an image waits for its machine TDR before it is sent without one. Default 2000 ms. */
  tdrWaitMs?: number;
  /** One line per file taken, sent, quarantined or ignored. */
  log?: (line: string) => void;
}

/** Files the folder holds but that are not (yet) DICOS drops: partial writes, our own temporaries. */
function ignored(name: string): boolean {
  return name.startsWith('.') || name.endsWith('.part') || name.endsWith('.tmp') || name.endsWith('.reason.json');
}

interface Observed {
  size: number;
  mtimeMs: number;
  /** When this size and mtime were first seen. */
  since: number;
}

interface PendingImage {
  path: string;
  name: string;
  image: DicosImage;
  /** When it goes without a TDR. */
  deadline: number;
}

interface HeldTdr {
  path: string;
  name: string;
  tdr: DicosTdr;
}

/** Image SOP Instance UIDs sent recently: a TDR arriving after its image is not held for ever. */
const RECENT_LIMIT = 1000;

export class DicosHotFolder implements ScannerAdapter {
  readonly id: string;
  readonly kind = 'dicos-hot-folder' as const;
  readonly capabilities: ScannerCapabilities;
  readonly inDir: string;
  readonly processedDir: string;
  readonly quarantineDir: string;
  private readonly lane: string;
  private readonly flight: string;
  private readonly views: readonly ViewName[];
  private readonly pollMs: number;
  private readonly tdrWaitMs: number;
  private readonly log: (line: string) => void;
  private readonly stop = new AbortController();
  private started = false;
  private running: Promise<void> = Promise.resolve();
  private watcher: FSWatcher | null = null;
  private wake: (() => void) | null = null;
  private lastPoll = -Infinity;
  private changed = true;

  private readonly observed = new Map<string, Observed>();
  /** Files read and held (an image waiting, a TDR waiting for its image): not read again. */
  private readonly held = new Set<string>();
  private readonly images = new Map<string, PendingImage>();
  private readonly tdrs = new Map<string, HeldTdr[]>();
  private readonly recent: string[] = [];
  /** scanIds the hub refused (set by the runner while the sink call is outstanding). */
  private readonly refused = new Map<string, { reason: string; message: string }>();
  private sent = 0;

  constructor(options: DicosHotFolderOptions) {
    this.id = options.id;
    if (!Id.safeParse(this.id).success) throw new RangeError(`device id ${JSON.stringify(this.id)}: letters, digits, dot, dash and underscore only`);
    this.lane = options.lane ?? 'lane-1';
    if (!LaneId.safeParse(this.lane).success) throw new RangeError(`lane ${JSON.stringify(this.lane)}: letters, digits, dot, dash and underscore only`);
    this.flight = options.flight ?? 'ZZ0000';
    if (!FlightNumber.safeParse(this.flight).success) throw new RangeError(`flight ${JSON.stringify(this.flight)}: an IATA flight number such as CA981`);
    this.views = options.views ?? ['top'];
    if (this.views.length < 1 || this.views.length > 2 || new Set(this.views).size !== this.views.length || !this.views.every((v) => ViewName.safeParse(v).success)) {
      throw new RangeError(`views must be "top", "side" or both, each once; got ${JSON.stringify(this.views)}`);
    }
    this.pollMs = options.pollMs ?? 500;
    this.tdrWaitMs = options.tdrWaitMs ?? 2000;
    if (!(this.pollMs > 0)) throw new RangeError(`pollMs must be above 0, got ${this.pollMs}`);
    if (!(this.tdrWaitMs >= 0)) throw new RangeError(`tdrWaitMs must be 0 or more, got ${this.tdrWaitMs}`);
    this.inDir = resolve(options.inDir);
    this.processedDir = resolve(options.processedDir ?? join(this.inDir, 'processed'));
    this.quarantineDir = resolve(options.quarantineDir ?? join(this.inDir, 'quarantine'));
    this.log = options.log ?? (() => {});
    this.capabilities = {
      lanes: [this.lane],
      views: this.views,
      encoding: 'single-energy-u16le',
      bagsPerMinutePerLane: null,
      simulated: false,
    };
  }

  /** Scans handed to the sink and taken by it. */
  get scansSent(): number {
    return this.sent;
  }

  /**
   * Marks a scan the hub refused (call it from the sink before it resolves): its files then go to
   * quarantine with this reason instead of to processed/.
   */
  refuse(scanId: string, reason: string, message: string): void {
    this.refused.set(scanId, { reason, message });
  }

  start(sink: Sink<ScanSubmitInput>): Promise<void> {
    if (this.started) return Promise.reject(new Error(`hot folder ${this.id} has already been started`));
    this.started = true;
    this.running = this.run(sink);
    return this.running;
  }

  async close(): Promise<void> {
    this.stop.abort();
    this.wake?.();
    this.watcher?.close();
    this.watcher = null;
    await this.running.catch(() => {});
  }

  private async run(sink: Sink<ScanSubmitInput>): Promise<void> {
    try {
      await this.loop(sink);
    } finally {
      this.watcher?.close();
      this.watcher = null;
    }
  }

  private async loop(sink: Sink<ScanSubmitInput>): Promise<void> {
    const { signal } = this.stop;
    if (signal.aborted) return;
    await mkdir(this.inDir, { recursive: true });
    await mkdir(this.processedDir, { recursive: true });
    await mkdir(this.quarantineDir, { recursive: true });
    if (signal.aborted) return;
    try {
      // Wakes the loop early; the periodic scan still decides when a file is complete.
      this.watcher = watch(this.inDir, { persistent: false }, () => {
        this.changed = true;
        this.wake?.();
      });
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      this.watcher = null; // polling alone
    }
    const closed = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    while (!signal.aborted) {
      const now = Date.now();
      if (this.changed || now - this.lastPoll >= this.pollMs) await this.poll();
      if (signal.aborted) return;
      const next = this.nextReady(Date.now());
      if (!next) {
        await this.idle(closed);
        continue;
      }
      this.images.delete(next.image.sopInstanceUid);
      const tdrs = this.tdrs.get(next.image.sopInstanceUid) ?? [];
      this.tdrs.delete(next.image.sopInstanceUid);
      const machine = tdrs.find((t) => isMachineTdr(t.tdr));
      let scan: ScanSubmitInput;
      try {
        scan = scanFromDicos(next.image, machine?.tdr, { lane: this.lane, flight: this.flight, fileName: next.name, views: this.views, now: new Date() });
      } catch (error) {
        const e = error instanceof DicosError ? error : new DicosError('bad-pixel-data', error instanceof Error ? error.message : String(error));
        await this.toQuarantine(next, e.reason, e.message);
        for (const t of tdrs) await this.toProcessed(t);
        continue;
      }
      // Always give the event loop a turn: the hub link's socket runs on it.
      try {
        await nextTurn(undefined, { signal });
      } catch {
        this.putBack(next, tdrs);
        return;
      }
      let taken = false;
      const delivered = sink(scan).then(() => {
        taken = true;
      });
      delivered.catch(() => {}); // after close() nobody awaits it
      await Promise.race([delivered, closed]);
      if (!taken) {
        // Closed while the sink held the scan: the file stays in the folder, and the next run
        // sends it again with the same scanId (the hub answers duplicate if it had stored it).
        this.putBack(next, tdrs);
        return;
      }
      this.sent++;
      this.remember(next.image.sopInstanceUid);
      const refusal = this.refused.get(scan.scanId);
      this.refused.delete(scan.scanId);
      if (refusal) {
        await this.toQuarantine(next, refusal.reason, refusal.message);
        for (const t of tdrs) await this.toQuarantine(t, refusal.reason, `its image ${next.name} was refused: ${refusal.message}`);
      } else {
        await this.toProcessed(next);
        for (const t of tdrs) await this.toProcessed(t);
        this.log(`${next.name} sent as ${scan.bagTag}${machine ? ` with ${scan.machineResult?.detections.length ?? 0} detections from ${machine.name}` : ''}`);
      }
      // The sink took the scan and its files are filed away; stop here if close() came meanwhile.
    }
  }

  private putBack(image: PendingImage, tdrs: HeldTdr[]): void {
    this.images.set(image.image.sopInstanceUid, image);
    if (tdrs.length > 0) this.tdrs.set(image.image.sopInstanceUid, tdrs);
  }

  private remember(uid: string): void {
    this.recent.push(uid);
    if (this.recent.length > RECENT_LIMIT) this.recent.shift();
  }

  /** The oldest image whose TDR is in, or whose wait is over. */
  private nextReady(now: number): PendingImage | undefined {
    for (const pending of this.images.values()) {
      if (this.tdrs.has(pending.image.sopInstanceUid) || now >= pending.deadline) return pending;
    }
    return undefined;
  }

  private async idle(closed: Promise<void>): Promise<void> {
    let wait = this.pollMs;
    const now = Date.now();
    for (const pending of this.images.values()) wait = Math.min(wait, Math.max(0, pending.deadline - now));
    wait = Math.min(wait, Math.max(0, this.lastPoll + this.pollMs - now));
    await Promise.race([
      closed,
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.wake = null;
          resolve();
        }, Math.max(1, wait));
        this.wake = () => {
          clearTimeout(timer);
          this.wake = null;
          resolve();
        };
      }),
    ]);
  }

  /** One scan of the folder: files whose size and mtime held still since the last scan are read. */
  private async poll(): Promise<void> {
    this.lastPoll = Date.now();
    this.changed = false;
    let names: string[];
    try {
      names = (await readdir(this.inDir, { withFileTypes: true })).filter((d) => d.isFile() && !ignored(d.name)).map((d) => d.name);
    } catch (error) {
      this.log(`cannot list ${this.inDir}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const present = new Set(names);
    for (const name of this.observed.keys()) if (!present.has(name)) this.observed.delete(name);
    for (const name of names.sort()) {
      if (this.stop.signal.aborted) return;
      if (this.held.has(name)) continue;
      const path = join(this.inDir, name);
      let size: number;
      let mtimeMs: number;
      try {
        ({ size, mtimeMs } = await stat(path));
      } catch {
        this.observed.delete(name);
        continue;
      }
      const before = this.observed.get(name);
      if (!before || before.size !== size || before.mtimeMs !== mtimeMs) {
        this.observed.set(name, { size, mtimeMs, since: Date.now() });
        continue;
      }
      // Complete: unchanged on two scans at least one interval apart (watch events scan sooner).
      if (Date.now() - before.since < this.pollMs) continue;
      this.observed.delete(name);
      await this.take(path, name);
    }
  }

  /** Reads a complete file: holds an image or a TDR, or quarantines what cannot be read. */
  private async take(path: string, name: string): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (error) {
      this.log(`cannot read ${name}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    let obj;
    try {
      obj = readDicos(bytes);
    } catch (error) {
      const e = error instanceof DicosError ? error : new DicosError('not-dicom', String(error));
      await this.toQuarantine({ path, name }, e.reason, e.message);
      return;
    }
    if (obj.kind === 'image') {
      const uid = obj.sopInstanceUid;
      if (this.images.has(uid)) {
        this.log(`${name} is the same image (${uid}) as one waiting to be sent; moved to processed`);
        await this.toProcessed({ path, name });
        return;
      }
      this.held.add(name);
      this.images.set(uid, { path, name, image: obj, deadline: Date.now() + this.tdrWaitMs });
      return;
    }
    if (!isMachineTdr(obj)) {
      this.log(`${name} is a ${obj.tdrType} TDR, not a machine result; moved to processed`);
      await this.toProcessed({ path, name });
      return;
    }
    const image = obj.referencedImage?.sopInstanceUid;
    if (!image) {
      await this.toQuarantine({ path, name }, 'missing-attribute', 'the TDR references no image (no Referenced SOP Instance UID in its PTO Representation Sequence or Referenced Series Sequence)');
      return;
    }
    if (this.recent.includes(image)) {
      this.log(`${name} arrived after its image ${image} was sent (raise --tdr-wait-ms); moved to processed`);
      await this.toProcessed({ path, name });
      return;
    }
    this.held.add(name);
    const list = this.tdrs.get(image) ?? [];
    list.push({ path, name, tdr: obj });
    this.tdrs.set(image, list);
    this.wake?.();
  }

  // A file that cannot be moved stays held, so this run does not read (and send) it again.

  private async toProcessed(file: { path: string; name: string }): Promise<void> {
    try {
      await moveInto(file.path, this.processedDir);
      this.held.delete(file.name);
    } catch (error) {
      this.held.add(file.name);
      this.log(`cannot move ${file.name} to ${this.processedDir}: ${error instanceof Error ? error.message : String(error)}; left in place until restart`);
    }
  }

  private async toQuarantine(file: { path: string; name: string }, reason: string, message: string): Promise<void> {
    try {
      await quarantine(file.path, this.quarantineDir, reason, message);
      this.held.delete(file.name);
      this.log(`${file.name} quarantined (${reason}): ${message}`);
    } catch (error) {
      this.held.add(file.name);
      this.log(`cannot quarantine ${file.name} (${reason}: ${message}): ${error instanceof Error ? error.message : String(error)}; left in place until restart`);
    }
  }
}
