import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readModelInfo } from '@clearway/detection';
import { NAMESPACE, PROTOCOL_VERSION, ModelCurrent, ModelHttpError, ModelUploadReply, type HubToConsoleEvents, type ConsoleToHubEvents } from '@clearway/protocol';
import { Store, hashPassword } from '@clearway/store';
import { pino } from 'pino';
import { io, type Socket } from 'socket.io-client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type Hub } from './hub.ts';

// The model registry over the wire: the reference model registered on a fresh data folder,
// `model:current` on sign-in and on every change (the CLI's included), model files over HTTP,
// uploads by administrators with the reason when a model is refused.

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../packages/detection/fixtures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const GRID = fixture('grid-detector.onnx');
const TRANSPOSED = fixture('grid-detector-transposed.onnx');

const OFFICERS = [
  { id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' },
  { id: 'admin.wang', name: 'Wang Fang', role: 'admin', password: 'admin horse' },
] as const;
const hashes = new Map<string, string>();
beforeAll(async () => { for (const o of OFFICERS) hashes.set(o.id, await hashPassword(o.password)); });

const cleanup: (() => unknown)[] = [];
afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c(); });

async function hub(options: { dataDir?: string; referenceModel?: string | null } = {}): Promise<Hub> {
  const h = await startHub({
    dataDir: options.dataDir ?? ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }),
    referenceModel: options.referenceModel === undefined ? join(FIXTURES, 'grid-detector.onnx') : options.referenceModel,
    modelPollMs: 50, maxModelUploadBytes: 64 * 1024,
  });
  for (const o of OFFICERS) {
    if (!h.store.identity.getOfficer(o.id)) h.store.identity.importOfficer({ id: o.id, name: o.name, role: o.role, passwordHash: hashes.get(o.id) ?? '' });
  }
  cleanup.push(() => h.close());
  return h;
}

/** A console that records every `model:current`, listening before it connects (the push follows session:ready at once). */
async function console_(h: Hub, officerId = 'li.wei') {
  const o = OFFICERS.find((x) => x.id === officerId);
  const socket: Socket<HubToConsoleEvents, ConsoleToHubEvents> = io(h.url + NAMESPACE.console, {
    auth: { protocolVersion: PROTOCOL_VERSION, officerId, password: o?.password }, transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false,
  });
  cleanup.push(() => socket.close());
  const models: ModelCurrent[] = [];
  const waiters: (() => void)[] = [];
  socket.on('model:current', (m) => { models.push(ModelCurrent.parse(m)); waiters.splice(0).forEach((w) => w()); });
  await new Promise<void>((res, rej) => {
    socket.once('session:ready', () => res());
    socket.once('connect_error', rej);
    socket.connect();
  });
  /** Resolves once `count` models have arrived. */
  const received = (count: number) => new Promise<ModelCurrent[]>((res) => {
    const check = () => (models.length >= count ? res(models) : waiters.push(check));
    check();
  });
  return { socket, models, received };
}

const token = (h: Hub, officerId: string) => h.store.identity.createSession(officerId, 60_000).token;

function upload(h: Hub, bytes: Uint8Array, auth: string | null, query = '') {
  return fetch(`${h.url}/models${query}`, {
    method: 'POST', body: bytes, headers: { 'Content-Type': 'application/octet-stream', ...(auth ? { Authorization: `Bearer ${auth}` } : {}) },
  });
}

