import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HubRefusedError } from '@clearway/device-core';
import { GOOD_TOKEN, startFakeHub, type FakeHub } from '@clearway/device-core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { runScannerSimulator } from './run.ts';

let hub: FakeHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

const main = fileURLToPath(new URL('./main.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [main, ...args], { env: { ...process.env, CLEARWAY_DEVICE_TOKEN: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('runScannerSimulator', () => {
  it('sends --count bags and resolves once the hub has acknowledged them all', async () => {
    hub = await startFakeHub();
    const lines: string[] = [];
    const summary = await runScannerSimulator({ hubUrl: hub.url, deviceId: 'scanner-sim-1', token: GOOD_TOKEN, lanes: 2, rate: Infinity, count: 6, width: 160, height: 120, log: (l) => lines.push(l) });
    expect(summary.bagsAcked).toBe(6);
    expect(hub.scans).toHaveLength(6);
    expect(lines.filter((l) => / lane-[12] acked in \d+ ms$/.test(l))).toHaveLength(6);
    for (const image of hub.scans.flatMap((s) => s.images)) expect(Buffer.isBuffer(image)).toBe(true);
  });

  it('rejects with HubRefusedError on a wrong token', async () => {
    hub = await startFakeHub();
    const run = runScannerSimulator({ hubUrl: hub.url, deviceId: 'scanner-sim-1', token: 'a-token-the-hub-never-issued', count: 1 });
    await expect(run).rejects.toBeInstanceOf(HubRefusedError);
  });

  it('stops when aborted while the hub is unreachable', async () => {
    const stop = new AbortController();
    const run = runScannerSimulator({ hubUrl: 'http://127.0.0.1:9', deviceId: 'scanner-sim-1', token: GOOD_TOKEN, signal: stop.signal });
    setTimeout(() => stop.abort(), 100);
    await expect(run).resolves.toMatchObject({ bagsAcked: 0, stoppedEarly: true });
  });
});

describe('scanner-sim command', () => {
  it('exits 0 after --count bags are acked, one line per bag', async () => {
    hub = await startFakeHub();
    const { code, stdout } = await cli(['--hub', hub.url, '--lanes', '2', '--rate', 'max', '--count', '3', '--seed', '1'], { CLEARWAY_DEVICE_TOKEN: GOOD_TOKEN });
    expect(code).toBe(0);
    expect(stdout.match(/^0999\d{6} lane-\d acked in \d+ ms$/gm)).toHaveLength(3);
    expect(stdout).toMatch(/3 bags acked/);
  }, 30_000);

  it('exits 3 with a readable message when the hub refuses the token', async () => {
    hub = await startFakeHub();
    const { code, stderr } = await cli(['--hub', hub.url, '--token', 'a-token-the-hub-never-issued', '--count', '1']);
    expect(code).toBe(3);
    expect(stderr).toMatch(/hub refused the device \(bad-credentials\)/);
  }, 30_000);

  it('writes a dataset with `dataset`, printing progress and a summary', async () => {
    const out = await mkdtemp(join(tmpdir(), 'scanner-sim-cli-'));
    try {
      const { code, stdout } = await cli(['dataset', '--out', out, '--count', '4', '--seed', '2', '--views', '2', '--threat-rate', '0.5', '--progress', '2']);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^2\/4 bags \(50 %\), [\d.]+ bags\/s, ETA \d+ s$/m);
      expect(stdout).toMatch(/^wrote 8 images \(4 bags × 2 views\) with \d+ boxes \(gun \d+, knife \d+, wrench \d+, pliers \d+, scissors \d+, battery \d+, lighter \d+, hammer \d+\); \d+ images without threats;/m);
      expect((await readdir(join(out, 'images'))).length).toBe(8);
      expect((await readdir(join(out, 'labels'))).length).toBe(8);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('exits 2 on a bad dataset command line', async () => {
    const { code, stderr } = await cli(['dataset', '--count', '2']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--out/);
  }, 30_000);

  it('exits 2 without a token', async () => {
    const { code, stderr } = await cli(['--count', '1']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no device token/);
  }, 30_000);
});
