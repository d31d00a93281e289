/**
 * Schedule files: a day's arrivals as CSV or JSON, read into `FlightArrival`s. Each row is checked
 * on its own; a bad row is reported with its line number and the reason, and skipped, and the
 * rest loads. Pure: text in, arrivals and problems out.
 *
 * CSV: a header row, then one flight per row (RFC 4180: quoted fields may hold commas, quotes
 * doubled, line breaks). Blank lines and lines starting with `#` are skipped. JSON: an array of
 * objects with the same keys. Keys are those of `ScheduleRow`, in camelCase or snake_case, and a
 * few schedule words: `sta`, `eta`, `pax`, `type`.
 */
import { FlightArrival, ScheduleRow, serviceDateOf, type FlightArrival as Arrival } from '@clearway/protocol';
import { offsetText, parseOffset } from './time.ts';

export type ScheduleFormat = 'csv' | 'json';

export interface ScheduleProblem {
  /** 1-based line in the file where the row starts. */
  line: number;
  reason: string;
  /** The row's flight number, when it has a readable one. */
  flight?: string;
}

export interface ParsedSchedule {
  arrivals: Arrival[];
  /** Line of each arrival, in the same order. */
  lines: number[];
  problems: ScheduleProblem[];
  /** Rows read (good and bad). */
  rows: number;
}

export interface ScheduleParseOptions {
  /**
   * Offset from UTC for times written as HH:MM on the row's date ("+08:00"). Default "Z" (UTC).
   * Full timestamps carry their own offset.
   */
  utcOffset?: string;
}

type RowKey = keyof ScheduleRow;

const ALIASES: Record<string, RowKey> = { sta: 'scheduledOnBlock', eta: 'estimatedOnBlock', pax: 'passengers', type: 'aircraft', aircrafttype: 'aircraft' };
const KEYS: Record<string, RowKey> = Object.fromEntries(
  (Object.keys(ScheduleRow.shape) as RowKey[]).map((k) => [normaliseKey(k), k]),
);

function normaliseKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The row key a column or JSON key names, or null for an unknown one. */
export function rowKeyOf(name: string): RowKey | null {
  const n = normaliseKey(name);
  return KEYS[n] ?? ALIASES[n] ?? null;
}

/** Reads a schedule file's text. */
export function parseSchedule(text: string, format: ScheduleFormat, options: ScheduleParseOptions = {}): ParsedSchedule {
  const offset = parseOffset(options.utcOffset ?? 'Z');
  if (offset === null) throw new RangeError(`utcOffset ${JSON.stringify(options.utcOffset)}: write it as +08:00, -05:30 or Z`);
  const raw = format === 'csv' ? csvRows(text) : jsonRows(text);
  const out: ParsedSchedule = { arrivals: [], lines: [], problems: [...raw.problems], rows: raw.count };
  const seen = new Map<string, number>();
  for (const { line, fields } of raw.rows) {
    const result = rowToArrival(fields, offset);
    const flight = typeof fields['flight'] === 'string' && fields['flight'].trim() ? fields['flight'].trim().toUpperCase() : undefined;
    if (!result.ok) {
      out.problems.push({ line, reason: result.reason, ...(flight ? { flight } : {}) });
      continue;
    }
    const key = `${result.arrival.flight}/${serviceDateOf(result.arrival)}`;
    const first = seen.get(key);
    if (first !== undefined) {
      out.problems.push({ line, reason: `${key} is already on line ${first}`, flight: result.arrival.flight });
      continue;
    }
    seen.set(key, line);
    out.arrivals.push(result.arrival);
    out.lines.push(line);
  }
  out.problems.sort((a, b) => a.line - b.line);
  return out;
}

