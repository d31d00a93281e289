import { create } from 'zustand';
import type { TipResult } from '@clearway/protocol';
import { useRobots } from '../robots/robot-store.ts';
import { useSession } from '../session-store.ts';
import { type TipNotice, tipNoticeOf } from './tip-notice.ts';

export interface TipState {
  /** The last decision's TIP feedback, for the officer who made it; null after an ordinary bag. */
  notice: (TipNotice & { officerId: string | null }) | null;
}

export const useTip = create<TipState>()(() => ({ notice: null }));

/** The hub's tip:result after a decision (already parsed). */
export function tipResultArrived(result: TipResult): void {
  const notice = tipNoticeOf(result);
  useTip.setState({ notice: notice ? { ...notice, officerId: useSession.getState().officer?.id ?? null } : null });
  // A projected item is no alarm: the robot offered at the search key goes away unsent.
  if (notice) useRobots.setState((s) => (s.dispatch?.bagId === result.bagId && s.dispatch.phase === 'offered' ? { dispatch: null } : s));
}
