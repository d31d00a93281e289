// The scanner simulator as its own process:
//   tsx device-adapters/scanner-sim/src/main.ts --hub http://localhost:4300 --device-id scanner-sim-1 --token TOKEN
// or, to write a labelled training set instead of talking to a hub:
//   tsx device-adapters/scanner-sim/src/main.ts dataset --out DIR --count 1000 --seed 1 [--views 2] [--threat-rate 0.7]
import { HubRefusedError, ScanRejectedError } from '@clearway/device-core';
import { Command, InvalidArgumentError, Option } from 'commander';
import { writeDataset } from './dataset.ts';
import { runScannerSimulator } from './run.ts';

/** Exit codes: 0 done, 1 failed, 2 bad command line, 3 the hub refused the device. */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_REFUSED = 3;

function wholeNumber(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}`);
    return n;
  };
}

function bagsPerMinute(value: string): number {
  if (value === 'max') return Infinity;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected bags per minute above 0, or "max"');
  return n;
}

const program = new Command()
  .name('scanner-sim')
  .description('Simulated dual-energy X-ray scanner: sends bags to a Clearway hub as a device.')
  .option('--hub <url>', 'hub URL', 'http://localhost:4300')
  .option('--device-id <id>', 'device ID registered at the hub', 'scanner-sim-1')
  .addOption(new Option('--token <token>', 'device token from `pnpm clearway devices add`').env('CLEARWAY_DEVICE_TOKEN'))
  .option('--lanes <n>', 'lanes, each its own belt', wholeNumber(1), 1)
  .option('--rate <bags-per-minute>', 'belt pace per lane, or "max"', bagsPerMinute, 6)
  .option('--seed <n>', 'run seed: the same seed scans the same bags', wholeNumber(0), 1)
  .option('--count <n>', 'stop after this many bags over all lanes (default: run until Ctrl-C)', wholeNumber(0))
  .option('--flight <flight>', 'IATA flight the bags are checked onto', 'CA981')
  .addOption(new Option('--views <n>', '1: top view; 2: top and side').choices(['1', '2']).default('1'))
  .option('--max-in-flight <n>', 'scans sent but not yet acknowledged', wholeNumber(1), 4)
  .option('--quiet', 'no line per bag')
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE));

function share(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a number from 0 to 1');
  return n;
}

const datasetProgram = new Command()
  .name('scanner-sim dataset')
  .description('Writes simulated bags as pseudo-colour PNGs with YOLO labels, for training a threat detector.')
  .requiredOption('--out <dir>', 'output folder (images/, labels/, classes.txt, data.yaml, manifest.json)')
  .requiredOption('--count <n>', 'bags to generate', wholeNumber(0))
  .option('--seed <n>', 'dataset seed: the same seed writes the same files', wholeNumber(0), 1)
  .addOption(new Option('--views <n>', '1: top view; 2: top and side (an image each)').choices(['1', '2']).default('1'))
  .option('--threat-rate <p>', 'share of bags with at least one prohibited item', share, 0.7)
  .option('--progress <n>', 'print progress every n bags (default: about every 10 %, at most 100)', wholeNumber(1))
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE));

interface DatasetCliOptions {
  out: string;
  count: number;
  seed: number;
  views: '1' | '2';
  threatRate: number;
  progress?: number;
}

async function dataset(argv: string[]): Promise<number> {
  const opts = datasetProgram.parse(argv, { from: 'user' }).opts<DatasetCliOptions>();
  const every = opts.progress ?? Math.max(1, Math.min(100, Math.ceil(opts.count / 10)));
  const views = opts.views === '2' ? 2 : 1;
  const t0 = performance.now();
  const summary = await writeDataset({
    out: opts.out,
    count: opts.count,
    seed: opts.seed,
    views,
    threatRate: opts.threatRate,
    onProgress: (done, total) => {
      if (done % every !== 0 || done === total) return;
      const s = (performance.now() - t0) / 1000;
      const rate = done / s;
      console.log(`${String(done).padStart(String(total).length)}/${total} bags (${Math.round((100 * done) / total)} %), ${rate.toFixed(1)} bags/s, ETA ${Math.ceil((total - done) / rate)} s`);
    },
  });
  const s = summary.elapsedMs / 1000;
  const classes = Object.entries(summary.perClass).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(
    `wrote ${summary.images} images (${summary.bags} bags × ${views} view${views > 1 ? 's' : ''}) with ${summary.boxes} boxes (${classes}); ` +
      `${summary.empty} images without threats; to ${opts.out} in ${s.toFixed(1)} s (${(summary.bags / Math.max(s, 1e-9)).toFixed(1)} bags/s)`,
  );
  return 0;
}

interface CliOptions {
  hub: string;
  deviceId: string;
  token?: string;
  lanes: number;
  rate: number;
  seed: number;
  count?: number;
  flight: string;
  views: '1' | '2';
  maxInFlight: number;
  quiet?: boolean;
}

async function main(): Promise<number> {
  // `pnpm start -- --flags` passes the `--` through; commander would take it as end of options.
  const argv = process.argv[2] === '--' ? [...process.argv.slice(0, 2), ...process.argv.slice(3)] : process.argv;
  if (argv[2] === 'dataset') {
    try {
      return await dataset(argv.slice(3));
    } catch (error) {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      return error instanceof RangeError ? EXIT_USAGE : EXIT_FAILED;
    }
  }
  const opts = program.parse(argv).opts<CliOptions>();
  if (!opts.token) {
    console.error('error: no device token: pass --token or set CLEARWAY_DEVICE_TOKEN (pnpm clearway devices add prints one)');
    return EXIT_USAGE;
  }
  const stop = new AbortController();
  process.once('SIGINT', () => {
    console.log('stopping the belts; waiting for scans in flight (Ctrl-C again to quit now)');
    stop.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  const started = Date.now();
  try {
    const summary = await runScannerSimulator({
      hubUrl: opts.hub,
      deviceId: opts.deviceId,
      token: opts.token,
      lanes: opts.lanes,
      rate: opts.rate,
      seed: opts.seed,
      ...(opts.count === undefined ? {} : { count: opts.count }),
      flight: opts.flight,
      views: opts.views === '2' ? 2 : 1,
      maxInFlight: opts.maxInFlight,
      signal: stop.signal,
      log: (line) => {
        if (!opts.quiet || !line.includes(' acked in ')) console.log(line);
      },
    });
    console.log(
      `${summary.bagsAcked} bags acked${summary.duplicates ? ` (${summary.duplicates} duplicates)` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s` +
        ` (${summary.bagsPerSecond.toFixed(1)} bags/s)${summary.stoppedEarly ? ', stopped early' : ''}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof HubRefusedError) {
      console.error(`error: ${error.message}`);
      return EXIT_REFUSED;
    }
    if (error instanceof ScanRejectedError || error instanceof RangeError || error instanceof TypeError) {
      console.error(`error: ${error.message}`);
      return EXIT_FAILED;
    }
    console.error('error:', error);
    return EXIT_FAILED;
  }
}

process.exitCode = await main();
