import { Id, LaneId, ScanSubmit, ViewEncoding, ViewName, deviceRequests, type ScanSubmitInput } from '@clearway/protocol';
import { describe, expect, it } from 'vitest';
import type { ScannerAdapter } from './adapter.ts';

// Adapters of other kinds (flight feeds, robot bridges): the generic part of the contract.
export { describeAdapterConformance, type AdapterConformanceOptions } from './adapter-conformance.ts';

export interface ScannerConformanceOptions {
  /** Scans to collect per test; the adapter must be able to produce at least this many. Default 6. */
  bags?: number;
  /** Per-test limit. Default 30 s. */
  timeoutMs?: number;
  /** How long to watch for stray production after close() or while the sink holds a scan. Default 150 ms. */
  quietMs?: number;
}

/**
 * Registers the tests every scanner adapter must pass (simulator, real scanners, the DICOS hot
 * folder). `makeAdapter` returns a fresh adapter per test that produces bags promptly: configure
 * simulators at full belt speed, point folder adapters at a folder already holding bags.
 */
export function describeScannerConformance(
  name: string,
  makeAdapter: () => ScannerAdapter | Promise<ScannerAdapter>,
  options: ScannerConformanceOptions = {},
): void {
  const bags = options.bags ?? 6;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const quietMs = options.quietMs ?? 150;

  describe(`${name}: scanner adapter conformance`, () => {
    it('declares its id, a scan-capable kind and explicit capabilities', async () => {
      const adapter = await makeAdapter();
      try {
        expect(Id.safeParse(adapter.id).success, `id ${JSON.stringify(adapter.id)}`).toBe(true);
        expect(deviceRequests['scan:submit'].kinds).toContain(adapter.kind);
        const caps = adapter.capabilities;
        expect(caps.lanes.length).toBeGreaterThan(0);
        for (const lane of caps.lanes) expect(LaneId.safeParse(lane).success, `lane ${lane}`).toBe(true);
        expect(new Set(caps.lanes).size).toBe(caps.lanes.length);
        expect(caps.views.length).toBeGreaterThanOrEqual(1);
        expect(caps.views.length).toBeLessThanOrEqual(2);
        for (const view of caps.views) expect(ViewName.options).toContain(view);
        expect(new Set(caps.views).size).toBe(caps.views.length);
        expect(ViewEncoding.options).toContain(caps.encoding);
        if (caps.bagsPerMinutePerLane !== null) expect(caps.bagsPerMinutePerLane).toBeGreaterThan(0);
      } finally {
        await adapter.close();
      }
    }, timeoutMs);

    it('lets the event loop run between scans, even when the sink answers at once', async () => {
      const adapter = await makeAdapter();
      // A producer that only awaits resolved promises never lets sockets or timers run.
      let turned = false;
      setImmediate(() => (turned = true));
      let calls = 0;
      const stopped = adapter.start(async () => {
        calls++;
        if (calls >= 3 && !turned) throw new Error('the adapter produced 3 scans without yielding to the event loop');
      });
      try {
        await waitFor(() => calls >= 3, timeoutMs - 1_000, () => `only ${calls} scans arrived`);
      } finally {
        await adapter.close();
        await stopped;
      }
    }, timeoutMs);

    it('produces scans that parse with ScanSubmit, on its declared lanes and views', async () => {
      const adapter = await makeAdapter();
      const scans = await collect(adapter, bags);
      for (const scan of scans) {
        const parsed = ScanSubmit.safeParse(scan);
        expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true);
        expect(adapter.capabilities.lanes).toContain(scan.lane);
        expect(scan.views.map((v) => v.view)).toEqual(adapter.capabilities.views);
      }
    }, timeoutMs);

    it('gives every scan its own scanId', async () => {
      const scans = await collect(await makeAdapter(), bags);
      expect(new Set(scans.map((s) => s.scanId)).size).toBe(scans.length);
    }, timeoutMs);

    it('carries each view as binary u16 images of width × height × 2 bytes, and shows something', async () => {
      const scans = await collect(await makeAdapter(), bags);
      for (const scan of scans) {
        for (const view of scan.views) {
          for (const image of view.encoding === 'dual-energy-u16le' ? [view.low, view.high] : [view.high]) {
            if (image === undefined) throw new Error(`${view.view} view lacks an image`);
            // Binary attachments, never base64 strings or arrays of numbers.
            expect(image instanceof Uint8Array || image instanceof ArrayBuffer).toBe(true);
            expect(image.byteLength).toBe(view.width * view.height * 2);
          }
          expect(view.low).not.toBe(view.high);
          expect(bytesOf(view.high).some((b) => b !== 0), `${scan.scanId} ${view.view} view is empty`).toBe(true);
        }
      }
    }, timeoutMs);

    it('never calls the sink again before the previous call has settled', async () => {
      const adapter = await makeAdapter();
      let outstanding = 0;
      let most = 0;
      let calls = 0;
      const stopped = adapter.start(async () => {
        outstanding++;
        calls++;
        most = Math.max(most, outstanding);
        await delay(5);
        outstanding--;
      });
      try {
        await waitFor(() => calls >= bags, timeoutMs - 1_000, () => `only ${calls} of ${bags} scans arrived`);
      } finally {
        await adapter.close();
        await stopped;
      }
      expect(most).toBe(1);
    }, timeoutMs);

    it('produces nothing while the sink holds a scan, and close() does not wait for that sink call', async () => {
      const adapter = await makeAdapter();
      let calls = 0;
      const stopped = adapter.start(() => {
        calls++;
        return new Promise<void>(() => {});
      });
      await waitFor(() => calls >= 1, timeoutMs - 1_000, () => 'no scan arrived');
      await delay(quietMs);
      expect(calls).toBe(1);
      await adapter.close();
      await stopped;
    }, timeoutMs);

    it('close() stops production: start() resolves and nothing reaches the sink afterwards', async () => {
      const adapter = await makeAdapter();
      let calls = 0;
      const stopped = adapter.start(async () => {
        calls++;
      });
      await waitFor(() => calls >= 2, timeoutMs - 1_000, () => `only ${calls} scans arrived`);
      await adapter.close();
      const atClose = calls;
      await stopped;
      await delay(quietMs);
      expect(calls).toBe(atClose);
      await adapter.close(); // idempotent
    }, timeoutMs);

    it('close() before start() and twice in a row resolves', async () => {
      const adapter = await makeAdapter();
      await adapter.close();
      await adapter.close();
    }, timeoutMs);

    it('stops when the sink fails, and start() rejects with that failure', async () => {
      const adapter = await makeAdapter();
      let calls = 0;
      const failure = new Error('hub link gone');
      const stopped = adapter.start(async () => {
        calls++;
        if (calls === 2) throw failure;
      });
      try {
        await expect(stopped).rejects.toBe(failure);
        await delay(quietMs);
        expect(calls).toBe(2);
      } finally {
        await adapter.close();
      }
    }, timeoutMs);

    it('refuses a second start()', async () => {
      const adapter = await makeAdapter();
      const first = adapter.start(async () => {});
      try {
        await expect(adapter.start(async () => {})).rejects.toThrow();
      } finally {
        await adapter.close();
        await first;
      }
    }, timeoutMs);

    it('never changes a scan after handing it over (the hub link may resend it later)', async () => {
      const adapter = await makeAdapter();
      const first: { scan: ScanSubmitInput; snapshot: string }[] = [];
      let calls = 0;
      const stopped = adapter.start(async (scan) => {
        calls++;
        if (first.length < 2) first.push({ scan, snapshot: fingerprint(scan) });
      });
      try {
        await waitFor(() => calls >= bags, timeoutMs - 1_000, () => `only ${calls} of ${bags} scans arrived`);
      } finally {
        await adapter.close();
        await stopped;
      }
      for (const { scan, snapshot } of first) expect(fingerprint(scan)).toBe(snapshot);
    }, timeoutMs);
  });
}

