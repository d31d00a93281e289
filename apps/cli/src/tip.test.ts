// The committed TIP library against the simulator it was rendered from, the projection inside
// simulated bags, and `pnpm clearway tip …` as a process.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TIP_AIR_MAX, TIP_ATTENUATION_SCALE, TIP_IMPENETRABLE, type TipItemPatches, type TipPatch, type TipView,
  compositeTip, decodeTipItem, encodeTipItem, orientSide, orientTop, planTip, tipRandom,
} from '@clearway/domain';
import { AIR_MAX_U16, ATTENUATION_SCALE, IMPENETRABLE, classifyMaterial } from '@clearway/imaging';
import { THREAT_CLASSES, generateBag, renderTipItem, renderTipPose, type ThreatClass } from '@clearway/scanner-sim';
import { Store } from '@clearway/store';
import { DEFAULT_TIP_LIBRARY, readTipManifest } from './tip.ts';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const ROOT = resolve(dirname(MAIN), '../../..');

const manifest = readTipManifest(DEFAULT_TIP_LIBRARY);
const items = new Map<string, TipItemPatches>();
beforeAll(async () => {
  for (const i of manifest.items) items.set(i.id, decodeTipItem(new Uint8Array(gunzipSync(await readFile(join(DEFAULT_TIP_LIBRARY, i.file))))));
});
const item = (id: string): TipItemPatches => {
  const p = items.get(id);
  if (!p) throw new Error(`no item ${id}`);
  return p;
};

describe('the committed library', () => {
  it('is 16 to 24 items of every simulator class, small, each file as the manifest says', async () => {
    expect(manifest.items.length).toBeGreaterThanOrEqual(16);
    expect(manifest.items.length).toBeLessThanOrEqual(24);
    expect(new Set(manifest.items.map((i) => i.class))).toEqual(new Set(THREAT_CLASSES));
    let bytes = 0;
    for (const i of manifest.items) {
      const file = await readFile(join(DEFAULT_TIP_LIBRARY, i.file));
      bytes += file.byteLength;
      expect(createHash('sha256').update(file).digest('hex'), i.id).toBe(i.sha256);
      expect([item(i.id).top.width, item(i.id).top.height]).toEqual([i.width, i.height]);
    }
    expect(bytes).toBeLessThan(400 * 1024);
    expect(manifest.pitchMm).toBe(1.25);
  });

  it('uses the wire encoding of @clearway/imaging', () => {
    expect([TIP_ATTENUATION_SCALE, TIP_IMPENETRABLE, TIP_AIR_MAX]).toEqual([ATTENUATION_SCALE, IMPENETRABLE, AIR_MAX_U16]);
  });

  it('is rebuilt byte for byte from its seeds', () => {
    for (const i of manifest.items.filter((x) => ['tip-gun-01', 'tip-knife-02', 'tip-lighter-01'].includes(x.id))) {
      const again = gzipSync(encodeTipItem(renderTipItem(i.class as ThreatClass, i.seed).patches), { level: 9 });
      expect(createHash('sha256').update(again).digest('hex'), i.id).toBe(i.sha256);
    }
  });

  it('turns an item the way the simulator turns it: top and side view of a quarter and three quarters turn', () => {
    for (const id of ['tip-knife-02', 'tip-pliers-01']) {
      const meta = manifest.items.find((i) => i.id === id);
      if (!meta) throw new Error(id);
      for (const quarterTurns of [1, 3] as const) {
        const real = renderTipPose(meta.class as ThreatClass, meta.seed, (quarterTurns * Math.PI) / 2);
        const pose = { quarterTurns, mirrored: false };
        for (const [name, ours, theirs] of [['top', orientTop(item(id).top, pose), real.top], ['side', orientSide(item(id), pose), real.side]] as const) {
          expect([ours.width, ours.height], `${id} ${quarterTurns} ${name}`).toEqual([theirs.width, theirs.height]);
          // The same sample points, computed in another order: equal but for float rounding.
          let off = 0;
          for (let k = 0; k < ours.high.length; k++) if (Math.abs((ours.high[k] as number) - (theirs.high[k] as number)) > 2) off++;
          expect(off / ours.high.length, `${id} ${quarterTurns} ${name}`).toBeLessThan(0.01);
        }
      }
    }
  });

  it('colours each item like the real threat: what is added keeps the item\'s own material classes', () => {
    const knife = item('tip-knife-02').top;
    const battery = item('tip-battery-02').top;
    const classes = (p: TipPatch, low: (k: number) => number, high: (k: number) => number) => {
      const out: string[] = [];
      for (let k = 0; k < p.mask.length; k++) if (p.mask[k] && (p.high[k] as number) > AIR_MAX_U16) out.push(classifyMaterial(low(k), high(k)));
      return out;
    };
    const knifeOwn = classes(knife, (k) => knife.low[k] as number, (k) => knife.high[k] as number);
    expect(knifeOwn.filter((c) => c === 'metal').length / knifeOwn.length).toBeGreaterThan(0.5); // a steel blade is blue
    for (const p of [knife, battery]) {
      const bag = generateBag(11, { views: ['top'] }).views[0];
      if (!bag) throw new Error('no view');
      const view: TipView = { view: 'top', width: bag.width, height: bag.height, low: bag.low.slice(), high: bag.high.slice() };
      const x = Math.floor((bag.width - p.width) / 2);
      const y = Math.floor((bag.height - p.height) / 2);
      compositeTip(view, p, x, y, 0, { noise: null });
      const at = (plane: Uint16Array, base: Uint16Array, k: number) => (plane[(y + Math.floor(k / p.width)) * bag.width + x + (k % p.width)] as number) - (base[(y + Math.floor(k / p.width)) * bag.width + x + (k % p.width)] as number);
      const unsaturated = (k: number) => (view.high[(y + Math.floor(k / p.width)) * bag.width + x + (k % p.width)] as number) < IMPENETRABLE && ((view.low as Uint16Array)[(y + Math.floor(k / p.width)) * bag.width + x + (k % p.width)] as number) < IMPENETRABLE;
      const own = classes(p, (k) => p.low[k] as number, (k) => p.high[k] as number);
      const added = classes(p, (k) => (unsaturated(k) ? at(view.low as Uint16Array, bag.low, k) : (p.low[k] as number)), (k) => (unsaturated(k) ? at(view.high, bag.high, k) : (p.high[k] as number)));
      expect(added).toEqual(own);
    }
  });
});