describe('model registry in the hub', () => {
  it('registers the reference model on a fresh data folder and tells each console after session:ready', async () => {
    const h = await hub();
    const c = await console_(h);
    const [m] = await c.received(1);
    const info = readModelInfo(GRID);
    expect(m).toEqual({
      sha256: sha(GRID), name: 'grid-detector', classNames: info.classNames, inputWidth: 64, inputHeight: 64,
      url: `/models/${sha(GRID)}.onnx`, sizeBytes: GRID.length,
    });
    expect(h.store.models.current()?.addedBy).toBe('hub:reference');
  });

  it('starts without a model when the reference file is missing, and pushes nothing', async () => {
    const h = await hub({ referenceModel: join(FIXTURES, 'absent.onnx') });
    const c = await console_(h);
    expect(h.models.current()).toBeNull();
    // A round trip on the same socket: anything the hub pushed before it has arrived.
    await c.socket.emitWithAck('officer:status', { status: 'available' });
    expect(c.models).toEqual([]);
  });

  it('serves model files by SHA-256, cacheable for good, to other origins too', async () => {
    const h = await hub();
    const url = `${h.url}/models/${sha(GRID)}.onnx`;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('content-length')).toBe(String(GRID.length));
    expect(Buffer.from(await res.arrayBuffer()).equals(GRID)).toBe(true);
    expect((await fetch(url, { headers: { 'If-None-Match': `"${sha(GRID)}"` } })).status).toBe(304);
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
    const missing = await fetch(`${h.url}/models/${'0'.repeat(64)}.onnx`);
    expect(missing.status).toBe(404);
    expect(ModelHttpError.parse(await missing.json()).error.code).toBe('not-found');
    expect((await fetch(`${h.url}/models/${sha(GRID)}.onnx`, { method: 'DELETE' })).status).toBe(405);
  });

  it('serves model files from the data folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-hub-models-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const h = await hub({ dataDir: dir });
    const res = await fetch(`${h.url}/models/${sha(GRID)}.onnx`);
    expect(Buffer.from(await res.arrayBuffer()).equals(GRID)).toBe(true);
  });

  it('takes an upload from an administrator only, and makes it current on every console', async () => {
    const h = await hub();
    const c = await console_(h);
    await c.received(1);
    const unsigned = await upload(h, TRANSPOSED, null);
    expect(unsigned.status).toBe(401);
    expect(ModelHttpError.parse(await unsigned.json()).error.code).toBe('unauthorised');
    expect((await upload(h, TRANSPOSED, token(h, 'li.wei'))).status).toBe(403);
    expect((await upload(h, TRANSPOSED, 'x'.repeat(43))).status).toBe(401);

    const res = await upload(h, TRANSPOSED, token(h, 'admin.wang'), '?name=Airport%20model&file=yolo-airport.onnx');
    expect(res.status).toBe(201);
    const reply = ModelUploadReply.parse(await res.json());
    expect(reply).toMatchObject({ duplicate: false, model: { sha256: sha(TRANSPOSED), name: 'Airport model', fileName: 'yolo-airport.onnx', addedBy: 'admin.wang', active: true } });
    const models = await c.received(2);
    expect(models[1]).toMatchObject({ sha256: sha(TRANSPOSED), name: 'Airport model', url: `/models/${sha(TRANSPOSED)}.onnx` });

    const again = await upload(h, TRANSPOSED, token(h, 'admin.wang'));
    expect(again.status).toBe(200);
    expect(ModelUploadReply.parse(await again.json()).duplicate).toBe(true);
    expect(h.store.audit.tail(20).map((r) => r.type).filter((t) => t.startsWith('model.'))).toEqual(['model.added', 'model.activated', 'model.added', 'model.activated']);
  });

  it.each([
    ['no-class-names.onnx', 'no-class-names', /no class names/],
    ['output-rank-4.onnx', 'bad-output', /\[1, 6, 64, 1\]/],
    ['grey-input.onnx', 'bad-input', /1 channels/],
    ['not-a-model.onnx', 'not-onnx', /PNG image/],
    ['external-data.onnx', 'external-data', /separate file/],
  ])('refuses %s with the reason (422) and keeps the current model', async (file, code, message) => {
    const h = await hub();
    const res = await upload(h, fixture(file), token(h, 'admin.wang'));
    expect(res.status).toBe(422);
    const body = ModelHttpError.parse(await res.json());
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(message);
    expect(h.store.models.current()?.sha256).toBe(sha(GRID));
    expect(h.store.models.list()).toHaveLength(1);
  });

  it('refuses an upload over the size limit', async () => {
    const h = await hub();
    const res = await upload(h, new Uint8Array(64 * 1024 + 1), token(h, 'admin.wang'));
    expect(res.status).toBe(413);
    expect(ModelHttpError.parse(await res.json()).error.message).toMatch(/larger than the 0.1 MB/);
  });

  it('answers the CORS preflight of an upload from another origin', async () => {
    const h = await hub();
    const res = await fetch(`${h.url}/models`, { method: 'OPTIONS', headers: { Origin: 'app://console', 'Access-Control-Request-Method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
  });

  it('tells consoles about a model the CLI activated in another process, without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-hub-models-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const h = await hub({ dataDir: dir });
    const c = await console_(h);
    await c.received(1);
    // What `pnpm clearway models add --activate` does: its own connection to the same database.
    const cli = Store.open(dir);
    cli.models.add(TRANSPOSED, readModelInfo, { fileName: 'transposed.onnx', activate: true, actor: { kind: 'cli', id: 'tester' } });
    const models = await c.received(2);
    expect(models[1]?.sha256).toBe(sha(TRANSPOSED));
    cli.models.activate(sha(GRID), { kind: 'cli', id: 'tester' });
    expect((await c.received(3))[2]?.sha256).toBe(sha(GRID));
    await cli.close();
  });
});
