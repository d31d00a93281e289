import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { THREAT_CLASSES, generateBag } from './bag-generator.ts';
import { datasetBagSeed, writeDataset } from './dataset.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'scanner-sim-dataset-'));
  dirs.push(d);
  return d;
}

describe('writeDataset', () => {
  it('writes PNGs and YOLO labels that read back as the generator\'s ground truth', async () => {
    const out = await tempDir();
    const progress: number[] = [];
    const summary = await writeDataset({ out, count: 5, seed: 9, views: 2, threatRate: 0.7, onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([1, 2, 3, 4, 5]);
    const images = (await readdir(join(out, 'images'))).sort();
    const labels = (await readdir(join(out, 'labels'))).sort();
    expect(images).toHaveLength(10);
    expect(labels).toEqual(images.map((n) => n.replace(/\.png$/, '.txt')));
    expect(await readFile(join(out, 'classes.txt'), 'utf8')).toBe(`${THREAT_CLASSES.join('\n')}\n`);
    expect(await readFile(join(out, 'data.yaml'), 'utf8')).toContain('names: [gun, knife, wrench, pliers, scissors, battery, lighter, hammer]');
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ seed: 9, count: 5, views: 2, images: 10, generatorVersion: expect.any(String) });

    let lines = 0;
    for (let i = 0; i < 5; i++) {
      const bag = generateBag(datasetBagSeed(9, i), { views: ['top', 'side'], threatRate: 0.7 });
      for (const view of bag.views) {
        const name = `s9-${String(i).padStart(6, '0')}-${view.view}`;
        const png = decode(await readFile(join(out, 'images', `${name}.png`)));
        expect([png.width, png.height, png.channels]).toEqual([view.width, view.height, 3]);
        const text = await readFile(join(out, 'labels', `${name}.txt`), 'utf8');
        const rows = text.split('\n').filter((l) => l.length > 0).map((l) => l.split(' ').map(Number));
        const truth = bag.threats.flatMap((t) => t.boxes.filter((b) => b.view === view.view).map((b) => ({ label: t.label, b })));
        expect(rows).toHaveLength(truth.length);
        rows.forEach((row, k) => {
          const [cls, cx, cy, w, h] = row as [number, number, number, number, number];
          const want = truth[k];
          if (!want) throw new Error('missing box');
          expect(THREAT_CLASSES[cls]).toBe(want.label);
          for (const v of [cx, cy, w, h]) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
          }
          // Back to pixels: the generator's box to within the 6 decimals written.
          expect((cx - w / 2) * view.width).toBeCloseTo(want.b.x, 2);
          expect((cy - h / 2) * view.height).toBeCloseTo(want.b.y, 2);
          expect(w * view.width).toBeCloseTo(want.b.width, 2);
          expect(h * view.height).toBeCloseTo(want.b.height, 2);
        });
        lines += rows.length;
      }
    }
    expect(summary.boxes).toBe(lines);
  }, 120_000);

  it('writes the same files for the same seed, and empty label files for bags without threats', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await writeDataset({ out: a, count: 3, seed: 4, threatRate: 0 });
    await writeDataset({ out: b, count: 3, seed: 4, threatRate: 0 });
    for (const sub of ['images', 'labels']) {
      const files = (await readdir(join(a, sub))).sort();
      expect(files).toHaveLength(3);
      for (const f of files) expect((await readFile(join(a, sub, f))).equals(await readFile(join(b, sub, f)))).toBe(true);
    }
    for (const f of await readdir(join(a, 'labels'))) expect(await readFile(join(a, 'labels', f), 'utf8')).toBe('');
    expect(await readFile(join(a, 'manifest.json'), 'utf8')).toBe(await readFile(join(b, 'manifest.json'), 'utf8'));
  }, 120_000);
});
