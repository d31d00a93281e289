import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULTS, startHub } from './hub.ts';
import { DEFAULT_MAP_PATH, loadTerminalMap } from './robots.ts';
import { DEFAULT_TIP_LIBRARY } from './tip-library.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const USAGE = `clearway hub: socket.io hub with embedded SQLite

  --data DIR            data folder (default ./data)
  --port N              HTTP and socket.io port (default ${DEFAULTS.port})
  --host ADDR           address to listen on (default ${DEFAULTS.host}; 0.0.0.0 for a checkpoint network)
  --console-dir DIR     console web build to serve (default apps/console/dist/renderer)
  --max-payload-mb N    largest accepted message (default ${DEFAULTS.maxPayloadBytes / 1024 / 1024})
  --reassign-after-s N  seconds a signed-out officer keeps their bag (default ${DEFAULTS.reassignAfterSignOutMs / 1000})
  --map FILE            terminal map for robot missions (default assets/maps/terminal.json)
  --robot-missions-on-search  send a robot for every bag decided 'search'
  --passengers-target-min N    minutes from on-block to clear a flight's passengers (default 30; a flight may bring its own)
  --checked-bags-target-min N  minutes from on-block to inspect its checked bags (default 20)
  --seconds-per-image N        an officer's time per image, for staffing advice (default 20)
  --tip-library DIR     Threat Image Projection library (default assets/tip; the share of bags: pnpm clearway tip rate)
  --no-tip              project no threat images (tests of other features)
`;

function num(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`--${name} must be a non-negative number, got "${v}"\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

function positive(name: string, v: string | undefined, fallback: number): number {
  const n = num(name, v, fallback);
  if (n === 0) {
    console.error(`--${name} must be above 0\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      data: { type: 'string', default: './data' },
      port: { type: 'string' },
      host: { type: 'string' },
      'console-dir': { type: 'string' },
      'max-payload-mb': { type: 'string' },
      'reassign-after-s': { type: 'string' },
      map: { type: 'string' },
      'robot-missions-on-search': { type: 'boolean', default: false },
      'passengers-target-min': { type: 'string' },
      'checked-bags-target-min': { type: 'string' },
      'seconds-per-image': { type: 'string' },
      'tip-library': { type: 'string' },
      'no-tip': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (e) {
  console.error(`${(e as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const faultDelay = Number(process.env['CLEARWAY_FAULT_DECISION_ACK_DELAY_MS'] ?? 0);
const hub = await startHub({
  dataDir: resolve(args.data),
  port: num('port', args.port, DEFAULTS.port),
  host: args.host ?? DEFAULTS.host,
  consoleDir: resolve(args['console-dir'] ?? resolve(repoRoot, 'apps/console/dist/renderer')),
  maxPayloadBytes: num('max-payload-mb', args['max-payload-mb'], DEFAULTS.maxPayloadBytes / 1024 / 1024) * 1024 * 1024,
  reassignAfterSignOutMs: num('reassign-after-s', args['reassign-after-s'], DEFAULTS.reassignAfterSignOutMs / 1000) * 1000,
  ...(faultDelay > 0 ? { faultDecisionAckDelayMs: faultDelay } : {}),
  robots: { map: loadTerminalMap(args.map ? resolve(args.map) : DEFAULT_MAP_PATH), missionsOnSearch: args['robot-missions-on-search'] ?? false },
  flights: {
    policy: { targets: { passengersMinutes: positive('passengers-target-min', args['passengers-target-min'], 30), checkedBagsMinutes: positive('checked-bags-target-min', args['checked-bags-target-min'], 20) } },
    staffing: { secondsPerItem: positive('seconds-per-image', args['seconds-per-image'], 20) },
  },
  tip: { libraryDir: args['no-tip'] ? null : resolve(args['tip-library'] ?? DEFAULT_TIP_LIBRARY) },
});

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    hub.log.info({ signal }, 'hub stopping');
    void hub.close().then(() => process.exit(0));
  });
}
