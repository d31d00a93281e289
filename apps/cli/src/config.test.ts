// `pnpm clearway config`: settings in a data folder, checked against their schemas and audited.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '@clearway/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const ROOT = resolve(dirname(MAIN), '../../..');
let dir: string;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, '--data', dir, ...args], { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
const lines = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'clearway-cli-config-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe('clearway config', () => {
  it('sets, shows and unsets the decision time limits, each change in the audit trail', async () => {
    const before = await cli('config', 'get', 'screening.timeLimits');
    expect(before.code).toBe(0);
    expect(lines(before.stdout)).toEqual([{ key: 'screening.timeLimits', set: false, value: { beltMovingS: 10, beltStoppedS: 20, onExpiry: 'search', maxReassignments: 1 } }]);

    const set = await cli('config', 'set', 'screening.timeLimits', '{"beltMovingS":8,"onExpiry":"reassign"}');
    expect(set.stderr).toBe('');
    expect(lines(set.stdout)[0]).toMatchObject({ key: 'screening.timeLimits', value: { beltMovingS: 8, beltStoppedS: 20, onExpiry: 'reassign', maxReassignments: 1 } });
    const all = lines((await cli('config', 'get')).stdout);
    const screening = all.filter((l) => String(l['key']).startsWith('screening.'));
    // Every screening key is listed (more are added over time); only the one set says so.
    expect(screening.map((l) => [l['key'], l['set']])).toEqual(expect.arrayContaining([['screening.timeLimits', true], ['screening.queuePriority', false], ['screening.officerWorkload', false]]));
    expect(screening.filter((l) => l['set'] === true).map((l) => l['key'])).toEqual(['screening.timeLimits']);

    expect(lines((await cli('config', 'unset', 'screening.timeLimits')).stdout)).toEqual([{ key: 'screening.timeLimits', unset: true }]);
    const store = Store.open(dir);
    try {
      expect(store.audit.tail(5).map((r) => [r.type, r.subjectId, r.actorKind])).toEqual([
        ['config.changed', 'screening.timeLimits', 'cli'], ['config.changed', 'screening.timeLimits', 'cli'],
      ]);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('refuses a value outside the schema and an unknown key, and exits non-zero', async () => {
    const bad = await cli('config', 'set', 'screening.timeLimits', '{"beltMovingS":60}');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/screening\.timeLimits\.beltMovingS/);
    const unknown = await cli('config', 'set', 'screening.coffee', '{}');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/one of screening\.timeLimits, /);
    const notJson = await cli('config', 'set', 'screening.timeLimits', '{beltMovingS:8}');
    expect(notJson.code).not.toBe(0);
    expect(notJson.stderr).toMatch(/a JSON value/);
  }, 120_000);
});
