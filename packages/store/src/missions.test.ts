import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Store } from './index.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const PICKUP = { x: 8.7, y: 23.5, theta: 0 };
const DROPOFF = { x: 49.2, y: 16.5, theta: 0 };

function bag(store: Store, lane = 'lane-2'): string {
  return store.screening.storeScan('scanner-1', {
    scanId: randomUUID(), lane, flight: 'CA981', bagTag: '0999123456', scannedAt: new Date().toISOString(),
    views: [{ view: 'top', width: 1, height: 1, encoding: 'dual-energy-u16le', low: new Uint8Array([1, 0]), high: new Uint8Array([2, 0]) }],
  }, new Date()).bagId;
}

it('keeps one open mission per bag, records every state with its time, and never changes an ended mission', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clearway-missions-'));
  dirs.push(dir);
  const store = Store.open(dir);
  const bagId = bag(store);
  const missionId = randomUUID();
  const t0 = new Date('2025-05-01T08:00:00Z');
  const created = store.missions.create({ missionId, bagId, requestedBy: 'robot1', pickup: PICKUP, dropoff: DROPOFF, at: t0 });
  expect(created.duplicate).toBe(false);
  expect(created.mission).toMatchObject({ missionId, bagId, bagTag: '0999123456', lane: 'lane-2', state: 'requested', robotId: null, pickup: PICKUP, endedAt: null });

  const again = store.missions.create({ missionId: randomUUID(), bagId, requestedBy: 'screener1', pickup: PICKUP, dropoff: DROPOFF, at: t0 });
  expect(again).toMatchObject({ duplicate: true, mission: { missionId } });

  store.missions.update(missionId, { state: 'to-lane', robotId: 'robot_2', reason: null, at: new Date('2025-05-01T08:00:01Z') });
  const failed = store.missions.update(missionId, { state: 'failed', robotId: 'robot_2', reason: 'robot_2 vanished mid-mission', at: new Date('2025-05-01T08:00:09Z') });
  expect(failed).toMatchObject({ state: 'failed', reason: 'robot_2 vanished mid-mission', endedAt: '2025-05-01T08:00:09.000Z' });
  // Ended is final.
  expect(store.missions.update(missionId, { state: 'delivered', robotId: 'robot_2', reason: null, at: new Date() })?.state).toBe('failed');
  expect(store.missions.open()).toEqual([]);
  expect(store.missions.history(missionId).map((h) => [h.state, h.robotId, h.at])).toEqual([
    ['requested', null, '2025-05-01T08:00:00.000Z'],
    ['to-lane', 'robot_2', '2025-05-01T08:00:01.000Z'],
    ['failed', 'robot_2', '2025-05-01T08:00:09.000Z'],
  ]);
  await store.close();

  // Survives a restart; a new mission for the same bag may open once the old one ended.
  const reopened = Store.open(dir);
  expect(reopened.missions.forBag(bagId).map((m) => m.state)).toEqual(['failed']);
  const second = reopened.missions.create({ missionId: randomUUID(), bagId, requestedBy: 'robot1', pickup: PICKUP, dropoff: DROPOFF, at: new Date('2025-05-01T08:01:00Z') });
  expect(second.duplicate).toBe(false);
  expect(reopened.missions.forBag(bagId).map((m) => m.state)).toEqual(['requested', 'failed']);
  expect(reopened.missions.recent(1)[0]?.missionId).toBe(second.mission.missionId);
  await reopened.close();
});
