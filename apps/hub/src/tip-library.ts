// The Threat Image Projection library on disk: assets/tip/manifest.json and its item files
// (gzip of the encoding in packages/domain/src/tip.ts), built by the scanner simulator:
//   tsx device-adapters/scanner-sim/src/main.ts tip-library --out assets/tip
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { type TipItemPatches, decodeTipItem } from '@clearway/domain';
import { TipManifest, type TipManifestItem } from '@clearway/protocol';

export const DEFAULT_TIP_LIBRARY = resolve(dirname(fileURLToPath(import.meta.url)), '../../../assets/tip');

export interface TipLibraryEntry {
  meta: TipManifestItem;
  patches: TipItemPatches;
}

export interface TipLibrary {
  dir: string;
  manifest: TipManifest;
  /** Items that loaded, in manifest order. */
  items: TipLibraryEntry[];
  /** Items left out, and why (missing file, changed file, unreadable). */
  refused: { id: string; reason: string }[];
}

/** Reads the manifest (a bad one throws) and every item it lists, checking each file's SHA-256. */
export function loadTipLibrary(dir: string): TipLibrary {
  const manifest = TipManifest.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));
  const items: TipLibraryEntry[] = [];
  const refused: { id: string; reason: string }[] = [];
  for (const meta of manifest.items) {
    try {
      const bytes = readFileSync(join(dir, meta.file));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (sha256 !== meta.sha256) throw new Error(`file ${meta.file} has changed (SHA-256 ${sha256.slice(0, 12)}…, manifest ${meta.sha256.slice(0, 12)}…)`);
      const patches = decodeTipItem(new Uint8Array(gunzipSync(bytes)));
      if (patches.top.width !== meta.width || patches.top.height !== meta.height) throw new Error(`patch is ${patches.top.width}×${patches.top.height}, manifest says ${meta.width}×${meta.height}`);
      items.push({ meta, patches });
    } catch (e) {
      refused.push({ id: meta.id, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return { dir, manifest, items, refused };
}
