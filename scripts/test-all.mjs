#!/usr/bin/env node
// Every check the project has, in order: lint, types, unit tests, browser end-to-end tests.
// All steps run even when one fails, so one run shows everything; the exit code is non-zero
// if any failed. Ends with one "N passed, N failed, N skipped" line over all tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const results = resolve(root, 'test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });
const bin = (name) => resolve(root, 'node_modules/.bin', name);

const steps = [];
function step(name, cmd, args, options = {}) {
  console.log(`\n━━ ${name}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  const ok = r.status === 0;
  steps.push({ name, ok, seconds: Math.round((Date.now() - started) / 100) / 10 });
  return ok;
}

step('lint', bin('eslint'), ['.']);
step('typecheck', 'pnpm', ['run', 'typecheck']);
step('unit tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${resolve(results, 'unit.json')}`]);
if (step('console build', 'pnpm', ['--filter', '@clearway/console', 'build'])) {
  step('browser e2e tests', bin('playwright'), ['test', '-c', 'e2e/playwright.config.ts']);
} else {
  steps.push({ name: 'browser e2e tests', ok: false, seconds: 0 });
}

const count = { passed: 0, failed: 0, skipped: 0 };
const lines = [];
const unitFile = resolve(results, 'unit.json');
if (existsSync(unitFile)) {
  const u = JSON.parse(readFileSync(unitFile, 'utf8'));
  const skipped = (u.numPendingTests ?? 0) + (u.numTodoTests ?? 0);
  lines.push(`unit:    ${u.numPassedTests} passed, ${u.numFailedTests} failed, ${skipped} skipped`);
  count.passed += u.numPassedTests; count.failed += u.numFailedTests; count.skipped += skipped;
  // Name each failed test and its first message line, so the summary alone says what broke.
  for (const file of u.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'skipped' || t.status === 'pending' || t.status === 'todo') {
        lines.push(`skipped: ${relative(process.cwd(), file.name)} › ${t.fullName}`);
        continue;
      }
      if (t.status !== 'failed') continue;
      const first = String(t.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300);
      lines.push(`failed:  ${relative(process.cwd(), file.name)} › ${t.fullName} — ${first}`);
    }
    if ((file.assertionResults ?? []).length === 0 && file.status === 'failed') {
      lines.push(`failed:  ${relative(process.cwd(), file.name)} — ${String(file.message ?? '').split('\n')[0].slice(0, 300)}`);
    }
  }
}
const e2eFile = resolve(results, 'e2e.json');
if (existsSync(e2eFile)) {
  const report = JSON.parse(readFileSync(e2eFile, 'utf8'));
  const e = report.stats;
  // A skipped browser test says why (e.g. no Electron binary on this machine).
  const walk = (suite) => [...(suite.specs ?? []).flatMap((spec) => spec.tests.map((t) => ({ spec, t }))), ...(suite.suites ?? []).flatMap(walk)];
  for (const { spec, t } of report.suites.flatMap(walk)) {
    if (t.status === 'unexpected' || t.status === 'flaky') {
      const err = t.results?.find((r) => r.error)?.error?.message ?? '';
      lines.push(`failed:  ${spec.file} › ${spec.title} — ${String(err).split('\n')[0].slice(0, 300)}`);
      continue;
    }
    if (t.status !== 'skipped') continue;
    const why = t.annotations?.find((a) => a.type === 'skip')?.description ?? 'no reason given';
    lines.push(`skipped: ${spec.title} — ${why}`);
  }
  const failed = (e.unexpected ?? 0) + (e.flaky ?? 0);
  lines.push(`browser: ${e.expected} passed, ${failed} failed, ${e.skipped} skipped`);
  count.passed += e.expected; count.failed += failed; count.skipped += e.skipped;
}

console.log('\n━━ summary');
for (const s of steps) console.log(`${s.ok ? 'ok  ' : 'FAIL'}  ${s.name.padEnd(20)} ${s.seconds}s`);
for (const l of lines) console.log(l);
const failedSteps = steps.filter((s) => !s.ok).length;
if (failedSteps > 0 && count.failed === 0) count.failed = failedSteps; // a failed lint or build counts
console.log(`Total: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped`);
process.exit(failedSteps > 0 ? 1 : 0);