/** One row (text or JSON values by row key) to an arrival, or the reason it is not one. */
export function rowToArrival(fields: Partial<Record<RowKey, unknown>>, utcOffsetMinutes = 0): { ok: true; arrival: Arrival } | { ok: false; reason: string } {
  const shape = ScheduleRow.safeParse(fields);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    const key = issue?.path.join('.') ?? 'row';
    return { ok: false, reason: issue?.code === 'invalid_type' && fields[key as RowKey] === undefined ? `${key} is missing` : `${key}: ${issue?.message ?? 'invalid'}` };
  }
  const row = shape.data;
  const text = (v: string | number | undefined): string | undefined => {
    if (v === undefined) return undefined;
    const t = String(v).trim();
    return t === '' ? undefined : t;
  };
  const problems: string[] = [];
  const count = (key: RowKey, v: string | number | undefined, required: boolean): number | undefined => {
    const t = text(v);
    if (t === undefined) {
      if (required) problems.push(`${key} is missing`);
      return undefined;
    }
    if (!/^\d+$/.test(t)) {
      problems.push(`${key}: "${t}" is not a whole number`);
      return undefined;
    }
    return Number(t);
  };
  const minutes = (key: RowKey, v: string | number | undefined): number | undefined => {
    const t = text(v);
    if (t === undefined) return undefined;
    const n = Number(t);
    if (!Number.isFinite(n)) problems.push(`${key}: "${t}" is not a number of minutes`);
    return Number.isFinite(n) ? n : undefined;
  };
  const date = text(row.date);
  const time = (key: RowKey, v: string | undefined): string | undefined => {
    const t = text(v);
    if (t === undefined) return undefined;
    const hm = /^(\d{1,2}):(\d{2})$/.exec(t);
    if (!hm) return t; // a full timestamp, checked below
    if (date === undefined) {
      problems.push(`${key}: ${t} needs a date`);
      return undefined;
    }
    return `${date}T${hm[1]?.padStart(2, '0')}:${hm[2]}:00${offsetText(utcOffsetMinutes)}`;
  };
  const candidate = {
    flight: text(row.flight)?.toUpperCase(),
    ...(date === undefined ? {} : { date }),
    origin: text(row.origin)?.toUpperCase(),
    aircraft: text(row.aircraft)?.toUpperCase(),
    scheduledOnBlock: time('scheduledOnBlock', row.scheduledOnBlock),
    estimatedOnBlock: time('estimatedOnBlock', row.estimatedOnBlock),
    stand: text(row.stand),
    gate: text(row.gate),
    passengers: count('passengers', row.passengers, true),
    checkedBags: count('checkedBags', row.checkedBags, true),
    cabinBags: count('cabinBags', row.cabinBags, true),
    targets: {
      passengersMinutes: minutes('passengersTargetMinutes', row.passengersTargetMinutes),
      checkedBagsMinutes: minutes('checkedBagsTargetMinutes', row.checkedBagsTargetMinutes),
    },
  };
  if (problems[0] !== undefined) return { ok: false, reason: problems[0] };
  const parsed = FlightArrival.safeParse(dropUndefined(candidate));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join('.') ?? 'row';
    const value = issue ? valueAt(candidate, issue.path) : undefined;
    if (value === undefined) return { ok: false, reason: `${key} is missing` };
    return { ok: false, reason: `${key}: ${issue?.message ?? 'invalid'} (got ${JSON.stringify(value)})` };
  }
  const arrival = parsed.data;
  if (arrival.date !== undefined && arrival.scheduledOnBlock.slice(0, 10) !== arrival.date && !sameDayWithin(arrival.scheduledOnBlock, arrival.date)) {
    return { ok: false, reason: `scheduledOnBlock ${arrival.scheduledOnBlock} is more than a day from the date ${arrival.date}` };
  }
  return { ok: true, arrival };
}

/** A timestamp within a day either side of the service date (overnight arrivals keep their date). */
function sameDayWithin(timestamp: string, date: string): boolean {
  return Math.abs(Date.parse(timestamp) - Date.parse(`${date}T12:00:00Z`)) <= 36 * 3_600_000;
}

function dropUndefined(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const cleaned = dropUndefined(v);
    if (cleaned === undefined) continue;
    if (typeof cleaned === 'object' && cleaned !== null && Object.keys(cleaned).length === 0) continue;
    out[k] = cleaned;
  }
  return out;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const p of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

interface RawRows {
  rows: { line: number; fields: Partial<Record<RowKey, unknown>> }[];
  problems: ScheduleProblem[];
  /** Data rows in the file, readable or not. */
  count: number;
}

