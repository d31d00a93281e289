import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '@clearway/store';
import { connectDevice, connectOfficer, decisionFor, spawnHubProcess, testScan } from './testing.ts';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '../../..');
const MAIN = resolve(here, 'main.ts');
// `node --import tsx` keeps the hub in one process, so SIGKILL hits the hub itself.
const hubArgs = (...args: string[]) => ['--import', 'tsx', MAIN, ...args];

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function spawnHub(dataDir: string, port: number, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const hub = await spawnHubProcess(['--data', dataDir, '--port', String(port)], env);
  children.push(hub.child);
  return hub;
}

const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

describe('hub process', () => {
  it('keeps exactly one decision when killed with SIGKILL between commit and ack', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'clearway-kill-'));
    dirs.push(dataDir);
    const seed = Store.open(dataDir);
    await seed.identity.createOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' });
    const token = seed.identity.createDevice('scanner-1', 'scanner').token;
    await seed.close();
    const port = 20000 + Math.floor(Math.random() * 20000);

    // First life: the hub commits the decision, then holds the ack; we kill it meanwhile.
    const first = await spawnHub(dataDir, port, { CLEARWAY_FAULT_DECISION_ACK_DELAY_MS: '5000' });
    const officer = await connectOfficer(first.url, { officerId: 'li.wei', password: 'correct horse' });
    const scanner = await connectDevice(first.url, 'scanner-1', token);
    await scanner.emitWithAck('scan:submit', testScan());
    const bag = await officer.nextBag();
    const decision = decisionFor(bag, 'search');
    let acked = false;
    officer.socket.emit('decision:submit', decision, () => { acked = true; });
    // Wait until the decision is committed (visible to another reader), then kill.
    const reader = Store.open(dataDir);
    for (let i = 0; i < 200 && reader.screening.decisionCount() === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(reader.screening.decisionCount()).toBe(1);
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect(acked).toBe(false);
    officer.socket.close();
    scanner.close();

    // Second life: the console reconnects with its session token and resends the same key.
    const second = await spawnHub(dataDir, port);
    const back = await connectOfficer(second.url, { sessionToken: officer.session.sessionToken });
    const reply = await back.socket.emitWithAck('decision:submit', decision);
    expect(reply).toMatchObject({ ok: true, duplicate: true });
    expect(reader.screening.decisionsForBag(bag.bag.bagId)).toHaveLength(1);
    back.socket.close();
    await reader.close();
  }, 30_000);

  it('answers /healthz and refuses bad command-line values', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'clearway-health-'));
    dirs.push(dataDir);
    const { url } = await spawnHub(dataDir, 0);
    const health = await (await fetch(`${url}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', protocolVersion: 1 });
    const bad = spawn(process.execPath, hubArgs('--data', dataDir, '--port', 'abc'), { cwd: ROOT, stdio: 'pipe' });
    let err = '';
    bad.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    const code = await new Promise<number | null>((r) => bad.once('exit', r));
    expect(code).toBe(2);
    expect(err).toMatch(/--port must be a non-negative number/);
  }, 30_000);
});
