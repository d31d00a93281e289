// The console's threat detection under Electron: app:// must hand onnxruntime-web's runtime
// (assets/ort-<version>/*.wasm and *.mjs) and the detection worker to the renderer with the right types, inside
// the cross-origin isolation that threaded WebAssembly needs, and the CSP must let the worker
// compile WebAssembly and fetch the model from the hub.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, appResponseHeaders, contentSecurityPolicy, contentTypeOf, resolveAppFile } from './config.ts';

const ROOT = path.resolve('/opt/clearway/renderer');

describe('app:// and the detection worker', () => {
  it('serves the WebAssembly runtime as application/wasm and its loader and the worker as JavaScript', () => {
    const wasm = resolveAppFile(`${APP_ORIGIN}/assets/ort-1.30.0/ort-wasm-simd-threaded.jsep.wasm`, ROOT);
    const loader = resolveAppFile(`${APP_ORIGIN}/assets/ort-1.30.0/ort-wasm-simd-threaded.jsep.mjs`, ROOT);
    const worker = resolveAppFile(`${APP_ORIGIN}/assets/detection.worker-AbC123.js`, ROOT);
    expect(wasm).toBe(path.join(ROOT, 'assets', 'ort-1.30.0', 'ort-wasm-simd-threaded.jsep.wasm'));
    expect(contentTypeOf(wasm ?? '')).toBe('application/wasm');
    expect(contentTypeOf(loader ?? '')).toMatch(/^text\/javascript/);
    expect(contentTypeOf(worker ?? '')).toMatch(/^text\/javascript/);
  });

  it('sends every file, the runtime included, cross-origin isolated (SharedArrayBuffer for threads)', () => {
    const headers = appResponseHeaders('http://localhost:4300', 'application/wasm');
    expect(headers).toMatchObject({
      'Content-Type': 'application/wasm',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
  });

  it('lets workers start from the console, WebAssembly compile, and the model come from the hub', () => {
    const csp = contentSecurityPolicy('http://hub.lane3:4300');
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("'wasm-unsafe-eval'");
    expect(csp).toContain('connect-src \'self\' http://hub.lane3:4300');
  });
});
