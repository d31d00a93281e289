import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { hashPassword } from '@clearway/store';
import { startHub, type Hub } from './hub.ts';
import { connectDevice, testScan, type DeviceClient } from './testing.ts';

// docs/examples/minimal-client.mjs is the third-party client of docs/protocol.md: plain
// JavaScript with socket.io-client alone. It runs here as a child process, exactly as documented.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CLIENT = 'docs/examples/minimal-client.mjs';

const OFFICER = { id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' } as const;
let passwordHash = '';
beforeAll(async () => { passwordHash = await hashPassword(OFFICER.password); });

let hub: Hub;
let scanner: DeviceClient;
beforeEach(async () => {
  hub = await startHub({ dataDir: ':memory:', port: 0, consoleDir: null, logger: pino({ level: 'silent' }) });
  hub.store.identity.importOfficer({ id: OFFICER.id, name: OFFICER.name, role: OFFICER.role, passwordHash });
  const { token } = hub.store.identity.createDevice('scanner-1', 'scanner');
  scanner = await connectDevice(hub.url, 'scanner-1', token);
});
afterEach(async () => {
  scanner.close();
  await hub.close();
});

/** Runs the example client from the repository root; resolves with its exit code and output. */
function runClient(args: string[], timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLIENT, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
  return new Promise((res) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('close', (code) => { clearTimeout(timer); res({ code, stdout, stderr }); });
  });
}

async function submitScan() {
  const scan = testScan();
  const reply = await scanner.emitWithAck('scan:submit', scan);
  if (!reply.ok) throw new Error(`scan refused: ${reply.error.message}`);
  return { scan, bagId: reply.bagId };
}

describe('docs/examples/minimal-client.mjs against a live hub', () => {
  it('signs in, takes the assigned bag and stores exactly one decision with the requested verdict', async () => {
    const { scan, bagId } = await submitScan();
    const run = await runClient(['--hub', hub.url, '--officer', OFFICER.id, '--password', OFFICER.password, '--verdict', 'search']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`tag ${scan.bagTag}, flight ${scan.flight}, lane ${scan.lane}`);
    expect(run.stdout).toContain('view top: 32 x 32 px');
    expect(run.stdout).toMatch(/ack \{"ok":true,.*"duplicate":false/);

    const decisions = hub.store.screening.recentDecisions(100);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ officerId: OFFICER.id, verdict: 'search', bagId });
  }, 30_000);

  it('decides --count bags one after another, each once', async () => {
    const first = await submitScan();
    const second = await submitScan();
    const run = await runClient(['--hub', hub.url, '--officer', OFFICER.id, '--password', OFFICER.password, '--count', '2']);
    expect(run.code).toBe(0);
    expect(run.stdout.match(/^ack /gm)).toHaveLength(2);
    const decisions = hub.store.screening.recentDecisions(100);
    expect(decisions).toHaveLength(2);
    expect(decisions.map((d) => d.bagId).sort()).toEqual([first.bagId, second.bagId].sort());
    expect(decisions.every((d) => d.officerId === OFFICER.id && d.verdict === 'clear')).toBe(true);
  }, 30_000);

  it('exits 1 with the refusal when the password is wrong, and decides nothing', async () => {
    await submitScan();
    const run = await runClient(['--hub', hub.url, '--officer', OFFICER.id, '--password', 'wrong']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('sign-in refused: bad-credentials: wrong officer ID or password');
    expect(hub.store.screening.decisionCount()).toBe(0);
  }, 30_000);
});
