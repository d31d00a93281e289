#!/usr/bin/env node
/**
 * Minimal Clearway screening-officer client: plain JavaScript, socket.io-client only, no Clearway
 * code. It follows docs/protocol.md and nothing else.
 *
 *   node docs/examples/minimal-client.mjs --hub http://127.0.0.1:4300 --officer li.wei --password 'correct horse' \
 *        [--verdict clear|search] [--count N]
 *
 * It signs in on the /console namespace, waits for `bag:assigned`, prints the bag's tag, flight,
 * lane and view sizes, answers with `decision:submit` (a fresh idempotency key per bag, resent
 * unchanged until the hub acknowledges it), prints the ack, and repeats N times (default 1).
 *
 * Exit codes: 0 after N acknowledged decisions; 1 when the hub refuses the sign-in
 * (`connect_error`), cannot be reached, drops the session or refuses a decision; 2 for bad
 * command-line arguments or when socket.io-client cannot be found.
 *
 * Where socket.io-client comes from: the script first tries a plain `import('socket.io-client')`,
 * which works wherever Node can resolve the package from this file (copy the script into your own
 * project and `npm install socket.io-client@4`). In the Clearway repository the package is not
 * hoisted to the root node_modules (pnpm keeps it private to apps/hub, which has it as a dev
 * dependency), so the script falls back to `createRequire` anchored at apps/hub/package.json.
 * That is why it runs unchanged from the repository root:
 *
 *   cd /path/to/clearway && node docs/examples/minimal-client.mjs --hub ... --officer ... --password ...
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

/** The protocol version this client speaks; the hub refuses any other in the handshake. */
const PROTOCOL_VERSION = 1;
/** How long to wait for a decision's ack before resending it with the same idempotency key. */
const ACK_TIMEOUT_MS = 10_000;

const USAGE = `usage: node docs/examples/minimal-client.mjs --hub URL --officer ID --password PW [--verdict clear|search] [--count N]`;
const out = (line) => process.stdout.write(`${line}\n`);
const warn = (line) => process.stderr.write(`${line}\n`);

// ---- command line --------------------------------------------------------------------------

