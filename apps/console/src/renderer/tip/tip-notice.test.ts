import { beforeEach, describe, expect, it } from 'vitest';
import type { TipResult } from '@clearway/protocol';
import { useRobots } from '../robots/robot-store.ts';
import { useSession } from '../session-store.ts';
import { tipNoticeOf } from './tip-notice.ts';
import { tipResultArrived, useTip } from './tip-store.ts';

const projected = (found: boolean): TipResult => ({
  assignmentId: crypto.randomUUID(), bagId: crypto.randomUUID(), projected: true, found, decidedAt: new Date().toISOString(),
  item: { class: 'knife', description: 'kitchen knife, 24 × 3 cm', boxes: [{ view: 'top', x: 10, y: 20, width: 192, height: 26 }] },
});

describe('TIP notice', () => {
  beforeEach(() => useTip.setState({ notice: null }));

  it('names the projected threat and says whether it was found', () => {
    expect(tipNoticeOf(projected(true))?.text).toMatch(/^Projected threat: knife \(kitchen knife, 24 × 3 cm\) — you found it\./);
    expect(tipNoticeOf(projected(false))?.text).toMatch(/— missed\. The bag comes back without it/);
    expect(tipNoticeOf({ assignmentId: crypto.randomUUID(), bagId: crypto.randomUUID(), projected: false, decidedAt: new Date().toISOString() })).toBeNull();
  });

  it('shows after a projection, clears after an ordinary bag, and withdraws the robot offered for the projected bag', () => {
    const r = projected(true);
    useRobots.setState({ dispatch: { bagId: r.bagId, bagTag: '0999123456', phase: 'offered', missionId: null, error: null } });
    tipResultArrived(r);
    expect(useTip.getState().notice).toMatchObject({ assignmentId: r.assignmentId, found: true, officerId: useSession.getState().officer?.id ?? null });
    expect(useRobots.getState().dispatch).toBeNull();
    tipResultArrived({ assignmentId: crypto.randomUUID(), bagId: r.bagId, projected: false, decidedAt: new Date().toISOString() });
    expect(useTip.getState().notice).toBeNull();
  });

  it('leaves a robot already on its way, or one for another bag, alone', () => {
    const r = projected(false);
    const other = { bagId: crypto.randomUUID(), bagTag: '0999000001', phase: 'offered' as const, missionId: null, error: null };
    useRobots.setState({ dispatch: other });
    tipResultArrived(r);
    expect(useRobots.getState().dispatch).toEqual(other);
  });
});
