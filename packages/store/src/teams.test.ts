import { describe, expect, it } from 'vitest';
import { Store, StoreError } from './index.ts';

describe('officers\' teams (migration 10)', () => {
  it('keeps a team given at creation, changes and clears it with an audit row each, and lists officer → team', async () => {
    const s = Store.open(':memory:');
    try {
      await s.identity.createOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse', team: ' A ' });
      await s.identity.createOfficer({ id: 'anna', name: 'Anna K', role: 'screening-officer', password: 'battery staple' });
      expect(s.identity.listOfficers().map((o) => [o.id, o.team])).toEqual([['anna', null], ['li.wei', 'A']]);
      expect(s.identity.teams()).toEqual({ 'li.wei': 'A' });

      expect(s.identity.setTeam('anna', 'Blue watch')).toEqual({ id: 'anna', team: 'Blue watch' });
      s.identity.setTeam('anna', 'Blue watch'); // no change: no audit row
      s.identity.setTeam('li.wei', null);
      expect(s.identity.teams()).toEqual({ anna: 'Blue watch' });
      const changes = [...s.audit.entries()].filter((e) => e.type === 'user.changed').map((e) => [e.subjectId, JSON.parse(e.payload) as unknown]);
      expect(changes).toEqual([['anna', { team: { from: null, to: 'Blue watch' } }], ['li.wei', { team: { from: 'A', to: null } }]]);
      const created = [...s.audit.entries()].find((e) => e.type === 'user.created' && e.subjectId === 'li.wei');
      expect(JSON.parse(created?.payload ?? '{}')).toMatchObject({ team: 'A' });
      expect(s.audit.verify().ok).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('refuses an empty or over-long team name and an unknown officer', async () => {
    const s = Store.open(':memory:');
    try {
      await expect(s.identity.createOfficer({ id: 'x', name: 'X', role: 'screening-officer', password: 'long enough', team: '   ' })).rejects.toBeInstanceOf(StoreError);
      expect(() => s.identity.importOfficer({ id: 'y', name: 'Y', role: 'screening-officer', passwordHash: 'scrypt$x', team: 'T'.repeat(41) })).toThrow(/team/);
      expect(() => s.identity.setTeam('nobody', 'A')).toThrow(/no officer nobody/);
      expect(s.identity.listOfficers()).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