async function collect(adapter: ScannerAdapter, count: number): Promise<ScanSubmitInput[]> {
  const scans: ScanSubmitInput[] = [];
  let enough: () => void = () => {};
  const gotEnough = new Promise<void>((resolve) => (enough = resolve));
  const stopped = adapter.start(async (scan) => {
    scans.push(scan);
    if (scans.length >= count) enough();
  });
  try {
    await Promise.race([gotEnough, stopped]);
  } finally {
    await adapter.close();
    await stopped;
  }
  expect(scans.length, `the adapter stopped after ${scans.length} of ${count} scans`).toBeGreaterThanOrEqual(count);
  return scans.slice(0, count);
}

function bytesOf(image: Uint8Array | ArrayBuffer): Uint8Array {
  return image instanceof Uint8Array ? image : new Uint8Array(image);
}

/** A cheap content hash of a scan: metadata plus FNV-1a over every image byte. */
function fingerprint(scan: ScanSubmitInput): string {
  const parts: (string | number)[] = [scan.scanId, scan.lane, scan.flight, scan.bagTag, scan.scannedAt];
  for (const view of scan.views) {
    parts.push(view.view, view.width, view.height);
    for (const image of [view.low, view.high]) {
      if (image === undefined) continue;
      let h = 0x811c9dc5;
      for (const b of bytesOf(image)) h = Math.imul(h ^ b, 0x01000193);
      parts.push(h >>> 0);
    }
  }
  return parts.join('|');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(done: () => boolean, timeoutMs: number, why: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(why());
    await delay(5);
  }
}
