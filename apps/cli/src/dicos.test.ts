// `pnpm clearway dicos inspect FILE` as a process: one JSON object on stdout and exit 0, or a clear error and exit 1.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOP_CLASS, writeDxImage, writeMachineTdr } from '@clearway/dicos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const ROOT = resolve(dirname(MAIN), '../../..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clearway-cli-dicos-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('clearway dicos inspect', () => {
  it('prints exactly one JSON object for an image and for a TDR', async () => {
    const image = join(dir, 'image.dcm');
    await writeFile(image, writeDxImage({ rows: 2, columns: 3, frames: 2, pixels: new Array(12).fill(7), transferSyntax: 'implicit', sopInstanceUid: '1.2.3.4' }));
    const tdr = join(dir, 'tdr.dcm');
    await writeFile(tdr, writeMachineTdr({
      imageSopInstanceUid: '1.2.3.4', imageSopClassUid: SOP_CLASS.dxForPresentation, algorithm: 'VendorX ATR 4.2', alarm: true,
      ptos: [{ category: 'PROHIBITED_ITEM', label: 'knife', box: { x: 1, y: 2, width: 3, height: 4 } }],
    }));
    const [a, b] = await Promise.all([cli('dicos', 'inspect', image), cli('dicos', 'inspect', tdr)]);
    expect(a.code).toBe(0);
    expect(a.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(a.stdout)).toMatchObject({
      sopClassUid: SOP_CLASS.dxForPresentation, sopInstanceUid: '1.2.3.4', modality: 'DX', transferSyntaxUid: '1.2.840.10008.1.2',
      transferSyntax: 'Implicit VR Little Endian', rows: 2, columns: 3, frames: 2, bitsAllocated: 16, pixelRepresentation: 0,
    });
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout)).toMatchObject({
      sopClass: 'DICOS Threat Detection Report', tdrType: 'MACHINE', alarmDecision: 'ALARM', referencedSopInstanceUid: '1.2.3.4',
      ptos: [{ id: 1, category: 'PROHIBITED_ITEM', label: 'knife', box: { x: 1, y: 2, width: 3, height: 4 } }],
    });
  }, 60_000);

  it('exits 1 with the reason on stderr for a bad or missing file', async () => {
    const bad = join(dir, 'bad.dcm');
    await writeFile(bad, Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from('not really')]));
    const [corrupt, missing] = await Promise.all([cli('dicos', 'inspect', bad), cli('dicos', 'inspect', join(dir, 'nope.dcm'))]);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stdout).toBe('');
    expect(corrupt.stderr).toMatch(/bad\.dcm: (truncated|not-dicom):/);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.dcm/);
  }, 60_000);
});
