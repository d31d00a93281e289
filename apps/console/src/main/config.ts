/**
 * Pure parts of the Electron shell: where the hub is, what the renderer may talk to, and how
 * app:// URLs map onto the built renderer. No Electron imports, so they are tested under Node.
 */
import path from 'node:path';

export const DEFAULT_HUB_URL = 'http://localhost:4300';
export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The value of a `--name=value` command-line flag, if given. */
export function flagValue(argv: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

/** `--hub=URL` wins over CLEARWAY_HUB_URL, which wins over the default. Only http(s) origins. */
export function resolveHubUrl(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string {
  const raw = flagValue(argv, 'hub') ?? env['CLEARWAY_HUB_URL'] ?? DEFAULT_HUB_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`hub URL "${raw}" is not a URL; pass e.g. --hub=http://hub.local:4300`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`hub URL "${raw}" must start with http:// or https://`);
  // The console talks to the hub's origin; a path would silently be ignored by socket.io.
  return url.origin;
}

/** The hub's HTTP origin and the matching WebSocket origin (https → wss). */
export function hubOrigins(hubUrl: string): { http: string; ws: string } {
  const url = new URL(hubUrl);
  const ws = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
  return { http: url.origin, ws };
}

/**
 * The renderer may load only its own files and talk only to the hub. 'wasm-unsafe-eval' lets
 * WebAssembly (onnxruntime-web) compile; plain eval stays forbidden.
 */
export function contentSecurityPolicy(hubUrl: string): string {
  const hub = hubOrigins(hubUrl);
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${hub.http} ${hub.ws}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every app:// response: cross-origin isolation (SharedArrayBuffer, precise timers) and the CSP. */
export function appResponseHeaders(hubUrl: string, contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': contentSecurityPolicy(hubUrl),
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** True for URLs of the console itself (navigation and IPC senders are checked against it). */
export function isConsoleUrl(url: string | undefined): boolean {
  if (url === undefined) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Maps app://console/<path> to a file under `rootDir`, or null when the URL is for another
 * host or would escape the folder ("..", encoded slashes).
 */
export function resolveAppFile(url: string, rootDir: string): string | null {
  if (!isConsoleUrl(url)) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = path.resolve(rootDir);
  const file = path.resolve(root, relative);
  return file.startsWith(root + path.sep) ? file : null;
}
