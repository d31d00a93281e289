// `pnpm clearway tip …`: the Threat Image Projection library and how much of it the hub projects.
// A running hub reads the setting again within a second; nothing needs a restart.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { InvalidArgumentError, type Command } from 'commander';
import { encodeTipItem } from '@clearway/domain';
import { ATTENUATION_SCALE } from '@clearway/imaging';
import { TipManifest, type TipManifestItem } from '@clearway/protocol';
import { GENERATOR_VERSION, TIP_LIBRARY_SEED, TIP_PITCH_CM, renderTipLibrary } from '@clearway/scanner-sim';
import { StoreError, type Store } from '@clearway/store';
import { cliActor } from './audit.ts';

type Run = (action: (store: Store) => Promise<void> | void) => Promise<void>;

export const DEFAULT_TIP_LIBRARY = resolve(dirname(fileURLToPath(import.meta.url)), '../../../assets/tip');

/** The library's files: manifest.json and items/<id>.tip.gz, from one seed (the same seed, the same bytes). */
export function buildTipLibrary(seed = TIP_LIBRARY_SEED): { manifest: TipManifest; files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  const counts = new Map<string, number>();
  const items: TipManifestItem[] = renderTipLibrary(seed).map((item) => {
    const n = (counts.get(item.label) ?? 0) + 1;
    counts.set(item.label, n);
    const id = `tip-${item.label}-${String(n).padStart(2, '0')}`;
    const file = `items/${id}.tip.gz`;
    // Node's gzip header carries no time: the bytes depend on the seed alone.
    const bytes = gzipSync(encodeTipItem(item.patches), { level: 9 });
    files.set(file, bytes);
    const { width, height } = item.patches.top;
    const cm = (px: number): string => (px * TIP_PITCH_CM).toFixed(0);
    return {
      id, class: item.label, description: `${item.name}, ${cm(Math.max(width, height))} × ${cm(Math.min(width, height))} cm`,
      file, sha256: createHash('sha256').update(bytes).digest('hex'), width, height, enabled: true, seed: item.seed,
    };
  });
  const manifest = TipManifest.parse({
    format: 'clearway-tip-library', version: 1, pitchMm: TIP_PITCH_CM * 10, attenuationScale: ATTENUATION_SCALE,
    generator: { tool: 'clearway tip build (scanner-sim threat models)', simulatorVersion: GENERATOR_VERSION, seed }, items,
  });
  return { manifest, files };
}

export function readTipManifest(dir: string): TipManifest {
  return TipManifest.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
}

function percentArg(value: string): number {
  const n = Number(value.replace(/%$/, ''));
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('a percentage from 0 to 100');
  return n;
}

function countArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer');
  return n;
}

export function registerTipCommands(program: Command, run: Run): void {
  const tip = program.command('tip').description('Threat Image Projection: fictional threat items the hub projects into a share of bags')
    .option('--library <dir>', 'TIP library folder', DEFAULT_TIP_LIBRARY);
  const library = (): string => resolve(tip.opts<{ library: string }>().library);

  const switchItem = (id: string, enabled: boolean) => run((store) => {
    const item = readTipManifest(library()).items.find((i) => i.id === id);
    if (!item) throw new StoreError('not-found', `no TIP item ${id} in ${library()} (see \`tip list\`)`);
    const current = store.settings.effective('tip.projection');
    store.settings.set('tip.projection', { ...current, items: { ...current.items, [id]: enabled } }, cliActor());
    console.log(JSON.stringify({ id, class: item.class, description: item.description, enabled }));
  });

  tip.command('list')
    .description('the library\'s items, one JSON object per line: enabled now, projections, hits and misses so far')
    .action(() => run((store) => {
      const settings = store.settings.effective('tip.projection');
      const stats = store.tip.itemStats();
      for (const i of readTipManifest(library()).items) {
        console.log(JSON.stringify({
          id: i.id, class: i.class, description: i.description, enabled: settings.items[i.id] ?? i.enabled,
          projections: 0, hits: 0, misses: 0, ...stats.get(i.id),
        }));
      }
    }));

  tip.command('enable').description('project this item from now on').argument('<id>', 'item ID (see tip list)')
    .action((id: string) => switchItem(id, true));
  tip.command('disable').description('stop projecting this item').argument('<id>', 'item ID (see tip list)')
    .action((id: string) => switchItem(id, false));

  tip.command('rate')
    .description('the share of bags that get a projected item (default 3 %); without PERCENT, prints it')
    .argument('[percent]', 'percentage of bags, 0 to 100 (0 turns projection off)', percentArg)
    .action((percent: number | undefined) => run((store) => {
      const current = store.settings.effective('tip.projection');
      if (percent !== undefined) store.settings.set('tip.projection', { ...current, rate: percent / 100 }, cliActor());
      const rate = percent === undefined ? current.rate : percent / 100;
      console.log(JSON.stringify({ rate, percent: Math.round(rate * 10_000) / 100 }));
    }));

  tip.command('results')
    .description('recent projections, newest first, one JSON object per line, with the officer\'s response (hit, miss, timed-out)')
    .option('--limit <n>', 'how many', countArg, 20)
    .action((o: { limit: number }) => run((store) => {
      for (const p of store.tip.recent(o.limit)) {
        const bag = store.screening.bag(p.bagId);
        console.log(JSON.stringify({
          bagId: p.bagId, bagTag: bag?.bagTag, itemId: p.itemId, class: p.itemClass, boxes: p.boxes, projectedAt: p.projectedAt,
          outcome: p.response?.outcome ?? null, officerId: p.response?.officerId ?? null, decidedAt: p.response?.decidedAt ?? null,
        }));
      }
    }));

  tip.command('build')
    .description('render the library from the scanner simulator\'s threat models (manifest.json, items/) into the library folder')
    .option('--seed <n>', 'library seed: the same seed writes the same files', (v) => { const n = Number(v); if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('a whole number'); return n; }, TIP_LIBRARY_SEED)
    .action(async (o: { seed: number }) => {
      const out = library();
      const { manifest, files } = buildTipLibrary(o.seed);
      await rm(join(out, 'items'), { recursive: true, force: true });
      await mkdir(join(out, 'items'), { recursive: true });
      for (const [path, bytes] of files) await writeFile(join(out, path), bytes);
      await writeFile(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      const bytes = [...files.values()].reduce((n, b) => n + b.byteLength, 0);
      for (const i of manifest.items) console.log(JSON.stringify({ id: i.id, class: i.class, description: i.description, width: i.width, height: i.height }));
      console.error(`clearway: wrote ${manifest.items.length} TIP items (${Math.round(bytes / 1024)} KiB) to ${out}`);
    });
}
