import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Sink } from '@clearway/device-core';
import { Id, MAX_FLIGHT_BATCH, type FlightUpsertInput } from '@clearway/protocol';
import type { FlightFeedAdapter, FlightFeedCapabilities } from './feed.ts';
import { parseSchedule, type ParsedSchedule, type ScheduleFormat, type ScheduleProblem } from './schedule-file.ts';

export interface ScheduleFileFeedOptions {
  /** Device ID registered at the hub. Default 'flight-feed-import'. */
  id?: string;
  file: string;
  /** Default: from the extension (.csv, .json). */
  format?: ScheduleFormat;
  /** Offset from UTC for times written as HH:MM ("+08:00"). Default UTC. */
  utcOffset?: string;
  /** Arrivals per message. Default 100. */
  batchSize?: number;
  /** Told about each bad row as it is found (the row is skipped). */
  onProblem?: (problem: ScheduleProblem) => void;
}

/** The format a file name implies, or null. */
export function formatOf(file: string): ScheduleFormat | null {
  const ext = extname(file).toLowerCase();
  return ext === '.csv' ? 'csv' : ext === '.json' ? 'json' : null;
}

/** Reads a schedule file (problems reported, bad rows skipped) without sending anything. */
export async function readScheduleFile(file: string, options: Pick<ScheduleFileFeedOptions, 'format' | 'utcOffset'> = {}): Promise<ParsedSchedule> {
  const format = options.format ?? formatOf(file);
  if (!format) throw new RangeError(`${file}: cannot tell the format from the name; pass the format (csv or json)`);
  const text = await readFile(file, 'utf8');
  return parseSchedule(text, format, options.utcOffset === undefined ? {} : { utcOffset: options.utcOffset });
}

/**
 * A schedule file as a flight feed: reads the file when started, reports bad rows, and sends the
 * good arrivals in batches. Resolves when all are sent. No live updates.
 */
export class ScheduleFileFeed implements FlightFeedAdapter {
  readonly id: string;
  readonly kind = 'flight-feed' as const;
  readonly capabilities: FlightFeedCapabilities = { source: 'schedule-file', simulated: false, liveUpdates: false, timeScale: null };
  /** The file as read, once start() has read it. */
  schedule: ParsedSchedule | null = null;
  private readonly options: ScheduleFileFeedOptions;
  private readonly batchSize: number;
  private readonly stop = new AbortController();
  private started = false;
  private running: Promise<void> = Promise.resolve();

  constructor(options: ScheduleFileFeedOptions) {
    this.id = options.id ?? 'flight-feed-import';
    if (!Id.safeParse(this.id).success) throw new RangeError(`device id ${JSON.stringify(this.id)}: letters, digits, dot, dash and underscore only`);
    this.batchSize = options.batchSize ?? 100;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > MAX_FLIGHT_BATCH) throw new RangeError(`batchSize must be a whole number from 1 to ${MAX_FLIGHT_BATCH}`);
    this.options = options;
  }

  start(sink: Sink<FlightUpsertInput>): Promise<void> {
    if (this.started) return Promise.reject(new Error(`flight feed ${this.id} has already been started`));
    this.started = true;
    this.running = this.run(sink);
    return this.running;
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.running.catch(() => {});
  }

  private async run(sink: Sink<FlightUpsertInput>): Promise<void> {
    const { signal } = this.stop;
    const closed = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    const schedule = await readScheduleFile(this.options.file, this.options);
    this.schedule = schedule;
    for (const problem of schedule.problems) this.options.onProblem?.(problem);
    for (let i = 0; i < schedule.arrivals.length && !signal.aborted; i += this.batchSize) {
      try {
        await nextTurn(undefined, { signal });
      } catch {
        return;
      }
      const delivered = sink({ arrivals: schedule.arrivals.slice(i, i + this.batchSize) });
      delivered.catch(() => {});
      await Promise.race([delivered, closed]);
    }
  }
}
