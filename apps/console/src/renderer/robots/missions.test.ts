import { describe, expect, it } from 'vitest';
import { isOpen, mergeMissions, missionForBag, missionList, missionOf, upsertMission } from './missions.ts';
import { mission } from './test-robots.ts';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('missions', () => {
  it('adds, updates, and ignores an older update', () => {
    const m1 = mission({ missionId: id(1) });
    let ms = upsertMission({}, m1);
    ms = upsertMission(ms, { ...m1, state: 'carrying', updatedAt: '2025-05-01T10:00:05.000Z' });
    expect(ms[id(1)]?.state).toBe('carrying');
    const same = upsertMission(ms, { ...m1, state: 'to-lane', updatedAt: '2025-05-01T10:00:03.000Z' });
    expect(same).toBe(ms);
  });

  it('lists open missions first, then the most recently ended, up to a limit', () => {
    const ms = mergeMissions({}, [
      mission({ missionId: id(1), requestedAt: '2025-05-01T09:00:00.000Z', state: 'delivered', endedAt: '2025-05-01T09:05:00.000Z' }),
      mission({ missionId: id(2), requestedAt: '2025-05-01T09:10:00.000Z' }),
      mission({ missionId: id(3), requestedAt: '2025-05-01T09:20:00.000Z' }),
      mission({ missionId: id(4), requestedAt: '2025-05-01T08:00:00.000Z', state: 'failed', endedAt: '2025-05-01T09:30:00.000Z' }),
    ]);
    expect(missionList(ms).map((m) => m.missionId)).toEqual([id(3), id(2), id(4), id(1)]);
    expect(missionList(ms, 1).map((m) => m.missionId)).toEqual([id(3), id(2), id(4)]);
  });

  it("finds a robot's open mission and a bag's newest mission", () => {
    const ms = mergeMissions({}, [
      mission({ missionId: id(1), robotId: 'robot_1', state: 'delivered', endedAt: '2025-05-01T10:05:00.000Z' }),
      mission({ missionId: id(2), robotId: 'robot_1', requestedAt: '2025-05-01T10:06:00.000Z' }),
    ]);
    expect(missionOf(ms, 'robot_1')?.missionId).toBe(id(2));
    expect(missionOf(ms, 'robot_2')).toBeNull();
    expect(missionForBag(ms, mission().bagId)?.missionId).toBe(id(2));
    expect(missionForBag(ms, id(99))).toBeNull();
    expect(isOpen(mission())).toBe(true);
  });
});