function csvRows(text: string): RawRows {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  const problems: ScheduleProblem[] = [];
  const header = records.find((r) => !isBlankOrComment(r.fields));
  if (!header) return { rows: [], problems: [{ line: 1, reason: 'the file has no header row' }], count: 0 };
  if (header.error) return { rows: [], problems: [{ line: header.line, reason: header.error }], count: 0 };
  const data = records.filter((r) => r !== header && !isBlankOrComment(r.fields));
  const columns = header.fields.map((name) => ({ name: name.trim(), key: rowKeyOf(name) }));
  for (const c of columns) if (c.key === null && c.name !== '') problems.push({ line: header.line, reason: `unknown column "${c.name}" ignored` });
  const named = new Set(columns.map((c) => c.key));
  const missing = (['flight', 'origin', 'aircraft', 'scheduledOnBlock', 'passengers', 'checkedBags', 'cabinBags'] as const).filter((k) => !named.has(k));
  if (missing.length > 0) {
    return { rows: [], problems: [...problems, { line: header.line, reason: `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: nothing loaded` }], count: data.length };
  }
  const rows: RawRows['rows'] = [];
  for (const r of data) {
    if (r.error) {
      problems.push({ line: r.line, reason: r.error });
      continue;
    }
    if (r.fields.length !== columns.length) {
      problems.push({ line: r.line, reason: `${r.fields.length} fields where the header has ${columns.length}` });
      continue;
    }
    const fields: Partial<Record<RowKey, unknown>> = {};
    columns.forEach((c, i) => {
      if (c.key) fields[c.key] = r.fields[i];
    });
    rows.push({ line: r.line, fields });
  }
  return { rows, problems, count: data.length };
}

function isBlankOrComment(fields: readonly string[]): boolean {
  return (fields.length === 1 && fields[0]?.trim() === '') || (fields[0]?.trimStart().startsWith('#') ?? false);
}

/** RFC 4180 records with the line each starts on; an unterminated quote ends the file with an error. */
export function parseCsv(text: string): { line: number; fields: string[]; error?: string }[] {
  const records: { line: number; fields: string[]; error?: string }[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let atFieldStart = true;
    let error: string | undefined;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i++;
          } else quoted = false;
        } else {
          if (ch === '\n') line++;
          field += ch;
        }
        continue;
      }
      if (ch === '"' && atFieldStart) {
        quoted = true;
        atFieldStart = false;
      } else if (ch === ',') {
        fields.push(field);
        field = '';
        atFieldStart = true;
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && text[i + 1] === '\n') i++;
        i++;
        line++;
        break;
      } else {
        field += ch;
        atFieldStart = false;
      }
    }
    if (quoted) error = 'a quoted field is never closed';
    fields.push(field);
    records.push(error ? { line: start, fields, error } : { line: start, fields });
  }
  return records;
}

function jsonRows(text: string): RawRows {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const line = position ? lineAt(text, Number(position[1])) : 1;
    return { rows: [], problems: [{ line, reason: `not JSON: ${message}` }], count: 0 };
  }
  if (!Array.isArray(data)) return { rows: [], problems: [{ line: 1, reason: 'expected an array of flights' }], count: 0 };
  const lines = topLevelElementLines(text);
  const rows: RawRows['rows'] = [];
  const problems: ScheduleProblem[] = [];
  data.forEach((item: unknown, index) => {
    const line = lines[index] ?? 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push({ line, reason: 'expected an object' });
      return;
    }
    const fields: Partial<Record<RowKey, unknown>> = {};
    for (const [name, value] of Object.entries(item)) {
      const key = rowKeyOf(name);
      if (key === null) continue;
      fields[key] = value === null ? undefined : typeof value === 'string' || typeof value === 'number' ? value : JSON.stringify(value);
    }
    rows.push({ line, fields });
  });
  return { rows, problems, count: data.length };
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++;
  return line;
}

/** The line on which each element of a top-level JSON array starts. */
export function topLevelElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') continue;
    if (depth === 1 && expectElement && ch !== ']') {
      lines.push(line);
      expectElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectElement = true;
  }
  return lines;
}
