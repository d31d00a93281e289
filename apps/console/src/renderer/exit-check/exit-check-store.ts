import { create } from 'zustand';
import type { ExitCheckEntry } from '@clearway/protocol';

export interface ExitCheckViewState {
  /** The exit-check view is on screen instead of the search station. */
  open: boolean;
  entries: ExitCheckEntry[];
  /** A list has arrived since sign-in. */
  received: boolean;
  /** The passenger the officer moved to; null: the first. */
  selected: string | null;
  /** What the last stop did, or why it failed. */
  last: { text: string; ok: boolean } | null;
}

export const emptyExitCheck: ExitCheckViewState = { open: false, entries: [], received: false, selected: null, last: null };

export const useExitCheck = create<ExitCheckViewState>()(() => emptyExitCheck);

export function resetExitCheck(): void {
  useExitCheck.setState(emptyExitCheck);
}

export function toggleExitCheck(): void {
  useExitCheck.setState((s) => ({ open: !s.open }));
}
