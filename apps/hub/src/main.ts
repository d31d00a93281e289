import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULTS, startHub } from './hub.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const USAGE = `clearway hub: socket.io hub with embedded SQLite

  --data DIR            data folder (default ./data)
  --port N              HTTP and socket.io port (default ${DEFAULTS.port})
  --host ADDR           address to listen on (default ${DEFAULTS.host}; 0.0.0.0 for a checkpoint network)
  --console-dir DIR     console web build to serve (default apps/console/dist/renderer)
  --max-payload-mb N    largest accepted message (default ${DEFAULTS.maxPayloadBytes / 1024 / 1024})
  --reassign-after-s N  seconds a signed-out officer keeps their bag (default ${DEFAULTS.reassignAfterSignOutMs / 1000})
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
