import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.ico': 'image/x-icon', '.wasm': 'application/wasm', '.onnx': 'application/octet-stream',
  '.woff2': 'font/woff2', '.map': 'application/json',
};

/**
 * Cross-origin isolation (COOP + COEP) lets the console use SharedArrayBuffer, which
 * multi-threaded WebAssembly inference needs; the CSP keeps the renderer to its own code.
 */
export const CONSOLE_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': [
    "default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:", "connect-src 'self' ws: wss:", "worker-src 'self' blob:", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
  ].join('; '),
};

export interface HealthReport { status: 'ok'; version: string; protocolVersion: number; uptimeS: number; consoles: number; devices: number; waitingBags: number }

/**
 * Serves the console's web build (browser mode) and /healthz. Everything else is socket.io.
 * `routes` answers its own paths first (the model registry's /models) and returns true when it did.
 */
export function createHttpHandler(consoleDir: string | null, health: () => HealthReport, routes?: (req: IncomingMessage, res: ServerResponse) => boolean) {
  const root = consoleDir ? resolve(consoleDir) : null;
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (routes?.(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://hub');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(health()));
      return;
    }
    if (!root || !existsSync(join(root, 'index.html'))) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', ...CONSOLE_HEADERS })
        .end('The console web build is missing. Run `pnpm build` (or `npm start`, which builds it) and reload.\n');
      return;
    }
    let rel: string;
    try {
      rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = resolve(root, rel);
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    // Single-page app: unknown paths without an extension get index.html.
    if (!existsSync(file) || statSync(file).isDirectory()) {
      if (extname(rel) !== '') {
        res.writeHead(404, { 'Content-Type': 'text/plain', ...CONSOLE_HEADERS }).end('not found\n');
        return;
      }
      file = join(root, 'index.html');
    }
    const immutable = rel.startsWith('assets/');
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Content-Length': statSync(file).size,
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...CONSOLE_HEADERS,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };
}
