// The hub serves the console's threat-detection runtime (onnxruntime-web's .wasm and .mjs,
// copied into the console build) itself, never from a CDN: with the MIME types
// browsers insist on for WebAssembly and module scripts, and cross-origin isolated, so the
// detection worker can use WebAssembly threads.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpHandler } from './http.ts';

let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clearway-console-files-'));
  mkdirSync(join(dir, 'assets', 'ort-1.30.0'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Clearway</title>');
  writeFileSync(join(dir, 'assets', 'ort-1.30.0', 'ort-wasm-simd-threaded.jsep.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(join(dir, 'assets', 'ort-1.30.0', 'ort-wasm-simd-threaded.jsep.mjs'), 'export default 1;\n');
  writeFileSync(join(dir, 'assets', 'detection.worker-AbC123.js'), 'self.onmessage = () => {};\n');
  const health = () => ({ status: 'ok' as const, version: 't', protocolVersion: 1, uptimeS: 0, consoles: 0, devices: 0, waitingBags: 0 });
  server = createServer(createHttpHandler(dir, health));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('the console build served by the hub', () => {
  it.each([
    ['assets/ort-1.30.0/ort-wasm-simd-threaded.jsep.wasm', 'application/wasm'],
    ['assets/ort-1.30.0/ort-wasm-simd-threaded.jsep.mjs', 'text/javascript'],
    ['assets/detection.worker-AbC123.js', 'text/javascript'],
  ])('%s as %s, cross-origin isolated, scripts allowed to compile WebAssembly', async (file, type) => {
    const res = await fetch(`${base}/${file}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(new RegExp(`^${type}`));
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    // Hashed or versioned names under assets/: a console reload does not fetch 28 MB again.
    expect(res.headers.get('cache-control')).toContain('immutable');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("'wasm-unsafe-eval'");
    expect(csp).toMatch(/worker-src 'self'/);
    await res.arrayBuffer();
  });

  it('answers 404 for a runtime file the build does not have, rather than the console page', async () => {
    const res = await fetch(`${base}/assets/ort-1.30.0/ort-wasm-simd-threaded.jspi.wasm`);
    expect(res.status).toBe(404);
    await res.arrayBuffer();
  });
});
