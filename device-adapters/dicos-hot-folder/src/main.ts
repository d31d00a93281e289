// The DICOS hot folder as its own process:
//   node --import tsx device-adapters/dicos-hot-folder/src/main.ts --hub http://localhost:4300 \
//     --device-id dicos-1 --token TOKEN --in /srv/dicos/in --out /srv/dicos/out
import { HubRefusedError } from '@clearway/device-core';
import { ViewName } from '@clearway/protocol';
import { Command, InvalidArgumentError, Option } from 'commander';
import { runDicosHotFolder } from './run.ts';

/** Exit codes: 0 stopped, 1 failed, 2 bad command line, 3 the hub refused the device. */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_REFUSED = 3;

function milliseconds(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new InvalidArgumentError(`expected milliseconds, at least ${min}`);
    return n;
  };
}

function viewList(value: string): ViewName[] {
  const views = value.split(',').map((v) => v.trim());
  if (views.length < 1 || views.length > 2 || new Set(views).size !== views.length || !views.every((v) => ViewName.safeParse(v).success)) {
    throw new InvalidArgumentError('expected "top", "side" or "top,side"');
  }
  return views as ViewName[];
}

const program = new Command()
  .name('dicos-hot-folder')
  .description('DICOS hot folder: sends DICOS images (with their machine TDRs) to a Clearway hub and writes operator TDRs back.')
  .option('--hub <url>', 'hub URL', 'http://localhost:4300')
  .requiredOption('--device-id <id>', 'device ID registered at the hub (pnpm clearway devices add --kind dicos-hot-folder)')
  .addOption(new Option('--token <token>', 'device token from `pnpm clearway devices add`').env('CLEARWAY_DEVICE_TOKEN'))
  .requiredOption('--in <dir>', 'folder the scanner drops DICOS files into')
  .requiredOption('--out <dir>', 'folder for operator TDRs (one <SOP Instance UID>.dcm per decision)')
  .option('--processed <dir>', 'where sent files go (default: <in>/processed)')
  .option('--quarantine <dir>', 'where unreadable files go, with <file>.reason.json (default: <in>/quarantine)')
  .option('--lane <lane>', 'lane of every scan', 'lane-1')
  .option('--flight <flight>', 'IATA flight of every scan (DICOS has no flight attribute)', 'ZZ0000')
  .option('--views <views>', 'views each scan carries: top, side or top,side', viewList, ['top'] as ViewName[])
  .option('--poll-ms <ms>', 'folder scan interval; a file is taken once unchanged over two scans', milliseconds(10), 500)
  .option('--tdr-wait-ms <ms>', 'how long an image waits for its machine TDR', milliseconds(0), 2000)
  .option('--quiet', 'no line per file')
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE));

interface CliOptions {
  hub: string;
  deviceId: string;
  token?: string;
  in: string;
  out: string;
  processed?: string;
  quarantine?: string;
  lane: string;
  flight: string;
  views: ViewName[];
  pollMs: number;
  tdrWaitMs: number;
  quiet?: boolean;
}

async function main(): Promise<number> {
  const argv = process.argv[2] === '--' ? [...process.argv.slice(0, 2), ...process.argv.slice(3)] : process.argv;
  const opts = program.parse(argv).opts<CliOptions>();
  if (!opts.token) {
    console.error('error: no device token: pass --token or set CLEARWAY_DEVICE_TOKEN (pnpm clearway devices add --kind dicos-hot-folder prints one)');
    return EXIT_USAGE;
  }
  const stop = new AbortController();
  process.once('SIGINT', () => {
    console.log('stopping: no new files are taken');
    stop.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  process.once('SIGTERM', () => stop.abort());
  try {
    const summary = await runDicosHotFolder({
      hubUrl: opts.hub,
      deviceId: opts.deviceId,
      token: opts.token,
      inDir: opts.in,
      outDir: opts.out,
      ...(opts.processed === undefined ? {} : { processedDir: opts.processed }),
      ...(opts.quarantine === undefined ? {} : { quarantineDir: opts.quarantine }),
      lane: opts.lane,
      flight: opts.flight,
      views: opts.views,
      pollMs: opts.pollMs,
      tdrWaitMs: opts.tdrWaitMs,
      signal: stop.signal,
      log: (line) => {
        if (!opts.quiet || !/ sent as | already written/.test(line)) console.log(line);
      },
    });
    console.log(`${summary.scansAcked} scans acked (${summary.duplicates} duplicates, ${summary.refused} refused), ${summary.operatorTdrsWritten} operator TDRs written`);
    return 0;
  } catch (error) {
    if (error instanceof HubRefusedError) {
      console.error(`error: ${error.message}`);
      return EXIT_REFUSED;
    }
    if (error instanceof RangeError || error instanceof TypeError) {
      console.error(`error: ${error.message}`);
      return EXIT_FAILED;
    }
    console.error('error:', error);
    return EXIT_FAILED;
  }
}

process.exitCode = await main();
