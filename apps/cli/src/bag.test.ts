// `pnpm clearway bag BAGID` and `pnpm clearway dicos tdr BAGID --out FILE` as processes, on a data
// folder holding a bag with a console model's result and a decision with the officer's verdicts.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect, uidFromUuid } from '@clearway/dicos';
import { ScanSubmit } from '@clearway/protocol';
import { Store } from '@clearway/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const ROOT = resolve(dirname(MAIN), '../../..');
const SHA = 'c0ffee'.padEnd(64, '0');
let dir: string;
let bagId: string;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, '--data', dir, ...args], { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clearway-cli-bag-'));
  const store = Store.open(dir);
  try {
    await store.identity.createOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' });
    store.identity.createDevice('scanner-1', 'scanner');
    const px = 8 * 8;
    const plane = new Uint8Array(px * 2);
    const scan = ScanSubmit.parse({
      scanId: randomUUID(), lane: 'lane-1', flight: 'CA981', bagTag: '0999100001', scannedAt: new Date().toISOString(),
      views: [
        { view: 'top', width: 8, height: 8, encoding: 'dual-energy-u16le', low: plane, high: plane },
        { view: 'side', width: 8, height: 8, encoding: 'dual-energy-u16le', low: plane, high: plane },
      ],
      machineResult: { algorithm: 'VendorX ATR 4.2', alarm: false, detections: [] },
    });
    bagId = store.screening.storeScan('scanner-1', scan, new Date()).bagId;
    const a = store.screening.assign(bagId, 'li.wei', new Date());
    const stored = store.screening.recordDetectionResult('li.wei', {
      assignmentId: a.assignmentId, bagId, model: { sha256: SHA, name: 'clearway-xray-ref-v1' }, backend: 'wasm SIMD 4 threads', inferMs: 42.4, alarm: true,
      detections: [
        { id: 'ai-top-1', label: 'knife', category: 'PROHIBITED_ITEM', score: 0.9, box: { view: 'top', x: 1, y: 2, width: 3, height: 4 } },
        { id: 'ai-side-1', label: 'knife', category: 'PROHIBITED_ITEM', score: 0.8, box: { view: 'side', x: 2, y: 2, width: 2, height: 2 } },
      ],
    }, new Date());
    expect(stored.ok).toBe(true);
    const now = new Date().toISOString();
    store.screening.recordDecision('li.wei', {
      idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId, verdict: 'search', shownAt: now, decidedAt: now,
      detections: [{ detectionId: 'ai-top-1', verdict: 'confirmed' }, { detectionId: 'ai-side-1', verdict: 'dismissed' }],
    }, new Date());
  } finally {
    await store.close();
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Each case starts the CLI (tsx) as a process: seconds on a busy 2-core machine.
describe('clearway bag', { timeout: 60_000 }, () => {
  it('prints the bag with both machine results and the decision with the officer verdicts', async () => {
    const { code, stdout } = await cli('bag', bagId);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const bag = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(bag).toMatchObject({
      bagId, bagTag: '0999100001', state: 'decided',
      machineResult: { algorithm: 'VendorX ATR 4.2', alarm: false },
      consoleDetections: [{ model: { sha256: SHA, name: 'clearway-xray-ref-v1' }, alarm: true, backend: 'wasm SIMD 4 threads' }],
      decisions: [{ verdict: 'search', detections: [{ detectionId: 'ai-top-1', verdict: 'confirmed' }, { detectionId: 'ai-side-1', verdict: 'dismissed' }] }],
    });
  });

  it('says so for an unknown bag', async () => {
    const { code, stderr } = await cli('bag', randomUUID());
    expect(code).toBe(1);
    expect(stderr).toMatch(/no bag/);
  });
});

describe('clearway dicos tdr', { timeout: 60_000 }, () => {
  it('writes the console model result as a machine TDR with one PTO per detection on its view frame', async () => {
    const out = join(dir, 'machine.dcm');
    const { code, stdout } = await cli('dicos', 'tdr', bagId, '--out', out);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ bagId, detections: 2, alarm: true });
    const tdr = inspect(await readFile(out));
    expect(tdr).toMatchObject({ tdrType: 'MACHINE', alarmDecision: 'ALARM', referencedSopInstanceUid: uidFromUuid(bagId) });
    expect(tdr.algorithm).toContain('clearway-xray-ref-v1 sha256:c0ffee000000');
    expect(tdr.ptos?.map((p) => [p.id, p.label, p.box?.x, p.box?.z])).toEqual([[1, 'knife', 1, 0], [2, 'knife', 2, 1]]);
  });

  it('refuses a bag without a console result', async () => {
    const { code, stderr } = await cli('dicos', 'tdr', bagId, '--out', join(dir, 'none.dcm'), '--model', 'ffff');
    expect(code).toBe(1);
    expect(stderr).toMatch(/no console detection result from model ffff/);
  });
});
