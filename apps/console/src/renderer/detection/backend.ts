/**
 * How the console runs its model, as pure rules: WebGPU when the machine offers an adapter (with
 * WebAssembly for what WebGPU cannot run), otherwise WebAssembly; threads only where the page
 * is cross-origin isolated (SharedArrayBuffer), at most four so the viewer keeps a core.
 */
import type { BackendInfo } from './messages.ts';

export const MAX_WASM_THREADS = 4;

export function wasmThreads(crossOriginIsolated: boolean, hardwareConcurrency: number | undefined): number {
  if (!crossOriginIsolated) return 1;
  const cores = Number.isInteger(hardwareConcurrency) && (hardwareConcurrency ?? 0) > 0 ? (hardwareConcurrency as number) : 1;
  return Math.min(MAX_WASM_THREADS, cores);
}

export function executionProviders(hasWebGpuAdapter: boolean): ('webgpu' | 'wasm')[] {
  return hasWebGpuAdapter ? ['webgpu', 'wasm'] : ['wasm'];
}

/** e.g. "webgpu", "wasm SIMD 4 threads", "wasm 1 thread". */
export function backendLabel(backend: BackendInfo): string {
  if (backend.name === 'webgpu') return 'webgpu';
  return `wasm${backend.simd ? ' SIMD' : ''} ${backend.threads} ${backend.threads === 1 ? 'thread' : 'threads'}`;
}

/** What a WebGPU adapter says about itself (GPUAdapterInfo, plus the older isFallbackAdapter flag). */
export interface GpuAdapterFacts {
  isFallbackAdapter?: boolean | undefined;
  vendor?: string | undefined;
  architecture?: string | undefined;
  device?: string | undefined;
  description?: string | undefined;
}

const SOFTWARE_GPUS = /swiftshader|llvmpipe|lavapipe|softpipe|warp|software|basic render/i;

/**
 * Why this adapter is no use for inference, or null when it is a real GPU. A software-emulated
 * one (SwiftShader in headless Chromium, llvmpipe) runs the model hundreds of times slower than
 * WebAssembly does, as the viewer's WebGL2 rule already says for drawing.
 */
export function gpuAdapterRefusal(facts: GpuAdapterFacts): string | null {
  if (facts.isFallbackAdapter === true) return 'the WebGPU adapter is a software fallback';
  const name = [facts.vendor, facts.architecture, facts.device, facts.description].filter(Boolean).join(' ');
  const match = SOFTWARE_GPUS.exec(name);
  return match ? `WebGPU is software-emulated here (${match[0]})` : null;
}
