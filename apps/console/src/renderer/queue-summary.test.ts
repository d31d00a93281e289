import { describe, expect, it } from 'vitest';
import type { QueueStatus } from '@clearway/protocol';
import { busiestLanes, laneDetails, priorityDetails, raisedBags } from './queue-summary.ts';

const base: QueueStatus = { waitingBags: 0, officersAvailable: 1, officersSignedIn: 1, oldestWaitMs: 0, at: '2030-01-01T10:00:00Z' };

describe('queue summary in the header', () => {
  it('names the deepest lanes and how many more wait elsewhere', () => {
    const status: QueueStatus = {
      ...base, waitingBags: 12,
      lanes: [{ lane: 'lane-3', waiting: 7, oldestWaitMs: 65_000 }, { lane: 'lane-1', waiting: 4, oldestWaitMs: 3000 }, { lane: 'lane-9', waiting: 1, oldestWaitMs: 500 }],
    };
    expect(busiestLanes(status)).toBe('lane-3 7 · lane-1 4 · +1');
    expect(laneDetails(status).split('\n')[0]).toBe('lane-3: 7 waiting, oldest 1 min 05 s');
  });

  it('counts bags raised by deadline or risk, with the longest wait among them', () => {
    const status: QueueStatus = {
      ...base, waitingBags: 6,
      byPriority: [{ priority: 3, waiting: 1, oldestWaitMs: 2000 }, { priority: 1, waiting: 2, oldestWaitMs: 45_000 }, { priority: 0, waiting: 3, oldestWaitMs: 90_000 }],
    };
    expect(raisedBags(status)).toBe('3 (oldest 45 s)');
    expect(priorityDetails(status).split('\n')).toHaveLength(3);
  });

  it('shows dashes and zero for an empty line or a hub that sends no breakdown', () => {
    expect(busiestLanes(base)).toBe('—');
    expect(raisedBags(base)).toBe('0');
    expect(raisedBags({ ...base, byPriority: [{ priority: 0, waiting: 2, oldestWaitMs: 10 }] })).toBe('0');
  });
});
