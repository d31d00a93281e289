/** Reading naturalized dcmjs values, which come as scalars, arrays, PN objects or sequences. */
import type { NaturalDataset } from './dcm.ts';

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** A string value, trailing padding removed; undefined when absent or empty. */
export function str(ds: NaturalDataset, key: string): string | undefined {
  let v = first(ds[key]);
  if (v && typeof v === 'object' && 'Alphabetic' in v) v = (v as { Alphabetic?: unknown }).Alphabetic;
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return undefined;
  const s = v.replace(/[\0 ]+$/, '').replace(/^ +/, '');
  return s === '' ? undefined : s;
}

/** All values of a multi-valued string attribute. */
export function strs(ds: NaturalDataset, key: string): string[] {
  const v = ds[key];
  const list = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
  return list.filter((x): x is string => typeof x === 'string').map((s) => s.trim()).filter((s) => s !== '');
}

/** A number (US, FL, DS, IS…); undefined when absent or not a finite number. */
export function num(ds: NaturalDataset, key: string): number | undefined {
  const v = first(ds[key]);
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** All values of a multi-valued numeric attribute; undefined unless every value is a finite number. */
export function nums(ds: NaturalDataset, key: string): number[] | undefined {
  const v = ds[key];
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? v : [v];
  const out = list.map((x) => (typeof x === 'number' ? x : typeof x === 'string' ? Number(x) : NaN));
  return out.length > 0 && out.every((n) => Number.isFinite(n)) ? out : undefined;
}

/** The items of a sequence (empty when absent). */
export function seq(ds: NaturalDataset, key: string): NaturalDataset[] {
  const v = ds[key];
  const list = Array.isArray(v) ? v : v && typeof v === 'object' ? [v] : [];
  return list.filter((item): item is NaturalDataset => typeof item === 'object' && item !== null && !ArrayBuffer.isView(item) && !(item instanceof ArrayBuffer));
}

/** Binary value (OB/OW/OF/OD) as one byte view: dcmjs gives a view, an ArrayBuffer or a list of them. */
export function binary(ds: NaturalDataset, key: string): Uint8Array | undefined {
  const v = ds[key];
  if (v === undefined || v === null) return undefined;
  const parts = (Array.isArray(v) ? v : [v]).map((p): Uint8Array | null => {
    if (p instanceof ArrayBuffer) return new Uint8Array(p);
    if (ArrayBuffer.isView(p)) return new Uint8Array(p.buffer, p.byteOffset, p.byteLength);
    return null;
  });
  if (parts.some((p) => p === null)) return undefined;
  const views = parts as Uint8Array[];
  if (views.length === 1) return views[0];
  const out = new Uint8Array(views.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of views) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** ISO 8601 of a DICOM DT (YYYYMMDDHHMMSS.FFFFFF&ZZXX), or DA + TM; `zone` (±HHMM) applies when the value has none. */
export function dicomDateTimeToIso(dt: string | undefined, zone?: string): string | undefined {
  if (!dt) return undefined;
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,6}))?([+-]\d{4})?$/.exec(dt.trim());
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac, ownZone] = m;
  const z = ownZone ?? (zone && /^[+-]\d{4}$/.test(zone) ? zone : undefined);
  const ms = frac ? `.${frac.padEnd(3, '0').slice(0, 3)}` : '.000';
  const local = `${y}-${mo}-${d}T${h}:${mi}:${s}${ms}`;
  const iso = z ? `${local}${z.slice(0, 3)}:${z.slice(3)}` : new Date(`${local}`).toISOString(); // no zone: the machine's local time
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return undefined;
  return new Date(t).toISOString();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A DICOM DT in UTC: YYYYMMDDHHMMSS.FFFFFF+0000. */
export function toDicomDateTime(date: Date): string {
  return `${toDicomDate(date)}${toDicomTime(date)}+0000`;
}

/** A DICOM DA in UTC: YYYYMMDD. */
export function toDicomDate(date: Date): string {
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;
}

/** A DICOM TM in UTC: HHMMSS.FFFFFF. */
export function toDicomTime(date: Date): string {
  return `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}000`;
}