describe('projection into simulated bags', () => {
  it('finds room in nearly every bag, and the item lies on the bag in both views, never on the belt', () => {
    const library = manifest.items.map((i) => item(i.id));
    let placed = 0;
    const bags = 16;
    for (let seed = 100; seed < 100 + bags; seed++) {
      const bag = generateBag(seed, { views: ['top', 'side'] });
      const views: TipView[] = bag.views.map((v) => ({ view: v.view, width: v.width, height: v.height, low: v.low, high: v.high }));
      const plan = planTip(views, library, tipRandom(seed));
      if (!plan) continue;
      placed++;
      expect(plan.placements.map((p) => views[p.viewIndex]?.view)).toEqual(['top', 'side']);
      for (const p of plan.placements) {
        const v = views[p.viewIndex] as TipView;
        let onBelt = 0;
        for (let k = 0; k < p.patch.mask.length; k++) {
          if (!p.patch.mask[k]) continue;
          const i = (p.y + Math.floor(k / p.patch.width)) * v.width + p.x + (k % p.patch.width);
          if ((v.high[i] as number) <= AIR_MAX_U16) onBelt++;
        }
        expect(onBelt, `bag ${seed} ${v.view}`).toBe(0);
      }
    }
    expect(placed).toBeGreaterThanOrEqual(bags - 2);
  }, 120_000);
});

describe('pnpm clearway tip', () => {
  let dir: string;
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'clearway-cli-tip-')); });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });
  const cli = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, '--data', dir, ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });

  it('sets the rate, switches items, lists them, and refuses what it does not know', async () => {
    expect(await cli('tip', 'rate', '5')).toMatchObject({ code: 0, stdout: '{"rate":0.05,"percent":5}\n' });
    expect(await cli('tip', 'disable', 'tip-hammer-02')).toMatchObject({ code: 0 });
    const listed = await cli('tip', 'list');
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; enabled: boolean });
    expect(lines.map((l) => l.id)).toEqual(manifest.items.map((i) => i.id));
    expect(lines.filter((l) => !l.enabled).map((l) => l.id)).toEqual(['tip-hammer-02']);
    const unknown = await cli('tip', 'enable', 'tip-nothing-99');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no TIP item tip-nothing-99/);
    expect((await cli('tip', 'rate', '120')).code).not.toBe(0);
    const store = Store.open(dir);
    try {
      expect(store.settings.effective('tip.projection')).toEqual({ rate: 0.05, items: { 'tip-hammer-02': false } });
      expect([...store.audit.entries()].filter((e) => e.type === 'config.changed' && e.subjectId === 'tip.projection')).toHaveLength(2);
    } finally {
      await store.close();
    }
  }, 180_000);
});
