// main.ts as its own process against the real hub: exit codes, a file in, an operator TDR out, Ctrl-C.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHub, type Hub } from '@clearway/hub';
import { connectOfficer, decisionFor } from '@clearway/hub/testing';
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { drop, dxFixture, removeTempDirs, tempDir } from './test-fixtures.ts';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), 'main.ts');
let hub: Hub;
let token: string;

beforeEach(async () => {
  hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }) });
  token = hub.store.identity.createDevice('dicos-main', 'dicos-hot-folder').token;
});
afterEach(async () => hub.close());
afterAll(removeTempDirs);

function start(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { ...process.env, CLEARWAY_DEVICE_TOKEN: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, exited, output: () => out };
}

it('exits 2 without a token and 3 when the hub refuses it', async () => {
  const dir = await tempDir();
  const noToken = start(['--hub', hub.url, '--device-id', 'dicos-main', '--in', dir, '--out', dir]);
  expect(await noToken.exited).toBe(2);
  expect(noToken.output()).toMatch(/no device token/);
  const refused = start(['--hub', hub.url, '--device-id', 'dicos-main', '--token', 'w'.repeat(43), '--in', dir, '--out', dir]);
  expect(await refused.exited).toBe(3);
  expect(refused.output()).toMatch(/refused/);
}, 60_000);

it('sends a dropped file, writes the operator TDR of its decision, and stops on SIGINT', async () => {
  const inDir = await tempDir();
  const outDir = await tempDir();
  await hub.store.identity.createOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' });
  const officer = await connectOfficer(hub.url, { officerId: 'li.wei', password: 'correct horse' });
  try {
    const run = start(['--hub', hub.url, '--device-id', 'dicos-main', '--in', inDir, '--out', outDir, '--lane', 'lane-2', '--flight', 'MU5101A', '--poll-ms', '20', '--tdr-wait-ms', '0'], { CLEARWAY_DEVICE_TOKEN: token });
    await drop(inDir, 'bag-0999000042.dcm', dxFixture(42).bytes);
    const bag = await officer.nextBag(20_000);
    expect(bag.bag).toMatchObject({ bagTag: '0999000042', lane: 'lane-2', flight: 'MU5101A' });
    await officer.socket.emitWithAck('decision:submit', decisionFor(bag, 'clear'));
    const deadline = Date.now() + 10_000;
    while ((await readdir(outDir)).filter((n) => n.endsWith('.dcm')).length === 0) {
      if (Date.now() > deadline) throw new Error(`no operator TDR; output:\n${run.output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output(), run.output()).toMatch(/1 scans acked .* 1 operator TDRs written/);
  } finally {
    officer.socket.close();
  }
}, 60_000);
