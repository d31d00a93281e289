import { create } from 'zustand';
import type { OfficerWorkloadPush } from '@clearway/protocol';
import type { ReceivedWorkload } from './break-reminder.ts';

/** The hub's latest officer:workload for the officer signed in here (already parsed). */
export const useWorkload = create<{ latest: ReceivedWorkload | null }>()(() => ({ latest: null }));

export function workloadArrived(push: OfficerWorkloadPush, receivedAt = Date.now()): void {
  useWorkload.setState({ latest: { push, receivedAt } });
}

export function resetWorkload(): void {
  useWorkload.setState({ latest: null });
}
