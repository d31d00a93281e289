import { createReadStream, existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelRefused, readModelInfo, verifyModel, type OrtRuntime } from '@clearway/detection';
import { MAX_MODEL_UPLOAD_BYTES, type ModelCurrent, type ModelHttpError, type ModelUploadReply } from '@clearway/protocol';
import { StoreError, type Store, type StoredModel } from '@clearway/store';
import type { Logger } from 'pino';

/** The reference model trained on the scanner simulator (assets/models, committed). */
export const DEFAULT_REFERENCE_MODEL = resolve(dirname(fileURLToPath(import.meta.url)), '../../../assets/models/clearway-xray-ref-v1.onnx');

/** Actor for the reference model the hub registers itself. */
const REFERENCE_ACTOR = { kind: 'hub' as const, id: 'reference' };

const MODEL_PATH = /^\/models\/([0-9a-f]{64})\.onnx$/;

/**
 * The console may run on another origin (Electron's app:// page talking to the hub over http),
 * and under COEP it may only fetch what the hub explicitly shares: CORS for fetch(), CORP for
 * no-cors loads. Authorisation is a bearer token, never a cookie, so `*` is safe.
 */
const SHARED = {
  'Access-Control-Allow-Origin': '*',
  'Cross-Origin-Resource-Policy': 'cross-origin',
  'X-Content-Type-Options': 'nosniff',
} as const;

export interface ModelRegistryOptions {
  /** The reference model, registered (and so made active) when the store has no model yet; null for none. */
  referenceModel: string | null;
  /** How often to look for changes made by other processes (the CLI). */
  pollMs: number;
  /** Called with the new active model whenever it changes, whoever changed it. */
  onChange: (model: ModelCurrent) => void;
  /** ONNX Runtime for trial inferences on uploads; loaded on the first upload by default. */
  loadRuntime?: () => Promise<OrtRuntime>;
  /** Largest upload read (default MAX_MODEL_UPLOAD_BYTES). */
  maxUploadBytes?: number;
}

export const toModelCurrent = (m: StoredModel): ModelCurrent => ({
  sha256: m.sha256, name: m.name, classNames: m.classNames, inputWidth: m.inputWidth, inputHeight: m.inputHeight,
  url: `/models/${m.sha256}.onnx`, sizeBytes: m.sizeBytes,
});

/**
 * The hub's side of the model registry: registers the reference model on a fresh data folder,
 * serves model files (`GET /models/<sha256>.onnx`), takes uploads from administrators
 * (`POST /models`), and tells consoles when the active model changes, including changes the CLI
 * commits from another process (found by polling SQLite's data_version, which costs microseconds).
 */
export class ModelRegistry {
  private activeSha: string | null;
  private version: number;
  private readonly timer: NodeJS.Timeout;
  private runtime: Promise<OrtRuntime> | null = null;

  constructor(private readonly store: Store, private readonly log: Logger, private readonly options: ModelRegistryOptions) {
    if (options.referenceModel && !store.models.current()) this.registerReference(options.referenceModel);
    this.activeSha = store.models.current()?.sha256 ?? null;
    this.version = store.models.dataVersion();
    this.timer = setInterval(() => this.poll(), options.pollMs);
    this.timer.unref();
  }

  /** The active model as consoles are told it; null while the registry is empty. */
  current(): ModelCurrent | null {
    const m = this.store.models.current();
    return m ? toModelCurrent(m) : null;
  }

  close(): void {
    clearInterval(this.timer);
  }

  private registerReference(path: string): void {
    if (!existsSync(path)) {
      this.log.warn({ path }, 'no detection model: the reference model file is missing and none has been added');
      return;
    }
    try {
      const { model } = this.store.models.add(readFileSync(path), readModelInfo, { fileName: basename(path), actor: REFERENCE_ACTOR });
      this.log.info({ sha256: model.sha256, name: model.name }, 'reference detection model registered');
    } catch (e) {
      this.log.error({ path, reason: e instanceof Error ? e.message : String(e) }, 'the reference detection model was refused');
    }
  }

  /** Looks at the active model again; tells consoles when it differs from what they were told. */
  private check(): void {
    const current = this.current();
    if ((current?.sha256 ?? null) === this.activeSha) return;
    this.activeSha = current?.sha256 ?? null;
    if (!current) return;
    this.log.info({ sha256: current.sha256, name: current.name }, 'active detection model changed');
    this.options.onChange(current);
  }

  private poll(): void {
    try {
      const v = this.store.models.dataVersion();
      if (v === this.version) return;
      this.version = v;
      this.check();
    } catch (e) {
      this.log.error({ err: e }, 'could not check the active detection model');
    }
  }

