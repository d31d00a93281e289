import { create } from 'zustand';
import type { ScanView } from '@clearway/protocol';
import { type OutcomeDraft, type SearchLine, emptyDraft, emptyLine, selectedBag } from './search-line.ts';

/** A flagged bag's images, fetched from the hub when the bag comes on screen. */
export type BagImages = { state: 'loading' } | { state: 'loaded'; views: ScanView[] } | { state: 'failed'; error: string };

export interface LastOutcome {
  idempotencyKey: string;
  bagTag: string;
  /** e.g. "threat found: knife". */
  text: string;
  delivery: 'waiting' | 'stored' | 'refused';
  error?: string;
}

export interface SearchStationState {
  line: SearchLine;
  /** The bag the officer moved to; null: the oldest. */
  selected: string | null;
  /** The outcome being put together for the bag on screen; cleared when another bag comes on screen. */
  draft: OutcomeDraft;
  draftFor: string | null;
  images: Readonly<Record<string, BagImages>>;
  last: LastOutcome | null;
}

export const emptySearchStation: SearchStationState = { line: emptyLine, selected: null, draft: emptyDraft, draftFor: null, images: {}, last: null };

export const useSearchStation = create<SearchStationState>()(() => emptySearchStation);

export function resetSearchStation(): void {
  useSearchStation.setState(emptySearchStation);
}

/** The draft belongs to the bag on screen; another bag starts from an empty one. */
export function draftOf(state: SearchStationState): OutcomeDraft {
  const bag = selectedBag(state.line, state.selected);
  return bag && state.draftFor === bag.bag.bagId ? state.draft : emptyDraft;
}
