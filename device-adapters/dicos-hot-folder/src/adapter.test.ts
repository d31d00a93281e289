import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeScannerConformance } from '@clearway/device-core/conformance';
import { readDicos } from '@clearway/dicos';
import { ScanSubmit, type ScanSubmitInput } from '@clearway/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import { DicosHotFolder, type DicosHotFolderOptions } from './adapter.ts';
import { bagTagFor, scanIdFor } from './scan.ts';
import { drop, dxFixture, removeTempDirs, tdrFixture, tempDir } from './test-fixtures.ts';

afterAll(removeTempDirs);

/** A folder already holding `count` DX files. */
async function folderWith(count: number): Promise<string> {
  const dir = await tempDir();
  for (let i = 0; i < count; i++) await drop(dir, `bag-${String(i).padStart(4, '0')}.dcm`, dxFixture(i).bytes);
  return dir;
}

describeScannerConformance('DicosHotFolder', async () => new DicosHotFolder({ id: 'dicos-hf-test', inDir: await folderWith(8), pollMs: 10, tdrWaitMs: 0 }), { bags: 6 });

function hotFolder(inDir: string, options: Partial<DicosHotFolderOptions> = {}): DicosHotFolder {
  return new DicosHotFolder({ id: 'dicos-hf-test', inDir, pollMs: 10, tdrWaitMs: 200, ...options });
}

