import { describeScannerConformance } from '@clearway/device-core/conformance';
import { ScanSubmit, type ScanSubmitInput } from '@clearway/protocol';
import { describe, expect, it } from 'vitest';
import { SimulatedScanner } from './scanner.ts';

describeScannerConformance('SimulatedScanner', () => new SimulatedScanner({ id: 'scanner-sim-test', rate: Infinity }), { bags: 4 });
describeScannerConformance('SimulatedScanner, 3 lanes, 2 views', () => new SimulatedScanner({ lanes: 3, views: 2, rate: Infinity, width: 160, height: 120 }));

async function scanAll(scanner: SimulatedScanner): Promise<ScanSubmitInput[]> {
  const scans: ScanSubmitInput[] = [];
  await scanner.start(async (scan) => {
    scans.push(scan);
  });
  return scans;
}

function imageBytes(scan: ScanSubmitInput): Buffer {
  return Buffer.concat(scan.views.flatMap((v) => (v.low ? [v.low, v.high] : [v.high])).map((b) => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b))));
}

describe('SimulatedScanner', () => {
  it('stops after --count bags, taking the lanes in turn', async () => {
    const scanner = new SimulatedScanner({ lanes: 2, count: 5, rate: Infinity, width: 64, height: 48 });
    const scans = await scanAll(scanner);
    expect(scans.map((s) => s.lane)).toEqual(['lane-1', 'lane-2', 'lane-1', 'lane-2', 'lane-1']);
    expect(scanner.bagsScanned).toBe(5);
    for (const scan of scans) {
      expect(ScanSubmit.safeParse(scan).success).toBe(true);
      expect(scan.flight).toBe('CA981');
      expect(scan.bagTag).toMatch(/^0999\d{6}$/);
    }
  });

  it('scans the same bags for the same seed, with fresh scanIds', async () => {
    const options = { seed: 3, count: 3, rate: Infinity, views: 2, width: 96, height: 72 } as const;
    const [a, b] = await Promise.all([scanAll(new SimulatedScanner(options)), scanAll(new SimulatedScanner(options))]);
    expect(a.map((s) => s.bagTag)).toEqual(b.map((s) => s.bagTag));
    a.forEach((scan, i) => {
      const other = b[i] as ScanSubmitInput;
      expect(imageBytes(scan).equals(imageBytes(other))).toBe(true);
      expect(scan.scanId).not.toBe(other.scanId);
    });
    const c = await scanAll(new SimulatedScanner({ ...options, seed: 4 }));
    expect(imageBytes(c[0] as ScanSubmitInput).equals(imageBytes(a[0] as ScanSubmitInput))).toBe(false);
  });

  it('keeps the belt pace: bags per minute per lane', async () => {
    // 2 lanes at 1200 bags/min each: a bag every 25 ms.
    const scanner = new SimulatedScanner({ lanes: 2, rate: 1200, count: 5, width: 32, height: 24 });
    const t0 = performance.now();
    await scanAll(scanner);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(95);
    expect(scanner.capabilities.bagsPerMinutePerLane).toBe(1200);
  });

  it('sends images only: the ground truth (which bag holds what, and where) never reaches the hub', () => {
    const scanner = new SimulatedScanner({ views: 2, threatRate: 1, width: 160, height: 120 });
    for (let i = 0; i < 3; i++) {
      const scan = scanner.scanBag(i);
      expect(Object.keys(scan).sort()).toEqual(['bagTag', 'flight', 'lane', 'scanId', 'scannedAt', 'views']);
      for (const v of scan.views) expect(Object.keys(v).sort()).toEqual(['encoding', 'height', 'high', 'low', 'view', 'width']);
      expect(scan.machineResult).toBeUndefined();
    }
  });

  it('refuses settings that make no sense', () => {
    expect(() => new SimulatedScanner({ lanes: 0 })).toThrow(/lanes/);
    expect(() => new SimulatedScanner({ rate: 0 })).toThrow(/rate/);
    expect(() => new SimulatedScanner({ flight: 'nope' })).toThrow(/flight/);
    expect(() => new SimulatedScanner({ id: 'no spaces' })).toThrow(/device id/);
    expect(() => new SimulatedScanner({ threatRate: 2 })).toThrow(/threatRate/);
  });
});