let args;
try {
  args = parseArgs({
    options: {
      hub: { type: 'string' },
      officer: { type: 'string' },
      password: { type: 'string' },
      verdict: { type: 'string', default: 'clear' },
      count: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (e) {
  warn(`${e.message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  out(USAGE);
  process.exit(0);
}
const count = Number(args.count);
const problem =
  !args.hub ? '--hub is required'
  : !args.officer ? '--officer is required'
  : !args.password ? '--password is required'
  : args.verdict !== 'clear' && args.verdict !== 'search' ? `--verdict must be clear or search, got "${args.verdict}"`
  : !Number.isInteger(count) || count < 1 ? `--count must be a positive integer, got "${args.count}"`
  : null;
if (problem) {
  warn(`${problem}\n${USAGE}`);
  process.exit(2);
}

// ---- socket.io-client ------------------------------------------------------------------------

async function loadSocketIoClient() {
  try {
    return await import('socket.io-client');
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
  }
  try {
    // Inside the Clearway repository: resolve it the way apps/hub does.
    return createRequire(new URL('../../apps/hub/package.json', import.meta.url))('socket.io-client');
  } catch {
    warn('socket.io-client not found: run `npm install socket.io-client@4` next to this script, or run it from a Clearway checkout with its dependencies installed');
    process.exit(2);
  }
}
const { io } = await loadSocketIoClient();

// ---- connection ------------------------------------------------------------------------------

const hubUrl = args.hub.replace(/\/+$/, '');
let sessionToken = null;
let signedIn = false;

function fail(message) {
  warn(message);
  socket.close();
  process.exit(1);
}

const socket = io(`${hubUrl}/console`, {
  // A function, so that every (re)connect sends the current credentials: the password only until
  // the first `session:ready`, the session token after that.
  auth: (cb) => cb(sessionToken
    ? { protocolVersion: PROTOCOL_VERSION, sessionToken }
    : { protocolVersion: PROTOCOL_VERSION, officerId: args.officer, password: args.password }),
  // WebSocket first; HTTP long-polling if the WebSocket cannot be opened (e.g. a proxy strips
  // it). Hub 0.1.0 cannot serve long-polling yet (docs/protocol.md, Transport: known issue).
  transports: ['websocket', 'polling'],
  tryAllTransports: true,
});

socket.on('connect_error', (err) => {
  const data = err.data;
  if (data && typeof data.code === 'string') {
    // Refused by the hub. socket.io does not retry these by itself.
    if (data.code === 'session-expired' && sessionToken) {
      warn('session expired; signing in again with the password');
      sessionToken = null;
      socket.connect();
      return;
    }
    const hint = data.code === 'protocol-version' ? ` (this client speaks ${PROTOCOL_VERSION}, the hub ${data.serverProtocolVersion})` : '';
    fail(`sign-in refused: ${data.code}: ${data.message}${hint}`);
  }
  // A network problem. Before the first sign-in, give up; afterwards socket.io keeps retrying.
  if (!signedIn) fail(`cannot connect to the hub at ${hubUrl} (is it running, and is the URL right?): ${err.message}`);
  warn(`reconnect failed (${err.message}); retrying`);
});

socket.on('session:ready', (s) => {
  sessionToken = s.sessionToken;
  if (!signedIn) out(`signed in as ${s.officer.name} (${s.officer.id}, ${s.officer.role}); status ${s.status}; protocol ${s.protocolVersion}`);
  signedIn = true;
  if (s.officer.role !== 'screening-officer') fail(`${s.officer.id} is a ${s.officer.role}; only screening officers are given bags`);
});

socket.on('disconnect', (reason) => {
  if (reason === 'io client disconnect') return;
  // 'io server disconnect': the hub closed this session on purpose and socket.io will not reconnect.
  if (reason === 'io server disconnect') fail('the hub closed the session');
  warn(`connection lost (${reason}); reconnecting`);
});

socket.on('protocol:error', (e) => warn(`hub refused ${e.event}: ${e.error.code}: ${e.error.message}`));

// ---- bags ------------------------------------------------------------------------------------

/** Bags assigned and not yet taken, oldest first; the hub sends one at a time per officer. */
const queue = [];
/** Assignments already taken: the hub re-sends an open bag after every reconnect. */
const taken = new Set();
let waiter = null;

socket.on('bag:assigned', (message) => {
  if (taken.has(message.assignmentId) || queue.some((b) => b.message.assignmentId === message.assignmentId)) return;
  const bag = { message, receivedAt: new Date() };
  if (waiter) waiter(bag);
  else queue.push(bag);
});

socket.on('bag:withdrawn', ({ assignmentId, reason }) => {
  const i = queue.findIndex((b) => b.message.assignmentId === assignmentId);
  if (i >= 0) queue.splice(i, 1);
  warn(`assignment ${assignmentId} withdrawn: ${reason}`);
});

function nextBag() {
  const queued = queue.shift();
  if (queued) return Promise.resolve(queued);
  return new Promise((resolve) => {
    waiter = (bag) => { waiter = null; resolve(bag); };
  });
}

/** socket.io delivers binary as Buffer in Node and ArrayBuffer in browsers. */
const bytesOf = (b) => (b instanceof ArrayBuffer ? new Uint8Array(b) : b);

/** One view as a line: geometry, byte counts and a taste of the u16 little-endian pixels. */
function describeView(v) {
  const low = bytesOf(v.low);
  const high = bytesOf(v.high);
  const expected = v.width * v.height * 2;
  const pixels = new DataView(high.buffer, high.byteOffset, high.byteLength);
  let max = 0;
  let impenetrable = 0;
  for (let i = 0; i + 1 < high.byteLength; i += 2) {
    const value = pixels.getUint16(i, true); // little-endian
    if (value === 65535) impenetrable++;
    else max = Math.max(max, value);
  }
  const sizeNote = low.byteLength === expected && high.byteLength === expected ? '' : ` (expected ${expected} bytes each)`;
  return `view ${v.view}: ${v.width} x ${v.height} px, ${v.encoding}, low ${low.byteLength} B, high ${high.byteLength} B${sizeNote}; ` +
    `max high attenuation ${(max / 8192).toFixed(3)}, ${impenetrable} impenetrable px`;
}

// ---- decisions -------------------------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const connected = () => (socket.connected ? Promise.resolve() : new Promise((r) => socket.once('connect', r)));

/**
 * Sends one decision until the hub acknowledges it. The payload, idempotency key included, never
 * changes between tries: the hub stores it at most once and answers a resend with duplicate:true.
 */
async function submitUntilAcked(decision) {
  for (let attempt = 1; ; attempt++) {
    await connected();
    try {
      const reply = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('decision:submit', decision);
      // 'internal' means nothing was stored: the same key may be sent again.
      if (reply.ok || reply.error.code !== 'internal') return reply;
      warn(`hub error on attempt ${attempt}: ${reply.error.message}; resending`);
      await sleep(1000);
    } catch (e) {
      warn(`no ack on attempt ${attempt} (${e.message}); resending the same idempotency key`);
    }
  }
}

for (let n = 1; n <= count; n++) {
  const { message, receivedAt } = await nextBag();
  taken.add(message.assignmentId);
  const { bag } = message;
  out(`bag ${n}/${count}: tag ${bag.bagTag}, flight ${bag.flight}, lane ${bag.lane}, scanned ${bag.scannedAt}, assignment ${message.assignmentId}`);
  for (const v of message.views) out(`  ${describeView(v)}`);

  const decision = {
    idempotencyKey: randomUUID(), // once per decision, never per try
    assignmentId: message.assignmentId,
    bagId: bag.bagId,
    verdict: args.verdict,
    shownAt: receivedAt.toISOString(),
    decidedAt: new Date().toISOString(),
  };
  const reply = await submitUntilAcked(decision);
  out(`ack ${JSON.stringify(reply)}`);
  if (!reply.ok) fail(`decision refused: ${reply.error.code}: ${reply.error.message}${reply.error.field ? ` (field ${reply.error.field})` : ''}`);
}

socket.close();
process.exit(0);
