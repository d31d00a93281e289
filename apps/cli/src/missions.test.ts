// The bag's record shows the robot sent for it and how the mission ended: `clearway bag` and `clearway decisions`.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '@clearway/store';
import { afterAll, beforeAll, expect, it } from 'vitest';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const ROOT = resolve(dirname(MAIN), '../../..');
let dir: string;
let bagId: string;

function cli(...args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, '--data', dir, ...args], { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`${String(error)}\n${stderr}`));
      else done(stdout);
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clearway-cli-missions-'));
  const store = Store.open(dir);
  try {
    await store.identity.createOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' });
    const plane = new Uint8Array(2);
    bagId = store.screening.storeScan('scanner-1', {
      scanId: randomUUID(), lane: 'lane-2', flight: 'CA981', bagTag: '0999100002', scannedAt: new Date().toISOString(),
      views: [{ view: 'top', width: 1, height: 1, encoding: 'dual-energy-u16le', low: plane, high: plane }],
    }, new Date()).bagId;
    const a = store.screening.assign(bagId, 'li.wei', new Date());
    const now = new Date().toISOString();
    store.screening.recordDecision('li.wei', { idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId, verdict: 'search', shownAt: now, decidedAt: now }, new Date());
    const { mission } = store.missions.create({ missionId: randomUUID(), bagId, requestedBy: 'hub', pickup: { x: 13.7, y: 23.5, theta: 0 }, dropoff: { x: 49.2, y: 16.5, theta: 0 }, at: new Date() });
    store.missions.update(mission.missionId, { state: 'to-lane', robotId: 'robot_3', reason: null, at: new Date() });
    store.missions.update(mission.missionId, { state: 'failed', robotId: 'robot_3', reason: 'robot_3 vanished mid-mission: no live link for 10 s', at: new Date() });
  } finally {
    await store.close();
  }
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

it('shows the mission, its states and how it ended in the bag and in the decisions', { timeout: 60_000 }, async () => {
  const bag = JSON.parse(await cli('bag', bagId)) as { robotMissions: { robotId: string; state: string; reason: string; history: { state: string }[] }[] };
  expect(bag.robotMissions).toHaveLength(1);
  expect(bag.robotMissions[0]).toMatchObject({ robotId: 'robot_3', state: 'failed', reason: 'robot_3 vanished mid-mission: no live link for 10 s' });
  expect(bag.robotMissions[0]?.history.map((h) => h.state)).toEqual(['requested', 'to-lane', 'failed']);
  const decision = JSON.parse((await cli('decisions', '--limit', '1')).trim()) as { verdict: string; mission: { state: string; robotId: string; endedAt: string } };
  expect(decision).toMatchObject({ verdict: 'search', mission: { state: 'failed', robotId: 'robot_3', endedAt: expect.any(String) } });
});
