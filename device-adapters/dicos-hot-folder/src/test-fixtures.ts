/** Fixture files for the hot folder's tests: small DX images and their machine TDRs, made with @clearway/dicos. */
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SOP_CLASS, newUid, writeDxImage, writeMachineTdr } from '@clearway/dicos';

export interface FixtureImage {
  bytes: Uint8Array;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
}

/** A small DX image with a dark block (something to see), `index` varying its content. */
export function dxFixture(index: number, options: { accessionNumber?: string; width?: number; height?: number; transferSyntax?: 'explicit' | 'implicit' } = {}): FixtureImage {
  const width = options.width ?? 48;
  const height = options.height ?? 32;
  const pixels = new Array<number>(width * height).fill(60000);
  for (let y = 8; y < 20; y++) for (let x = 10 + (index % 5); x < 30; x++) pixels[y * width + x] = 9000 + index * 100;
  const sopInstanceUid = newUid();
  const seriesInstanceUid = newUid();
  const studyInstanceUid = newUid();
  const bytes = writeDxImage({
    rows: height, columns: width, pixels, sopInstanceUid, seriesInstanceUid, studyInstanceUid,
    ...(options.accessionNumber === undefined ? {} : { accessionNumber: options.accessionNumber }),
    ...(options.transferSyntax === undefined ? {} : { transferSyntax: options.transferSyntax }),
  });
  return { bytes, sopInstanceUid, seriesInstanceUid, studyInstanceUid };
}

/** A machine TDR for an image with one knife box. */
export function tdrFixture(image: FixtureImage, box = { x: 10, y: 8, width: 20, height: 12 }): Uint8Array {
  return writeMachineTdr({
    imageSopInstanceUid: image.sopInstanceUid, imageSopClassUid: SOP_CLASS.dxForPresentation, studyInstanceUid: image.studyInstanceUid,
    imageSeriesInstanceUid: image.seriesInstanceUid, algorithm: 'VendorX ATR 4.2', alarm: true, processingMs: 35,
    ptos: [{ category: 'PROHIBITED_ITEM', label: 'knife', probability: 0.75, box }],
  });
}

/** Drops a file the way scanners should: written as `<name>.part`, then renamed. */
export async function drop(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  await writeFile(join(dir, `${name}.part`), bytes);
  await rename(join(dir, `${name}.part`), join(dir, name));
}

const made: string[] = [];

/** A fresh temporary folder, removed by `removeTempDirs()`. */
export async function tempDir(prefix = 'clearway-dicos-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}