  /** Handles `/models` requests; returns false for every other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://hub');
    if (url.pathname === '/models') {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          ...SHARED, 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Authorization, Content-Type', 'Access-Control-Max-Age': '600',
        }).end();
      } else if (req.method === 'POST') {
        void this.upload(req, res, url).catch((e: unknown) => {
          this.log.error({ err: e }, 'model upload failed');
          if (!res.headersSent) res.writeHead(500, { ...SHARED, 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: 'internal', message: 'the hub could not store the model' } }));
        });
      } else {
        res.writeHead(405, { ...SHARED, Allow: 'POST, OPTIONS' }).end();
      }
      return true;
    }
    const m = MODEL_PATH.exec(url.pathname);
    if (!m) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...SHARED, Allow: 'GET, HEAD' }).end();
      return true;
    }
    this.serve(m[1] as string, req, res);
    return true;
  }

  /** Any registered model by its SHA-256 (a console may still be loading the previous one). The file never changes. */
  private serve(sha256: string, req: IncomingMessage, res: ServerResponse): void {
    const model = this.store.models.get(sha256);
    if (!model) {
      sendError(res, 404, 'not-found', `no model ${sha256}`);
      return;
    }
    const etag = `"${sha256}"`;
    const headers = {
      ...SHARED, 'Content-Type': 'application/octet-stream', 'Cache-Control': 'public, max-age=31536000, immutable', ETag: etag,
      'Access-Control-Expose-Headers': 'Content-Length, ETag',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': model.sizeBytes });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const path = this.store.models.filePath(sha256);
    if (path) createReadStream(path).on('error', (e) => res.destroy(e)).pipe(res);
    else res.end(this.store.models.bytes(sha256));
  }

  private async upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const session = token ? this.store.identity.resolveSession(token) : null;
    if (!session) return drain(req, () => sendError(res, 401, 'unauthorised', 'sign in: send your session token as "Authorization: Bearer <token>"'));
    const { officer } = session;
    if (officer.role !== 'admin') return drain(req, () => sendError(res, 403, 'forbidden', 'only an administrator may add detection models'));
    const limit = this.options.maxUploadBytes ?? MAX_MODEL_UPLOAD_BYTES;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit) return drain(req, () => sendError(res, 413, 'too-large', tooLarge(declared, limit)));
    const bytes = await readBody(req, limit);
    if (!bytes) return sendError(res, 413, 'too-large', tooLarge(null, limit));

    const fileName = (url.searchParams.get('file') ?? 'upload.onnx').slice(0, 255);
    const name = url.searchParams.get('name') ?? undefined;
    const activate = url.searchParams.get('activate') !== '0';
    const log = this.log.child({ officerId: officer.id, fileName, sizeBytes: bytes.length });
    let added: { model: StoredModel; duplicate: boolean };
    try {
      // Header check, then a real load and one inference: what consoles would otherwise find out one by one.
      const info = await verifyModel(await this.loadRuntime(), bytes, { intraOpNumThreads: 1 });
      added = this.store.models.add(bytes, () => info, { fileName, ...(name ? { name } : {}), activate, actor: { kind: 'officer', id: officer.id } });
    } catch (e) {
      if (e instanceof ModelRefused) {
        log.warn({ code: e.code, reason: e.message }, 'detection model refused');
        return sendError(res, 422, e.code, e.message);
      }
      if (e instanceof StoreError) return sendError(res, 422, 'not-onnx', e.message);
      throw e;
    }
    log.info({ sha256: added.model.sha256, name: added.model.name, duplicate: added.duplicate, active: added.model.active }, 'detection model added');
    const reply: ModelUploadReply = { model: added.model, duplicate: added.duplicate };
    res.writeHead(added.duplicate ? 200 : 201, { ...SHARED, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(reply));
    this.check(); // this connection's own commit does not move data_version
  }

  private loadRuntime(): Promise<OrtRuntime> {
    this.runtime ??= this.options.loadRuntime?.() ?? import('onnxruntime-node').then((ort) => ort as unknown as OrtRuntime);
    return this.runtime;
  }
}

const megabytes = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
const tooLarge = (bytes: number | null, limit: number) =>
  `${bytes === null ? 'the model' : `the model (${megabytes(bytes)})`} is larger than the ${megabytes(limit)} the hub accepts`;

function sendError(res: ServerResponse, status: number, code: ModelHttpError['error']['code'], message: string): void {
  const body: ModelHttpError = { error: { code, message } };
  res.writeHead(status, { ...SHARED, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

/** Answers only after the client has finished sending, so it reads the answer instead of a reset connection. */
function drain(req: IncomingMessage, answer: () => void): void {
  if (req.readableEnded) return answer();
  req.resume();
  req.once('end', answer);
  req.once('error', answer);
}

/** The request body, or null (the rest discarded) once it passes `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
