import { afterEach, describe, expect, it } from 'vitest';
import { Store } from './index.ts';

const stores: Store[] = [];
const open = () => { const s = Store.open(':memory:'); stores.push(s); return s; };
afterEach(async () => { for (const s of stores.splice(0)) await s.close(); });

describe('settings', () => {
  it('gives the schema defaults until a value is set, and the stored value with defaults filled in after', () => {
    const s = open();
    expect(s.settings.get('screening.timeLimits')).toBeNull();
    expect(s.settings.effective('screening.timeLimits')).toEqual({ beltMovingS: 10, beltStoppedS: 20, onExpiry: 'search', maxReassignments: 1 });
    const before = s.settings.version;
    s.settings.set('screening.timeLimits', { beltMovingS: 8, onExpiry: 'reassign' }, { kind: 'cli', id: 'ops' });
    expect(s.settings.version).toBe(before + 1);
    expect(s.settings.effective('screening.timeLimits')).toEqual({ beltMovingS: 8, beltStoppedS: 20, onExpiry: 'reassign', maxReassignments: 1 });
    expect(s.settings.list()).toMatchObject([{ key: 'screening.timeLimits', updatedBy: 'cli:ops' }]);
  });

  it('refuses unknown keys and values outside the schema, and changes nothing', () => {
    const s = open();
    expect(() => s.settings.set('screening.coffee', {})).toThrow(/unknown setting screening.coffee/);
    expect(() => s.settings.set('screening.timeLimits', { beltMovingS: 60 })).toThrow(/screening.timeLimits.beltMovingS/);
    expect(() => s.settings.set('screening.queuePriority', { overdueBoost: -1 })).toThrow(/overdueBoost/);
    expect(s.settings.list()).toEqual([]);
    expect(s.audit.count()).toBe(0);
  });

  it('writes every change and every unset to the audit trail with the old and new value', () => {
    const s = open();
    s.settings.set('screening.queuePriority', { overdueBoost: 5 }, { kind: 'cli', id: 'ops' });
    s.settings.set('screening.queuePriority', { overdueBoost: 6 }, { kind: 'cli', id: 'ops' });
    expect(s.settings.unset('screening.queuePriority', { kind: 'cli', id: 'ops' })).toBe(true);
    expect(s.settings.unset('screening.queuePriority')).toBe(false);
    const rows = s.audit.tail(10).map((r) => ({ type: r.type, subject: r.subjectId, actor: r.actorId, payload: JSON.parse(r.payload) as { from: { overdueBoost: number } | null; to: { overdueBoost: number } | null } }));
    expect(rows.map((r) => [r.type, r.subject, r.actor, r.payload.from?.overdueBoost ?? null, r.payload.to?.overdueBoost ?? null])).toEqual([
      ['config.changed', 'screening.queuePriority', 'ops', null, 5],
      ['config.changed', 'screening.queuePriority', 'ops', 5, 6],
      ['config.changed', 'screening.queuePriority', 'ops', 6, null],
    ]);
    expect(s.audit.verify().ok).toBe(true);
  });
});