/** Runs the adapter until `count` scans arrived (or `timeoutMs`), then closes it. */
async function collect(adapter: DicosHotFolder, count: number, timeoutMs = 15_000): Promise<ScanSubmitInput[]> {
  const scans: ScanSubmitInput[] = [];
  let done: () => void = () => {};
  const enough = new Promise<void>((resolve) => (done = resolve));
  const stopped = adapter.start(async (scan) => {
    scans.push(scan);
    if (scans.length >= count) done();
  });
  await Promise.race([enough, stopped, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
  await adapter.close();
  await stopped;
  return scans;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000, explain?: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out${explain ? `: ${await explain()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('DicosHotFolder', { timeout: 20_000 }, () => {
  it('pairs an image with its TDR, whichever arrives first, and moves both to processed/', async () => {
    const dir = await tempDir();
    const a = dxFixture(1, { accessionNumber: '0999000111' });
    const b = dxFixture(2);
    await drop(dir, 'a-tdr.dcm', tdrFixture(a)); // TDR first
    await drop(dir, 'a.dcm', a.bytes);
    await drop(dir, 'b.dcm', b.bytes);
    await drop(dir, 'b-tdr.dcm', tdrFixture(b, { x: 1, y: 2, width: 3, height: 4 })); // TDR after
    const scans = await collect(hotFolder(dir, { tdrWaitMs: 1000 }), 2);
    expect(scans).toHaveLength(2);
    for (const scan of scans) expect(ScanSubmit.safeParse(scan).success).toBe(true);
    const byUid = new Map(scans.map((s) => [s.source?.sopInstanceUid, s]));
    const sa = byUid.get(a.sopInstanceUid);
    const sb = byUid.get(b.sopInstanceUid);
    expect(sa).toMatchObject({
      scanId: scanIdFor(a.sopInstanceUid), bagTag: '0999000111', lane: 'lane-1', flight: 'ZZ0000',
      views: [{ view: 'top', width: 48, height: 32, encoding: 'single-energy-u16le' }],
      machineResult: { algorithm: 'VendorX ATR 4.2', alarm: true, processingMs: 35, detections: [{ id: '1', label: 'knife', category: 'PROHIBITED_ITEM', score: 0.75, box: { view: 'top', x: 10, y: 8, width: 20, height: 12 } }] },
      source: { standard: 'dicos', sopInstanceUid: a.sopInstanceUid, seriesInstanceUid: a.seriesInstanceUid, studyInstanceUid: a.studyInstanceUid, modality: 'DX', fileName: 'a.dcm' },
    });
    expect(sb?.machineResult?.detections[0]?.box).toEqual({ view: 'top', x: 1, y: 2, width: 3, height: 4 });
    expect(sb?.bagTag).toBe(bagTagFor({ sopInstanceUid: b.sopInstanceUid }, 'b.dcm'));
    await waitFor(async () => (await readdir(join(dir, 'processed'))).length === 4);
    expect((await readdir(join(dir, 'processed'))).sort()).toEqual(['a-tdr.dcm', 'a.dcm', 'b-tdr.dcm', 'b.dcm']);
  });

  it('sends an image without a machine result once its TDR wait is over', async () => {
    const dir = await tempDir();
    await drop(dir, 'lonely-0999123456.dcm', dxFixture(3).bytes);
    const t0 = Date.now();
    const [scan] = await collect(hotFolder(dir, { tdrWaitMs: 150 }), 1);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect(scan?.machineResult).toBeUndefined();
    expect(scan?.bagTag).toBe('0999123456'); // digits of the file name
  });

  it('quarantines corrupt, truncated and unsupported files with a reason, and carries on', async () => {
    const dir = await tempDir();
    const good = dxFixture(4);
    await writeFile(join(dir, '0-garbage.dcm'), 'this is not a DICOS file at all');
    await writeFile(join(dir, '1-truncated.dcm'), good.bytes.subarray(0, good.bytes.byteLength - 100));
    const bigEndian = Buffer.from(dxFixture(6).bytes);
    const ts = '1.2.840.10008.1.2.1\0';
    const at = bigEndian.indexOf(ts, 132, 'latin1');
    expect(at).toBeGreaterThan(0);
    // 1.2.840.10008.1.2.2 (big endian) has the same length as the explicit LE UID padded: swap it in.
    bigEndian.write('1.2.840.10008.1.2.2\0', at, 'latin1');
    await writeFile(join(dir, '2-big-endian.dcm'), bigEndian);
    await drop(dir, '3-good.dcm', good.bytes);
    // The adapter keeps running until the bad files are quarantined too: it may take the good
    // file first (files are taken in no promised order), and closing then would leave them.
    const adapter = hotFolder(dir, { tdrWaitMs: 0 });
    const scans: ScanSubmitInput[] = [];
    const stopped = adapter.start(async (s) => {
      scans.push(s);
    });
    const quarantine = join(dir, 'quarantine');
    try {
      await waitFor(async () => scans.length === 1 && (await readdir(quarantine)).length === 6, 15_000, async () => `${scans.length} scans; quarantine/ holds ${JSON.stringify(await readdir(quarantine).catch(() => []))}`);
    } finally {
      await adapter.close();
      await stopped;
    }
    expect(scans[0]?.source?.sopInstanceUid).toBe(good.sopInstanceUid);
    const reasons = Object.fromEntries(await Promise.all(['0-garbage.dcm', '1-truncated.dcm', '2-big-endian.dcm'].map(async (name) => {
      const body = JSON.parse(await readFile(join(quarantine, `${name}.reason.json`), 'utf8')) as { reason: string; message: string; at: string };
      expect(Date.parse(body.at)).not.toBeNaN();
      expect(body.message.length).toBeGreaterThan(10);
      return [name, body.reason];
    })));
    expect(reasons).toEqual({ '0-garbage.dcm': 'not-dicom', '1-truncated.dcm': 'truncated', '2-big-endian.dcm': 'unsupported-transfer-syntax' });
    expect(await readdir(join(dir, 'processed'))).toEqual(['3-good.dcm']);
  });

  it('waits for a file to stop growing, and ignores .part files until renamed', async () => {
    const dir = await tempDir();
    const image = dxFixture(7);
    await writeFile(join(dir, 'slow.dcm.part'), image.bytes);
    const half = image.bytes.subarray(0, 400);
    await writeFile(join(dir, 'growing.dcm'), half);
    const adapter = hotFolder(dir, { pollMs: 40, tdrWaitMs: 0 });
    const scans: ScanSubmitInput[] = [];
    const stopped = adapter.start(async (scan) => {
      scans.push(scan);
    });
    // Keep appending for a while: the half-written file must not be taken (nor quarantined).
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 15));
      await writeFile(join(dir, 'growing.dcm'), image.bytes.subarray(0, 400 + i * 50));
    }
    await writeFile(join(dir, 'growing.dcm'), dxFixture(8).bytes);
    await waitFor(async () => scans.length === 1);
    expect(scans[0]?.source?.fileName).toBe('growing.dcm');
    expect(await readdir(join(dir, 'quarantine'))).toEqual([]);
    const { rename } = await import('node:fs/promises');
    await rename(join(dir, 'slow.dcm.part'), join(dir, 'slow.dcm'));
    await waitFor(async () => scans.length === 2);
    expect(scans[1]?.source?.sopInstanceUid).toBe(image.sopInstanceUid);
    await adapter.close();
    await stopped;
  });

  it('gives the same file the same scanId when it is dropped again', async () => {
    const dir = await tempDir();
    const image = dxFixture(9);
    await drop(dir, 'x.dcm', image.bytes);
    const [first] = await collect(hotFolder(dir, { tdrWaitMs: 0 }), 1);
    await drop(dir, 'x.dcm', image.bytes);
    const [second] = await collect(hotFolder(dir, { tdrWaitMs: 0 }), 1);
    expect(first?.scanId).toBe(second?.scanId);
    expect(first?.scanId).toBe(scanIdFor(image.sopInstanceUid));
    expect(scanIdFor(image.sopInstanceUid)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Two processed copies, the second renamed.
    expect((await readdir(join(dir, 'processed'))).length).toBe(2);
  });

  it('quarantines the files of a scan the hub refused', async () => {
    const dir = await tempDir();
    const image = dxFixture(10);
    await drop(dir, 'refused.dcm', image.bytes);
    await drop(dir, 'refused-tdr.dcm', tdrFixture(image));
    const adapter = hotFolder(dir);
    const stopped = adapter.start(async (scan) => adapter.refuse(scan.scanId, 'hub-invalid', 'views.0.width: too wide'));
    await waitFor(async () => (await readdir(join(dir, 'quarantine'))).length === 4);
    await adapter.close();
    await stopped;
    const body = JSON.parse(await readFile(join(dir, 'quarantine', 'refused.dcm.reason.json'), 'utf8')) as { reason: string };
    expect(body.reason).toBe('hub-invalid');
    // The quarantined file is the original, still readable.
    expect(readDicos(await readFile(join(dir, 'quarantine', 'refused.dcm'))).sopInstanceUid).toBe(image.sopInstanceUid);
  });

  it('refuses settings that make no sense', () => {
    expect(() => new DicosHotFolder({ id: 'no spaces', inDir: '/tmp' })).toThrow(/device id/);
    expect(() => new DicosHotFolder({ id: 'x', inDir: '/tmp', flight: 'nope' })).toThrow(/flight/);
    expect(() => new DicosHotFolder({ id: 'x', inDir: '/tmp', views: ['top', 'top'] })).toThrow(/views/);
    expect(() => new DicosHotFolder({ id: 'x', inDir: '/tmp', pollMs: 0 })).toThrow(/pollMs/);
  });
});
