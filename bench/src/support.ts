/**
 * Small helpers shared by the benchmarks: options, closed-loop drivers and figures.
 * A benchmark prints readable lines first and exactly one JSON line last (scripts/bench.mjs reads it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from '@clearway/domain';

/**
 * A positive integer option: `--name=value` on the command line, else the environment variable
 * `BENCH_<NAME>` (dashes become underscores), else the default.
 */
export function intOption(name: string, fallback: number): number {
  const flag = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  const env = process.env[`BENCH_${name.toUpperCase().replaceAll('-', '_')}`];
  const raw = flag ? flag.slice(name.length + 3) : env;
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

export interface Figures {
  p50_ms: number;
  p99_ms: number;
  mean_ms: number;
  per_s: number;
}

export interface Phase {
  /** One latency sample (ms) per operation. */
  samples: number[];
  /** Wall time of the whole phase (ms), for the operations per second. */
  wallMs: number;
}

/**
 * Runs `total` operations over `workers` closed loops: each worker starts its next operation only
 * when its previous one is done. `op` returns the latency it measured, in ms.
 */
export async function closedLoop(workers: number, total: number, op: (worker: number) => Promise<number>): Promise<Phase> {
  let left = total;
  const samples: number[] = [];
  const started = performance.now();
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (left > 0) {
      left--;
      samples.push(await op(w));
    }
  }));
  return { samples, wallMs: performance.now() - started };
}

/**
 * Runs `total` operations at a fixed offered rate (operations per second over all workers),
 * each worker with at most one in flight: latency under a steady load rather than queueing at
 * saturation. A worker still busy when its turn comes skips that slot (counted as `late`).
 */
export async function pacedLoop(workers: number, total: number, ratePerS: number, op: (worker: number) => Promise<number>): Promise<Phase & { late: number }> {
  const samples: number[] = [];
  const intervalMs = (1000 * workers) / ratePerS; // each worker's period
  let late = 0;
  let left = total;
  const started = performance.now();
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    let due = started + (w * intervalMs) / workers; // stagger workers across the period
    while (left > 0) {
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else if (wait < -intervalMs) late++;
      if (left <= 0) break;
      left--;
      samples.push(await op(w));
      due += intervalMs;
    }
  }));
  return { samples, wallMs: performance.now() - started, late };
}

/** Pools phases measured in rounds: all samples, summed wall time. */
export function pooled(phases: readonly Phase[]): Phase {
  return { samples: phases.flatMap((p) => p.samples), wallMs: phases.reduce((t, p) => t + p.wallMs, 0) };
}

/** Splits `total` into `parts` near-equal whole shares. */
export function shares(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor((total * (i + 1)) / parts) - Math.floor((total * i) / parts));
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

export function figures(phase: Phase): Figures {
  const { samples, wallMs } = phase;
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return {
    p50_ms: round(percentile(samples, 50), 3),
    p99_ms: round(percentile(samples, 99), 3),
    mean_ms: round(mean, 3),
    per_s: round(samples.length / (wallMs / 1000), 1),
  };
}

export const ratio = (a: number, b: number) => round(a / b, 3);

/** Rows of cells as a right-aligned text table (first column left-aligned). */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('   ')).join('\n');
}

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs a TypeScript entry point as its own process and resolves with the URL it prints. */
export function serve(file: string, args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...(process.env['BENCH_PROFILE_DIR'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_PROFILE_DIR']] : []), '--import', 'tsx', resolve(ROOT, file), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((res, rej) => {
    let out = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m?.[1]) { res({ url: m[1], child }); out = ''; }
      if (out.length > 1e6) out = ''; // keep draining the hub's log without holding it
    });
    child.once('exit', (code) => rej(new Error(`${file} exited with ${code}`)));
  });
}
export const stop = (child: ChildProcess) => new Promise<void>((r) => { if (child.exitCode !== null) return r(); child.once('exit', () => r()); child.kill('SIGTERM'); });
