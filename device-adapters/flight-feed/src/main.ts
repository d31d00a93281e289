// The flight feed as its own process:
//   tsx device-adapters/flight-feed/src/main.ts sim --hub http://localhost:4300 --token TOKEN [--time-scale 60]
//   tsx device-adapters/flight-feed/src/main.ts import schedule.csv --hub http://localhost:4300 --token TOKEN
//   tsx device-adapters/flight-feed/src/main.ts import schedule.csv --check      (read and report only)
//   tsx device-adapters/flight-feed/src/main.ts manifest manifest.csv --hub http://localhost:4300 --token TOKEN
import { HubRefusedError, RequestRejectedError } from '@clearway/device-core';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { FlightFeedAdapter } from './feed.ts';
import { readFile } from 'node:fs/promises';
import { ScheduleFileFeed, formatOf, readScheduleFile } from './importer.ts';
import { parseManifests } from './manifest.ts';
import { runFlightFeed, sendManifests } from './run.ts';
import type { ScheduleFormat, ScheduleProblem } from './schedule-file.ts';
import { SimulatedFlightFeed } from './simulator.ts';
import { parseOffset } from './time.ts';

/** Exit codes: 0 done, 1 failed, 2 bad command line, 3 the hub refused the device, 4 loaded but some rows were bad. */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_REFUSED = 3;
const EXIT_BAD_ROWS = 4;

function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}

function timeScale(value: string): number {
  if (value === 'max') return Infinity;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected simulated seconds per real second above 0, or "max"');
  return n;
}

function offset(value: string): string {
  if (parseOffset(value) === null) throw new InvalidArgumentError('expected an offset such as +08:00, -05:30 or Z');
  return value;
}

function startTime(value: string): number {
  const ms = Date.parse(value);
  if (!/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) || Number.isNaN(ms)) throw new InvalidArgumentError('expected a timestamp with a zone, e.g. 2025-06-01T06:00:00+08:00');
  return ms;
}

interface HubOptions {
  hub: string;
  deviceId?: string;
  token?: string;
  quiet?: boolean;
}

const program = new Command()
  .name('flight-feed')
  .description('Flight feed for a Clearway hub: a simulated day of arrivals, or a schedule file (CSV or JSON).')
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE));

const hubOptions = (command: Command, defaultId: string) =>
  command
    .option('--hub <url>', 'hub URL', 'http://localhost:4300')
    .option('--device-id <id>', 'device ID registered at the hub (kind flight-feed)', defaultId)
    .addOption(new Option('--token <token>', 'device token from `pnpm clearway devices add --kind flight-feed`').env('CLEARWAY_DEVICE_TOKEN'))
    .option('--quiet', 'no line per batch')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE));

let result: Promise<number> = Promise.resolve(EXIT_USAGE);

hubOptions(program.command('sim').description('simulate a day of arrivals with live delays, stand changes and on-block times'), 'flight-feed-sim')
  .option('--seed <n>', 'the same seed (and start) gives the same day', wholeNumber(0), 1)
  .option('--flights <n>', 'arrivals in the day', wholeNumber(0, 2000), 120)
  .option('--hours <n>', 'hours of arrivals', wholeNumber(1, 72), 24)
  .option('--start <time>', 'when the simulated day begins (default: now)', startTime)
  .option('--time-scale <x>', 'simulated seconds per real second, or "max"', timeScale, 1)
  .option('--utc-offset <offset>', 'the airport\'s offset from UTC for the times sent', offset, 'Z')
  .option('--no-manifests', 'send no passenger manifests (by default each flight gets a simulated one)')
  .action((o: HubOptions & { seed: number; flights: number; hours: number; start?: number; timeScale: number; utcOffset: string; manifests: boolean }) => {
    const feed = new SimulatedFlightFeed({
      ...(o.deviceId ? { id: o.deviceId } : {}), manifests: o.manifests,
      seed: o.seed, flights: o.flights, hours: o.hours, timeScale: o.timeScale, utcOffsetMinutes: parseOffset(o.utcOffset) ?? 0,
      ...(o.start === undefined ? {} : { start: o.start }),
    });
    const cancelled = feed.day.events.filter((e) => e.update.type === 'cancelled').length;
    console.log(`simulating ${feed.day.arrivals.length} arrivals (${cancelled} to be cancelled) and ${feed.day.events.length} live updates at ${o.timeScale === Infinity ? 'full speed' : `${o.timeScale}× real time`}`);
    result = send(feed, o, []);
  });

