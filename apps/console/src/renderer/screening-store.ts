import { create } from 'zustand';
import type { QueueStatus } from '@clearway/protocol';
import { type LastDecision, type ScreeningQueue, emptyQueue } from './screening.ts';

export interface ScreeningState {
  queue: ScreeningQueue;
  /** assignmentId → when its image was first painted (ISO time). */
  shownAt: Readonly<Record<string, string>>;
  lastDecision: LastDecision | null;
  queueStatus: QueueStatus | null;
}

export const emptyScreening: ScreeningState = { queue: emptyQueue, shownAt: {}, lastDecision: null, queueStatus: null };

export const useScreening = create<ScreeningState>()(() => emptyScreening);

/** Records the first paint of a bag's image; later paints (resize, re-render) do not move it. */
export function bagPainted(assignmentId: string, at: Date): void {
  useScreening.setState((state) =>
    state.shownAt[assignmentId] !== undefined ? state : { shownAt: { ...state.shownAt, [assignmentId]: at.toISOString() } },
  );
}
