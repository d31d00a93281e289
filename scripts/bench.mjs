#!/usr/bin/env node
// Runs the benchmarks (bench/src/*.bench.ts), each in its own Node process, and collects the
// figures each prints as its last stdout line (one JSON object).
//
//   pnpm bench                          every benchmark
//   pnpm bench decision                 those whose name contains "decision"
//   pnpm bench decision --decisions=500 options of the form --name=value go to each benchmark
//
// Ends with one line {"benchmarks":{"<name>":{...},...}} and writes the same figures to
// bench/results/latest.json (merged: benchmarks not run this time keep their last figures).
// Exits non-zero if a benchmark fails, times out or prints no JSON line.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench', 'src');
const resultsFile = join(root, 'bench', 'results', 'latest.json');
const SUFFIX = '.bench.ts';
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 300_000);

const args = process.argv.slice(2).filter((a) => a !== '--');
const forwarded = args.filter((a) => a.startsWith('-'));
const filters = args.filter((a) => !a.startsWith('-'));

const benches = readdirSync(benchDir)
  .filter((f) => f.endsWith(SUFFIX))
  .sort()
  .map((f) => ({ name: f.slice(0, -SUFFIX.length), file: join(benchDir, f) }))
  .filter((b) => filters.length === 0 || filters.some((f) => b.name.includes(f)));

if (benches.length === 0) {
  const where = `${relative(root, benchDir)}/*${SUFFIX}`;
  console.error(filters.length > 0 ? `no benchmark in ${where} matches ${filters.join(' or ')}` : `no benchmarks in ${where}`);
  process.exit(1);
}

/** Runs one benchmark, streaming its output; resolves to its figures or an error message. */
function run(bench) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', relative(root, bench.file), ...forwarded], {
      cwd: root, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let tail = '';
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, TIMEOUT_MS);
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-64 * 1024);
    });
    child.on('error', (err) => { clearTimeout(timer); resolve({ error: err.message }); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return resolve({ error: `timed out after ${TIMEOUT_MS / 1000} s` });
      if (code !== 0) return resolve({ error: `exited with ${signal ?? `code ${code}`}` });
      const last = tail.trimEnd().split('\n').pop() ?? '';
      try {
        const figures = JSON.parse(last);
        if (typeof figures !== 'object' || figures === null || Array.isArray(figures)) throw new Error('not an object');
        resolve({ figures });
      } catch {
        resolve({ error: 'its last line of output is not a JSON object' });
      }
    });
  });
}

const results = {};
const failed = [];
for (const bench of benches) {
  console.log(`\n▶ ${bench.name}`);
  const started = Date.now();
  const outcome = await run(bench);
  if (outcome.error) {
    failed.push(bench.name);
    console.error(`✗ ${bench.name}: ${outcome.error}`);
  } else {
    results[bench.name] = outcome.figures;
    console.log(`✓ ${bench.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

if (Object.keys(results).length > 0) {
  const previous = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')).benchmarks ?? {} : {};
  mkdirSync(dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, JSON.stringify({ benchmarks: Object.fromEntries(Object.entries({ ...previous, ...results }).sort(([a], [b]) => a.localeCompare(b))) }, null, 2) + '\n');
}
if (failed.length > 0) console.error(`\n${failed.length} benchmark(s) failed: ${failed.join(', ')}`);
console.log(JSON.stringify({ benchmarks: results }));
process.exit(failed.length > 0 ? 1 : 0);