hubOptions(program.command('import').description('load a schedule file; bad rows are reported with their line and skipped').argument('<file>', 'schedule file (.csv or .json)'), 'flight-feed-import')
  .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(['csv', 'json']))
  .option('--utc-offset <offset>', 'offset from UTC for times written as HH:MM', offset, 'Z')
  .option('--batch <n>', 'arrivals per message', wholeNumber(1, 500), 100)
  .option('--check', 'read the file and report its problems; send nothing')
  .action((file: string, o: HubOptions & { format?: ScheduleFormat; utcOffset: string; batch: number; check?: boolean }) => {
    const problems: ScheduleProblem[] = [];
    const report = (p: ScheduleProblem) => {
      problems.push(p);
      console.error(`${file}:${p.line}: ${p.flight ? `${p.flight}: ` : ''}${p.reason}`);
    };
    if (o.check) {
      result = readScheduleFile(file, { ...(o.format ? { format: o.format } : {}), utcOffset: o.utcOffset }).then((s) => {
        for (const p of s.problems) report(p);
        console.log(`${s.arrivals.length} of ${s.rows} rows are good arrivals; ${s.problems.length} problem${s.problems.length === 1 ? '' : 's'}`);
        return s.problems.length > 0 ? EXIT_BAD_ROWS : 0;
      }, fail);
      return;
    }
    const feed = new ScheduleFileFeed({
      file, ...(o.deviceId ? { id: o.deviceId } : {}), ...(o.format ? { format: o.format } : {}), utcOffset: o.utcOffset, batchSize: o.batch, onProblem: report,
    });
    result = send(feed, o, problems);
  });

hubOptions(program.command('manifest').description('load a passenger manifest file (one passenger per row); bad rows are reported with their line and skipped').argument('<file>', 'manifest file (.csv or .json)'), 'flight-feed-import')
  .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(['csv', 'json']))
  .option('--check', 'read the file and report its problems; send nothing')
  .action((file: string, o: HubOptions & { format?: ScheduleFormat; check?: boolean }) => {
    result = (async () => {
      const format = o.format ?? formatOf(file);
      if (!format) throw new RangeError(`${file}: cannot tell the format from the name; pass --format csv or json`);
      const parsed = parseManifests(await readFile(file, 'utf8'), format);
      for (const p of parsed.problems) console.error(`${file}:${p.line}: ${p.flight ? `${p.flight}: ` : ''}${p.reason}`);
      const passengers = parsed.manifests.reduce((n, m) => n + m.passengers.length, 0);
      console.log(`${passengers} of ${parsed.rows} rows are good passengers on ${parsed.manifests.length} flight${parsed.manifests.length === 1 ? '' : 's'}; ${parsed.problems.length} problem${parsed.problems.length === 1 ? '' : 's'}`);
      if (!o.check) {
        if (!o.token) {
          console.error('error: no device token: pass --token or set CLEARWAY_DEVICE_TOKEN (pnpm clearway devices add --kind flight-feed prints one)');
          return EXIT_USAGE;
        }
        const stored = await sendManifests({ hubUrl: o.hub, token: o.token, deviceId: o.deviceId ?? 'flight-feed-import', manifests: parsed.manifests, log: (line) => { if (!o.quiet) console.log(line); } });
        console.log(`${stored.flights} manifests stored: ${stored.passengers} passengers${stored.replaced ? ` (replacing ${stored.replaced})` : ''}`);
      }
      return parsed.problems.length > 0 ? EXIT_BAD_ROWS : 0;
    })().catch(fail);
  });

async function send(feed: FlightFeedAdapter, o: HubOptions, problems: ScheduleProblem[]): Promise<number> {
  if (!o.token) {
    console.error('error: no device token: pass --token or set CLEARWAY_DEVICE_TOKEN (pnpm clearway devices add --kind flight-feed prints one)');
    return EXIT_USAGE;
  }
  const stop = new AbortController();
  process.once('SIGINT', () => {
    console.log('stopping the feed (Ctrl-C again to quit now)');
    stop.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  try {
    const summary = await runFlightFeed({
      hubUrl: o.hub, token: o.token, feed, signal: stop.signal,
      log: (line) => {
        if (!o.quiet || !line.startsWith('stored ')) console.log(line);
      },
    });
    const a = summary.arrivals;
    console.log(
      `${summary.batches} batches stored: ${a.created} new, ${a.changed} changed, ${a.unchanged} unchanged arrivals; ` +
        `${summary.updates.applied} updates${summary.updates.duplicate ? ` (${summary.updates.duplicate} already stored)` : ''}` +
        `${summary.rejected.length ? `; ${summary.rejected.length} refused by the hub` : ''}` +
        `${summary.manifests.flights ? `; ${summary.manifests.flights} manifests (${summary.manifests.passengers} passengers)` : ''}` +
        `${problems.length ? `; ${problems.length} bad row${problems.length === 1 ? '' : 's'} skipped` : ''}${summary.stoppedEarly ? '; stopped early' : ''}`,
    );
    return problems.length > 0 || summary.rejected.length > 0 ? EXIT_BAD_ROWS : 0;
  } catch (error) {
    return fail(error);
  }
}

function fail(error: unknown): number {
  if (error instanceof HubRefusedError) {
    console.error(`error: ${error.message}`);
    return EXIT_REFUSED;
  }
  if (error instanceof RequestRejectedError || error instanceof RangeError || error instanceof TypeError) {
    console.error(`error: ${error.message}`);
    return EXIT_FAILED;
  }
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('E')) {
    console.error(`error: ${error.message}`); // a file that cannot be read
    return EXIT_FAILED;
  }
  console.error('error:', error);
  return EXIT_FAILED;
}

// `pnpm start -- sim …` passes the `--` through; commander would take it as end of options.
const argv = process.argv[2] === '--' ? [...process.argv.slice(0, 2), ...process.argv.slice(3)] : process.argv;
if (argv.length <= 2) {
  program.outputHelp();
  process.exitCode = EXIT_USAGE;
} else {
  program.parse(argv);
  process.exitCode = await result;
}
